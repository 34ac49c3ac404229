"""A content-hash cache of check results, so an unchanged re-run is near-instant.

An entry is keyed by the file's path and text, the input format, and a run key made of
the replylint version, every rule file's bytes, the config and the language: change any
of them and the old entries are simply never read again.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from replylint._version import __version__
from replylint.engine.model import Finding, Suggestion
from replylint.engine.ruleset import rules_digest
from replylint.engine.scoring import Deduction, ReplyScore, StepScore
from replylint.engine.tone import MODEL_DIR as TONE_MODEL_DIR
from replylint.errors import InputError
from replylint.inputs.files import read

from .results import FileResult

if TYPE_CHECKING:
    from .runner import Job, Settings

CACHE_VERSION = "4"  # 3: results hold each reply's score; 4: suggestions say what a deletion deletes


def run_key(settings: Settings) -> str:
    """What, besides the file itself, decides a file's findings."""
    parts = (CACHE_VERSION, __version__, settings.lang, repr(settings.config), str(settings.show_suppressed),
             settings.input_format, rules_digest(settings.lang, settings.config.rule_folders), _tone_model_digest(),
             *((f"context:{settings.context}",) if settings.context is not None else ()))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _tone_model_digest() -> str:
    """The tone model's thresholds file changes with every training run: a retrained model
    must not be served from results cached with the old one."""
    try:
        return hashlib.sha256((TONE_MODEL_DIR / "thresholds.json").read_bytes()).hexdigest()
    except OSError:
        return "no tone model"


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
    """Findings per (run key, path, text), as small JSON files under `folder`."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.key = run_key(settings)
        self.lang = settings.lang
        self.hits = self.misses = 0
        self._own_keys: dict[str, str] = {}  # repr of a file's own config -> its part of the key

    def _own_key(self, job: Job) -> str:
        """A file's own config decides its findings too, and so do the rule files its `rule-folders` name."""
        if job.config is None:
            return ""
        shown = repr(job.config)
        if shown not in self._own_keys:
            self._own_keys[shown] = f"{shown}\x1f{rules_digest(self.lang, job.config.rule_folders)}"
        return self._own_keys[shown]

    def _entry(self, job: Job, text: str) -> Path:
        name = hashlib.sha256(f"{self.key}\x1f{job.shown}\x1f{self._own_key(job)}\x1f{text}".encode()).hexdigest()
        return self.folder / name[:2] / f"{name}.json"

    def _text(self, job: Job) -> str | None:
        if job.text is not None:
            return job.text
        try:
            return read(job.path).text
        except InputError:
            return None  # let the real check report it

    def get(self, job: Job, settings: Settings) -> FileResult | None:
        text = self._text(job)
        if text is None:
            return None
        try:
            data = json.loads(self._entry(job, text).read_text(encoding="utf-8"))
            result = FileResult(data["path"], text, [_finding(f) for f in data["findings"]],
                                [_finding(f) for f in data["suppressed"]], list(data.get("notices", [])),
                                [_score(s) for s in data["scores"]])
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, job: Job, settings: Settings, result: FileResult) -> None:
        entry = self._entry(job, result.text)
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
