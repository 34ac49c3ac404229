"""Character offsets to 1-based line and column, and quote normalisation that keeps offsets."""
from __future__ import annotations

from bisect import bisect_right

# Curly quotes and the modifier apostrophe become straight ones, one code point for one,
# so regexes written with ' match "you’re" and every offset stays valid in the original.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"'})


def normalize_quotes(text: str) -> str:
    """Straighten quotes and apostrophes without changing the text's length."""
    return text.translate(_QUOTES)


class LineIndex:
    """Maps offsets in one text to (line, column), both 1-based, columns in code points."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        self._starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
