"""Baselines: the findings a team accepted when it adopted replylint, so CI fails only on new ones.

An entry is a finding's fingerprint (rule + normalised matched words + neighbouring words
in the sentence; the same as the language server's "ignore this finding"), joined with
the response id in bundles, and counted. Moving a response or adding lines elsewhere keeps
the fingerprint; a second identical phrase exceeds the count and is reported.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from replylint.engine.model import Finding
from replylint.errors import ConfigError
from replylint.safewrite import write_atomic

from .results import FileResult

BASELINE_VERSION = 1


def baseline_key(finding: Finding) -> str:
    if not finding.response:
        return finding.fingerprint
    return hashlib.sha256(f"{finding.fingerprint}\x1f{finding.response}".encode()).hexdigest()[:16]


def write_baseline(results: list[FileResult], path: Path) -> int:
    """Write every finding of `results` as a baseline, atomically (a failed write leaves the old
    baseline whole); returns how many entries it counted."""
    counts: Counter[str] = Counter()
    about: dict[str, dict[str, str]] = {}
    for result in results:
        for f in result.findings:
            key = baseline_key(f)
            counts[key] += 1
            about.setdefault(key, {"rule": f.rule, "matched": f.matched, "first_seen_in": result.path})
    entries = {key: {"count": counts[key], **about[key]} for key in sorted(counts)}
    data = {"version": BASELINE_VERSION, "tool": "replylint", "entries": entries}
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return sum(counts.values())


def read_baseline(path: Path) -> Counter[str]:
    """The counted entries of a baseline file; a bad one is a ConfigError naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), "baseline", "no such file", "a file written by `replylint baseline`") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(str(path), "baseline", f"cannot be read: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(
            data.get("entries"), dict):
        raise ConfigError(str(path), "baseline", "not a replylint baseline",
                          f'{{"version": {BASELINE_VERSION}, "entries": {{…}}}}')
    counts: Counter[str] = Counter()
    for key, entry in data["entries"].items():
        count = entry.get("count") if isinstance(entry, dict) else None
        if not isinstance(count, int) or count < 1:
            raise ConfigError(str(path), f"entries.{key}.count", f"must be a whole number >= 1, got {count!r}")
        counts[key] = count
    return counts


@dataclass
class BaselineOutcome:
    """Results with baselined findings removed, and how many baseline entries were not seen."""

    results: list[FileResult]
    baselined: int = 0
    fixed: int = 0


def apply_baseline(results: list[FileResult], baseline: Counter[str]) -> BaselineOutcome:
    """Drop findings the baseline accounts for, in input order, up to each entry's count, and
    their deductions from the reply scores (accepted for now, they take nothing)."""
    remaining = Counter(baseline)
    kept_results, baselined = [], 0
    for result in results:
        kept, dropped = [], set()
        for f in result.findings:
            key = baseline_key(f)
            if remaining[key] > 0:
                remaining[key] -= 1
                baselined += 1
                dropped.add((f.rule, f.line, f.column))
            else:
                kept.append(f)
        scores = [score.without(dropped) for score in result.scores] if dropped else result.scores
        kept_results.append(replace(result, findings=kept, scores=scores))
    return BaselineOutcome(kept_results, baselined, sum(remaining.values()))
