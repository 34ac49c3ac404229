"""A content-hash cache of check results, so an unchanged re-run is near-instant.

An entry is keyed by the cache's own version, a run key, a file key and the file's text.
The runner makes the keys (`runner.run_key`: the replylint version, every rule file's
bytes, the config, the language, …; the file key: the name it is reported under and its
own config): change any of them and the old entries are simply never read again.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from replylint.engine.model import Finding, Suggestion
from replylint.engine.scoring import Deduction, ReplyScore, StepScore

from .results import FileResult

CACHE_VERSION = "4"  # 3: results hold each reply's score; 4: suggestions say what a deletion deletes


def _finding(data: dict) -> Finding:
    data = dict(data)
    data["suggestions"] = [Suggestion(**s) for s in data.get("suggestions", [])]
    return Finding(**data)


def _score(data: dict) -> ReplyScore:
    data = dict(data)
    data["steps"] = tuple(StepScore(**s) for s in data["steps"])
    data["deductions"] = tuple(Deduction(**d) for d in data["deductions"])
    return ReplyScore(**data)


class ResultCache:
    """Findings per (run key, file key, text), as small JSON files under `folder`."""

    def __init__(self, folder: Path, run_key: str) -> None:
        self.folder = folder
        self.run_key = run_key

    def _entry(self, file_key: str, text: str) -> Path:
        name = hashlib.sha256(f"{CACHE_VERSION}\x1f{self.run_key}\x1f{file_key}\x1f{text}".encode()).hexdigest()
        return self.folder / name[:2] / f"{name}.json"

    def get(self, file_key: str, text: str) -> FileResult | None:
        """The result stored for this file and text, or None (never stored, or unreadable)."""
        try:
            data = json.loads(self._entry(file_key, text).read_text(encoding="utf-8"))
            return FileResult(data["path"], text, [_finding(f) for f in data["findings"]],
                              [_finding(f) for f in data["suppressed"]], list(data.get("notices", [])),
                              [_score(s) for s in data["scores"]])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, file_key: str, result: FileResult) -> None:
        entry = self._entry(file_key, result.text)
        data = {"path": result.path, "findings": [asdict(f) for f in result.findings],
                "suppressed": [asdict(f) for f in result.suppressed], "notices": result.notices,
                "scores": [asdict(s) for s in result.scores]}
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            temporary = entry.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            temporary.replace(entry)  # atomic: a parallel run never reads half an entry
        except OSError:
            pass  # a cache that cannot be written only costs speed
