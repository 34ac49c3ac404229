"""Markdown and HTML readers: what is prose, what is skipped, and that findings point into the file."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import replylint
from replylint import Config, Finding
from replylint.inputs.documents import Segment
from replylint.inputs.documents.html_reader import escape_html
from replylint.inputs.formats import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "markup"


def check(text: str, fmt: str, **kwargs: object) -> list[Finding]:
    found = replylint.check(text, format=fmt, **kwargs)  # type: ignore[arg-type]
    for f in found:
        assert text[f.start:f.end] == f.matched
    return found


def at(found: list[Finding], rule: str) -> list[tuple[int, int, str]]:
    """(line, column, matched) of one rule's findings."""
    return [(f.line, f.column, f.matched) for f in found if f.rule == rule]


def segment(text: str, fmt: str) -> Segment:
    return read_document(text, fmt).segments[0]


def untouched(found: list[Finding], text: str, region: str) -> bool:
    """No finding overlaps the (unique) region of the text."""
    start = text.index(region)
    end = start + len(region)
    return not any(f.start < end and start < f.end for f in found)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_bold_keeps_words_and_points_inside_the_markup() -> None:
    found = check("**No.** We can't refund it.", "markdown")
    assert at(found, "RL101") == [(1, 3, "No.")]
    assert segment("**No.** we", "markdown").prose.text == "No. we"


def test_markdown_emphasis_inside_a_phrase_is_spanned_in_the_source() -> None:
    text = "Sorry, you're **wrong** about the fee."
    assert at(check(text, "markdown"), "RL201") == [(1, 8, "you're **wrong")]


def test_markdown_entity_before_the_span_counts_in_source_columns() -> None:
    text = "Caf&eacute; &mdash; you&rsquo;re wrong about the fee."
    found = check(text, "markdown")
    assert at(found, "RL201") == [(1, 21, "you&rsquo;re wrong")]
    assert segment(text, "markdown").prose.text.startswith("Café — you’re wrong")


def test_markdown_soft_break_is_a_space_and_crlf_is_kept_in_the_span() -> None:
    found = check("Hello.\r\nYou're\r\nwrong about the fee.\r\n", "markdown")
    [f] = [f for f in found if f.rule == "RL201"]
    assert (f.line, f.column, f.end_line, f.end_column) == (2, 1, 3, 6)
    assert f.matched == "You're\r\nwrong"


def test_markdown_code_urls_and_front_matter_are_not_prose() -> None:
    text = (
        "---\ntitle: You're wrong about the fee.\n---\n"
        "Run `you're wrong about the fee` now.\n\n"
        "```\nYou're wrong about the fee.\n```\n\n"
        "    You're wrong about the fee.\n\n"
        "See <https://example.com/you're-wrong> or https://example.com/you're-wrong/fee.\n"
        "The [FAQ](https://example.com/ \"You're wrong about the fee\") helps. ![You're wrong](x.png)\n"
    )
    assert check(text, "markdown") == []
    prose = segment(text, "markdown").prose.text
    assert "wrong" not in prose
    assert "Run Placeholder now." in prose and "The FAQ helps." in prose


def test_markdown_link_text_is_prose() -> None:
    text = "[You're wrong about the fee](https://example.com/fee)."
    assert at(check(text, "markdown"), "RL201") == [(1, 2, "You're wrong")]


def test_markdown_blockquote_is_skipped_and_kept_as_quoted() -> None:
    text = "Thanks for writing.\n\n> You're wrong about the fee.\n> No, we don't ship.\n\nThat's our policy.\n"
    found = check(text, "markdown")
    assert at(found, "RL501") == [(6, 1, "That's our policy")]
    assert [f.rule for f in found] == ["RL501"]
    assert segment(text, "markdown").quoted == "You're wrong about the fee.\nNo, we don't ship."


def test_markdown_email_trailers_wrote_line_and_signature() -> None:
    text = (
        "No, we don't ship to Alaska.\n\n"
        "On Mon, 1 Jan 2024, Jane <jane@example.com> wrote:\n> You're wrong about the fee.\n"
    )
    found = check(text, "markdown")
    assert at(found, "RL101") == [(1, 1, "No,")]
    assert untouched(found, text, "On Mon")
    assert segment(text, "markdown").quoted.endswith("You're wrong about the fee.")
    signed = "Thanks,\nSam\n-- \nSam | You're wrong about the fee.\n"
    assert check(signed, "markdown") == []
    assert segment(signed, "markdown").quoted == ""


def test_markdown_table_cells_are_separate_sentences() -> None:
    text = "| Q | A |\n|---|---|\n| Alaska \\| Hawaii? | No, we don't ship there. |\n"
    found = check(text, "markdown")
    assert at(found, "RL101") == [(3, 23, "No,")]
    assert "Alaska | Hawaii?\n\nNo, we" in segment(text, "markdown").prose.text


def test_markdown_html_block_keeps_text_and_skips_quote_containers() -> None:
    text = (
        "<div class=\"gmail_quote\">\n\nYou're wrong about the fee.\n\n</div>\n\n"
        "<p>No, we don&#39;t ship &amp; never will.</p>\n"
    )
    found = check(text, "markdown")
    assert at(found, "RL101") == [(7, 4, "No,")]
    assert untouched(found, text, "You're wrong")
    assert segment(text, "markdown").quoted == "You're wrong about the fee."


def test_markdown_inline_br_separates_sentences() -> None:
    assert at(check("Thanks for asking<br>No, we don't ship to Alaska.", "markdown"), "RL101") == [(1, 22, "No,")]
    assert at(check("Thanks for asking <b>No</b>, we don't ship.", "markdown"), "RL101") == []


def test_markdown_placeholders_are_opaque_words() -> None:
    text = "Hi {{ticket.requester.first_name}}, you're wrong about the fee. Dear [Customer Name]."
    assert at(check(text, "markdown"), "RL201") == [(1, 37, "you're wrong")]
    assert segment(text, "markdown").prose.text == "Hi Placeholder, you're wrong about the fee. Dear Placeholder."


def test_markdown_suppression_comment() -> None:
    text = "<!-- replylint-disable-next-line RL101 -->\nNo, we don't ship to Alaska.\n\nNo, we can't.\n"
    assert at(check(text, "markdown"), "RL101") == [(4, 1, "No,")]
    assert "replylint" not in segment(text, "markdown").prose.text


def test_markdown_fixture_findings() -> None:
    text = fixture("reply.md")
    found = check(text, "markdown")
    assert at(found, "RL101") == [(8, 3, "No."), (19, 13, "No,")]
    assert at(found, "RL201") == [(8, 49, "you&rsquo;re wrong")]
    assert at(found, "RL501") == [(30, 1, "That's our policy")]  # line 22's is suppressed
    for region in ("subject: You're", "`you're wrong", "you're-wrong", "\"You're wrong", "```text\nYou're",
                   "<div class=\"gmail_quote\">\n\nYou're", "> You're", "Sam Smith"):
        assert untouched(found, text, region), region
    quoted = segment(text, "markdown").quoted
    assert quoted == "You're wrong about the fee.\nYou're wrong about the fee, and I want my money back."


def test_markdown_escape_is_identity() -> None:
    assert segment("Hi", "markdown").escape("a & <b>") == "a & <b>"


# --- HTML --------------------------------------------------------------------------------------


def test_html_entity_before_the_span_counts_in_source_columns() -> None:
    text = "<p>Caf&eacute; &mdash; you&rsquo;re wrong about the fee.</p>"
    assert at(check(text, "html"), "RL201") == [(1, 24, "you&rsquo;re wrong")]


def test_html_nbsp_is_a_space() -> None:
    found = check("<p>You're&nbsp;wrong about the fee. No,&nbsp;we don't.</p>", "html")
    assert at(found, "RL201") == [(1, 4, "You're&nbsp;wrong")]
    assert at(found, "RL101") == [(1, 37, "No,")]


def test_html_whitespace_runs_collapse_across_lines() -> None:
    found = check("<div>You're\n     wrong about the fee.</div>", "html")
    [f] = [f for f in found if f.rule == "RL201"]
    assert (f.line, f.column, f.end_line, f.end_column) == (1, 6, 2, 11)


def test_html_br_and_block_tags_separate_sentences() -> None:
    assert at(check("<p>Thanks for asking<br>No, we don't ship.</p>", "html"), "RL101") == [(1, 25, "No,")]
    assert at(check("<p>Thanks for asking</p><p>No, we don't ship.</p>", "html"), "RL101") == [(1, 28, "No,")]
    assert at(check("<p>Thanks for asking <b>No</b>, we don't ship.</p>", "html"), "RL101") == []


def test_html_inline_tags_do_not_break_words() -> None:
    found = check("<p><b>No.</b> We can't refund it.</p>", "html")
    assert at(found, "RL101") == [(1, 7, "No.")]


def test_html_quote_containers_are_skipped_and_kept_as_quoted() -> None:
    text = (
        "<div>That's our policy.</div>"
        "<blockquote>You're wrong about the fee.</blockquote>"
        "<div class=\"gmail_quote\"><div>On Mon, Jane wrote:</div><div><div>No, you're wrong.</div></div>"
        "<p>still quoted</p></div>"
        "<div class=\"yahoo_quoted\" id=\"yahoo_quoted_1\">That's our policy.</div>"
        "<p>No, we don't ship to Alaska.</p>"
    )
    found = check(text, "html")
    assert [f.rule for f in found if f.rule in ("RL101", "RL201", "RL501")] == ["RL501", "RL101"]
    assert at(found, "RL101")[0][2] == "No,"
    assert segment(text, "html").quoted == (
        "You're wrong about the fee.\nOn Mon, Jane wrote:\nNo, you're wrong.\nstill quoted\nThat's our policy."
    )


def test_html_outlook_reply_header_and_what_follows_is_quoted() -> None:
    text = fixture("outlook.html")
    found = check(text, "html")
    assert at(found, "RL101") == [(3, 22, "No,")]
    assert at(found, "RL201") == [] and at(found, "RL501") == []
    assert segment(text, "html").quoted == "From: Jane\nSent: Monday\nYou're wrong about the fee.\nThat's our policy."


def test_html_plain_trailers_in_rendered_text() -> None:
    signed = "<p>Thanks,<br>--&nbsp;<br>Sam, you're wrong about the fee.</p>"
    assert check(signed, "html") == []
    wrote = "<div>Sure.</div><div>On Mon, Jane wrote:</div><div>You're wrong about the fee.</div>"
    assert check(wrote, "html") == []
    assert segment(wrote, "html").quoted == "On Mon, Jane wrote:\nYou're wrong about the fee."


def test_html_script_style_head_code_and_comments_are_not_prose() -> None:
    text = (
        "<html><head><title>You're wrong about the fee.</title></head><body>"
        "<style>p { content: \"You're wrong about the fee.\" }</style>"
        "<script>alert(\"You're wrong about the fee.\")</script>"
        "<!-- You're wrong about the fee. -->"
        "<pre>You're wrong about the fee.</pre>"
        "<p>Run <code>you're wrong</code> at https://example.com/you're-wrong.</p>"
        "<div class=\"gmail_signature\">Sam | You're wrong about the fee.</div></body></html>"
    )
    assert check(text, "html") == []
    assert segment(text, "html").prose.text.strip() == "Run Placeholder at Placeholder."
    assert segment(text, "html").quoted == ""


def test_html_placeholders_are_opaque_words() -> None:
    text = "<p>Hi&nbsp;{{ticket.requester.first_name}}, you're wrong about the fee.</p>"
    assert at(check(text, "html"), "RL201") == [(1, 45, "you're wrong")]
    assert segment(text, "html").prose.text.startswith("Hi Placeholder, you're")


def test_html_suppression_comments() -> None:
    text = (
        "<!-- replylint-disable-next-line RL101 -->\n<p>No, we don't ship to Alaska.</p>\n"
        "<!-- replylint-disable blunt-no -->\n<p>No, never.</p>\n<!-- replylint-enable blunt-no -->\n"
        "<p>No, we can't.</p>\n"
    )
    assert at(check(text, "html"), "RL101") == [(6, 4, "No,")]


def test_html_fixture_findings() -> None:
    text = fixture("reply.html")
    found = check(text, "html")
    assert at(found, "RL101") == [(8, 27, "No,")]
    assert at(found, "RL201") == [(6, 26, "you&rsquo;re\n    wrong")]
    assert at(found, "RL501") == [(11, 6, "That's our policy")]  # line 10's is suppressed
    quoted = segment(text, "html").quoted
    assert quoted == ("On Mon, 1 Jan 2024, Jane <jane@example.com> wrote:\n"
                      "You're wrong about the fee,\nand\nI want a refund.")


class _Checker(HTMLParser):
    """Collects text and flags a bare `<` or `&` that would make the HTML invalid."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_fix_replaces_the_entity_span_and_escapes_the_replacement() -> None:
    text = "<p>Caf&eacute; &mdash; you&rsquo;re wrong about the fee &amp; the tax.</p>"
    fixed = replylint.fix(text, unsafe=True, format="html")
    assert fixed == "<p>Caf&eacute; &mdash; there may be a mix-up about the fee &amp; the tax.</p>"
    config = Config(rule_folders=(str(FIXTURES / "rules"),))
    probe = "<p>Please read the terms and conditions, Caf&eacute; friends.</p>"
    fixed = replylint.fix(probe, unsafe=True, config=config, format="html")
    assert fixed == "<p>Please read the T&amp;C &lt;small print&gt;, Caf&eacute; friends.</p>"
    checker = _Checker()
    checker.feed(fixed)
    checker.close()
    assert "".join(checker.text) == "Please read the T&C <small print>, Café friends."
    assert escape_html("a & <b> \"c\"") == "a &amp; &lt;b&gt; \"c\""


def test_html_malformed_input_still_gives_prose() -> None:
    text = "<p>No, we <b>don't <i>ship</b> to Alaska.<p>You're wrong<div class=gmail_quote>That's our policy."
    found = check(text, "html")
    assert at(found, "RL101") == [(1, 4, "No,")]
    assert at(found, "RL201") == [(1, 45, "You're wrong")]
    assert segment(text, "html").quoted == "That's our policy."
    bogus = "a <![foo[ x ]]> You're wrong about the fee. <![bar[ y"
    assert at(check(bogus, "html"), "RL201") == [(1, 17, "You're wrong")]
    assert check("x&eacute", "html") == []
    assert check("</div></p><br/>&#0;&#x110000;&bogus;<", "html") == []


def test_html_unreadable_input_raises_one_line_value_error() -> None:
    with pytest.raises(ValueError, match=r"^unreadable HTML near line 1: [^\n]*$"):
        read_document("<![x[ " * 400, "html")


# --- Both formats ------------------------------------------------------------------------------

MARKUP = st.lists(
    st.sampled_from([
        *"ab N,.'<>/&;#!-*_`[]()|\\\n\r\t\"=:{}",
        "<p>", "</p>", "<div class=gmail_quote>", "</div>", "<br>", "&amp;", "&nbsp;", "&#39;", "<!--",
        "-->", "<![x[", "<script>", "</script>", "```\n", "> ", "-- \n", "On x wrote:\n", "**", "{{x}}",
        "https://a.b/c ", "| a | b |\n|---|---|\n", "---\n", "<code>", "\x00", "No, we", "you're wrong",
    ]),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(MARKUP, st.sampled_from(["markdown", "html"]))
def test_prose_always_maps_into_the_source(text: str, fmt: str) -> None:
    prose = segment(text, fmt).prose
    pos = 0
    for run in prose.runs:
        assert run.p_start == pos
        pos = run.p_end
        assert 0 <= run.s_start <= run.s_end <= len(text)
        if run.exact:
            assert prose.text[run.p_start:run.p_end] == text[run.s_start:run.s_end]
    assert pos == len(prose.text)
    for f in check(text, fmt):
        assert 0 <= f.start <= f.end <= len(text)
