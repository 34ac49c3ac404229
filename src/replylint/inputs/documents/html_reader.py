"""HTML replies, and the rendered-text sink the markup readers share: only the agent's words are prose.

Text is read with the standard library's HTMLParser, entities decoded one atom per entity so
offsets stay exact. Block tags and `<br>` are sentence breaks; runs of whitespace are one space;
placeholders, URLs, e-mail addresses and `<code>` elements are opaque words. Skipped:
`<script>`, `<style>`, `<head>` and other non-prose elements, `<pre>`, comments, and signature
containers (`gmail_signature`, `moz-signature`). Quoted customer text is skipped but kept as
context: `<blockquote>`, any element whose class contains `gmail_quote`, `yahoo_quoted` or
`moz-cite-prefix`, everything from Outlook's `<div id="appendonsend">` / `divRplyFwdMsg` on,
and plain-text trailers in the rendered prose ("On … wrote:", "From: … Sent: …", `-- `).
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import regex

from replylint.errors import DocumentError

from . import Document, Segment
from .plaintext import trailer_start
from .prose import Prose, ProseBuilder, Run, cut
from .suppressions import find_suppressions

if TYPE_CHECKING:
    from ..options import ReadOptions



def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


BLOCK_TAGS = _tags(
    "address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul"
)
VOID_TAGS = _tags("area base br col embed hr img input keygen link meta param source track wbr")
DROP_TAGS = _tags("script style head title template noscript svg math object iframe select textarea pre")
CODE_TAGS = frozenset({"code", "kbd", "samp", "tt"})
QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix")
SIGNATURE_CLASSES = ("gmail_signature", "moz-signature")
TRAILER_IDS = frozenset({"appendonsend", "divrplyfwdmsg"})
MAX_RECOVERIES = 200

URL = regex.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"]*[^\s<>\"'.,;:!?)\]}]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
)
_SPACE = regex.compile(r"\s+")
_ENTITY = regex.compile(r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?")


class TextSink:
    """Feeds source text to a ProseBuilder as a renderer shows it: whitespace runs become one
    space, placeholders / URLs / code become opaque words, template tags vanish."""

    def __init__(self, builder: ProseBuilder, placeholders: regex.Pattern | None) -> None:
        self.builder = builder
        self.source = builder.source
        self.placeholders = placeholders
        self._at_space = True

    def text(self, start: int, end: int) -> None:
        """Literal source text (no markup, no entities) in source[start:end]."""
        if self.placeholders is None:
            self._plain(start, end)
            return
        for s, e, m in cut(self.placeholders, self.source, start, end):
            if m is None:
                self._plain(s, e)
            elif not m.groupdict().get("tag"):
                self.opaque(s, e)

    def _plain(self, start: int, end: int) -> None:
        for s, e, m in cut(URL, self.source, start, end):
            if m is None:
                self._words(s, e)
            else:
                self.opaque(s, e)

    def _words(self, start: int, end: int) -> None:
        for s, e, m in cut(_SPACE, self.source, start, end):
            if m is None:
                self._keep(s, e)
            else:
                self.space(s, e)

    def _keep(self, start: int, end: int) -> None:
        if end > start:
            self.builder.keep(start, end)
            self._at_space = False

    def char(self, decoded: str, start: int, end: int) -> None:
        """Decoded text (an entity, an escape) standing for source[start:end]."""
        if not decoded:
            return
        if decoded.isspace():
            self.space(start, end)
        else:
            self.builder.emit(decoded, start, end)
            self._at_space = False

    def space(self, start: int, end: int) -> None:
        """One space for source[start:end], unless the prose already ends in whitespace."""
        if not self._at_space:
            self.builder.emit(" ", start, end)
            self._at_space = True

    def newline(self, start: int, end: int) -> None:
        """A line break (not a sentence break) for source[start:end]."""
        self.builder.emit("\n", start, end)
        self._at_space = True

    def opaque(self, start: int, end: int) -> None:
        """One opaque word for source[start:end]: never breaks a sentence, never matches a rule."""
        if end > start:
            self.builder.placeholder(start, end)
            self._at_space = False

    def brk(self, at: int) -> None:
        self.builder.brk(at)
        self._at_space = True


@dataclass
class _Skip:
    """An element whose content is not prose: `depth` counts nested elements of the same tag."""

    tag: str
    kind: str  # "drop", "quote" or "code"
    start: int
    depth: int = 1


@dataclass
class HtmlState:
    """What survives from one parser to the next: the sink, quoted text and the open skip."""

    sink: TextSink
    quoted: list[str] = field(default_factory=list)
    skip: _Skip | None = None
    trailer: bool = False

    def absorbing(self) -> str | None:
        """"quote" when text is quoted customer text, "drop" when it is hidden, else None."""
        if self.trailer:
            return "quote"
        return self.skip.kind if self.skip else None


def _has_class(attrs: dict[str, str], names: tuple[str, ...]) -> bool:
    classes = attrs.get("class", "")
    return any(name in classes for name in names)


def _skip_kind(tag: str, attrs: dict[str, str]) -> str | None:
    """What an opening tag starts: "trailer", "quote", "drop", "code" or nothing special."""
    if attrs.get("id", "").lower() in TRAILER_IDS:
        return "trailer"
    if tag in VOID_TAGS:
        return None
    if tag == "blockquote" or _has_class(attrs, QUOTE_CLASSES):
        return "quote"
    if tag in DROP_TAGS or _has_class(attrs, SIGNATURE_CLASSES):
        return "drop"
    return "code" if tag in CODE_TAGS else None


class _Walker(HTMLParser):
    """One parse of source[base:end], writing prose and quoted text into an HtmlState."""

    def __init__(self, state: HtmlState, base: int, end: int) -> None:
        super().__init__(convert_charrefs=False)
        self.state = state
        self.source = state.sink.source
        self.base = base
        self.end = end
        chunk = self.source[base:end]
        self._starts = [0, *(i + 1 for i, ch in enumerate(chunk) if ch == "\n")]
        if state.skip and state.skip.tag in self.CDATA_CONTENT_ELEMENTS:
            self.set_cdata_mode(state.skip.tag)

    def run(self) -> None:
        self.feed(self.source[self.base:self.end])
        self.close()

    def source_offset(self) -> int:
        """Source offset of the construct being handled."""
        line, column = self.getpos()
        return self.base + self._starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        state, pos = self.state, self.source_offset()
        if state.trailer:
            self._quoted_break(tag)
            return
        if state.skip:
            if state.skip.tag == "head" and tag == "body":
                state.skip = None
            else:
                state.skip.depth += state.skip.tag == tag
                self._quoted_break(tag)
                return
        kind = _skip_kind(tag, {k: v or "" for k, v in attrs})
        if kind == "trailer":
            state.trailer = True
            state.sink.brk(pos)
        elif kind:
            state.skip = _Skip(tag, kind, pos)
            if kind != "code":
                state.sink.brk(pos)
        elif tag in BLOCK_TAGS:
            state.sink.brk(pos)
        if kind in ("trailer", "quote"):
            state.quoted.append("\n")

    def handle_endtag(self, tag: str) -> None:
        state, pos = self.state, self.source_offset()
        skip = state.skip
        if state.trailer or (skip and skip.tag != tag):
            self._quoted_break(tag)
            return
        if skip:
            skip.depth -= 1
            if skip.depth > 0:
                self._quoted_break(tag)
                return
            state.skip = None
            if skip.kind == "quote":
                state.quoted.append("\n")
            if skip.kind == "code":
                close = self.source.find(">", pos, self.end)
                state.sink.opaque(skip.start, close + 1 if close >= 0 else self.end)
                return
        if skip or tag in BLOCK_TAGS:
            state.sink.brk(pos)

    def _quoted_break(self, tag: str) -> None:
        if tag in BLOCK_TAGS and self.state.absorbing() == "quote":
            self.state.quoted.append("\n")

    def handle_data(self, data: str) -> None:
        start = self.source_offset()
        end = start + len(data)
        if self.source[start:end] != data:  # never expected; better no prose than wrong offsets
            return
        absorbing = self.state.absorbing()
        if absorbing == "quote":
            self.state.quoted.append(html.unescape(data))
        elif absorbing is None:
            self._text(start, end)

    def _text(self, start: int, end: int) -> None:
        """Text that may still hold entities (the parser leaves a few, e.g. at the very end)."""
        pos = start
        for m in _ENTITY.finditer(self.source, start, end):
            decoded = html.unescape(m.group())
            if decoded != m.group():
                self.state.sink.text(pos, m.start())
                self.state.sink.char(decoded, m.start(), m.end())
                pos = m.end()
        self.state.sink.text(pos, end)

    def _reference(self, prefix: str, name: str) -> None:
        start = self.source_offset()
        end = start + len(prefix) + len(name)
        if self.source.startswith(";", end):
            end += 1
        decoded = html.unescape(self.source[start:end])
        absorbing = self.state.absorbing()
        if absorbing == "quote":
            self.state.quoted.append(decoded)
        elif absorbing is None:
            self.state.sink.char(decoded, start, end)

    def handle_entityref(self, name: str) -> None:
        self._reference("&", name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#", name)


def walk_html(state: HtmlState, start: int, end: int) -> None:
    """Read source[start:end] as HTML into `state`, recovering from constructs the parser rejects.

    Raises DocumentError only when the input keeps defeating the parser.
    """
    pos = start
    for _ in range(MAX_RECOVERIES):
        walker = _Walker(state, pos, end)
        try:
            walker.run()
            break
        except (AssertionError, ValueError, IndexError) as exc:
            bad = max(walker.source_offset(), pos)
            if state.absorbing() is None:
                state.sink.brk(bad)
            close = state.sink.source.find(">", bad, end)
            pos = close + 1 if close >= 0 else bad + 1  # drop the offending construct and read on
            last_error = exc
    else:
        line = state.sink.source.count("\n", 0, pos) + 1
        raise DocumentError(f"unreadable HTML near line {line}: {last_error}")
    if state.skip and state.skip.kind == "code":
        state.sink.opaque(state.skip.start, end)
        state.skip = None


def truncate(prose: Prose, cut: int) -> Prose:
    """The first `cut` chars of a prose, with its map."""
    runs: list[Run] = []
    for run in prose.runs:
        if run.p_start >= cut:
            break
        if run.p_end <= cut:
            runs.append(run)
        elif run.exact:
            runs.append(Run(run.p_start, cut, run.s_start, run.s_start + cut - run.p_start, True))
        else:
            runs.append(Run(run.p_start, cut, run.s_start, run.s_end, False))
    return Prose(prose.text[:cut], tuple(runs))


def cut_trailer(prose: Prose) -> tuple[Prose, str]:
    """Prose without a plain-text trailer (quoted message or signature), and the quoted part."""
    lines = [(m.start(), m.end()) for m in regex.finditer(r"[^\n]*\S[^\n]*", prose.text)]
    found = trailer_start(prose.text, lines)
    if found is None:
        return prose, ""
    index, is_quote = found
    cut = lines[index][0]
    return truncate(prose, cut), prose.text[cut:] if is_quote else ""


def quoted_text(parts: list[str]) -> str:
    """Quoted fragments as tidy text: one line per block, whitespace collapsed."""
    lines = ("".join(parts)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def escape_html(text: str) -> str:
    """A replacement made safe to write into HTML text."""
    return html.escape(text, quote=False)


def read_html(text: str, options: ReadOptions) -> Document:
    """An HTML reply (a full page or a fragment) as one segment of the agent's prose."""
    builder = ProseBuilder(text)  # the sink cuts out placeholders itself
    state = HtmlState(TextSink(builder, options.placeholders))
    walk_html(state, 0, len(text))
    prose, trailer = cut_trailer(builder.build())
    segment = Segment(prose=prose, source=text, quoted=quoted_text([*state.quoted, "\n", trailer]),
                      suppressions=find_suppressions(text), escape=escape_html)
    return Document(source=text, segments=[segment], format="html")

