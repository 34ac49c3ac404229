"""The `gitlab` format: a GitLab Code Quality report (the Code Climate subset GitLab reads)."""
from __future__ import annotations

import hashlib
import json
from typing import TextIO

from ..results import RunResult

GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(run: RunResult, out: TextIO) -> None:
    """A GitLab Code Quality report (the Code Climate subset GitLab reads)."""
    issues = []
    seen: dict[str, int] = {}
    for result, f in run.findings():
        base = hashlib.sha256(f"{result.path}\x1f{f.fingerprint}".encode()).hexdigest()
        seen[base] = seen.get(base, 0) + 1  # identical phrases in one file stay distinct issues
        fingerprint = hashlib.sha256(f"{base}\x1f{seen[base]}".encode()).hexdigest()[:32]
        issues.append({
            "type": "issue", "check_name": f.rule, "description": f"{f.rule} {f.name}: {f.message}",
            "categories": ["Style"], "severity": GITLAB_SEVERITY.get(f.severity, "minor"),
            "fingerprint": fingerprint,
            "location": {"path": result.path, "lines": {"begin": f.line, "end": f.end_line or f.line}},
        })
    json.dump(issues, out, ensure_ascii=False, indent=2)
    out.write("\n")
