"""What a check run produced, for the formats, the cache and the baseline to read: one
`FileResult` per checked input and the `RunResult` that holds them with their rules and errors."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from replylint.engine.model import Finding, Rule
from replylint.engine.scoring import ReplyScore


@dataclass(frozen=True, slots=True)
class FileResult:
    """The findings for one checked input, with its text for showing context."""

    path: str
    text: str
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # e.g. its language has no rule pack
    scores: list[ReplyScore] = field(default_factory=list)  # one per reply (docs/coaching.md#the-reply-score)


@dataclass(frozen=True, slots=True)
class RunResult:
    """Everything a format may show: results in input order, the rules behind them, errors met."""

    results: list[FileResult]
    rules: Mapping[str, Rule] = field(default_factory=dict)  # code -> rule, for metadata and links
    errors: list[str] = field(default_factory=list)  # one line each: "path: problem"
    ignored: frozenset[str] = frozenset()  # ignore-file fingerprints: those suppressions live outside the file

    def notices(self) -> list[str]:
        """Every file's notices, one line each: "path: notice"."""
        return [f"{r.path}: {notice}" for r in self.results for notice in r.notices]

    def findings(self) -> list[tuple[FileResult, Finding]]:
        return [(r, f) for r in self.results for f in r.findings]

    def scores(self) -> list[tuple[FileResult, ReplyScore]]:
        return [(r, s) for r in self.results for s in r.scores]
