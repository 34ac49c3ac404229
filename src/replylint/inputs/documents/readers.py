"""Choosing a reader for an input and running it: by explicit format, extension, or content."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath

import regex

from . import Document
from .placeholders import placeholder_pattern

FORMATS = ("text", "markdown", "html", "json", "yaml", "csv")
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".eml": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html",
    ".json": "json",
    ".yaml": "yaml", ".yml": "yaml",
    ".csv": "csv",
}


@dataclass(frozen=True)
class BundleFields:
    """Field names of a generic bundle: the reply body, its id / title, and its language."""

    body: tuple[str, ...] = ("body", "text", "content", "message", "reply")
    id: tuple[str, ...] = ("id", "key", "slug")
    title: tuple[str, ...] = ("title", "name", "subject")
    lang: tuple[str, ...] = ("lang", "language", "locale")


@dataclass(frozen=True)
class ReadOptions:
    """What readers need from config: placeholder patterns and bundle field names."""

    placeholders: regex.Pattern = field(default_factory=placeholder_pattern)
    fields: BundleFields = field(default_factory=BundleFields)


Reader = Callable[[str, ReadOptions], Document]


@cache
def readers() -> dict[str, Reader]:
    """Format name to reader, built once; reader modules are imported on first use."""
    from .plaintext import read_plaintext

    table: dict[str, Reader] = {"text": lambda text, opts: read_plaintext(text, opts.placeholders)}
    try:
        from .markup import read_html, read_markdown

        table["markdown"] = read_markdown
        table["html"] = read_html
    except ImportError:
        pass
    try:
        from ..bundles import read_csv_bundle, read_json_bundle, read_yaml_bundle

        table["json"] = read_json_bundle
        table["yaml"] = read_yaml_bundle
        table["csv"] = read_csv_bundle
    except ImportError:
        pass
    return table


_HTML_START = regex.compile(r"\A\s*(?:<!doctype html|<html|<body|<div|<p[\s>]|<table|<br)", regex.I)


_YAML_START = regex.compile(r"\A(?:%YAML[^\n]*\n)?---[ \t]*\r?\n")


def detect_format(path: str, text: str) -> str:
    """The reader for a file: its extension, else a look at its content, else plain text.

    JSON and YAML are guessed only when the text parses as such: replies often open with a
    placeholder (`{{first_name}}`, `{% if %}`, `[Customer Name],`) that merely looks like data."""
    by_extension = EXTENSIONS.get(PurePath(path).suffix.lower())
    if by_extension:
        return by_extension
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) and _parses_as_json(stripped):
        return "json"
    if _HTML_START.match(text):
        return "html"
    if _YAML_START.match(stripped) and _parses_as_yaml_data(stripped):
        return "yaml"
    return "text"


def _parses_as_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _parses_as_yaml_data(text: str) -> bool:
    """One YAML document (after `---`) holding a mapping or a list, the shapes of a bundle;
    Markdown front matter (`---`, keys, `---`, prose) is two documents and does not count."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        value = YAML(typ="safe", pure=True).load(text)
    except (YAMLError, ValueError, RecursionError):
        return False
    return isinstance(value, (dict, list))


def read_document(text: str, fmt: str = "text", options: ReadOptions | None = None) -> Document:
    """Run the reader for `fmt` over `text`."""
    table = readers()
    if fmt not in table:
        raise ValueError(f"unknown input format {fmt!r} (expected one of {', '.join(table)})")
    return table[fmt](text, options or ReadOptions())
