"""Plain-text replies with e-mail conventions: only the agent's words are prose.

Skipped: `>` quoted lines, an "On … wrote:" line and everything after it, an Outlook
"From: … / Sent: …" header block and everything after it, "-----Original Message-----",
and a signature after a `-- ` line. Quoted customer text is kept as context.
Lines end at LF, CRLF or a lone CR (old Mac mail); each line break reads as one LF.
"""
from __future__ import annotations

import regex

from . import Document, Segment
from .prose import ProseBuilder
from .suppressions import find_suppressions

_QUOTE_LINE = regex.compile(r"[ \t]*>")  # matched at a line's start
_LINE_BREAK = regex.compile(r"\r\n?|\n")
_WROTE = regex.compile(r"^[ \t]*(?:On\b.{0,200}\bwrote:|Le\b.{0,200}\ba écrit\s?:|Am\b.{0,200}\bschrieb\b.*:)[ \t]*$",
                       regex.IGNORECASE)
_OUTLOOK_FROM = regex.compile(r"^[ \t]*\*?From:\*?[ \t]+\S")
_OUTLOOK_NEXT = regex.compile(r"^[ \t]*\*?(?:Sent|Date|To|Subject|Cc):\*?[ \t]", regex.IGNORECASE)
_ORIGINAL = regex.compile(r"^[ \t]*-{2,}[ \t]*(?:Original Message|Forwarded message)[ \t]*-{2,}", regex.IGNORECASE)
_SIGNATURE = regex.compile(r"^-- ?$")
# A hard-wrapped line: long, not ending a sentence or clause, followed by more of the same
# paragraph. Its newline reads as a space so a wrapped sentence stays one sentence.
WRAP_MIN_CHARS = 50
_CONTINUES = regex.compile(r"^[ \t]*[\p{L}\p{N}(\"'‘“]")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the line break (LF, CRLF or a lone CR)."""
    spans, pos = [], 0
    for brk in _LINE_BREAK.finditer(text):
        spans.append((pos, brk.start()))
        pos = brk.end()
    spans.append((pos, len(text)))
    return spans


def trailer_start(text: str, lines: list[tuple[int, int]]) -> tuple[int, bool] | None:
    """First line of a trailing quoted message or signature, and whether it is a quote."""
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if _SIGNATURE.match(line):
            return i, False
        if _WROTE.match(line) or _ORIGINAL.match(line):
            return i, True
        if _OUTLOOK_FROM.match(line) and i + 1 < len(lines):
            following = text[lines[i + 1][0]:lines[i + 1][1]]
            if _OUTLOOK_NEXT.match(following):
                return i, True
    return None


def _wrapped(text: str, line: tuple[int, int], following: tuple[int, int]) -> bool:
    """Whether `line` was hard-wrapped and `following` continues its sentence."""
    body = text[line[0]:line[1]].rstrip()
    return (len(body) >= WRAP_MIN_CHARS and not body.endswith((".", "!", "?", ":", ";", ","))
            and following[1] > following[0] and bool(_CONTINUES.match(text[following[0]:following[1]])))


def read_plaintext(text: str, placeholders: regex.Pattern | None = None) -> Document:
    """A plain-text reply as one segment of the agent's prose."""
    builder = ProseBuilder(text, placeholders)
    lines = _lines(text)
    trailer = trailer_start(text, lines)
    cut, is_quote = trailer if trailer else (len(lines), False)
    quoted: list[str] = [text[s:e] for s, e in lines[cut:]] if is_quote else []
    kept = lines[:cut]
    for i, (s, e) in enumerate(kept):
        following = lines[i + 1][0] if i + 1 < len(lines) else e  # where the next line starts
        if _QUOTE_LINE.match(text, s, e):
            quoted.append(regex.sub(r"^[ \t]*>+ ?", "", text[s:e]))
            builder.brk(s)
            continue
        builder.keep(s, e)
        if i + 1 < len(kept) and _wrapped(text, (s, e), kept[i + 1]):
            builder.emit(" ", e, following)
        elif following > e:
            builder.emit("\n", e, following)
    prose = builder.build()
    segment = Segment(prose=prose, source=text, quoted="\n".join(quoted).strip(),
                      suppressions=find_suppressions(text))
    return Document(source=text, segments=[segment], format="text")
