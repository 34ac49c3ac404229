"""Character offsets to 1-based line and column, and quote normalisation that keeps offsets."""
from __future__ import annotations

import re
from bisect import bisect_right

# Curly quotes and the modifier apostrophe become straight ones, one code point for one,
# so regexes written with ' match "you’re" and every offset stays valid in the original.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"'})


def normalize_quotes(text: str) -> str:
    """Straighten quotes and apostrophes without changing the text's length."""
    return text.translate(_QUOTES)


_LINE_BREAK = re.compile(r"\r\n?|\n")


class LineIndex:
    """Maps offsets in one text to (line, column), both 1-based, columns in code points.
    Lines end at LF, CRLF or a lone CR, as editors and the LSP count them."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        self._starts.extend(m.end() for m in _LINE_BREAK.finditer(text))

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
