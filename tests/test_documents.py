"""Plain-text e-mail conventions, placeholders, suppressions and offset maps."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import replylint
from replylint.inputs.documents.plaintext import read_plaintext
from replylint.inputs.documents.prose import ProseBuilder
from replylint.inputs.documents.suppressions import find_suppressions

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def findings(name: str) -> list[tuple[str, int, int, str]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [(f.rule, f.line, f.column, f.matched) for f in replylint.check(text) if f.severity != "info"]


def test_on_wrote_block_is_skipped_and_kept_as_context() -> None:
    assert [(rule, line, col) for rule, line, col, _ in findings("email-thread.txt")] == [("RL201", 3, 24)]
    doc = read_plaintext((FIXTURES / "email-thread.txt").read_text(encoding="utf-8"))
    assert "I want a refund now!" in doc.segments[0].quoted


def test_outlook_header_and_what_follows_are_skipped() -> None:
    found = findings("outlook.txt")
    assert [(line, col) for _, line, col, _ in found] == [(3, 1)]
    assert found[0][3] == "That's our policy"


def test_quote_lines_and_signature_are_skipped() -> None:
    assert findings("signature.txt") == []


def test_placeholders_are_opaque_words() -> None:
    text = "Hi {{ticket.requester.first_name}}, no problem at all. {% if vip %}NOPE NOPE NOPE{% endif %}"
    assert [f.rule for f in replylint.check(text) if f.severity != "info"] == []
    for placeholder in ("[Customer Name]", "%NAME%", "{name}", "{{ 'x' | upcase }}"):
        text = f"Hi {placeholder}, you're wrong about the fee."
        (f,) = [f for f in replylint.check(text) if f.rule == "RL201"]
        assert text[f.start:f.end] == f.matched == "you're wrong"


def test_placeholder_does_not_break_a_sentence() -> None:
    builder = ProseBuilder("Dear {{name}}. Thanks", __import__("replylint.inputs.documents.placeholders",
                                                                fromlist=["x"]).placeholder_pattern())
    builder.keep(0, 21)
    assert builder.build().text == "Dear Placeholder. Thanks"


def test_custom_placeholder_pattern_from_config() -> None:
    text = "Hi <<NAME>>, you're wrong about the fee."
    (f,) = [f for f in replylint.check(text, config={"placeholders": ["<<[A-Z]+>>"]}) if f.rule == "RL201"]
    assert (f.line, f.column) == (1, 14)


@pytest.mark.parametrize(("comment", "suppressed"), [
    ("<!-- replylint-disable-next-line RL201 -->", True),
    ("<!-- replylint-disable-next-line you-are-wrong -->", True),
    ("<!-- replylint-disable-next-line blame -->", False),
    ("{% comment %}replylint-disable-next-line{% endcomment %}", True),
    ("{# replylint: disable=RL201 #}", True),
])
def test_inline_suppression_comments(comment: str, suppressed: bool) -> None:
    text = f"Hi Ann,\n{comment}\nYou're wrong about the fee.\n"
    found = [f for f in replylint.check(text) if f.rule == "RL201"]
    assert (found == []) is suppressed


def test_disable_until_enable() -> None:
    text = ("{% comment %}replylint-disable you-are-wrong{% endcomment %}\nYou're wrong about the fee.\n"
            "{% comment %}replylint-enable you-are-wrong{% endcomment %}\nYou're wrong about the date.\n")
    assert [f.line for f in replylint.check(text) if f.rule == "RL201"] == [4]
    assert len(find_suppressions(text)) == 1


WORDS = st.sampled_from(["Hi", "Ann,", "you're", "You’re", "wrong", "about", "the", "fee.", "No,", "that's",
                         "our", "policy.", "{{name}}", "[Customer Name]", "%NAME%", "{% if x %}", "{% endif %}",
                         "\n", "\n> quoted you're wrong\n", "é", "😀", "We", "can't", "refund", "it."])


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=40).map(" ".join))
def test_every_span_points_at_its_text_in_the_original(text: str) -> None:
    for f in replylint.check(text):
        assert text[f.start:f.end] == f.matched
        line = text.split("\n")[f.line - 1]
        assert line[f.column - 1:].startswith(f.matched.split("\n")[0])
        for s in f.suggestions:
            assert 0 <= s.start <= s.end <= len(text)


def test_hard_wrapped_sentence_is_read_as_one() -> None:
    text = ("Hi Sam,\nThanks for the photos of the parcel and the label. I'm afraid you're\n"
            "wrong about the delivery date, it was the 3rd.\n")
    (f,) = [f for f in replylint.check(text) if f.rule == "RL201"]
    assert (f.line, f.column, f.end_line) == (2, 63, 3)
    assert f.matched == "you're\nwrong"


def test_short_lines_keep_their_breaks() -> None:
    text = "Hi Sam,\nNo, that's not covered.\n"
    assert any(f.family == "blunt-no" and f.line == 2 for f in replylint.check(text))
