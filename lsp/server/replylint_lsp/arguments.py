"""Command arguments, checked before anything is written: a command's arguments come from the
client (or a user typing a command) and end up in the config file, the ignore file or a
comment in the document, so each must be the right type, printable, and a rule must exist.
A bad one is answered with InvalidParams naming the argument.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import regex
from pygls.exceptions import JsonRpcInvalidParams

from replylint import Config
from replylint.workspace import RuleInfo, rule_info

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from .server import ReplylintServer

MAX_KEY_CHARS = 100  # a rule code or name
MAX_PHRASE_CHARS = 300
MAX_NOTE_CHARS = 120
_UNPRINTABLE = regex.compile(r"[\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]")
_FINGERPRINT = regex.compile(r"[0-9a-f]{16}")
_LANG = regex.compile(r"auto|[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})?")


def arg(args: tuple[Any, ...], index: int, kind: type, name: str) -> Any:
    """Positional argument `index` (0-based), which must be of type `kind`."""
    if index >= len(args) or not isinstance(args[index], kind) or isinstance(args[index], bool) != (kind is bool):
        raise JsonRpcInvalidParams(f"argument {index + 1} ({name}) must be a {kind.__name__}")
    return args[index]


def open_document(ls: ReplylintServer, uri: str) -> TextDocument:
    """The open document a command names; InvalidParams when it is not open."""
    doc = ls.document(uri)
    if doc is None:
        raise JsonRpcInvalidParams(f"{uri} is not open")
    return doc


def printable(value: str, index: int, name: str, limit: int) -> str:
    """A one-line string of printable characters, at most `limit` long, not empty."""
    if not value.strip():
        raise JsonRpcInvalidParams(f"argument {index + 1} ({name}) is empty")
    if len(value) > limit:
        raise JsonRpcInvalidParams(f"argument {index + 1} ({name}) is longer than {limit} characters")
    if _UNPRINTABLE.search(value):
        raise JsonRpcInvalidParams(f"argument {index + 1} ({name}) contains a line break or control character: "
                                   f"{value[:40]!r}")
    return value


def fingerprint(value: str, index: int) -> str:
    if not _FINGERPRINT.fullmatch(value):
        raise JsonRpcInvalidParams(f"argument {index + 1} (fingerprint) must be 16 hex digits, got {value[:40]!r}")
    return value


def lang(value: str, index: int) -> str:
    if not _LANG.fullmatch(value):
        raise JsonRpcInvalidParams(f"argument {index + 1} (lang) must be a language code such as 'en', "
                                   f"got {value[:40]!r}")
    return value


def known_rule(key: str, index: int, langs: Iterable[str], config: Config | None) -> RuleInfo:
    """The rule with code or name `key` in the first of `langs` that has it."""
    printable(key, index, "rule", MAX_KEY_CHARS)
    for code in dict.fromkeys(langs):
        info = rule_info(key, code, config)
        if info is not None:
            return info
    where = ", ".join(code for code in dict.fromkeys(langs) if code != "auto") or "the configured language"
    raise JsonRpcInvalidParams(f"argument {index + 1} (rule): no rule {key!r} in {where} (a rule code or name "
                               "from `replylint rules`)")


def note(value: str) -> str:
    """Free text for a note: control characters dropped, whitespace collapsed, cut short."""
    text = " ".join(_UNPRINTABLE.sub(" ", value).split())
    return text if len(text) <= MAX_NOTE_CHARS else text[: MAX_NOTE_CHARS - 1] + "…"
