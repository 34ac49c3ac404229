"""Ticket exports: a helpdesk conversation in order, its turns told apart by author role.

A ticket export holds the whole thread, the customer's messages and the agent's replies. Each
public agent reply is checked with the customer's turns since the previous agent reply as its
thread context (docs/coaching.md#thread-context); customer turns are context, never checked;
internal notes are neither. The shapes, from the vendors' REST APIs:

- Zendesk: a ticket (`{"ticket": {...}, "comments": [...]}`, or a ticket with its `comments`
  inside, as in a JSON export) whose comments carry `author_id`, `public` and `body` /
  `html_body` / `plain_body`. A comment is the customer's when its author is the ticket's
  `requester_id`, or an `end-user` in side-loaded `users`; an agent's when it is public.
- Help Scout: a conversation with `_embedded.threads`; a thread of `type: customer` (or
  `createdBy.type: customer`) is the customer's, `type: message` an agent reply, `note` and
  line items are skipped. The API lists threads newest first: turns go by `createdAt`.
- Freshdesk: a ticket with `conversations` (`?include=conversations`) or a bare list of
  conversations; `incoming: true` (or the ticket's `requester_id` as `user_id`) is the
  customer, `private: true` a note; the ticket's `description` is the first customer turn.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .located import Located
from .shapes import Body, looks_html


@dataclass(frozen=True)
class Turn:
    """One message of a ticket: the customer's (`customer`) or an agent's public reply."""

    customer: bool
    body: Body
    label: str
    created: str = ""


@dataclass(frozen=True)
class Ticket:
    """A ticket's turns in the order they were written."""

    label: str
    turns: tuple[Turn, ...]


def _text_body(obj: Mapping[Any, Any], *keys: tuple[str, bool]) -> Body | None:
    """The first of `keys` holding text; `True` marks an HTML field (a plain one is read as
    HTML too when it looks like it)."""
    for key, html in keys:
        value = obj.get(key)
        if isinstance(value, Located) and value.strip():
            return Body(value, html or looks_html(value))
    return None


def _label(prefix: str, value: Any, fallback: str) -> str:
    return f"{prefix} {value}" if isinstance(value, (str, int)) and not isinstance(value, bool) else fallback


def _in_order(turns: list[Turn]) -> tuple[Turn, ...]:
    """By creation time when every turn has one (ISO 8601 sorts as text), else as written."""
    if turns and all(t.created for t in turns):
        return tuple(sorted(turns, key=lambda t: t.created))
    return tuple(turns)


def _created(obj: Mapping[Any, Any], key: str) -> str:
    value = obj.get(key)
    return str(value) if isinstance(value, str) else ""


# --- Zendesk --------------------------------------------------------------------------
def _zendesk(node: Mapping[Any, Any]) -> Ticket | None:
    comments = node.get("comments")
    if not (isinstance(comments, list) and comments
            and all(isinstance(c, dict) and "author_id" in c for c in comments)):
        return None
    ticket = node.get("ticket") if isinstance(node.get("ticket"), dict) else node
    requester = ticket.get("requester_id")
    users = node.get("users") if isinstance(node.get("users"), list) else []
    end_users = {u.get("id") for u in users if isinstance(u, dict) and u.get("role") == "end-user"}
    name = _label("ticket", ticket.get("id"), "ticket")
    turns = []
    for i, comment in enumerate(comments, 1):
        body = _text_body(comment, ("body", False), ("html_body", True), ("plain_body", False))
        if body is None:
            continue
        author = comment.get("author_id")
        customer = author is not None and (author == requester or author in end_users)
        if not customer and comment.get("public") is False:
            continue  # an internal note
        turns.append(Turn(customer, body, f"{name}, {_label('comment', comment.get('id'), f'comment #{i}')}",
                          _created(comment, "created_at")))
    return Ticket(name, _in_order(turns))


# --- Help Scout -----------------------------------------------------------------------
_HELPSCOUT_CUSTOMER = {"customer"}
_HELPSCOUT_AGENT = {"message", "reply"}


def _helpscout(node: Mapping[Any, Any]) -> Ticket | None:
    embedded = node.get("_embedded")
    threads = embedded.get("threads") if isinstance(embedded, dict) else None
    if not (isinstance(threads, list) and threads
            and all(isinstance(t, dict) and "type" in t for t in threads)):
        return None
    name = _label("conversation", node.get("number", node.get("id")), "conversation")
    turns = []
    for i, thread in enumerate(threads, 1):
        kind = str(thread.get("type", ""))
        made_by = thread.get("createdBy")
        by_customer = isinstance(made_by, dict) and made_by.get("type") == "customer"
        if kind in _HELPSCOUT_CUSTOMER or (by_customer and kind not in _HELPSCOUT_AGENT):
            customer = True
        elif kind in _HELPSCOUT_AGENT:
            customer = False
        else:
            continue  # notes, line items, forwards
        body = _text_body(thread, ("body", False), ("text", False))
        if body is not None:
            turns.append(Turn(customer, body, f"{name}, {_label('thread', thread.get('id'), f'thread #{i}')}",
                              _created(thread, "createdAt")))
    return Ticket(name, _in_order(turns))


# --- Freshdesk ------------------------------------------------------------------------
def _freshdesk_turns(conversations: list[Any], requester: Any, name: str) -> list[Turn]:
    turns = []
    for i, item in enumerate(conversations, 1):
        if not isinstance(item, dict):
            continue
        customer = item.get("incoming") is True or (requester is not None and item.get("user_id") == requester)
        if not customer and item.get("private") is True:
            continue  # a private note
        body = _text_body(item, ("body", True), ("body_text", False))
        if body is not None:
            turns.append(Turn(customer, body, f"{name}, {_label('conversation', item.get('id'), f'#{i}')}",
                              _created(item, "created_at")))
    return turns


def _is_freshdesk_conversation(item: Any) -> bool:
    return isinstance(item, dict) and "incoming" in item and ("body" in item or "body_text" in item)


def _freshdesk(node: Mapping[Any, Any]) -> Ticket | None:
    conversations = node.get("conversations")
    if not (isinstance(conversations, list) and conversations
            and all(_is_freshdesk_conversation(c) for c in conversations)):
        return None
    name = _label("ticket", node.get("id"), "ticket")
    first = _text_body(node, ("description", True), ("description_text", False))
    opening = [Turn(True, first, f"{name}, description", _created(node, "created_at"))] if first else []
    return Ticket(name, _in_order([*opening, *_freshdesk_turns(conversations, node.get("requester_id"), name)]))


def _freshdesk_list(node: list[Any]) -> Ticket | None:
    if not (node and all(_is_freshdesk_conversation(c) for c in node)):
        return None
    ticket = node[0].get("ticket_id")
    name = _label("ticket", ticket, "ticket")
    return Ticket(name, _in_order(_freshdesk_turns(node, None, name)))


_SHAPES = (_zendesk, _helpscout, _freshdesk)


def find_tickets(data: Any) -> list[Ticket]:
    """Every ticket in parsed export data, in file order (a list or map walked once)."""
    found: list[Ticket] = []
    pending, seen = [data], set()
    while pending:
        node = pending.pop(0)
        if not isinstance(node, dict | list) or id(node) in seen:
            continue
        seen.add(id(node))
        ticket = _freshdesk_list(node) if isinstance(node, list) else next(
            (t for shape in _SHAPES if (t := shape(node)) is not None), None)
        if ticket is not None:
            found.append(ticket)
            continue
        children = node if isinstance(node, list) else list(node.values())
        pending[0:0] = children  # depth first, in file order
    return found
