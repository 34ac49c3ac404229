"""The form a small text file's bytes take (encoding and byte-order mark), so an edit keeps it.

The editor's config and ignore-file edits decode the bytes they read with `decode_text`,
add a line, and encode the result in the same form: a UTF-8 BOM stays, a UTF-16 file stays
UTF-16 in its byte order. Line endings are part of the text and are never translated.
(`fix` keeps its inputs' form through `inputs.Source`, which also knows UTF-32.)
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


def decode_text(data: bytes) -> tuple[str, TextForm]:
    """The text of `data` (UTF-8, or UTF-16 with a BOM) and its form; UnicodeDecodeError if neither."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec), TextForm(codec, bom)
    return data.decode("utf-8"), TextForm()
