"""Located strings: string values read from a bundle that can map themselves back into the file."""
from __future__ import annotations

from ..documents.prose import Prose, ProseBuilder, Run


class Located(str):
    """A decoded string value plus the span [start, end) of its literal in the file.

    Subclasses know their format's quoting, so `outer` maps every char of the decoded
    value to the file and `escape` turns replacement text into a valid literal body.
    """

    start: int
    end: int

    def __new__(cls, value: str, start: int, end: int) -> Located:
        obj = super().__new__(cls, value)
        obj.start = start
        obj.end = end
        return obj

    def outer(self, source: str) -> Prose:
        """Prose whose text is this value, mapped into `source` (the whole file)."""
        builder = ProseBuilder(source)
        builder.keep(self.start, self.end)
        return checked(builder.build(), self)

    def escape(self, text: str) -> str:
        """`text` written so it can stand inside this literal."""
        return text


def coarse(value: Located) -> Prose:
    """A map sending every char of the value to its whole literal: the fallback when exact mapping fails."""
    text = str(value)
    runs = (Run(0, len(text), value.start, value.end, False),) if text else ()
    return Prose(text, runs)


def checked(prose: Prose, value: Located) -> Prose:
    """`prose` if it decodes to exactly `value`, else the coarse map."""
    return prose if prose.text == value else coarse(value)
