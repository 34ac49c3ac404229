"""Turning a bundle's responses into segments: each body read as text or HTML, mapped through to the file."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from replylint.errors import DocumentError

from ..documents import Document, Segment
from ..documents.html_reader import read_html
from ..documents.plaintext import read_plaintext
from ..documents.prose import Escaper
from ..documents.suppressions import Suppression
from ..options import ReadOptions
from .located import Located
from .shapes import Body, Response, find_responses
from .tickets import Ticket, find_tickets

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


class NotABundle(DocumentError):
    """A readable JSON / YAML / CSV file holding no canned responses (say, a package.json):
    it parses, but cannot be read as a bundle."""


def _customer_text(source: str, body: Body, options: ReadOptions, html_reader: HtmlReader | None) -> str:
    """A customer turn's words, read like a reply (HTML tags, quoted history and signature left out)."""
    response = Response("ticket", "", None, frozenset(), (body,))
    return "\n".join(s.prose.text.strip() for s in body_segments(source, body, response, options, html_reader)).strip()


def ticket_segments(source: str, ticket: Ticket, options: ReadOptions, html_reader: HtmlReader | None) -> list[Segment]:
    """One segment per public agent reply of a ticket, its context the customer's turns since
    the agent's previous reply (threadcontext.py reads them)."""
    segments: list[Segment] = []
    waiting: list[str] = []
    for turn in ticket.turns:
        if turn.customer:
            waiting.append(_customer_text(source, turn.body, options, html_reader))
            continue
        response = Response("ticket", turn.label, None, frozenset(), (turn.body,))
        context = "\n\n".join(text for text in waiting if text)
        segments += [replace(segment, context=context)
                     for segment in body_segments(source, turn.body, response, options, html_reader)]
        waiting = []
    return segments


def bundle_document(source: str, roots: list[Any], options: ReadOptions, fmt: str) -> Document:
    """A document with one segment per response body found in the parsed `roots`, or per agent
    reply of the tickets in a ticket export."""
    html_reader = read_html
    segments: list[Segment] = []
    found = False
    for root in roots:
        tickets = find_tickets(root)
        if tickets:
            found = True
            segments += [s for ticket in tickets for s in ticket_segments(source, ticket, options, html_reader)]
            continue
        responses = find_responses(root, options.fields)
        found = found or bool(responses)
        segments += [segment for response in responses for body in response.bodies
                     for segment in body_segments(source, body, response, options, html_reader)]
    if not found and any(_has_text(root) for root in roots):
        what = "a column" if fmt == "csv" else "objects with a field"
        raise NotABundle("no canned responses found (expected a Zendesk, Gorgias, Help Scout or Freshdesk "
                         f"export or ticket export, or {what} named {', '.join(options.fields.body)})")
    return Document(source=source, segments=segments, format=fmt)
