"""JSON bundles: parse with the stdlib scanner, recording where every string value stands."""
from __future__ import annotations

import json
from json.decoder import JSONDecodeError, scanstring
from json.scanner import py_make_scanner
from typing import Any

import regex

from replylint.errors import DocumentError
from replylint.limits import guard_json_depth

from ..documents.prose import Prose, Run
from .located import Located, coarse

_WS = regex.compile(r"[\ufeff \t\n\r]*")


class JsonStr(Located):
    """A JSON string value; its literal (quotes included) is source[start:end]."""

    def outer(self, source: str) -> Prose:
        runs: list[Run] = []
        pos, stop, length = self.start + 1, self.end - 1, 0
        find = source.find
        while True:
            i = find("\\", pos, stop)
            plain_end = stop if i < 0 else i
            if plain_end > pos:
                runs.append(Run(length, length + plain_end - pos, pos, plain_end, True))
                length += plain_end - pos
            if i < 0:
                break
            pos = i + 2
            if source[i + 1] == "u":
                pos = i + 6
                code = int(source[i + 2:pos], 16)
                if 0xD800 <= code < 0xDC00 and source.startswith("\\u", pos):
                    low = int(source[pos + 2:pos + 6], 16)
                    pos += 6 if 0xDC00 <= low < 0xE000 else 0
            runs.append(Run(length, length + 1, i, pos, False))
            length += 1
        text = str(self)
        return Prose(text, tuple(runs)) if length == len(text) else coarse(self)

    def escape(self, text: str) -> str:
        return json_escape(text)


def json_escape(text: str) -> str:
    """`text` as the inside of a JSON string literal."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _error(exc: JSONDecodeError) -> DocumentError:
    return DocumentError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")


def parse_json(text: str) -> Any:
    """The JSON value in `text`, its string values as JsonStr; DocumentError (with line and column) if
    malformed, LimitError (a DocumentError) if nested deeper than limits.MAX_DEPTH."""
    decoder = json.JSONDecoder()

    def parse_string(s: str, idx: int, strict: bool) -> tuple[JsonStr, int]:
        value, end = scanstring(s, idx, strict)
        return JsonStr(value, idx - 1, end), end

    decoder.parse_string = parse_string  # type: ignore[attr-defined]
    guard_json_depth(decoder)
    scan = py_make_scanner(decoder)
    start = _WS.match(text).end()
    try:
        try:
            value, end = scan(text, start)
        except StopIteration as stop:
            raise JSONDecodeError("Expecting value", text, stop.value) from None
        end = _WS.match(text, end).end()
        if end != len(text):
            raise JSONDecodeError("Extra data", text, end)
    except JSONDecodeError as exc:
        raise _error(exc) from None
    except RecursionError:
        raise DocumentError("invalid JSON: nested too deeply") from None
    return value
