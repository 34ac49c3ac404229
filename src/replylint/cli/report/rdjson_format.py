"""The `rdjson` format: reviewdog's Diagnostic Format, with the suggested rewrites."""
from __future__ import annotations

import json
from typing import Any, TextIO

from replylint.engine.ruledocs import doc_url

from ..results import RunResult
from .concise_format import concise_line
from .sarif_format import INFORMATION_URI


def _utf8_column(text: str, line: int, column: int) -> int:
    """reviewdog counts columns in UTF-8 bytes, from 1."""
    lines = text.splitlines()
    prefix = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    return len(prefix.encode("utf-8")) + 1


def _rd_position(text: str, line: int, column: int) -> dict[str, int]:
    return {"line": line, "column": _utf8_column(text, line, column)}


def _rd_range(text: str, start: int, end: int) -> dict[str, Any]:
    def at(offset: int) -> dict[str, int]:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return _rd_position(text, line, column)
    return {"start": at(start), "end": at(end)}


RD_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def render(run: RunResult, out: TextIO) -> None:
    """reviewdog's Diagnostic Format (rdjson), with suggested rewrites."""
    diagnostics = []
    for result, f in run.findings():
        rule = run.rules.get(f.rule)
        diagnostic: dict[str, Any] = {
            "message": f.message,
            "location": {"path": result.path, "range": {
                "start": _rd_position(result.text, f.line, f.column),
                "end": _rd_position(result.text, f.end_line or f.line, f.end_column or f.column)}},
            "severity": RD_SEVERITY.get(f.severity, "WARNING"),
            "code": {"value": f.rule, **({"url": doc_url(rule)} if rule else {})},
            "original_output": concise_line(result.path, f),
        }
        if f.suggestions:
            diagnostic["suggestions"] = [{"range": _rd_range(result.text, s.start, s.end), "text": s.replacement}
                                         for s in f.suggestions]
        diagnostics.append(diagnostic)
    json.dump({"source": {"name": "replylint", "url": INFORMATION_URI}, "diagnostics": diagnostics}, out,
              ensure_ascii=False, indent=2)
    out.write("\n")
