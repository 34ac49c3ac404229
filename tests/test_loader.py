"""Rule files that are broken fail with `path:line: key: problem (expected …)`."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from replylint.engine.rulefile import load_rule_file
from replylint.engine.ruleset import load_rules
from replylint.errors import RuleFileError

GOOD = """\
code: XX101
name: test-rule
family: blunt-no
severity: warning
message: "flat {match}"
why: because
match:
  phrases: ["nope"]
examples:
  flagged: ["[[Nope]], sorry."]
  allowed: ["No problem."]
"""


def write(tmp_path: Path, text: str, name: str = "test-rule.yaml") -> Path:
    path = tmp_path / "en" / "blunt-no" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(RuleFileError) as info:
        load_rule_file(write(tmp_path, text), "en")
    return str(info.value)


def test_good_rule_loads(tmp_path: Path) -> None:
    rule = load_rule_file(write(tmp_path, GOOD), "en")
    assert (rule.code, rule.name, rule.family.value, rule.match.phrases) == ("XX101", "test-rule", "blunt-no",
                                                                              ("nope",))


def test_bare_boolean_phrase_is_rejected_with_a_hint(tmp_path: Path) -> None:
    # Under YAML 1.1 a bare `no` is False; a `false` is a boolean in every YAML version.
    msg = error_for(tmp_path, GOOD.replace('phrases: ["nope"]', "phrases:\n    - false"))
    assert "test-rule.yaml:9: match.phrases[0]: must be a string, got bool False" in msg
    assert "quote it" in msg


def test_bare_no_stays_a_string_under_yaml_12(tmp_path: Path) -> None:
    rule = load_rule_file(write(tmp_path, GOOD.replace('phrases: ["nope"]', "phrases:\n    - no")), "en")
    assert rule.match.phrases == ("no",)


def test_tagger_attribute_is_rejected(tmp_path: Path) -> None:
    msg = error_for(tmp_path, GOOD.replace('phrases: ["nope"]', 'tokens:\n    - [{LOWER: "no"}, {POS: "NOUN"}]'))
    assert ":9: match.tokens[0][1].POS: attribute POS needs a trained tagger" in msg
    assert "(expected" in msg


def test_unknown_token_attribute_names_the_choices(tmp_path: Path) -> None:
    msg = error_for(tmp_path, GOOD.replace('phrases: ["nope"]', 'tokens:\n    - [{LEMA: "no"}]'))
    assert "match.tokens[0][0].LEMA: unknown attribute 'LEMA' (expected one of" in msg and "NORM" in msg


def test_unknown_key_and_missing_key(tmp_path: Path) -> None:
    assert "test-rule.yaml:5: mesage: unknown key" in error_for(tmp_path, GOOD.replace("message:", "mesage:"))
    assert ": message: missing required key" in error_for(tmp_path, GOOD.replace('message: "flat {match}"\n', ""))


def test_bad_family_and_severity(tmp_path: Path) -> None:
    assert "test-rule.yaml:3: family: unknown value 'rude'" in error_for(tmp_path, GOOD.replace("blunt-no", "rude"))
    assert "severity: unknown value 'fatal' (expected one of info, warning, error)" in error_for(
        tmp_path, GOOD.replace("severity: warning", "severity: fatal"))


def test_invalid_regex_and_invalid_yaml(tmp_path: Path) -> None:
    msg = error_for(tmp_path, GOOD.replace('phrases: ["nope"]', "regex: ['(unclosed']"))
    assert "match.regex[0]: invalid regular expression" in msg
    assert ": yaml: not valid YAML" in error_for(tmp_path, "code: [unclosed\n")


def test_exception_needs_its_example(tmp_path: Path) -> None:
    msg = error_for(tmp_path, GOOD + "unless:\n  - within: sentence\n    phrases: [\"but\"]\n")
    assert "unless[0].example: missing" in msg


def test_flagged_example_needs_marked_span_and_fixed_text(tmp_path: Path) -> None:
    assert "examples.flagged[0]: no flagged span marked" in error_for(tmp_path, GOOD.replace("[[Nope]]", "Nope"))
    with_rewrite = GOOD + "rewrites:\n  - replace: \"\"\n    safe: true\n"
    assert "examples.flagged[0].fixed: missing" in error_for(tmp_path, with_rewrite)


def test_a_broken_file_does_not_hide_the_others(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace("XX101", "XX102").replace("test-rule", "other").replace("severity: warning",
                                                                                         "severity: loud"), "b.yaml")
    rules = load_rules("en", (str(tmp_path),))
    assert "XX101" in {r.code for r in rules.rules}
    assert len(rules.errors) == 1 and "b.yaml:4: severity" in str(rules.errors[0])


def test_duplicate_code_and_wrong_folder_are_errors(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace("test-rule", "twin"), "twin.yaml")
    bad = tmp_path / "en" / "blame" / "x.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text(GOOD.replace("XX101", "XX199").replace("test-rule", "x"), encoding="utf-8")
    messages = " | ".join(str(e) for e in load_rules("en", (str(tmp_path),)).errors)
    assert "'XX101' is already used by" in messages
    assert "does not match its folder 'blame'" in messages


def test_rewrite_placeholder_must_be_a_named_group(tmp_path: Path) -> None:
    body = GOOD.replace('phrases: ["nope"]', "regex: ['(?i)you must (?P<verb>\\w+)']").replace(
        '["[[Nope]], sorry."]', '[{text: "[[you must go]]", fixed: "x"}]')
    msg = error_for(tmp_path, body + 'rewrites:\n  - replace: "could you {verbb}"\n')
    assert "rewrites[0].replace: unknown placeholder {verbb}" in msg and "verb" in msg


def _team_rule(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    """One info-level team rule (RL089, "the fee") in its own folder: the file and the extra dirs."""
    folder = tmp_path / "team" / "en" / "cliche"
    folder.mkdir(parents=True)
    rule = folder / "the-fee.yaml"
    rule.write_text("code: RL089\nname: the-fee\nfamily: cliche\nseverity: info\nsummary: fee\nmessage: 'x'\n"
                    "why: 'y'\nmatch:\n  phrases: ['the fee']\nexamples:\n  flagged: ['[[the fee]] x']\n"
                    "  allowed: ['a b']\n", encoding="utf-8")
    return rule, (str(tmp_path / "team"),)


def test_parsed_rules_are_cached_between_processes_and_refreshed_on_edit(tmp_path, monkeypatch) -> None:
    import replylint.engine.ruleset as ruleset

    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path / "cache"))
    rule, extra = _team_rule(tmp_path)
    ruleset.load_rules.cache_clear()
    first = ruleset.load_rules("en", extra)
    [pickled] = list((tmp_path / "cache").rglob("*.rules"))
    ruleset.load_rules.cache_clear()
    assert ruleset.load_rules("en", extra) == first
    rule.write_text(rule.read_text().replace("severity: info", "severity: error"), encoding="utf-8")
    ruleset.load_rules.cache_clear()
    assert ruleset.load_rules("en", extra).by_key("RL089").severity == "error"
    pickled.write_bytes(b"not a pickle")
    rule.write_text(rule.read_text().replace("severity: error", "severity: info"), encoding="utf-8")
    ruleset.load_rules.cache_clear()
    assert ruleset.load_rules("en", extra).by_key("RL089").severity == "info"  # a broken entry is ignored
    ruleset.load_rules.cache_clear()


def test_a_rule_file_edited_while_it_is_parsed_is_not_cached_under_its_old_bytes(
        tmp_path, monkeypatch, private_cache_home) -> None:
    """The cache file is named after the bytes hashed before parsing; if a file changes during the
    parse, the parsed rules belong to other bytes and must not be stored under that name (a later
    process whose files hash the same would be served the wrong rules)."""
    import replylint.engine.ruleset as ruleset

    rule, extra = _team_rule(tmp_path)
    parse = ruleset._parse_rules

    def edited_during_parse(lang, extra_dirs):
        rule.write_text(rule.read_text().replace("severity: info", "severity: error"), encoding="utf-8")
        return parse(lang, extra_dirs)

    monkeypatch.setattr(ruleset, "_parse_rules", edited_during_parse)
    ruleset.load_rules.cache_clear()
    assert ruleset.load_rules("en", extra).by_key("RL089").severity == "error"  # what the parse read
    assert not list((tmp_path / "cache").rglob("*.rules"))  # but nothing stored under the old bytes
    monkeypatch.setattr(ruleset, "_parse_rules", parse)
    ruleset.load_rules.cache_clear()
    assert ruleset.load_rules("en", extra).by_key("RL089").severity == "error"
    assert len(list((tmp_path / "cache").rglob("*.rules"))) == 1  # a quiet parse is stored as before
    ruleset.load_rules.cache_clear()
