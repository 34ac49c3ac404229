"""Input shape must not change the judgement: whitespace variants, invisible characters and
lone surrogates are flagged like their plain forms, at offsets into the text as written; the
public API rejects arguments it cannot use at its boundary, with a clear message."""
from __future__ import annotations

import json
import pathlib

import pytest

import replylint
from replylint.engine.config import Config
from replylint.engine.normalize import fold
from replylint.errors import ConfigError

SPACE_VARIANTS = ["  ", "\t", "\u00a0", "\u202f", " \u00a0 ", "\u2009", "\u3000", " \u200b", "\t \t"]


def _keys(findings: list[replylint.Finding]) -> list[str]:
    return [f.rule for f in findings]


@pytest.mark.parametrize("plain", ["you are wrong about the fee.", "That's our policy.", "No, you're wrong."])
@pytest.mark.parametrize("gap", SPACE_VARIANTS)
def test_whitespace_variants_are_flagged_like_single_spaces(plain: str, gap: str) -> None:
    expected = replylint.check(plain, lang="en")
    assert expected, f"{plain!r} is expected to be flagged"
    text = plain.replace(" ", gap)
    found = replylint.check(text, lang="en")
    assert _keys(found) == _keys(expected)
    for finding, single in zip(found, expected, strict=True):
        assert text[finding.start:finding.end] == finding.matched
        assert finding.matched.replace(gap, " ") == single.matched
        assert [s.replacement for s in finding.suggestions] == [s.replacement for s in single.suggestions]


def test_offsets_lines_and_columns_point_at_the_original_text() -> None:
    text = "Hello,\n\nThat's \t our\u00a0policy.  No,\u00a0you're\u00a0\u00a0wrong."
    found = {f.rule: f for f in replylint.check(text, lang="en")}
    policy, wrong = found["RL501"], found["RL201"]
    assert policy.matched == "That's \t our\u00a0policy"
    assert (policy.line, policy.column) == (3, 1)
    assert policy.end_column == 1 + len("That's \t our\u00a0policy")
    assert wrong.matched == "you're\u00a0\u00a0wrong"
    assert (wrong.line, wrong.column) == (3, text.split("\n")[2].index("you're") + 1)


def test_suggestions_replace_the_whole_original_span() -> None:
    text = "No,\u00a0\u00a0you're\u00a0wrong about the fee."
    (no,) = [f for f in replylint.check(text, lang="en") if f.rule == "RL101"]
    edit = no.suggestions[0]
    # the deletion swallows the whole whitespace run and capitalises the next word
    assert (edit.start, edit.end, edit.replacement) == (0, len("No,\u00a0\u00a0y"), "Y")
    unsafe = replylint.fix(text, lang="en", unsafe=True)
    assert "\u00a0\u00a0" not in unsafe and not unsafe.startswith(("No", " "))
    assert replylint.fix("you are  wrong", lang="en", unsafe=True) == replylint.fix("you are wrong", lang="en",
                                                                                   unsafe=True)


def test_whitespace_variants_in_a_json_bundle_map_to_the_file() -> None:
    source = json.dumps([{"id": "a", "body": "Sorry,\tyou are\u00a0 wrong. That's  our policy."}],
                        ensure_ascii=False)
    found = replylint.check(source, lang="en", format="json")
    assert {"RL201", "RL501"} <= set(_keys(found))
    for finding in found:
        assert source[finding.start:finding.end] == finding.matched
    wrong = next(f for f in found if f.rule == "RL201")
    assert wrong.matched == "you are\u00a0 wrong"


def test_escaped_whitespace_in_json_maps_to_the_escapes() -> None:
    source = '[{"body": "you are\\u00a0\\twrong about it"}]'
    (wrong,) = [f for f in replylint.check(source, lang="en", format="json") if f.rule == "RL201"]
    assert wrong.matched == "you are\\u00a0\\twrong"


def test_line_breaks_still_separate_sentences() -> None:
    # folding touches horizontal whitespace only: a greeting line stays its own sentence
    folded = fold("Hi  Sam,\n\n\tNo,\u00a0sorry.")
    assert folded.text == "Hi Sam,\n\n No, sorry."


def test_fold_map_round_trips() -> None:
    text = "\ufeffa\u200b  b\t\u00a0c\u00add e"
    folded = fold(text)
    assert folded.text == "a b cd e"
    assert [text[slice(*folded.span(i, i + 1))] for i in range(len(folded.text))] == [
        "a", "\u200b  ", "b", "\t\u00a0", "c", "d", " ", "e"]
    assert folded.span(0, len(folded.text)) == (1, len(text))
    assert folded.span(3, 3) == (6, 6)  # an empty span stays empty, where its char starts


def test_unchanged_text_keeps_the_identity_map() -> None:
    folded = fold("Hello there, one space each.")
    assert folded.identity and folded.text == "Hello there, one space each."


def test_lone_surrogate_in_api_text_is_checked() -> None:
    text = "No, \ud800 x"
    found = replylint.check(text)
    assert [(f.rule, f.matched, f.start) for f in found] == [("RL101", "No,", 0)]
    assert replylint.fix(text, unsafe=True).endswith("\ud800 x")


def test_lone_surrogate_in_a_json_bundle_is_checked() -> None:
    source = '[{"body":"No, \\ud800 x"}]'
    found = replylint.check(source, format="json")
    assert [(f.rule, f.matched) for f in found] == [("RL101", "No,")]
    assert source[found[0].start:found[0].end] == "No,"


def test_lone_surrogate_through_the_cli(tmp_path: pathlib.Path) -> None:
    from clirunner import replylint as run

    (tmp_path / "bundle.json").write_text('[{"body":"No, \\ud800 x"}]', encoding="utf-8")
    (tmp_path / "other.txt").write_text("You are wrong.\n", encoding="utf-8")
    result = run("check", "--format", "json", "bundle.json", "other.txt", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    rules = {(f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"]}
    assert ("bundle.json", "RL101") in rules and ("other.txt", "RL201") in rules


@pytest.mark.parametrize("bad", [None, 3, 2.5, ["No."], object()])
@pytest.mark.parametrize("call", ["check", "fix", "check_with_notices"])
def test_text_of_the_wrong_type_is_a_type_error(bad: object, call: str) -> None:
    from replylint.workspace import check_with_notices

    function = check_with_notices if call == "check_with_notices" else getattr(replylint, call)
    with pytest.raises(TypeError, match=rf"replylint\.{call}: text must be str, not {type(bad).__name__}"):
        function(bad)


@pytest.mark.parametrize("data", [b"No.", bytearray(b"No."), memoryview(b"No.")])
def test_bytes_are_refused_with_a_hint_to_decode(data: object) -> None:
    with pytest.raises(TypeError, match=r"decode it first"):
        replylint.check(data)
    with pytest.raises(TypeError, match=r"decode it first"):
        replylint.fix(data)


def test_other_arguments_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match="lang must be str"):
        replylint.check("No.", lang=None)
    with pytest.raises(TypeError, match="config must be"):
        replylint.check("No.", config=["select"])
    with pytest.raises(TypeError, match="format must be str"):
        replylint.fix("No.", format=1)
    with pytest.raises(TypeError, match="path must be"):
        replylint.check("No.", path=3)
    assert _keys(replylint.check("No.", lang="en", path=pathlib.Path("reply.txt"))) == ["RL101"]


@pytest.mark.parametrize("config", [{"select": ["typo"]}, {"ignore": ["RL9999"]},
                                    {"severity": {"not-a-rule": "error"}}, Config(select=("typo",))])
@pytest.mark.parametrize("call", ["check", "fix"])
def test_unknown_rule_keys_are_a_config_error(config: object, call: str) -> None:
    with pytest.raises(ConfigError, match=r"unknown rule or family") as caught:
        getattr(replylint, call)("You are wrong.", config=config)
    assert isinstance(caught.value, ValueError)  # hosts catching ValueError for bad input see it too


def test_known_rule_keys_are_accepted() -> None:
    config = {"select": ["RL201", "rl201", "declared-wrong", "you-are-wrong"], "severity": {"blame": "info"}}
    assert _keys(replylint.check("No, you are wrong.", lang="en", config=config)) == ["RL201"]


def test_a_key_of_another_pack_is_accepted_when_the_language_is_detected() -> None:
    # Finnish has a rule English lacks: valid with lang="auto", unknown when English is asked for
    assert replylint.check("You are wrong.", config={"select": ["no-after-greeting"]}) == []
    with pytest.raises(ConfigError, match="no-after-greeting"):
        replylint.check("You are wrong.", lang="en", config={"select": ["no-after-greeting"]})


ESC_NAME = "a\x1b[31mred\x07.txt"


def test_printable_escapes_controls_and_bidi_marks_only() -> None:
    from replylint.cli.report.terminal import printable

    assert printable("a\x1b[31mred\x07\x9b.txt") == "a\\x1b[31mred\\x07\\x9b.txt"
    assert printable("evil\u202etxt.exe\nnext") == "evil\\u202etxt.exe\\x0anext"
    assert printable("Café ’quotes’ 😀 \u00a0ok") == "Café ’quotes’ 😀 \u00a0ok"


@pytest.fixture
def escape_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / ESC_NAME).write_text("Hi Sam,\n\nAs per\x1b[2J our terms, you are wrong.\n", encoding="utf-8")
    bundle = [{"title": "Late\x1b]0;pwned\x07 fee", "body": "You are wrong about the fee."}]
    (tmp_path / "macros.json").write_text(json.dumps(bundle), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_human_output_never_prints_control_characters(escape_dir: pathlib.Path, fmt: str) -> None:
    from clirunner import replylint as run

    result = run("check", "--format", fmt, ESC_NAME, "macros.json", "missing\x1b[5m.txt", cwd=escape_dir)
    assert result.returncode == 2
    for stream in (result.stdout, result.stderr):
        assert not any(ch in stream for ch in "\x1b\x07"), stream
    assert "a\\x1b[31mred\\x07.txt:3:" in result.stdout
    assert "missing\\x1b[5m.txt" in result.stderr
    if fmt == "text":
        assert "Late\\x1b]0;pwned\\x07 fee" in result.stdout


def test_carets_stay_under_the_words_after_escapes(escape_dir: pathlib.Path) -> None:
    from clirunner import replylint as run

    result = run("check", "--select", "RL201", ESC_NAME, cwd=escape_dir)
    lines = result.stdout.splitlines()
    shown = next(i for i, line in enumerate(lines) if line.startswith(" 3 | "))
    assert "\\x1b[2J" in lines[shown]
    assert lines[shown + 1].index("^") == lines[shown].index("you are wrong")
    assert lines[shown + 1].count("^") == len("you are wrong")


def test_machine_formats_keep_the_real_name(escape_dir: pathlib.Path) -> None:
    import xml.etree.ElementTree as ET

    from clirunner import replylint as run

    found = json.loads(run("check", "--format", "json", ESC_NAME, cwd=escape_dir).stdout)["findings"]
    assert {f["path"] for f in found} == {ESC_NAME}
    sarif = run("check", "--format", "sarif", ESC_NAME, cwd=escape_dir).stdout
    assert "\\u001b" in sarif or "%1B" in sarif.upper()  # the name, in JSON's or a URI's own escaping
    junit = run("check", "--format", "junit", ESC_NAME, cwd=escape_dir).stdout
    names = [case.get("name") for case in ET.fromstring(junit.split("\n", 1)[1]).iter("testcase")]
    assert names == ["a\\x1b[31mred\\x07.txt"]  # XML cannot hold the control characters themselves
