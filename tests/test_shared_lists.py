"""Shared lists (rules/<lang>/_lists/<name>.yaml): their own examples run, rules naming them
behave as the copied blocks did, bad references are one clear error, the parsed-rule cache sees
list edits, `_lists` is no rule family, and no exception block is copied between rule files."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from clirunner import replylint as run_cli
from jsonschema import Draft7Validator, Draft202012Validator
from ruamel.yaml import YAML

import replylint
import replylint.engine.ruleset as ruleset
from replylint.cli.ruletests import example_problems
from replylint.engine.config import Config
from replylint.engine.packs import bundled_rules_dir
from replylint.engine.rulefile import load_rule_file
from replylint.engine.rulelists import (
    LIST_EXAMPLE_KEYS,
    LIST_FOLDER,
    LIST_KEYS,
    list_files,
    load_list,
    load_lists,
)
from replylint.engine.schema import LIST_SCHEMA, RULE_SCHEMA
from replylint.engine.scoring import SCORE_LISTS
from replylint.errors import RuleFileError

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = bundled_rules_dir()
YAML_SAFE = YAML(typ="safe", pure=True)
LANGS = ruleset.available_languages()
BUNDLED_LISTS = [path for lang in LANGS for path in list_files(BUNDLED, lang)]
LIST_TEXT = """\
description: Good news that softens a refusal.
phrases: ["good news"]
examples:
  matched: ['The good news is that it ships today.']
  not-matched: ['The news is not good.']
"""


# --- the bundled lists -----------------------------------------------------------------------

def test_the_packs_share_their_blocks_through_lists() -> None:
    assert len(BUNDLED_LISTS) >= 6
    assert {p.parts[-3] for p in BUNDLED_LISTS} >= {"en", "da", "fi", "ms", "nb", "sv"}


@pytest.mark.parametrize("path", BUNDLED_LISTS, ids=lambda p: "/".join(p.parts[-3:]))
def test_a_lists_own_examples_pass(path: Path) -> None:
    shared = load_list(path, path.parts[-3])
    assert shared.matched and shared.not_matched, "a list needs texts it matches and look-alikes it must not"
    assert example_problems(shared, path.parts[-3]) == []


def test_a_failing_list_example_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "en" / LIST_FOLDER / "good-news.yaml", LIST.replace(
        "not-matched: ['The news is not good.']", "not-matched: ['Good news travels fast.']"))
    problems = example_problems(load_list(path, "en"), "en")
    assert problems == ["not-matched example matched: 'Good news travels fast.'"]


@pytest.mark.parametrize("path", BUNDLED_LISTS, ids=lambda p: "/".join(p.parts[-3:]))
def test_a_bundled_list_validates_against_the_list_schema(path: Path) -> None:
    data = YAML_SAFE.load(path.read_text(encoding="utf-8"))
    for validator in VALIDATORS:
        assert [e.message for e in validator.iter_errors(data)] == []


def test_the_list_schema_shares_the_rule_schemas_definitions() -> None:
    rule_defs = json.loads(RULE_SCHEMA.read_text(encoding="utf-8"))["$defs"]
    for name, definition in LIST_SCHEMA_DATA["$defs"].items():
        assert definition == rule_defs[name], name


def test_the_list_schema_keys_equal_the_loaders() -> None:
    assert set(LIST_SCHEMA_DATA["properties"]) == LIST_KEYS
    assert set(LIST_SCHEMA_DATA["properties"]["examples"]["properties"]) == LIST_EXAMPLE_KEYS


@pytest.mark.parametrize(("broken", "where"), [
    (LIST_TEXT.replace("phrases:", "phrase:"), ":2: phrase: unknown key"),
    (LIST_TEXT.replace("description: Good news that softens a refusal.\n", ""), ":1: description: missing"),
    (LIST_TEXT.replace("  matched:", "  matches:"), ":4: examples.matches: unknown key"),
    (LIST_TEXT.replace('phrases: ["good news"]', "regex: ['(?i)good (news']"), ":2: regex[0]: invalid regular"),
])
def test_a_broken_list_is_rejected_by_schema_and_loader(tmp_path: Path, broken: str, where: str) -> None:
    path = write(tmp_path / "en" / LIST_FOLDER / "good-news.yaml", broken)
    data = YAML_SAFE.load(broken)
    if "invalid regular" not in where:  # a schema cannot compile regexes
        assert not any(validator.is_valid(data) for validator in VALIDATORS)
    with pytest.raises(RuleFileError, match=re.escape(f"good-news.yaml{where}")):
        load_list(path, "en")


# --- rules naming a list behave as the copied block did -------------------------------------

def test_a_bundled_rule_holds_the_lists_patterns() -> None:
    shared = load_lists(BUNDLED, "en")[0]["alternative-offered"]
    assert shared is not None
    rule = ruleset.load_rules("en").by_key("we-cannot")
    assert rule is not None
    assert shared.patterns in [exc.patterns for exc in rule.unless]
    assert len(shared.patterns.says) >= 10 and not shared.patterns.regex  # phrases now, not regexes


@pytest.mark.parametrize(("lang", "refused", "offered"), [
    ("en", "We can't change the delivery date.",
     "We can't change the delivery date, but we can hold the parcel at the depot for you."),
    ("sv", "Vi kan inte ändra leveransdatumet.",
     "Vi kan inte ändra leveransdatumet, men vi kan hålla paketet på terminalen åt dig."),
])
def test_a_rule_using_a_list_flags_and_cancels_as_before(lang: str, refused: str, offered: str) -> None:
    assert "cant-do" in {f.family for f in replylint.check(refused, lang=lang)}
    assert "cant-do" not in {f.family for f in replylint.check(offered, lang=lang)}


# --- lists in a team's rule folder -----------------------------------------------------------

LIST = LIST_TEXT

RULE = """\
code: TM401
name: no-refund
family: cant-do
severity: warning
message: "“{match}” says only what cannot happen."
why: It shuts the door.
match:
  phrases: ["no refund"]
unless:
  - within: nearby
    list: LISTNAME
    example: "There is no refund, but the good news is a voucher is on its way."
examples:
  flagged: ["There is [[no refund]] for this."]
  allowed: ["A refund is on its way."]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def team(tmp_path: Path, list_name: str = "good-news", with_list: bool = True) -> tuple[str, ...]:
    if with_list:
        write(tmp_path / "team" / "en" / LIST_FOLDER / "good-news.yaml", LIST)
    write(tmp_path / "team" / "en" / "cant-do" / "no-refund.yaml", RULE.replace("LISTNAME", list_name))
    ruleset.load_rules.cache_clear()
    return (str(tmp_path / "team"),)


def test_a_team_rule_uses_its_own_list(tmp_path: Path) -> None:
    folders = team(tmp_path)
    loaded = ruleset.load_rules("en", folders)
    assert loaded.errors == ()
    config = Config(rule_folders=folders, select=("TM401",))  # bundled cant-do rules see it too
    assert "TM401" in {f.rule for f in replylint.check("There is no refund for this.", lang="en", config=config)}
    rescued = "There is no refund. The good news is a voucher is on its way."
    assert "TM401" not in {f.rule for f in replylint.check(rescued, lang="en", config=config)}


def test_a_team_rule_may_name_a_bundled_list(tmp_path: Path) -> None:
    folders = team(tmp_path, "alternative-offered", with_list=False)
    rule = ruleset.load_rules("en", folders).by_key("TM401")
    assert rule is not None
    bundled = load_lists(BUNDLED, "en")[0]["alternative-offered"]
    assert bundled is not None and rule.unless[0].patterns == bundled.patterns


def test_a_list_takes_in_the_lists_it_includes() -> None:
    lists = load_lists(BUNDLED, "en")[0]
    broad, narrow = lists["alternative-offered"], lists["offer-made"]
    assert broad is not None and narrow is not None and broad.includes == ("offer-made",)
    assert set(narrow.patterns.says) <= set(broad.patterns.says)
    own = load_list(BUNDLED / "en" / LIST_FOLDER / "alternative-offered.yaml", "en")
    assert len(broad.patterns.says) == len(own.patterns.says) + len(narrow.patterns.says)
    offered = "Sorry, we don't have that drink. Can I interest you in a different flavour?"
    assert "cant-do" not in {f.family for f in replylint.check(offered, lang="en")}


@pytest.mark.parametrize(("includes", "problem"), [
    ("[nothing-here]", "includes unknown list 'nothing-here'"),
    ("[loop-a]", "includes itself"),
])
def test_a_bad_include_breaks_only_that_list_with_one_error(tmp_path: Path, includes: str, problem: str) -> None:
    folder = tmp_path / "team" / "en" / LIST_FOLDER
    body = 'description: d\nincludes: INC\nexamples:\n  matched: ["x"]\n'
    write(folder / "loop-a.yaml", body.replace("INC", includes))
    write(folder / "fine.yaml", 'description: d\nsays: ["good news"]\nexamples:\n  matched: ["good news"]\n')
    lists, errors = load_lists(tmp_path / "team", "en")
    assert lists["loop-a"] is None and lists["fine"] is not None
    expected = "(expected names of other lists in the same _lists folder)"
    assert [str(e) for e in errors] == [f"{folder / 'loop-a.yaml'}:1: includes: {problem} {expected}"]


def test_an_unknown_list_is_one_error_naming_the_file_and_line(tmp_path: Path) -> None:
    folders = team(tmp_path, "godo-news")
    loaded = ruleset.load_rules("en", folders)
    assert loaded.by_key("TM401") is None
    assert len(loaded.errors) == 1
    shown = str(loaded.errors[0])
    assert shown.startswith(f"{tmp_path / 'team' / 'en' / 'cant-do' / 'no-refund.yaml'}:11: unless[0].list: ")
    assert "unknown list 'godo-news'" in shown and "good-news" in shown


def test_an_unknown_list_fails_the_check_command_once(tmp_path: Path) -> None:
    team(tmp_path, "godo-news")
    write(tmp_path / "pyproject.toml", '[tool.replylint]\nrule-folders = ["team"]\n')
    reply = write(tmp_path / "reply.txt", "There is no refund for this.\n")
    result = run_cli("check", "--lang", "en", str(reply), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("unknown list 'godo-news'") == 1, result.stderr
    assert "no-refund.yaml:11" in result.stderr


def test_a_list_cannot_be_combined_with_patterns(tmp_path: Path) -> None:
    folders = team(tmp_path)
    rule = Path(folders[0]) / "en" / "cant-do" / "no-refund.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(
        "    list: good-news\n", "    list: good-news\n    phrases: ['voucher']\n"), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"no-refund.yaml:12: unless\[0\].phrases: cannot be combined with `list`"):
        load_rule_file(rule, "en")


def test_a_broken_list_file_is_reported_once_with_its_own_line(tmp_path: Path) -> None:
    folders = team(tmp_path)
    listed = Path(folders[0]) / "en" / LIST_FOLDER / "good-news.yaml"
    listed.write_text(LIST.replace("phrases:", "phrase:"), encoding="utf-8")
    ruleset.load_rules.cache_clear()
    errors = [str(e) for e in ruleset.load_rules("en", folders).errors]
    assert sum(str(listed) in e for e in errors) == 1, errors
    assert f"{listed}:2: phrase: unknown key" in errors[0]
    assert any("no-refund.yaml:11" in e and "could not be loaded" in e for e in errors), errors


def test_editing_a_list_refreshes_the_cached_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPLYLINT_NO_RULE_CACHE", raising=False)
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path / "cache"))
    folders = team(tmp_path)
    before = ruleset.rules_digest("en", folders)
    first = ruleset.load_rules("en", folders).by_key("TM401")
    assert first is not None and first.unless[0].patterns.phrases == ("good news",)
    assert list((tmp_path / "cache").rglob("*.rules")), "the parsed rules were cached"
    listed = Path(folders[0]) / "en" / LIST_FOLDER / "good-news.yaml"
    listed.write_text(LIST.replace('["good news"]', '["good news", "voucher"]'), encoding="utf-8")
    assert ruleset.rules_digest("en", folders) != before
    ruleset.load_rules.cache_clear()
    again = ruleset.load_rules("en", folders).by_key("TM401")
    assert again is not None and again.unless[0].patterns.phrases == ("good news", "voucher")
    ruleset.load_rules.cache_clear()


def test_a_lists_folder_is_not_a_rule_family(tmp_path: Path) -> None:
    folders = team(tmp_path)
    assert all(LIST_FOLDER not in p.parts for lang in LANGS for p in ruleset.rule_files(BUNDLED, lang))
    assert ruleset.rule_files(Path(folders[0]), "en") == [Path(folders[0]) / "en" / "cant-do" / "no-refund.yaml"]
    assert "family" not in " ".join(str(e) for e in ruleset.load_rules("en", folders).errors)


# --- no exception block is copied between rule files -------------------------------------------

def copied_blocks(root: Path, lang: str) -> list[str]:
    """Exception blocks copied between rule files of a pack: an inline `unless` entry equal to
    one in another file (whatever its size), or two files whose entries share 2+ patterns."""
    entries: dict[frozenset, set[str]] = defaultdict(set)
    per_file: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in ruleset.rule_files(root, lang):
        data: Any = YAML_SAFE.load(path.read_text(encoding="utf-8"))
        for entry in data.get("unless") or ():
            patterns = frozenset([*(("regex", p) for p in entry.get("regex", ())),
                                  *(("phrases", p) for p in entry.get("phrases", ())),
                                  *(("tokens", repr(p)) for p in entry.get("tokens", ()))])
            if patterns:
                entries[patterns].add(path.name)
                per_file[path.name] |= patterns
    copies = [f"same {len(p)}-pattern entry in {sorted(files)}" for p, files in entries.items() if len(files) > 1]
    names = sorted(per_file)
    copies += [f"{a} and {b} share {len(per_file[a] & per_file[b])} patterns"
               for n, a in enumerate(names) for b in names[n + 1:] if len(per_file[a] & per_file[b]) >= 2]
    return copies


@pytest.mark.parametrize("lang", LANGS)
def test_no_exception_block_is_copied_between_rule_files(lang: str) -> None:
    assert copied_blocks(BUNDLED, lang) == [], "move the block into rules/<lang>/_lists/ and name it with `list:`"


def test_the_copy_check_notices_a_copied_block(tmp_path: Path) -> None:
    block = "unless:\n  - within: nearby\n    phrases: ['good news', 'instead']\n    example: 'x'\n"
    for name in ("a", "b"):
        write(tmp_path / "en" / "cant-do" / f"{name}.yaml", f"name: {name}\n{block}")
    write(tmp_path / "en" / "cant-do" / "c.yaml", "name: c\n" + block.replace("'instead'", "'meanwhile'"))
    assert copied_blocks(tmp_path, "en") == ["same 2-pattern entry in ['a.yaml', 'b.yaml']",
                                             "a.yaml and b.yaml share 2 patterns"]
    one = "unless:\n  - within: match\n    regex: ['(?i)\\bno\\.\\s*\\d']\n    example: 'x'\n"
    write(tmp_path / "en" / "blunt-no" / "d.yaml", "name: d\n" + one)
    write(tmp_path / "en" / "blunt-no" / "e.yaml", "name: e\n" + one)
    drifted = block.replace("'instead'", "'instead', 'meanwhile'")
    write(tmp_path / "en" / "cant-do" / "c.yaml", "name: c\n" + drifted)
    assert sorted(copied_blocks(tmp_path, "en")) == [
        "a.yaml and b.yaml share 2 patterns", "a.yaml and c.yaml share 2 patterns",
        "b.yaml and c.yaml share 2 patterns",
        "same 1-pattern entry in ['d.yaml', 'e.yaml']", "same 2-pattern entry in ['a.yaml', 'b.yaml']"]


def _names(value: object) -> list[str]:
    """The list names in a moves value: one name, or a list of names and inline patterns."""
    if isinstance(value, str):
        return [value]
    return [item for item in value or () if isinstance(item, str)] if isinstance(value, list) else []


def test_each_list_is_named_by_the_rules_it_replaced_the_copies_in() -> None:
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    spliced: dict[tuple[str, str], set[str]] = defaultdict(set)  # `{list:name}` inside a phrase
    moves: dict[tuple[str, str], set[str]] = defaultdict(set)  # a reply-level rule's `reply: {when, missing}`
    for lang in LANGS:
        for path in ruleset.rule_files(BUNDLED, lang):
            text = path.read_text(encoding="utf-8")
            data = YAML_SAFE.load(text)
            for entry in data.get("unless") or ():
                if "list" in entry:
                    users[(lang, entry["list"])].add(path.name)
                for name in _names(entry.get("context")):  # thread context (docs/coaching.md#thread-context)
                    moves[(lang, name)].add(path.name)
            reply = data.get("reply") or {}
            answered = reply.get("answered") or {}
            for value in (*(reply.get(key) for key in ("when", "missing", "context", "unanswered")),
                          answered.get("context"), answered.get("by")):
                for name in _names(value):
                    moves[(lang, name)].add(path.name)
            for name in re.findall(r"\{list:\s*([a-z0-9-]+)\s*\}", text):
                spliced[(lang, name)].add(path.name)
    assert users[("en", "alternative-offered")] == {"cannot-be-done.yaml", "not-possible.yaml",
                                                    "nothing-we-can-do.yaml", "we-cannot.yaml",
                                                    "we-dont-have.yaml", "we-dont-offer.yaml"}
    scored = {(lang, name) for lang in LANGS for name in SCORE_LISTS}  # the reply score's moves (scoring.py)
    used = set(users) | set(spliced) | set(moves) | (scored & {(p.parts[-3], p.stem) for p in BUNDLED_LISTS})
    assert used == {(p.parts[-3], p.stem) for p in BUNDLED_LISTS}, "every list is used"
    # an exception list replaces copies (or is shared with the reply-level checks)
    assert all(len(files | moves.get(key, set())) >= 2 for key, files in users.items()), users


LIST_SCHEMA_DATA = json.loads(LIST_SCHEMA.read_text(encoding="utf-8"))
VALIDATORS = (Draft202012Validator(LIST_SCHEMA_DATA), Draft7Validator(LIST_SCHEMA_DATA))
