"""Markdown replies: only the agent's words are prose, each mapped back to the file as written.

Parsed with markdown-it-py (CommonMark plus tables and strikethrough, front matter plugin).
Inline text is located in the source token by token, so emphasis markers vanish without
breaking words ("**No.** we" lints as "No. we") and escapes / entities are one atom each.
Skipped: front matter, fenced and indented code, link destinations and titles (link text is
prose), images, inline HTML tags and comments; code spans, autolinks and bare URLs are opaque
words. HTML blocks go through the HTML reader (tags and comments dropped, text kept, quote
containers skipped). Blocks, table cells and `<br>` are sentence breaks. Quoted customer text
(`>` blockquotes, an "On … wrote:" trailer) is kept as context; a `-- ` signature is dropped.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import regex
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from . import Document, Segment
from .html_reader import HtmlState, TextSink, quoted_text, walk_html
from .plaintext import trailer_start
from .prose import ProseBuilder
from .suppressions import find_suppressions

if TYPE_CHECKING:
    from ..options import ReadOptions

_NEWLINE = regex.compile(r"\r\n?|\n")
_QUOTE_MARKS = regex.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:>[ \t]?)+", regex.MULTILINE)
_BR = regex.compile(r"<br\b", regex.IGNORECASE)
_RAW_BLOCKS = frozenset({"front_matter", "fence", "code_block", "html_block"})


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)
    md.disable("text_join")  # keep entities and escapes as their own tokens
    return md


class _Lines:
    """Line spans of the source, numbered as markdown-it numbers them (\\r\\n, \\r, \\n)."""

    def __init__(self, text: str) -> None:
        self.starts, self.ends = [0], []
        for m in _NEWLINE.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))
        self.length = len(text)

    def __len__(self) -> int:
        return len(self.starts)

    def start(self, line: int) -> int:
        return self.starts[line] if line < len(self.starts) else self.length

    def end(self, line: int) -> int:
        return self.ends[line] if line < len(self.ends) else self.length


@dataclass(frozen=True, slots=True)
class _Piece:
    """content[c_start:c_start+length] is source[s_start:s_start+length]."""

    c_start: int
    s_start: int
    length: int


@dataclass
class _ContentMap:
    """Where an inline token's content (block prefixes stripped) sits in the source."""

    pieces: list[_Piece] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)  # content offset of each content line
    source_lines: list[tuple[int, int]] = field(default_factory=list)  # source span of each line's text
    _starts: list[int] = field(default_factory=list)

    def _first(self, c: int) -> int:
        """Index of the first piece that may hold content offset `c` (pieces are in order)."""
        if len(self._starts) != len(self.pieces):
            self._starts = [p.c_start for p in self.pieces]
        return max(bisect_right(self._starts, c) - 1, 0)

    def point(self, c: int) -> int | None:
        spans = self.spans(c, c + 1)
        return spans[0][0] if spans else None

    def spans(self, c_start: int, c_end: int) -> list[tuple[int, int]]:
        """Source spans holding content[c_start:c_end], piece by piece."""
        out = []
        for p in self.pieces[self._first(c_start):]:
            if p.c_start >= c_end:
                break
            lo, hi = max(c_start, p.c_start), min(c_end, p.c_start + p.length)
            if lo < hi:
                out.append((p.s_start + lo - p.c_start, p.s_start + hi - p.c_start))
        return out

    def cover(self, c_start: int, c_end: int) -> tuple[int, int] | None:
        """One source span from content[c_start] to content[c_end - 1]."""
        spans = self.spans(c_start, c_end)
        return (spans[0][0], spans[-1][1]) if spans else None

    def line_break(self, c: int) -> tuple[int, int] | None:
        """Source span of the line break at content offset `c` (newline plus next line's prefix)."""
        i = bisect_right(self.line_starts, c) - 1
        if i + 1 >= len(self.source_lines):
            return None
        return self.source_lines[i][1], self.source_lines[i + 1][0]


def _align_line(source: str, ls: int, le: int, line: str, cursor: int) -> tuple[int, int] | None:
    """(source offset, chars skipped) of a content line within source line [ls, le)."""
    stripped_end = ls + len(source[ls:le].rstrip())
    for candidate, skipped in ((line, 0), (line.lstrip(" "), len(line) - len(line.lstrip(" ")))):
        if not candidate:
            continue
        for end in (le, stripped_end):
            if source.startswith(candidate, end - len(candidate)) and end - len(candidate) >= cursor:
                return end - len(candidate), skipped
        found = source.find(candidate, cursor, le)
        if found >= 0:
            return found, skipped
    return None


def _align_block(source: str, lines: _Lines, token: Token) -> _ContentMap:
    """Map a paragraph's or heading's content, line by line, to the source."""
    cmap = _ContentMap()
    first = token.map[0] if token.map else 0
    c_pos = 0
    for k, line in enumerate(token.content.split("\n")):
        ls, le = lines.start(first + k), lines.end(first + k)
        cmap.line_starts.append(c_pos)
        found = _align_line(source, ls, le, line, ls)
        if found:
            s, skipped = found
            cmap.pieces.append(_Piece(c_pos + skipped, s, len(line) - skipped))
            cmap.source_lines.append((s, s + len(line) - skipped))
        else:
            cmap.source_lines.append((le, le))
        c_pos += len(line) + 1
    return cmap


def _align_cell(source: str, content: str, cursor: int, end: int) -> tuple[_ContentMap, int]:
    """Map a table cell's content (where `\\|` became `|`) to the source after `cursor`."""
    cmap = _ContentMap(line_starts=[0])
    if not content:
        return cmap, cursor
    pattern = "".join(r"\\?\|" if ch == "|" else regex.escape(ch) for ch in content)
    m = regex.compile(pattern).search(source, cursor, end)
    if not m:
        return cmap, cursor
    s, c = m.start(), 0
    while c < len(content):
        if source[s] == "\\" and content[c] == "|":
            s += 1
        run = 0
        while c + run < len(content) and source[s + run] == content[c + run] and source[s + run] != "\\":
            run += 1
        run = max(run, 1)
        cmap.pieces.append(_Piece(c, s, run))
        c, s = c + run, s + run
    cmap.source_lines.append((m.start(), m.end()))
    return cmap, m.end()


def _link_tail(content: str, i: int) -> int:
    """Offset just past a link's `(destination "title")` or `[label]` starting at `i`."""
    n = len(content)

    def skip_ws(j: int) -> int:
        while j < n and content[j] in " \t\n":
            j += 1
        return j

    if i < n and content[i] == "(":
        j = skip_ws(i + 1)
        dest = parseLinkDestination(content, j, n)
        if dest.ok:
            j = skip_ws(dest.pos)
        if j < n and content[j] in "\"'(":
            title = parseLinkTitle(content, j, n)
            if title.ok:
                j = skip_ws(title.pos)
        if j < n and content[j] == ")":
            return j + 1
        close = content.find(")", i)
        return close + 1 if close >= 0 else i
    if i < n and content[i] == "[":
        close = content.find("]", i)
        return close + 1 if close >= 0 else i
    return i


def _close_bracket(content: str, i: int) -> int:
    """Offset of the `]` matching the `[` just before `i`, or -1."""
    depth, j = 1, i
    while j < len(content):
        ch = content[j]
        if ch == "\\":
            j += 2
            continue
        depth += (ch == "[") - (ch == "]")
        if depth == 0:
            return j
        j += 1
    return -1


class _Inline:
    """Walks one inline token's children, sending their prose to the sink."""

    def __init__(self, content: str, cmap: _ContentMap, sink: TextSink) -> None:
        self.content, self.cmap, self.sink = content, cmap, sink
        self.cur = 0
        self.in_autolink = False

    def find(self, needle: str) -> int | None:
        if not needle:
            return None
        found = self.content.find(needle, self.cur)
        return found if found >= 0 else None

    def run(self, children: list[Token]) -> None:
        for child in children:
            if self.in_autolink:
                self.in_autolink = child.type != "link_close"
                continue
            handler = _HANDLERS.get(child.type)
            if handler is not None:
                getattr(self, handler)(child)
            elif child.markup and child.nesting:
                self._markup(child)

    def _text(self, token: Token) -> None:
        p = self.find(token.content)
        if p is None:
            return
        for s, e in self.cmap.spans(p, p + len(token.content)):
            self.sink.text(s, e)
        self.cur = p + len(token.content)

    def _text_special(self, token: Token) -> None:
        p = self.find(token.markup)
        if p is None:
            return
        self.cur = p + len(token.markup)
        span = self.cmap.cover(p, self.cur)
        if span:
            self.sink.char(token.content, *span)

    def _softbreak(self, token: Token, hard: bool = False) -> None:
        p = self.find("\n")
        if p is None:
            return
        self.cur = p + 1
        span = self.cmap.line_break(p)
        if span:
            (self.sink.newline if hard else self.sink.space)(*span)

    def _hardbreak(self, token: Token) -> None:
        self._softbreak(token, hard=True)

    def _code_inline(self, token: Token) -> None:
        p = self.find(token.markup)
        if p is None:
            return
        fence = regex.escape(token.markup)
        close = regex.compile(rf"(?<!`){fence}(?!`)").search(self.content, p + len(token.markup))
        self.cur = close.end() if close else p + len(token.markup)
        self._opaque(p, self.cur)

    def _opaque(self, c_start: int, c_end: int) -> None:
        span = self.cmap.cover(c_start, c_end)
        if span:
            self.sink.opaque(*span)

    def _markup(self, token: Token) -> None:
        p = self.find(token.markup)
        if p is not None:
            self.cur = p + len(token.markup)

    def _link_open(self, token: Token) -> None:
        if token.markup == "autolink":
            p = self.find("<")
            close = self.content.find(">", p) if p is not None else -1
            if p is not None and close >= 0:
                self.cur = close + 1
                self._opaque(p, self.cur)
            self.in_autolink = True
            return
        p = self.find("[")
        if p is not None:
            self.cur = p + 1

    def _link_close(self, token: Token) -> None:
        p = self.find("]")
        if p is not None:
            self.cur = _link_tail(self.content, p + 1)

    def _image(self, token: Token) -> None:
        p = self.find("![")
        if p is None:
            return
        close = _close_bracket(self.content, p + 2)
        self.cur = _link_tail(self.content, close + 1) if close >= 0 else p + 2

    def _html_inline(self, token: Token) -> None:
        p = self.find(token.content)
        if p is None:
            return
        self.cur = p + len(token.content)
        if _BR.match(token.content):
            at = self.cmap.point(p)
            if at is not None:
                self.sink.brk(at)


_HANDLERS = {t: "_" + t for t in ("text", "text_special", "softbreak", "hardbreak", "code_inline",
                                  "link_open", "link_close", "image", "html_inline")}


class _Reader:
    """Walks the block tokens of one Markdown document."""

    def __init__(self, text: str, lines: _Lines, sink: TextSink) -> None:
        self.text, self.lines, self.sink = text, lines, sink
        self.html = HtmlState(sink)
        self.quoted: list[str] = self.html.quoted
        self.in_cell = False
        self.cell_cursor = 0

    def run(self, tokens: list[Token]) -> None:
        depth = 0  # blockquote nesting
        for token in tokens:
            if token.type == "blockquote_open":
                if depth == 0:
                    self._blockquote(token)
                depth += 1
            elif token.type == "blockquote_close":
                depth -= 1
            elif depth == 0:
                self._block(token)

    def _blockquote(self, token: Token) -> None:
        if not token.map:
            return
        start, end = self.lines.start(token.map[0]), self.lines.start(token.map[1])
        self.sink.brk(start)
        self.quoted.extend(["\n", _QUOTE_MARKS.sub("", self.text[start:end]), "\n"])

    def _block(self, token: Token) -> None:
        if token.type in ("th_open", "td_open", "th_close", "td_close"):
            self.in_cell = token.nesting == 1
        if token.type == "inline":
            self._inline(token)
        elif token.type == "html_block" and token.map:
            start, end = self.lines.start(token.map[0]), self.lines.start(token.map[1])
            self.sink.brk(start)
            walk_html(self.html, start, end)
            self.sink.brk(end)
        elif token.map:
            self.sink.brk(self.lines.start(token.map[0]))

    def _inline(self, token: Token) -> None:
        absorbing = self.html.absorbing()  # inside an HTML quote container opened earlier
        if absorbing:
            if absorbing == "quote":
                self.quoted.extend(["\n", token.content, "\n"])
            return
        if self.in_cell and token.map:
            line = token.map[0]
            self.cell_cursor = max(self.cell_cursor, self.lines.start(line))
            cmap, self.cell_cursor = _align_cell(self.text, token.content, self.cell_cursor, self.lines.end(line))
        else:
            cmap = _align_block(self.text, self.lines, token)
        at = cmap.pieces[0].s_start if cmap.pieces else self.lines.start(token.map[0] if token.map else 0)
        self.sink.brk(at)
        _Inline(token.content, cmap, self.sink).run(token.children or [])


def _trailer_line(text: str, lines: _Lines, tokens: list[Token]) -> tuple[int, bool] | None:
    """The line where a signature or quoted message starts, outside code and raw blocks."""
    raw: set[int] = set()
    for token in tokens:
        if token.type in _RAW_BLOCKS and token.map:
            raw.update(range(*token.map))
    numbers = [i for i in range(len(lines)) if i not in raw]
    found = trailer_start(text, [(lines.start(i), lines.end(i)) for i in numbers])
    return (numbers[found[0]], found[1]) if found else None


def read_markdown(text: str, options: ReadOptions) -> Document:
    """A Markdown reply as one segment of the agent's prose."""
    md = _markdown()
    search = text.replace("\0", "\ufffd")  # what markdown-it sees, offset for offset
    lines = _Lines(search)
    tokens = md.parse(search)
    trailer = _trailer_line(search, lines, tokens)
    trailer_text = ""
    if trailer:
        cut = lines.start(trailer[0])
        tokens = md.parse(search[:cut])
        trailer_text = text[cut:] if trailer[1] else ""
    builder = ProseBuilder(text)  # the sink cuts out placeholders itself
    reader = _Reader(search, lines, TextSink(builder, options.placeholders))
    reader.run(tokens)
    quoted = [*reader.quoted, "\n", _QUOTE_MARKS.sub("", trailer_text)]
    segment = Segment(prose=builder.build(), source=text, quoted=quoted_text(quoted),
                      suppressions=find_suppressions(text))
    return Document(source=text, segments=[segment], format="markdown")
