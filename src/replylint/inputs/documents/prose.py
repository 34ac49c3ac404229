"""Prose: the text the engine lints, with a map back to offsets in the text it came from.

Readers build prose from a source (a file, or a string inside a bundle) by keeping source
text as is, emitting decoded text in place of an escape or entity, replacing placeholders
with an opaque word, and inserting sentence breaks where skipped material stood. Every
prose offset maps back to an exact source offset, so findings point at the file as written.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import regex

PLACEHOLDER_WORD = "Placeholder"
BREAK = "\n\n"


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of prose [p_start, p_end) standing for source [s_start, s_end).

    An exact run copies the source char for char; an atom (an entity, an escape, a
    placeholder) maps every one of its prose chars to the whole source span.
    """

    p_start: int
    p_end: int
    s_start: int
    s_end: int
    exact: bool


@dataclass(frozen=True)
class Prose:
    """Lintable text plus its map to the source."""

    text: str
    runs: tuple[Run, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [r.p_start for r in self.runs])

    def _run(self, offset: int) -> Run:
        i = bisect_right(self._starts, offset) - 1  # type: ignore[attr-defined]
        return self.runs[max(i, 0)]

    def source_offset(self, offset: int) -> int:
        """Source offset of the prose char at `offset` (its start)."""
        run = self._run(offset)
        return run.s_start + (offset - run.p_start) if run.exact else run.s_start

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering prose [start, end)."""
        if not self.runs:
            return start, end
        if end <= start:
            s = self.source_offset(start)
            return s, s
        last = self._run(end - 1)
        s_end = last.s_start + (end - last.p_start) if last.exact else last.s_end
        return self.source_offset(start), s_end


def cut(pattern: regex.Pattern, source: str, start: int, end: int
        ) -> Iterator[tuple[int, int, regex.Match | None]]:
    """source[start:end] cut at the matches of `pattern`, in order: (start, end, None) for
    the text between matches, (start, end, match) for each match."""
    pos = start
    for m in pattern.finditer(source, start, end):
        if m.start() > pos:
            yield pos, m.start(), None
        yield m.start(), m.end(), m
        pos = m.end()
    if end > pos:
        yield pos, end, None


class ProseBuilder:
    """Builds Prose from a source text, one kept / emitted / broken stretch at a time."""

    def __init__(self, source: str, placeholders: regex.Pattern | None = None) -> None:
        self.source = source
        self.placeholders = placeholders
        self._parts: list[str] = []
        self._runs: list[Run] = []
        self._length = 0

    def _add(self, text: str, s_start: int, s_end: int, exact: bool) -> None:
        if not text:
            return
        prev = self._runs[-1] if self._runs else None
        if exact and prev and prev.exact and prev.p_end == self._length and prev.s_end == s_start:
            self._runs[-1] = Run(prev.p_start, self._length + len(text), prev.s_start, s_end, True)
        else:
            self._runs.append(Run(self._length, self._length + len(text), s_start, s_end, exact))
        self._parts.append(text)
        self._length += len(text)

    def keep(self, start: int, end: int) -> None:
        """Copy source[start:end] as prose, turning placeholders into an opaque word."""
        if end <= start:
            return
        if self.placeholders is None:
            self._add(self.source[start:end], start, end, True)
            return
        for s, e, m in cut(self.placeholders, self.source, start, end):
            if m is None:
                self._add(self.source[s:e], s, e, True)
            elif not m.groupdict().get("tag"):
                self.placeholder(s, e)

    def emit(self, text: str, start: int, end: int) -> None:
        """Add decoded text standing for source[start:end] (an entity, an escape)."""
        if len(text) == end - start and text == self.source[start:end]:
            self._add(text, start, end, True)
        else:
            self._add(text, start, end, False)

    def placeholder(self, start: int, end: int) -> None:
        """An opaque word for source[start:end]: never breaks a sentence, never matches a rule."""
        self._add(PLACEHOLDER_WORD, start, end, False)

    def brk(self, at: int) -> None:
        """A sentence break where skipped material stood, so text around it never joins."""
        if self._length and not "".join(self._parts[-1:]).endswith(BREAK):
            self._add(BREAK, at, at, False)

    def build(self) -> Prose:
        return Prose("".join(self._parts), tuple(self._runs))


def identity(source: str) -> Prose:
    """Prose that is the source itself."""
    return Prose(source, (Run(0, len(source), 0, len(source), True),) if source else ())


Escaper = Callable[[str], str]


def no_escape(text: str) -> str:
    return text
