"""Spans of text (findings, hits, edits): whether two overlap, and a run of them with the
overlapping ones dropped, so "keep one finding per place" is decided the same way everywhere."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class Span(Protocol):
    """Anything that covers `start` (inclusive) to `end` (exclusive) of a text."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Span)


def overlap(a: Span, b: Span) -> bool:
    """Whether the two spans share at least one character."""
    return a.start < b.end and b.start < a.end


def without_overlaps(spans: Iterable[S]) -> list[S]:
    """`spans` (sorted by start) minus each one that starts before the last kept one ends:
    sorted longest first on a tie, the earliest and longest of each overlapping run stays.
    An empty span (an insertion) right where a kept one starts is dropped as well."""
    kept: list[S] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept
