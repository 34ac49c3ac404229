"""Documents: an input file turned into segments of the agent's own prose.

A document is its source text and one segment per reply in it (a plain reply has one; a
bundle of canned responses has one per response; a ticket export one per agent reply). Each
segment carries its prose with a map back to the source, the response's label and language
when a bundle gives them, the customer text it quoted or (in a ticket) the customer's turns
it answers, and the inline suppressions written in it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .prose import Escaper, Prose, no_escape
from .suppressions import Suppression


@dataclass(frozen=True)
class Segment:
    """One reply's prose. `outer` maps the segment's own source (e.g. a decoded JSON string)
    into the file; None means the segment's source is the file itself."""

    prose: Prose
    source: str
    outer: Prose | None = None
    label: str = ""
    lang: str | None = None
    quoted: str = ""
    suppressions: tuple[Suppression, ...] = ()
    escape: Escaper = no_escape
    context: str = ""  # in a ticket export: the customer's turns this reply answers

    @property
    def thread(self) -> str:
        """The customer's message this reply answers: its ticket's customer turns, else the
        text it quotes (an e-mail reply's quoted part), else ""."""
        return self.context or self.quoted

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """Prose span to file span."""
        s, e = self.prose.source_span(start, end)
        return self.outer.source_span(s, e) if self.outer is not None else (s, e)


@dataclass(frozen=True)
class Document:
    """A file's text and the segments of prose read from it."""

    source: str
    segments: list[Segment] = field(default_factory=list)
    format: str = "text"
