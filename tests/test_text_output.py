"""The `text` format read by a person: windows on long lines, wrapped `why`, merged spans,
`[*]` on what `fix` rewrites, and deletions named by the words they delete (issue 16)."""
from __future__ import annotations

import io
from dataclasses import replace

import pytest

import replylint
from replylint.cli.report.text_format import render, window
from replylint.cli.results import FileResult, RunResult

LONG = ("Hello there, thanks for writing to us about the order you placed last month with the extra items. " * 3
        + "You're wrong about the fee, as I already explained. We looked at it twice and it stays as it is.")


def shown(text: str, width: int = 80) -> str:
    """The text output for `text` on a terminal `width` columns wide (COLUMNS, as Rich reads it)."""
    findings = replylint.check(text, lang="en")
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        render(RunResult([FileResult("reply.txt", text, findings)]), out)
    return out.getvalue()


def test_window_keeps_the_span_and_cuts_the_sides() -> None:
    lead, marked, rest = window("a" * 200, "You're wrong", "b" * 200, 60)
    assert marked == "You're wrong" and lead.startswith("…") and rest.endswith("…")
    assert len(lead + marked + rest) <= 60
    assert window("Hi ", "No,", " thanks", 60) == ("Hi ", "No,", " thanks")  # short lines stay whole
    lead, marked, rest = window("x" * 10, "y" * 100, "z", 40)
    assert marked.endswith("…") and len(lead + marked + rest) <= 41


def test_long_lines_are_windowed_with_the_caret_under_the_words() -> None:
    out = shown(LONG, width=80)
    lines = out.splitlines()
    excerpts = [line for line in lines if line.startswith(" ") and (" | " in line or " = " in line)]
    assert excerpts and max(len(line) for line in excerpts) <= 80, out
    source = next(line for line in lines if "You're wrong about" in line and line.startswith(" 1 | "))
    carets = lines[lines.index(source) + 1]
    column = carets.index("^")
    assert source[column:column + len("You're wrong")] == "You're wrong"


def test_why_is_wrapped_and_indented_under_its_start() -> None:
    lines = shown("You're wrong about the fee.\n", width=60).splitlines()
    why = next(i for i, line in enumerate(lines) if "= why:" in line)
    indent = lines[why].index("why:") + len("why: ")
    assert len(lines[why]) <= 60 and len(lines[why + 1]) <= 60
    assert lines[why + 1][:indent] == " " * indent and lines[why + 1][indent] != " "


def test_a_deletion_is_titled_by_the_words_it_deletes() -> None:
    [finding] = [f for f in replylint.check("No, we can't refund opened software.", lang="en") if f.rule == "RL101"]
    [suggestion] = finding.suggestions
    assert suggestion.deletes == "No," and suggestion.title == "Delete “No,”"
    assert suggestion.replacement == "W"  # the span reaches the next letter, re-capitalised
    swedish = [f for f in replylint.check("Nej, vi kan inte återbetala öppnad programvara.", lang="sv")
               if f.suggestions and f.suggestions[0].deletes]
    assert swedish and swedish[0].suggestions[0].title == "Delete “Nej,”"
    out = shown("No, we can't refund opened software.\n")
    assert "Delete “No,”" in out and "“W”" not in out


def test_a_kept_mark_reads_as_its_replacement() -> None:
    out = shown("It was delivered yesterday!!\n")
    assert "Replace with “!”" in out and "Delete" not in out


def test_fixable_findings_are_marked_and_counted() -> None:
    out = shown("Hi,\n\nAs I already explained, the fee stays. You're wrong about it.\n")
    header = next(line for line in out.splitlines() if " RL802 " in line)
    assert " RL802 [*] as-i-said " in header
    assert not any(" RL201 [*]" in line for line in out.splitlines())
    assert "[*] 1 fixable with `replylint fix` (" in out and "more with `--unsafe`)" in out


def test_findings_on_the_same_words_share_one_excerpt() -> None:
    text = "You're wrong about the fee.\n"
    [finding] = [f for f in replylint.check(text, lang="en") if f.rule == "RL201"]
    twin = replace(finding, rule="RL999", name="twin", why="Another reason.", suggestions=[])
    out = io.StringIO()
    render(RunResult([FileResult("reply.txt", text, [finding, twin])]), out)
    printed = out.getvalue()
    assert printed.count(" 1 | You're wrong about the fee.") == 1
    assert "why (RL201):" in printed and "why (RL999): Another reason." in printed


@pytest.mark.parametrize("text", ["{{ticket.requester.first_name}},\n\nNo, we can't refund opened software.\n",
                                  "{% if vip %}Hi!{% endif %}\nNo, we can't refund opened software.\n",
                                  "[Customer Name],\n\nNo, we can't refund opened software.\n"])
def test_placeholder_openings_are_read_as_text(text: str) -> None:
    from replylint.workspace import detect_format

    assert detect_format("reply.liquid", text) == "text" and detect_format("<stdin>", text) == "text"


def test_data_is_guessed_only_when_it_parses() -> None:
    from replylint.workspace import detect_format

    assert detect_format("<stdin>", '[{"body": "No."}]') == "json"
    assert detect_format("<stdin>", "---\n- body: No.\n") == "yaml"
    assert detect_format("<stdin>", "---\ntitle: Refund\n---\nNo, we can't.\n") == "text"  # front matter
    assert detect_format("<stdin>", "[{ broken") == "text"
