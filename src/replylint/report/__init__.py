"""Output formats for check results; each module renders a list of FileResult one way."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from ..model import Finding


@dataclass(frozen=True, slots=True)
class FileResult:
    """The findings for one checked input, with its text for showing context."""

    path: str
    text: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)


Renderer = Callable[[list[FileResult], TextIO], None]


def renderers() -> dict[str, Renderer]:
    """Format name to renderer; imported lazily so a run only loads what it prints."""
    from . import json_format, text_format

    return {"text": text_format.render, "json": json_format.render}


FORMAT_NAMES = ("text", "json")
