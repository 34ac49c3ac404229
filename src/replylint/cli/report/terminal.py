"""Text safe to print on a terminal: control characters shown as escapes, never obeyed.

File names, bundle labels and reply text are data from the files checked. Printed raw, an
escape sequence in any of them (`a\x1b[31mred.txt`) would recolour, move the cursor, set the
window title or hide what follows; a bidi override would reorder the line. Every
human-readable output (the text and concise formats, error and notice lines) passes them
through `printable`; machine formats (JSON, SARIF, …) keep the real text, escaped by their own
syntax.
"""
from __future__ import annotations

import regex

# C0 and C1 controls (ESC, CSI, BEL, newlines, …) and the bidi embedding / override / isolate marks
_UNSAFE = regex.compile(r"[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: regex.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with each control or bidi character written as `\\xNN` / `\\uNNNN`."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
