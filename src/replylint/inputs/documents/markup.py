"""The markup readers' public entry points: Markdown and HTML replies to documents."""
from __future__ import annotations

from .html_reader import read_html
from .markdown_reader import read_markdown

__all__ = ["read_html", "read_markdown"]
