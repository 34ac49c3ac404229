"""Helpdesk ticket exports as audit replies: which messages of a Zendesk ticket, Help Scout
conversation or Freshdesk ticket are the agent's sent replies, what the customer said before
each, who sent it and when.

The vendor knowledge is the same as `inputs/bundles/tickets.py` (read it for the shapes), but that
module reads a whole file with every string located for fixes; an audit streams one parsed ticket
at a time and needs groups and times instead. Only public agent replies are replies; internal
notes are skipped; the customer's turns since the previous agent reply are the reply's context.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..inputs.bundles.shapes import looks_html
from ..inputs.documents.html_reader import read_html
from ..inputs.options import ReadOptions
from .model import BadRow, Mapping, SourceReply
from .timestamps import iso_time

_LANG_CODE = re.compile(r"auto|[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?")
HELPDESK_GROUPS = ("agent", "team")  # the groups a ticket export gives when `Mapping.by` names none
_HTML_OPTIONS = ReadOptions()


@dataclass(frozen=True, slots=True)
class _Turn:
    """One message of a ticket: where it is in the export, whose it is, its text and record."""

    position: str  # "comment 3": the message's place in the export's list, 1-based
    customer: bool
    text: str | None  # None: the message has a body that is not text
    record: dict[str, Any] | None  # None: the message is not an object
    reply_id: str
    created: str


@dataclass(frozen=True, slots=True)
class _Ticket:
    """A ticket's label (`ticket 7`), record, turns in the order written, and default groups."""

    label: str  # "ticket 7", or "" when the export names none
    record: dict[str, Any]
    turns: list[_Turn]
    agent: Callable[[dict[str, Any]], str]
    team: str


def dig(record: Any, name: str) -> Any:
    """`record[name]`, or the dotted path `a.b` into nested objects; None when absent."""
    if not isinstance(record, dict):
        return None
    if name in record:
        return record[name]
    head, _, rest = name.partition(".")
    return dig(record.get(head), rest) if rest else None


def cell(value: Any) -> str:
    """A scalar as group text ("" for none); lists and objects are not group values."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plain_text(value: Any, html: bool) -> str | None:
    """A message body as plain text: HTML bodies (and plain ones that look like HTML) through the
    HTML reader; None for a body that is not a string."""
    if not isinstance(value, str):
        return None
    if html or looks_html(value):
        return read_html(value, _HTML_OPTIONS).segments[0].prose.text.strip()
    return value.strip()


def _body(record: dict[str, Any], *keys: tuple[str, bool]) -> str | None:
    """The first of `keys` present; "" when none is (a message with attachments only)."""
    for key, html in keys:
        if record.get(key) not in (None, ""):
            return plain_text(record[key], html)
    return ""


def _label(kind: str, value: Any) -> str:
    """`ticket 7`; "" when the export gives no id (the record's own location stands in)."""
    own = cell(value)
    return f"{kind} {own}" if own else ""


def _names(items: Any, wanted: Callable[[dict[str, Any]], bool] = lambda _: True) -> dict[Any, str]:
    if not isinstance(items, list):
        return {}
    return {i.get("id"): cell(i.get("name")) for i in items if isinstance(i, dict) and wanted(i)}


# --- Zendesk: {"ticket": {...}, "comments": [...], "users": [...]} or a ticket with comments ---
def _zendesk(node: dict[str, Any]) -> _Ticket | None:
    comments = node.get("comments")
    if not (isinstance(comments, list) and any(isinstance(c, dict) and "author_id" in c for c in comments)):
        return None
    ticket = node["ticket"] if isinstance(node.get("ticket"), dict) else node
    requester = ticket.get("requester_id")
    users = node.get("users", ticket.get("users"))
    end_users = set(_names(users, lambda u: u.get("role") == "end-user"))
    names = _names(users)
    label = _label("ticket", ticket.get("id"))
    turns = []
    for n, comment in enumerate(comments, 1):
        if not isinstance(comment, dict):
            turns.append(_Turn(f"comment {n}", False, None, None, "", ""))
            continue
        author = comment.get("author_id")
        customer = author is not None and (author == requester or author in end_users)
        if not customer and comment.get("public") is False:
            continue  # an internal note
        text = _body(comment, ("plain_body", False), ("body", False), ("html_body", True))
        turns.append(_Turn(f"comment {n}", customer, text, comment, cell(comment.get("id")),
                           cell(comment.get("created_at"))))
    team = _names(node.get("groups")).get(ticket.get("group_id")) or cell(ticket.get("group_id"))
    agent = lambda c: names.get(c.get("author_id")) or cell(c.get("author_id"))  # noqa: E731
    return _Ticket(label, ticket, turns, agent, team)


# --- Help Scout: a conversation with _embedded.threads (newest first in the API) -------------
def _helpscout(node: dict[str, Any]) -> _Ticket | None:
    threads = dig(node, "_embedded.threads")
    if not (isinstance(threads, list) and any(isinstance(t, dict) and "type" in t for t in threads)):
        return None
    label = _label("conversation", node.get("number", node.get("id")))
    turns = []
    for n, thread in enumerate(threads, 1):
        if not isinstance(thread, dict):
            turns.append(_Turn(f"thread {n}", False, None, None, "", ""))
            continue
        kind = thread.get("type")
        if kind in ("message", "reply"):
            customer = False
        elif kind == "customer" or (dig(thread, "createdBy.type") == "customer" and kind != "note"):
            customer = True
        else:
            continue  # notes, line items, forwards
        text = _body(thread, ("body", True), ("text", False))
        turns.append(_Turn(f"thread {n}", customer, text, thread, cell(thread.get("id")),
                           cell(thread.get("createdAt"))))
    if all(t.created for t in turns):
        turns.sort(key=lambda t: iso_time(t.created) or t.created)

    def agent(thread: dict[str, Any]) -> str:
        first, last = cell(dig(thread, "createdBy.first")), cell(dig(thread, "createdBy.last"))
        return f"{first} {last}".strip() or cell(dig(thread, "createdBy.id"))

    return _Ticket(label, node, turns, agent, cell(node.get("mailboxId", dig(node, "mailbox.name"))))


# --- Freshdesk: a ticket with conversations (?include=conversations) --------------------------
def _freshdesk(node: dict[str, Any]) -> _Ticket | None:
    conversations = node.get("conversations")
    if not (isinstance(conversations, list)
            and any(isinstance(c, dict) and "incoming" in c for c in conversations)):
        return None
    label = _label("ticket", node.get("id"))
    opening = _body(node, ("description_text", False), ("description", True))
    turns = [_Turn("description", True, opening, node, "", cell(node.get("created_at")))] if opening else []
    requester = node.get("requester_id")
    for n, item in enumerate(conversations, 1):
        if not isinstance(item, dict):
            turns.append(_Turn(f"conversation {n}", False, None, None, "", ""))
            continue
        customer = item.get("incoming") is True or (requester is not None and item.get("user_id") == requester)
        if not customer and item.get("private") is True:
            continue  # a private note
        text = _body(item, ("body_text", False), ("body", True))
        turns.append(_Turn(f"conversation {n}", customer, text, item, cell(item.get("id")),
                           cell(item.get("created_at"))))
    return _Ticket(label, node, turns, lambda c: cell(c.get("user_id")), cell(node.get("group_id")))


def reply_lang(record: Any, mapping: Mapping) -> str | None:
    """A reply's language: the record's `Mapping.lang` field when it has one; else `Mapping.lang`
    itself when it is a language code (`en`, `pt-BR`, `auto`: one language for the whole run)."""
    if not mapping.lang:
        return None
    own = cell(dig(record, mapping.lang))
    if own:
        return own
    return mapping.lang if _LANG_CODE.fullmatch(mapping.lang) else None


_SHAPES = (_zendesk, _helpscout, _freshdesk)


def _groups(mapping: Mapping, ticket: _Ticket, turn: _Turn) -> dict[str, str]:
    """`agent` and `team` from the export's own fields; other names from the message, then the
    ticket (dotted paths reach into objects: `via.channel`)."""
    found = {}
    for name in mapping.by or HELPDESK_GROUPS:
        if name == "agent" and dig(turn.record, name) is None:
            found[name] = ticket.agent(turn.record)
        elif name == "team" and dig(turn.record, name) is None:
            found[name] = ticket.team
        else:
            own = dig(turn.record, name)
            found[name] = cell(own if own is not None else dig(ticket.record, name))
    return found


def ticket_replies(node: dict[str, Any], file: str, mapping: Mapping,
                   record_location: str) -> Iterator[SourceReply | BadRow] | None:
    """The agent replies of one ticket record, located `file:ticket ID comment N` (or
    `RECORD_LOCATION comment N` for a ticket without an id); None when the record is no ticket
    this module knows."""
    ticket = next((t for shape in _SHAPES if (t := shape(node)) is not None), None)
    if ticket is None:
        return None
    return _replies(ticket, f"{file}:{ticket.label}" if ticket.label else record_location, mapping)


def _replies(ticket: _Ticket, where: str, mapping: Mapping) -> Iterator[SourceReply | BadRow]:
    said: list[str] = []
    for turn in ticket.turns:
        location = f"{where} {turn.position}"
        if turn.record is None:
            yield BadRow(location, "not an object")
        elif turn.customer:
            if turn.text:
                said.append(turn.text)
        elif turn.text is None:
            yield BadRow(location, "its body is not text")
        elif turn.text:
            yield SourceReply(
                id=turn.reply_id or location, text=turn.text,
                context="\n\n".join(said), groups=_groups(mapping, ticket, turn), time=iso_time(turn.created),
                location=location, lang=reply_lang(turn.record, mapping))
            said = []
