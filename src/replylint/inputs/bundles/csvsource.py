"""CSV bundles: values from the stdlib csv module, each field's exact span from a scan with the same quoting rules."""
from __future__ import annotations

import csv
import io

import regex

from replylint.errors import DocumentError

from ..documents.prose import Prose, ProseBuilder
from .located import Located, checked

_QUOTED = regex.compile(r'"(?:[^"]++|"")*+"')
_DELIMITERS = (",", ";", "\t")


class CsvStr(Located):
    """A CSV field; source[start:end] is the field as written, quotes included when `quoted`."""

    quoted: bool

    def outer(self, source: str) -> Prose:
        builder = ProseBuilder(source)
        if not self.quoted:
            builder.keep(self.start, self.end)
            return checked(builder.build(), self)
        pos, stop = self.start + 1, self.end - 1
        while True:
            i = source.find('""', pos, stop)
            if i < 0:
                builder.keep(pos, stop)
                break
            builder.keep(pos, i)
            builder.emit('"', i, i + 2)
            pos = i + 2
        return checked(builder.build(), self)

    def escape(self, text: str) -> str:
        return text.replace('"', '""') if self.quoted else text


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return f"line {line}, column {column}"


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first record (outside quotes): the most frequent of comma, semicolon and tab."""
    header = _QUOTED.sub("", text[:65536]).split("\n", 1)[0]
    return max(_DELIMITERS, key=header.count)


def field_spans(text: str, delimiter: str) -> list[list[tuple[int, int, bool]]]:
    """Every record's fields as (start, end, quoted), scanned as csv's strict excel dialect reads them."""
    unquoted = regex.compile(rf"[^{regex.escape(delimiter)}\r\n]*+")
    rows: list[list[tuple[int, int, bool]]] = []
    pos, n = 0, len(text)
    while pos < n:
        row: list[tuple[int, int, bool]] = []
        if text[pos] in "\r\n":
            pos += 2 if text.startswith("\r\n", pos) else 1
            rows.append(row)
            continue
        while True:
            if text.startswith('"', pos):
                m = _QUOTED.match(text, pos)
                if m is None:
                    raise DocumentError(f"invalid CSV at {_position(text, pos)}: unclosed quoted field")
                if m.end() < n and text[m.end()] not in delimiter + "\r\n":
                    raise DocumentError(f"invalid CSV at {_position(text, m.end())}: "
                                     f"{delimiter!r} expected after '\"'")
                row.append((pos, m.end(), True))
            else:
                m = unquoted.match(text, pos)
                row.append((pos, m.end(), False))
            pos = m.end()
            if pos >= n:
                break
            if text[pos] == delimiter:
                pos += 1
                if pos >= n:
                    row.append((n, n, False))
                    break
                continue
            pos += 2 if text.startswith("\r\n", pos) else 1
            break
        rows.append(row)
    return rows


def parse_csv(text: str) -> list[list[CsvStr]]:
    """Every record of `text` as located fields; DocumentError (with line, and column where known) if malformed."""
    delimiter = sniff_delimiter(text)
    spans = field_spans(text, delimiter)
    try:
        values = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise DocumentError(f"invalid CSV: {exc}") from None
    if len(values) != len(spans) or any(len(v) != len(s) for v, s in zip(values, spans, strict=True)):
        raise DocumentError("invalid CSV: records could not be located in the file")
    rows = []
    for row_values, row_spans in zip(values, spans, strict=True):
        row = []
        for value, (start, end, quoted) in zip(row_values, row_spans, strict=True):
            located = CsvStr(value, start, end)
            located.quoted = quoted
            row.append(located)
        rows.append(row)
    return rows
