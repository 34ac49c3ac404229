"""The one table from format to reader (plain text, Markdown, HTML, and the JSON/YAML/CSV
bundles), choosing a format for an input by explicit name, extension or content, and reading it."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import PurePath

import regex

from .documents import Document
from .options import ReadOptions

__all__ = ["EXTENSIONS", "FORMATS", "Reader", "detect_format", "read_document", "readers"]

FORMATS = ("text", "markdown", "html", "json", "yaml", "csv")
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".eml": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html",
    ".json": "json",
    ".yaml": "yaml", ".yml": "yaml",
    ".csv": "csv",
}


Reader = Callable[[str, ReadOptions], Document]


@cache
def readers() -> dict[str, Reader]:
    """Format name to reader, built once; reader modules are imported on first use."""
    from .bundles import read_csv_bundle, read_json_bundle, read_yaml_bundle
    from .documents.html_reader import read_html
    from .documents.markdown_reader import read_markdown
    from .documents.plaintext import read_plaintext

    return {"text": lambda text, opts: read_plaintext(text, opts.placeholders), "markdown": read_markdown,
            "html": read_html, "json": read_json_bundle, "yaml": read_yaml_bundle, "csv": read_csv_bundle}


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
