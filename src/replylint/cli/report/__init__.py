"""Output formats for check results; each module renders one `Run` one way (docs/output.md)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from replylint.engine.model import Finding, Rule, Suggestion
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
class Run:
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


def reply_of(result: FileResult, f: Finding) -> ReplyScore | None:
    """The score of the reply a finding is in (the response holding it, in a bundle)."""
    return next((s for s in result.scores if s.start <= f.start <= s.end), None)


def first_hint(f: Finding) -> Suggestion | None:
    """The suggestion to show for a finding: the one `fix` applies (its first safe one), else its
    first. Its `title` says what it does ("Delete “No,”", "Replace with “…”")."""
    return next((s for s in f.suggestions if s.safe), f.suggestions[0] if f.suggestions else None)


def fixable(f: Finding) -> bool:
    """Whether `replylint fix` (and `check --fix`) rewrites this finding: it has a safe suggestion."""
    return any(s.safe for s in f.suggestions)


def unsafe_only(f: Finding) -> bool:
    """Whether only `fix --unsafe` rewrites this finding."""
    return bool(f.suggestions) and not fixable(f)


Renderer = Callable[[Run, TextIO], None]
FORMAT_NAMES = ("text", "concise", "json", "sarif", "github", "rdjson", "junit", "gitlab")


def renderers() -> dict[str, Renderer]:
    """Format name to renderer; imported lazily so a run only loads what it prints."""
    from . import ci_formats, json_format, sarif_format, text_format

    return {"text": text_format.render, "concise": ci_formats.render_concise, "json": json_format.render,
            "sarif": sarif_format.render, "github": ci_formats.render_github, "rdjson": ci_formats.render_rdjson,
            "junit": ci_formats.render_junit, "gitlab": ci_formats.render_gitlab}
