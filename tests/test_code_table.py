"""The one code table (rules/codes.yaml): bundled packs keep to it, team folders are held to it."""
from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import replylint.engine.codetable as codetable
import replylint.engine.ruleset as ruleset
from replylint.engine.packs import bundled_rules_dir
from replylint.engine.rulefile import load_rule_file
from replylint.errors import RuleFileError

BUNDLED = bundled_rules_dir()
TABLE = codetable.load_table(codetable.table_path(BUNDLED))

RULE = """\
code: {code}
name: {name}
family: {family}
severity: warning
message: "m {{match}}"
why: w
match:
  phrases: ["{phrase}"]
examples:
  flagged: ["[[{phrase}]] x"]
  allowed: ["fine"]
"""


@pytest.fixture(autouse=True)
def _fresh_rules(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("REPLYLINT_NO_RULE_CACHE", "1")
    ruleset.load_rules.cache_clear()
    yield
    ruleset.load_rules.cache_clear()


def team_rule(root: Path, lang: str, family: str, file: str, code: str, name: str,
              phrase: str = "zebra crossing") -> Path:
    path = root / lang / family / f"{file}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RULE.format(code=code, name=name, family=family, phrase=phrase), encoding="utf-8")
    return path


def errors_for(root: Path, lang: str = "en") -> list[RuleFileError]:
    return list(ruleset.load_rules(lang, (str(root),)).errors)


# --- the bundled packs --------------------------------------------------------------------

@pytest.mark.parametrize("lang", [ruleset.ANY_LANGUAGE, *ruleset.available_languages()])
def test_bundled_pack_keeps_to_the_code_table(lang: str) -> None:
    assert [str(e) for e in ruleset.load_rules(lang).errors] == []


def test_one_code_one_name_across_every_bundled_pack() -> None:
    names: dict[str, set[str]] = defaultdict(set)
    codes: dict[str, set[str]] = defaultdict(set)
    paths = [p for p in sorted(BUNDLED.glob("*/*/*.yaml")) if not p.parent.name.startswith("_")]
    assert len(paths) > 250
    for path in paths:
        rule = load_rule_file(path, path.parts[-3], shared=path.parts[-3] == ruleset.ANY_LANGUAGE)
        assert path.stem == rule.name, path
        names[rule.code].add(rule.name)
        codes[rule.name].add(rule.code)
        assert TABLE.names.get(rule.code) == rule.name, path
        first, last = TABLE.blocks[rule.family.value]
        assert first <= int(rule.code[2:]) <= last, path
    assert {c: n for c, n in names.items() if len(n) > 1} == {}
    assert {n: c for n, c in codes.items() if len(c) > 1} == {}
    assert set(TABLE.names) == set(names), "every listed code is used by a bundled rule, and only those"


def test_every_family_owns_a_block_and_the_blocks_do_not_overlap() -> None:
    from replylint.engine.model import Family

    assert set(TABLE.blocks) == {f.value for f in Family}
    spans = sorted(TABLE.blocks.values())
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))


def test_the_table_ships_with_the_rules() -> None:
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"rules" = "replylint/rules"' in pyproject
    assert codetable.table_path(BUNDLED).parent == BUNDLED


# --- team folders -------------------------------------------------------------------------

def test_a_team_rule_reusing_a_bundled_code_for_another_name_is_one_error(tmp_path: Path) -> None:
    # fi has no RL102 of its own: only the table knows it is curt-refusal in en and ms
    path = team_rule(tmp_path, "fi", "blunt-no", "my-no", "RL102", "my-no")
    [error] = errors_for(tmp_path, "fi")
    assert error.path == str(path) and error.key == "code"
    assert "RL102 is 'curt-refusal' in the code table" in str(error) and "\n" not in str(error)
    assert "such as TEAM101, or a free code of the blunt-no block such as RL107" in str(error)
    assert ruleset.load_rules("fi", (str(tmp_path),)).by_key("my-no") is None


def test_a_team_rule_reusing_a_code_of_its_own_pack_is_one_error(tmp_path: Path) -> None:
    path = team_rule(tmp_path, "en", "blunt-no", "my-no", "RL101", "my-no")
    [error] = errors_for(tmp_path)
    assert error.path == str(path) and error.key == "code" and "RL101" in str(error)


def test_a_team_rule_whose_file_name_is_not_its_name_is_one_error(tmp_path: Path) -> None:
    path = team_rule(tmp_path, "en", "blunt-no", "sloppy", "TEAM101", "tidy")
    [error] = errors_for(tmp_path)
    assert error.path == str(path) and error.key == "name"
    assert "'tidy' does not match its file name 'sloppy.yaml'" in str(error)
    assert str(error).startswith(f"{path}:2: name:")  # the line of the `name:` key


def test_a_team_rule_with_a_code_outside_its_family_block_is_one_error(tmp_path: Path) -> None:
    path = team_rule(tmp_path, "en", "blunt-no", "stray", "RL950", "stray")
    [error] = errors_for(tmp_path)
    assert error.path == str(path) and error.key == "code"
    assert "RL950 is outside the blunt-no block RL100-RL199" in str(error)
    assert str(error).startswith(f"{path}:1: code:")


def test_a_team_rule_reusing_a_bundled_name_with_another_code_is_one_error(tmp_path: Path) -> None:
    path = team_rule(tmp_path, "de", "blunt-no", "flat-no", "TEAM102", "flat-no")  # de has no pack
    [error] = errors_for(tmp_path, "de")
    assert error.path == str(path) and "'flat-no' is RL101 in the code table" in str(error)


def test_good_team_rules_load_cleanly(tmp_path: Path) -> None:
    team_rule(tmp_path, "en", "blunt-no", "free-block-code", "RL150", "free-block-code")
    team_rule(tmp_path, "en", "blunt-no", "own-prefix", "TEAM103", "own-prefix", "zebra stripes")
    team_rule(tmp_path, "de", "blunt-no", "flat-no", "RL101", "flat-no")  # same code AND name: one meaning
    assert errors_for(tmp_path) == [] and errors_for(tmp_path, "de") == []
    loaded = ruleset.load_rules("en", (str(tmp_path),))
    assert {"RL150", "TEAM103"} <= {r.code for r in loaded.rules}
    assert ruleset.load_rules("de", (str(tmp_path),)).by_key("RL101").path.startswith(str(tmp_path))


def test_three_broken_team_rules_give_three_errors_and_the_others_still_load(tmp_path: Path) -> None:
    clash = team_rule(tmp_path, "en", "blunt-no", "my-no", "RL104", "my-no")
    mismatch = team_rule(tmp_path, "en", "blunt-no", "sloppy", "TEAM101", "tidy", "zebra one")
    outside = team_rule(tmp_path, "en", "blunt-no", "stray", "RL950", "stray", "zebra two")
    team_rule(tmp_path, "en", "blunt-no", "fine", "TEAM104", "fine", "zebra three")
    loaded = ruleset.load_rules("en", (str(tmp_path),))
    assert sorted(e.path for e in loaded.errors) == sorted(map(str, (clash, mismatch, outside)))
    assert loaded.by_key("TEAM104") is not None and loaded.by_key("RL104").name == "answer-is-no"


def test_the_cli_reports_a_code_clash_naming_the_team_file(tmp_path: Path) -> None:
    path = team_rule(tmp_path / "team", "fi", "blunt-no", "my-no", "RL102", "my-no")
    (tmp_path / ".replylint.toml").write_text('rule-folders = ["team"]\nlang = "fi"\n', encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Kiitos, hyvitys on matkalla.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "replylint", "check", "reply.txt"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"REPLYLINT_NO_RULE_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if "RL102 is 'curt-refusal'" in line]
    assert lines and all("my-no.yaml" in line for line in lines)
    assert str(path.name) in done.stderr


# --- the table file itself ----------------------------------------------------------------

def test_a_broken_table_is_one_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "codes.yaml"
    bad.write_text("families:\n  blunt-no:\n    block: RL100-RL199\n  blame:\n    block: RL150-RL399\n",
                   encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        codetable.load_table(bad)
    assert str(caught.value).startswith(f"{bad}:4: families.blame.block: overlaps the block of blunt-no")
    bad.write_text("families:\n  blunt-no:\n    block: RL100-RL199\n    codes:\n      RL201: flat-no\n",
                   encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"codes\.yaml:5: families\.blunt-no\.codes: RL201 is outside"):
        codetable.load_table(bad)


def test_the_free_code_suggested_is_free_and_follows_the_family_codes() -> None:
    for family, (first, last) in TABLE.blocks.items():
        free = TABLE.free_code(family)
        assert free not in TABLE.names and first <= int(free[2:]) <= last
        listed = [int(code[2:]) for code in TABLE.names if first <= int(code[2:]) <= last]
        if listed and max(listed) < last:
            assert int(free[2:]) == max(listed) + 1, (family, free)


def test_the_two_violations_fixed_in_this_release_would_be_caught(tmp_path: Path) -> None:
    """RL807 was `with-all-due-respect` in ms only; sv's next-time-read sat in next-time.yaml.
    (Loaded as a pack-less language, so only the code table can object.)"""
    ms = BUNDLED / "ms" / "condescension" / "you-need-to-understand.yaml"
    old_ms = tmp_path / "de" / "condescension" / "with-all-due-respect.yaml"
    old_ms.parent.mkdir(parents=True)
    old_ms.write_text(ms.read_text(encoding="utf-8").replace("name: you-need-to-understand",
                                                               "name: with-all-due-respect"), encoding="utf-8")
    sv = BUNDLED / "sv" / "last-word" / "next-time-read.yaml"
    old_sv = tmp_path / "de" / "last-word" / "next-time.yaml"
    old_sv.parent.mkdir(parents=True)
    old_sv.write_text(sv.read_text(encoding="utf-8"), encoding="utf-8")
    ms_error, sv_error = sorted(errors_for(tmp_path, "de"), key=lambda e: e.path != str(old_ms))
    assert ms_error.path == str(old_ms) and sv_error.path == str(old_sv)
    assert "RL807 is 'you-need-to-understand' in the code table" in str(ms_error)
    assert "'next-time-read' does not match its file name 'next-time.yaml'" in str(sv_error)


def test_the_code_doc_lists_each_family_block_of_the_table() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "rule-codes.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([a-z-]+) \| (RL\d{3,4}-RL\d{3,4}) \|$", doc, re.M))
    assert rows == {family: TABLE.block_text(family) for family in TABLE.blocks}


# --- the tone model's codes ---------------------------------------------------------------

def test_the_tone_model_has_the_last_code_of_each_of_its_families_and_no_rule_uses_one() -> None:
    from replylint.engine.tone import FAMILIES

    assert set(TABLE.model) == set(FAMILIES)
    for family, code in TABLE.model.items():
        assert int(code[2:]) == TABLE.blocks[family][1], family
        assert code not in TABLE.names
    used = {rule.code for lang in (ruleset.ANY_LANGUAGE, *ruleset.available_languages())
            for rule in ruleset.load_rules(lang).rules}
    assert used.isdisjoint(TABLE.model.values())


def test_a_team_rule_using_a_tone_model_code_is_one_error(tmp_path: Path) -> None:
    path = team_rule(tmp_path, "en", "blame", "my-blame", "RL399", "my-blame")
    [error] = [e for e in errors_for(tmp_path) if e.path == str(path)]
    assert error.path == str(path) and "RL399 is the code of the tone model's findings" in str(error)


def test_a_code_has_one_severity_in_every_bundled_pack() -> None:
    """`RL301` is as loud in Finnish as in English: a team mixing languages sees one ranking."""
    severities: dict[str, dict[str, str]] = defaultdict(dict)
    for rule in ruleset.every_rule():
        severities[rule.code][rule.lang] = str(rule.severity)
    disagree = {code: langs for code, langs in severities.items() if len(set(langs.values())) > 1}
    assert not disagree, disagree
