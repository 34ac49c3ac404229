"""The `json` format: a list of findings, each with the path it was found in (docs/output.md)."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import TextIO

from . import FileResult


def as_records(results: list[FileResult]) -> list[dict]:
    records = []
    for result in results:
        records.extend({"path": result.path, **asdict(f)} for f in result.findings)
        records.extend({"path": result.path, **asdict(f), "suppressed": True} for f in result.suppressed)
    return records


def render(results: list[FileResult], out: TextIO) -> None:
    json.dump(as_records(results), out, ensure_ascii=False, indent=2)
    out.write("\n")
