"""Bundle shapes: finding the canned responses in parsed data, vendor by vendor, from their keys.

Zendesk macros (`actions[].field` = comment_value / comment_value_html), Gorgias macros
(`actions[].arguments.body_html` / `body_text`), Help Scout saved replies (`text` HTML, or
`chatText`), Freshdesk canned responses (`content_html`, or `content`), and generic objects
with a configured body field. Wrappers (`{"macros": [...]}`, `{"data": [...]}`,
`{"_embedded": {"replies": [...]}}`, folders of responses, `{id: response}` maps) are walked.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import regex

from ..options import BundleFields
from .located import Located

IGNORE_KEY = "replylint_ignore"
_ZENDESK_FIELDS = {"comment_value": False, "comment_value_html": True}
_CHANNEL = regex.compile(r"channel:\w+")
_HTML = regex.compile(r"<(?:p|div|br|span|a|b|i|em|strong|u|ul|ol|li|table|h[1-6]|blockquote)\b[^<>]*>"
                      r"|&(?:nbsp|amp|lt|gt|quot|#\d+);", regex.IGNORECASE)


@dataclass(frozen=True)
class Body:
    """One text of a response sent to the customer, and whether it is HTML."""

    value: Located
    html: bool


@dataclass(frozen=True)
class Response:
    """A canned response: its shape, label (title or id), language, ignored rules and bodies."""

    shape: str
    label: str
    lang: str | None
    ignore: frozenset[str]
    bodies: tuple[Body, ...]


def lookup(obj: Mapping[Any, Any], names: Iterable[str]) -> tuple[str, Any] | None:
    """The first of `names` present with a value (exact key first, then ignoring case)."""
    names = tuple(names)
    for name in names:
        value = obj.get(name)
        if value is not None and value != "":
            return name, value
    lowered = {str(k).lower(): k for k in obj}
    for name in names:
        key = lowered.get(name.lower())
        if key is not None and obj[key] is not None and obj[key] != "":
            return str(key), obj[key]
    return None


def looks_html(text: str) -> bool:
    """Whether a body is written in HTML (has a common tag or entity)."""
    return _HTML.search(text) is not None


def _shape(obj: Mapping[Any, Any], fields: BundleFields, hint: str | None) -> str | None:
    actions = obj.get("actions")
    if isinstance(actions, list):
        if any(isinstance(a, dict) and "field" in a for a in actions):
            return "zendesk"
        if any(isinstance(a, dict) and isinstance(a.get("arguments"), dict) for a in actions):
            return "gorgias"
        return "zendesk" if "title" in obj or "raw_title" in obj else "gorgias"
    if "content_html" in obj or ("folder_id" in obj and "content" in obj):
        return "freshdesk"
    if isinstance(obj.get("text"), str) and ("chatText" in obj or "preview" in obj or hint == "helpscout"):
        return "helpscout"
    found = _generic_body(obj, fields)
    return "generic" if found else None


def _first(obj: Mapping[Any, Any], *keys: tuple[str, bool]) -> list[Body]:
    for key, html in keys:
        value = obj.get(key)
        if isinstance(value, Located) and value.strip():
            return [Body(value, html)]
    return []


def _bodies(obj: Mapping[Any, Any], shape: str, fields: BundleFields) -> list[Body]:
    if shape == "zendesk":
        bodies = []
        for action in obj.get("actions", ()):
            html = _ZENDESK_FIELDS.get(action.get("field")) if isinstance(action, dict) else None
            if html is None:
                continue
            value = action.get("value")
            values = value if isinstance(value, list) else [value]
            bodies.extend(Body(v, html) for v in values if isinstance(v, Located) and not _CHANNEL.fullmatch(v))
        return bodies
    if shape == "gorgias":
        bodies = []
        for action in obj.get("actions", ()):
            arguments = action.get("arguments") if isinstance(action, dict) else None
            if isinstance(arguments, dict):
                bodies.extend(_first(arguments, ("body_html", True), ("body_text", False)))
        return bodies
    if shape == "helpscout":
        return _first(obj, ("text", True), ("chatText", False))
    if shape == "freshdesk":
        return _first(obj, ("content_html", True), ("content", False))
    found = _generic_body(obj, fields)
    return [found] if found else []


def _generic_body(obj: Mapping[Any, Any], fields: BundleFields) -> Body | None:
    """The configured body field (or its `_html` twin, or `html`) of a generic response."""
    found = lookup(obj, fields.body) or lookup(obj, (*(f"{name}_html" for name in fields.body), "html"))
    if found is None or not isinstance(found[1], Located):
        return None
    key, value = found
    return Body(value, key.lower().endswith("html") or looks_html(value))


def _lang(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return regex.split(r"[-_]", value.strip())[0].lower() or None


def _ignore(value: Any) -> frozenset[str]:
    items = regex.split(r"[\s,]+", value) if isinstance(value, str) else value if isinstance(value, list) else []
    return frozenset(str(item).strip().lower() for item in items if str(item).strip())


def _response(obj: Mapping[Any, Any], shape: str, fields: BundleFields, key: str | None, index: int) -> Response:
    named = lookup(obj, fields.title) or lookup(obj, fields.id)
    label = str(named[1]) if named else key or f"#{index}"
    lang_names = ("language", *fields.lang) if shape == "gorgias" else fields.lang
    found_lang = lookup(obj, lang_names)
    return Response(shape, label, _lang(found_lang[1]) if found_lang else None, _ignore(obj.get(IGNORE_KEY)),
                    tuple(_bodies(obj, shape, fields)))


def find_responses(data: Any, fields: BundleFields) -> list[Response]:
    """Every canned response in parsed bundle data, in file order. A list or map reached
    again (a YAML alias, even one to itself) is walked once: a reply counts once, and an
    alias bomb costs only its distinct nodes."""
    found: list[Response] = []
    _walk(data, fields, found, None, None, False, set())
    return found


def _walk(node: Any, fields: BundleFields, found: list[Response], key: str | None, hint: str | None,
          in_list: bool, seen: set[int]) -> None:
    if not isinstance(node, dict | list) or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, list):
        for item in node:
            _walk(item, fields, found, None, hint, True, seen)
        return
    shape = _shape(node, fields, hint)
    if shape is not None:
        found.append(_response(node, shape, fields, key, len(found) + 1))
        return
    values = list(node.values())
    if (not in_list and values and all(isinstance(v, Located) for v in values)
            and any(" " in v for v in values)):
        found.extend(Response("generic", str(k), None, frozenset(), (Body(v, looks_html(v)),))
                     for k, v in node.items())
        return
    for k, v in node.items():
        _walk(v, fields, found, str(k), "helpscout" if k == "_embedded" else hint, in_list, seen)
