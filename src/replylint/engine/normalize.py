"""Text normalisation before matching, with a map back to the original offsets.

Rules are written with single spaces, but replies arrive with double spaces, tabs,
non-breaking spaces (typed by editors and mail clients around punctuation), zero-width
characters from copy-paste, and, from JSON strings, lone surrogates that spaCy cannot
encode. Normalising once here, for every rule, means a phrase rule never has to spell
out each whitespace variant, and findings still point at the text as written:

- a run of horizontal whitespace (space, tab, NBSP, narrow NBSP, the other Unicode
  spaces) becomes one space; line breaks are kept, they separate sentences;
- zero-width space, word joiner, zero-width no-break space (BOM) and soft hyphen are
  dropped: a reader does not see them (ZWJ / ZWNJ are kept, they shape scripts and emoji);
- a lone surrogate becomes U+FFFD, one code point for one.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex

HORIZONTAL_SPACES = " \t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
_SPACE_CLASS = "".join(f"\\u{ord(c):04x}" for c in HORIZONTAL_SPACES)
_INVISIBLE_CLASS = "".join(f"\\u{ord(c):04x}" for c in INVISIBLE)
# What needs a change: a run of two or more whitespace / invisible characters, or a single
# one that is not a plain space. A lone plain space, the common case, is never matched.
_PLAIN = regex.escape(" ")
_CHANGE = regex.compile(rf"[{_SPACE_CLASS}{_INVISIBLE_CLASS}]{{2,}}|[{_SPACE_CLASS}{_INVISIBLE_CLASS}--{_PLAIN}]",
                        regex.V1)
_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD; same length, same offsets."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


@dataclass(frozen=True, slots=True)
class _Piece:
    """folded[f_start:f_start+length] stands for original[o_start:o_end]; `exact` when copied."""

    f_start: int
    o_start: int
    o_end: int
    exact: bool


class Folded:
    """A normalised text and the map from its offsets back to the original's."""

    def __init__(self, original: str, text: str, pieces: list[_Piece] | None) -> None:
        self.original = original
        self.text = text
        self._pieces = pieces  # None: the text is the original, offset for offset
        self._starts = [p.f_start for p in pieces] if pieces else []

    @property
    def identity(self) -> bool:
        return self._pieces is None

    def _piece(self, offset: int) -> _Piece:
        assert self._pieces is not None
        return self._pieces[max(bisect_right(self._starts, offset) - 1, 0)]

    def start(self, offset: int) -> int:
        """Original offset where the normalised char at `offset` starts."""
        if self._pieces is None:
            return offset
        if offset >= len(self.text):
            return len(self.original)
        piece = self._piece(offset)
        return piece.o_start + (offset - piece.f_start) if piece.exact else piece.o_start

    def end(self, offset: int) -> int:
        """Original offset where the normalised chars before `offset` end."""
        if self._pieces is None:
            return offset
        if offset <= 0:
            return self.start(0)
        piece = self._piece(offset - 1)
        return piece.o_start + (offset - piece.f_start) if piece.exact else piece.o_end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering normalised [start, end); an empty span stays empty."""
        if end <= start:
            at = self.start(start)
            return at, at
        return self.start(start), self.end(end)


def fold(text: str) -> Folded:
    """`text` normalised for matching (see the module docstring), with its offset map."""
    safe = replace_surrogates(text)
    if not _CHANGE.search(safe):
        return Folded(text, safe, None)
    parts: list[str] = []
    pieces: list[_Piece] = []
    length = pos = 0
    for m in _CHANGE.finditer(safe):
        if m.start() > pos:
            pieces.append(_Piece(length, pos, m.start(), True))
            parts.append(safe[pos:m.start()])
            length += m.start() - pos
        if any(ch not in INVISIBLE for ch in m.group()):
            pieces.append(_Piece(length, m.start(), m.end(), False))
            parts.append(" ")
            length += 1
        pos = m.end()
    if pos < len(safe):
        pieces.append(_Piece(length, pos, len(safe), True))
        parts.append(safe[pos:])
    return Folded(text, "".join(parts), pieces)
