"""The `json` format, version 1: findings with their paths, errors and a summary (docs/output.md)."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import TextIO

from replylint._version import __version__

from ..results import RunResult

JSON_VERSION = 1


def as_document(run: RunResult) -> dict:
    findings = []
    for result in run.results:
        findings.extend({"path": result.path, **asdict(f), "suppressed": False} for f in result.findings)
        findings.extend({"path": result.path, **asdict(f), "suppressed": True} for f in result.suppressed)
    shown = [f for _, f in run.findings()]
    return {
        "version": JSON_VERSION,
        "tool": {"name": "replylint", "version": __version__},
        "findings": findings,
        "replies": [{"path": r.path, **asdict(s)} for r, s in run.scores()],
        "errors": [{"message": e} for e in run.errors],
        "notices": [{"message": n} for n in run.notices()],
        "summary": {"files": len(run.results), "files_with_findings": sum(1 for r in run.results if r.findings),
                    "findings": len(shown), "by_severity": dict(Counter(f.severity for f in shown)),
                    "by_rule": dict(sorted(Counter(f.rule for f in shown).items()))},
    }


def render(run: RunResult, out: TextIO) -> None:
    json.dump(as_document(run), out, ensure_ascii=False, indent=2)
    out.write("\n")
