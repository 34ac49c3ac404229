"""Turning a bundle's responses into segments: each body read as text or HTML, mapped through to the file."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..documents import Document, Segment
from ..documents.plaintext import read_plaintext
from ..documents.prose import Escaper
from ..documents.readers import ReadOptions, readers
from ..documents.suppressions import Suppression
from .located import Located
from .shapes import Body, Response, find_responses

HtmlReader = Callable[[str, ReadOptions], Document]


def _escaper(inner: Escaper, outer: Escaper) -> Escaper:
    return lambda text: outer(inner(text))


def body_segments(source: str, body: Body, response: Response, options: ReadOptions,
                  html_reader: HtmlReader | None) -> list[Segment]:
    """The segments of one body: its prose (read as HTML or plain text) over the decoded value, mapped into `source`."""
    decoded = str(body.value)
    if not decoded.strip():
        return []
    outer = body.value.outer(source)
    if body.html and html_reader is not None:
        inner_doc = html_reader(decoded, options)
    else:
        inner_doc = read_plaintext(decoded, options.placeholders)
    ignore = (Suppression(0, len(decoded), response.ignore),) if response.ignore else ()
    return [Segment(prose=inner.prose, source=decoded, outer=outer, label=response.label, lang=response.lang,
                    quoted=inner.quoted, suppressions=(*inner.suppressions, *ignore),
                    escape=_escaper(inner.escape, body.value.escape))
            for inner in inner_doc.segments]


def _has_text(root: Any) -> bool:
    """Whether any string in the data has text; each list or map looked at once (aliases share them)."""
    pending, seen = [root], set()
    while pending:
        node = pending.pop()
        if isinstance(node, Located):
            if node.strip():
                return True
        elif isinstance(node, dict | list) and id(node) not in seen:
            seen.add(id(node))
            pending.extend(node.values() if isinstance(node, dict) else node)
    return False


class NotABundle(ValueError):
    """A readable JSON / YAML / CSV file holding no canned responses (say, a package.json)."""


def bundle_document(source: str, roots: list[Any], options: ReadOptions, fmt: str) -> Document:
    """A document with one segment per response body found in the parsed `roots`."""
    html_reader = readers().get("html")
    responses = [r for root in roots for r in find_responses(root, options.fields)]
    if not responses and any(_has_text(root) for root in roots):
        what = "a column" if fmt == "csv" else "objects with a field"
        raise NotABundle("no canned responses found (expected a Zendesk, Gorgias, Help Scout or Freshdesk "
                         f"export, or {what} named {', '.join(options.fields.body)})")
    segments = [segment for response in responses for body in response.bodies
                for segment in body_segments(source, body, response, options, html_reader)]
    return Document(source=source, segments=segments, format=fmt)
