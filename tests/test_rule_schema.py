"""The JSON Schema for rule files (src/replylint/engine/schema/rule.schema.json) agrees with the loader:
its enums and keys are model.py's, rulefile.py's and patternfile.py's, every bundled rule validates, and broken
rule files are rejected by both the schema and `load_rule_file`."""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clirunner import replylint
from jsonschema import Draft7Validator, Draft202012Validator
from ruamel.yaml import YAML

from replylint.engine.model import Anchor, Family, Severity, Window
from replylint.engine.packs import bundled_rules_dir
from replylint.engine.patternfile import LANG_RE, NAME_RE, TOKEN_ATTRS, TOKEN_OPS, TOKEN_VALUE_KEYS
from replylint.engine.rulefile import (
    CODE_RE,
    EXAMPLE_KEYS,
    FLAGGED_KEYS,
    MATCH_KEYS,
    REWRITE_KEYS,
    TOP_KEYS,
    UNLESS_KEYS,
    load_rule_file,
)
from replylint.engine.ruleset import rule_files
from replylint.engine.schema import RULE_SCHEMA
from replylint.errors import RuleFileError

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads(RULE_SCHEMA.read_text(encoding="utf-8"))
DEFS = SCHEMA["$defs"]
# yaml-language-server (VS Code's YAML extension) implements draft 7: the schema uses only keywords
# draft 7 knows too, and the tests run both validators so the editor and the tests agree.
VALIDATORS = (Draft202012Validator(SCHEMA), Draft7Validator(SCHEMA))
YAML_SAFE = YAML(typ="safe", pure=True)  # YAML 1.2, like the loader: a bare `no` stays a string


def load_yaml(path: Path) -> Any:
    return YAML_SAFE.load(path.read_text(encoding="utf-8"))


def schema_errors(data: Any) -> list[str]:
    return [f"{v.META_SCHEMA['$schema']}: {'/'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}"
            for v in VALIDATORS for e in v.iter_errors(data)]


def bundled_rule_files() -> list[Path]:
    root = bundled_rules_dir()
    langs = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    return [path for lang in langs for path in rule_files(root, lang) if not path.parent.name.startswith("_")]


# --- the schema is generated from the same truth as the loader ---------------------------

def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)
    Draft7Validator.check_schema(SCHEMA)


def test_enums_equal_the_python_enums() -> None:
    props = SCHEMA["properties"]
    assert props["family"]["enum"] == [f.value for f in Family]
    assert props["severity"]["enum"] == [s.value for s in Severity]
    assert props["match"]["properties"]["at"]["enum"] == [a.value for a in Anchor]
    assert DEFS["exception"]["properties"]["within"]["enum"] == [w.value for w in Window]


def test_keys_and_patterns_equal_the_loaders() -> None:
    assert set(SCHEMA["properties"]) == TOP_KEYS
    assert set(SCHEMA["properties"]["match"]["properties"]) == MATCH_KEYS
    assert set(DEFS["exception"]["properties"]) == UNLESS_KEYS
    assert set(DEFS["rewrite"]["properties"]) == REWRITE_KEYS
    assert set(SCHEMA["properties"]["examples"]["properties"]) == EXAMPLE_KEYS
    assert set(DEFS["flaggedExample"]["oneOf"][1]["properties"]) == FLAGGED_KEYS
    spec = DEFS["tokenSpec"]
    assert set(spec["propertyNames"]["enum"]) == TOKEN_ATTRS
    assert set(spec["properties"]) == TOKEN_ATTRS
    assert set(spec["properties"]["OP"]["enum"]) == TOKEN_OPS
    comparisons = {"==", "!=", ">=", "<=", ">", "<"}
    assert set(DEFS["tokenText"]["oneOf"][1]["properties"]) == TOKEN_VALUE_KEYS - comparisons
    assert set(DEFS["tokenLength"]["oneOf"][1]["properties"]) == comparisons | {"IN", "NOT_IN"}
    assert SCHEMA["properties"]["code"]["pattern"] == CODE_RE.pattern
    assert SCHEMA["properties"]["name"]["pattern"] == NAME_RE.pattern
    assert DEFS["localizedText"]["oneOf"][1]["propertyNames"]["pattern"] == LANG_RE.pattern


# --- every bundled rule validates ------------------------------------------------------------

BUNDLED = bundled_rule_files()


def test_there_are_bundled_rules_to_check() -> None:
    assert len(BUNDLED) > 200
    assert {p.parts[-3] for p in BUNDLED} >= {"en", "sv", "da", "nb", "fi", "ms", "xx"}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: "/".join(p.parts[-3:]))
def test_bundled_rule_validates_against_the_schema(path: Path) -> None:
    assert schema_errors(load_yaml(path)) == []


# --- broken rule files are rejected by both ----------------------------------------------------

GOOD: dict[str, Any] = {
    "code": "TM101",
    "name": "per-my-last",
    "family": "blame",
    "severity": "warning",
    "summary": "Pointing at an earlier message.",
    "message": {"en": "“{match}” points at an earlier message.", "sv": "“{match}” pekar bakåt."},
    "why": "It tells the customer they did not read.",
    "match": {
        "at": "anywhere",
        "says": ["(as|like) I [already] said", "{refuse} your claim"],
        "phrases": ["no", "as I said"],
        "tokens": [[{"LOWER": "per"}, {"NORM": {"IN": ["my", "our"]}}, {"LENGTH": {">=": 3}, "OP": "?"},
                    {"LOWER": "last", "IS_ALPHA": True}], [{"LEMMA": {"IN": ["refuse", "decline"]}}]],
        "regex": [r"(?i)\bper (?P<who>my|our) last e-?mail\b"],
    },
    "unless": [{"within": "next-sentence", "phrases": ["sorry"], "example": "Per my last email: sorry."},
               {"within": "sentence", "says": ["(sorry|apologies) for *2 confusion"],
                "example": "Per my last email, sorry for the confusion."}],
    "rewrites": [{"replace": "as {who} last email said", "safe": False}],
    "examples": {
        "flagged": [{"text": "[[Per my last email]], it ships Monday.",
                     "fixed": "As my last email said, it ships Monday."}],
        "allowed": ["My last email had a typo."],
        "instead": ["It ships Monday."],
    },
}


def _set(path: str, value: Any) -> Callable[[dict], None]:
    *parents, last = path.split(".")

    def mutate(rule: dict) -> None:
        node: Any = rule
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return mutate


def _drop(path: str) -> Callable[[dict], None]:
    *parents, last = path.split(".")

    def mutate(rule: dict) -> None:
        node: Any = rule
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]
    return mutate


BROKEN: dict[str, Callable[[dict], None]] = {
    "unknown family": _set("family", "rudeness"),
    "severity typo": _set("severity", "warnign"),
    "missing message": _drop("message"),
    "missing examples": _drop("examples"),
    "unknown top-level key": _set("sevrity", "error"),
    "unknown match key": _set("match.phrase", ["no"]),
    "bad code": _set("code", "rl-101"),
    "bad name": _set("name", "Per_My_Last"),
    "severity read as a boolean": _set("severity", True),
    "empty message": _set("message", "  "),
    "translated message without en": _set("message", {"sv": "“{match}” pekar bakåt."}),
    "bad language code": _set("why", {"en": "Reads as blame.", "English": "Reads as blame."}),
    "match without patterns": _set("match", {"at": "anywhere"}),
    "empty phrase list": _set("match.phrases", []),
    "empty says list": _set("match.says", []),
    "says not a list": _set("match.says", "as I said"),
    "exception with a list and says": _set("unless.1.list", "alternative-offered"),
    "unknown anchor": _set("match.at", "line-start"),
    "tagger attribute": _set("match.tokens.0.0", {"POS": "VERB"}),
    "unknown token attribute": _set("match.tokens.0.0", {"LOWR": "per"}),
    "bad operator": _set("match.tokens.0.2.OP", "{2,3}"),
    "string comparison": _set("match.tokens.0.1.NORM", {">=": "my"}),
    "boolean flag as text": _set("match.tokens.0.3.IS_ALPHA", "yes"),
    "unknown window": _set("unless.0.within", "paragraph"),
    "exception without example": _drop("unless.0.example"),
    "exception with a list and phrases": _set("unless.0.list", "alternative-offered"),
    "exception list name not kebab-case": _set("unless.0", {"list": "Alt Offered", "example": "x"}),
    "unless not a list": _set("unless", {"within": "sentence", "phrases": ["sorry"], "example": "x"}),
    "rewrite without replace": _set("rewrites.0", {"safe": True}),
    "rewrite safe not a boolean": _set("rewrites.0.safe", "yes"),
    "flagged without a marked span": _set("examples.flagged.0.text", "Per my last email, it ships Monday."),
    "rewrites but no fixed": _drop("examples.flagged.0.fixed"),
    "missing allowed examples": _drop("examples.allowed"),
    "unknown examples key": _set("examples.good", ["It ships Monday."]),
}


def write_rule(tmp_path: Path, rule: dict) -> Path:
    path = tmp_path / "en" / "blame" / "per-my-last.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        YAML_SAFE.dump(rule, out)
    return path


def test_the_good_rule_passes_both(tmp_path: Path) -> None:
    path = write_rule(tmp_path, GOOD)
    assert schema_errors(load_yaml(path)) == []
    rule = load_rule_file(path, "en")
    assert rule.family is Family.BLAME and rule.match.phrases == ("no", "as I said")
    assert rule.match.says == ("(as|like) I [already] said", "{refuse} your claim")
    assert rule.unless[1].patterns.says == ("(sorry|apologies) for *2 confusion",)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_rule_is_rejected_by_schema_and_loader(tmp_path: Path, case: str) -> None:
    rule = copy.deepcopy(GOOD)
    BROKEN[case](rule)
    path = write_rule(tmp_path, rule)
    data = load_yaml(path)
    for validator in VALIDATORS:
        assert not validator.is_valid(data), f"{validator.META_SCHEMA['$schema']} accepted: {case}"
    with pytest.raises(RuleFileError):
        load_rule_file(path, "en")


BARE_NO = """\
code: TM102
name: flat-no
family: blunt-no
severity: warning
message: "“{match}” shuts the door."
why: A bare no ends the conversation.
match:
  phrases: [no]
examples:
  flagged: ["[[No]], it cannot be done."]
  allowed: [Yes we can.]
"""


def test_bare_no_stays_a_string_for_schema_and_loader(tmp_path: Path) -> None:
    path = tmp_path / "en" / "blunt-no" / "flat-no.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(BARE_NO, encoding="utf-8")
    assert load_yaml(path)["match"]["phrases"] == ["no"]
    assert schema_errors(load_yaml(path)) == []
    assert load_rule_file(path, "en").match.phrases == ("no",)


# --- users can find it -------------------------------------------------------------------------

def test_rules_schema_prints_the_shipped_schemas_path() -> None:
    result = replylint("rules", "--schema", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    shown = Path(result.stdout.strip())
    assert shown.is_absolute() and shown.name == "rule.schema.json"
    assert json.loads(shown.read_text(encoding="utf-8")) == SCHEMA
