"""The form a text file's bytes take (encoding and byte-order mark), so a rewrite keeps it.

`fix` decodes the bytes it read with `decode_text`, edits the text, and encodes the result
with the same form: a UTF-8 BOM stays, a UTF-16 file stays UTF-16 in its byte order. Line
endings are part of the text and are never translated.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True, slots=True)
class TextForm:
    """How a text was stored: its codec and the byte-order mark in front (or none)."""

    codec: str = "utf-8"
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)

    def as_shown(self, text: str) -> str:
        """The text as a line-based tool sees the file: a UTF-8 BOM is part of the first line,
        so a diff that leaves it out would not apply."""
        return "\ufeff" + text if self.bom == codecs.BOM_UTF8 else text


def decode_text(data: bytes) -> tuple[str, TextForm]:
    """The text of `data` (UTF-8, or UTF-16 with a BOM) and its form; UnicodeDecodeError if neither."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec), TextForm(codec, bom)
    return data.decode("utf-8"), TextForm()
