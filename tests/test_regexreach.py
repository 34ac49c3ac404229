"""regexreach: which raw regexes stay on one line, so an editor's run keeps their hits per line.
A wrong "yes" would lose or invent findings in a run in pieces; a wrong "no" only costs time."""
from __future__ import annotations

import pytest

from replylint.engine.regexreach import stays_on_one_line


@pytest.mark.parametrize("source", [
    r"\w[^.!?\n]{0,160}\?",
    r"(?m)^no\b",
    r"[A-Z]{2,}",
    r"(?x)\b(?=[A-Z])(?<![A-Za-z0-9'-]) [A-Z]+",
    r"a.b",
    r"(?i)foo(?-i:bar)",
    r"(?P<mark>[!?])[!?]+",
    r"you[ \t]+need",
])
def test_a_regex_that_cannot_reach_past_a_line_end_stays(source: str) -> None:
    assert stays_on_one_line(source)


@pytest.mark.parametrize("source", [
    r"you\s+need",          # \s matches a line break
    r"^no\b",               # the text's start, not a line's
    r"no$",                 # the text's end
    r"(?s)a.b",             # . matches a line break
    r"[^x]+",               # a negated set holds the line break
    r"\W",
    r"\D",
    r"a\nb",
    r"(?<![\s\S])x",        # a look-behind that sees the line break
    r"x(?=\s*$)",
    r"\Afoo",
    r"foo\Z",
    r"(a)\1",               # a back-reference: not reasoned about
    r"\p{L}+",              # the regex module's syntax Python's parser cannot read
    r"(unclosed",
])
def test_a_regex_that_may_cross_a_line_or_cannot_be_read_does_not(source: str) -> None:
    assert not stays_on_one_line(source)


def test_a_line_of_a_text_alone_finds_what_the_whole_text_finds_on_it() -> None:
    import regex

    text = "First line, OK THEN?\nSECOND line here!!\n  no way?? Yes.\nLAST"
    for source in (r"\w[^.!?\n]{0,160}\?", r"(?m)^[ \t]*no\b", r"\b[A-Z]{2,}\b", r"(?P<mark>[!?])[!?]+"):
        assert stays_on_one_line(source)
        pattern = regex.compile(source)
        whole = [m.span() for m in pattern.finditer(text)]
        by_line, start = [], 0
        for line in text.split("\n"):
            by_line += [(a + start, b + start) for a, b in (m.span() for m in pattern.finditer(line))]
            start += len(line) + 1
        assert by_line == whole, source
