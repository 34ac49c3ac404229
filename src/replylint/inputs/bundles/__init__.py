"""Bundles of canned responses (JSON, YAML, CSV): one segment per response, mapped to its exact place in the file.

Each reader parses the file keeping the span of every string value, finds the responses
by their shape (Zendesk, Gorgias, Help Scout, Freshdesk or generic fields), and reads each
body as plain text or HTML, so a finding maps prose → decoded body → file.
"""
from __future__ import annotations

from ..documents import Document
from ..options import ReadOptions
from .csvsource import parse_csv
from .jsonsource import parse_json
from .segments import bundle_document
from .yamlsource import parse_yaml

__all__ = ["read_csv_bundle", "read_json_bundle", "read_yaml_bundle"]


def read_json_bundle(text: str, options: ReadOptions) -> Document:
    """A JSON bundle (a vendor export, or a list / map of response objects)."""
    return bundle_document(text, [parse_json(text)], options, "json")


def read_yaml_bundle(text: str, options: ReadOptions) -> Document:
    """A YAML bundle (every document in the stream)."""
    return bundle_document(text, parse_yaml(text), options, "yaml")


def read_csv_bundle(text: str, options: ReadOptions) -> Document:
    """A CSV bundle: a header row naming the columns, then one response per row."""
    rows = [row for row in parse_csv(text) if row]
    if not rows:
        return Document(source=text, segments=[], format="csv")
    header = [str(name).strip() for name in rows[0]]
    records = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return bundle_document(text, [records], options, "csv")
