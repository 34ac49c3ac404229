"""Output formats for check results: one module per format, each rendering a `RunResult` one
way with its `render` (docs/output.md); the table below names them all."""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TextIO

from ..results import RunResult

Renderer = Callable[[RunResult, TextIO], None]
MODULES = {"text": "text_format", "concise": "concise_format", "json": "json_format", "sarif": "sarif_format",
           "github": "github_format", "rdjson": "rdjson_format", "junit": "junit_format",
           "gitlab": "gitlab_format"}  # format name -> its module here
FORMAT_NAMES = tuple(MODULES)


def renderer(name: str) -> Renderer:
    """The renderer of one format, imported on first use: a run loads only the format it prints."""
    return import_module(f"{__name__}.{MODULES[name]}").render

