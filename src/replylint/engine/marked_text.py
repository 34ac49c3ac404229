"""The `[[marked]]` span notation used in rule examples: parse it into plain text plus spans."""
from __future__ import annotations

import re

_MARK = re.compile(r"\[\[(.+?)\]\]")


def parse_marked(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip `[[...]]` markers; return the plain text and the (start, end) of each marked span."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(text):
        before = text[pos:m.start()]
        plain.append(before)
        length += len(before)
        inner = m.group(1)
        spans.append((length, length + len(inner)))
        plain.append(inner)
        length += len(inner)
        pos = m.end()
    plain.append(text[pos:])
    return "".join(plain), spans
