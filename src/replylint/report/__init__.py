"""Output formats for check results; each module renders one `Run` one way (docs/output.md)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from ..model import Finding, Rule
from ..scoring import ReplyScore


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


def first_hint(f: Finding) -> tuple[str, str] | None:
    """What the first suggestion does, as ("try", replacement) or ("remove", the words removed).

    A rewrite that deletes words and re-capitalises ("No, we" → "We") reads as a removal;
    one that keeps a single mark ("!!" → "!") reads as what to write instead."""
    if not f.suggestions:
        return None
    s = f.suggestions[0]
    kept = s.replacement.strip()
    if (not kept or (len(kept) == 1 and kept.isalnum())) and (s.end - s.start) > 1:
        return "remove", f.matched.strip()
    return "try", s.replacement


Renderer = Callable[[Run, TextIO], None]
FORMAT_NAMES = ("text", "concise", "json", "sarif", "github", "rdjson", "junit", "gitlab")


def renderers() -> dict[str, Renderer]:
    """Format name to renderer; imported lazily so a run only loads what it prints."""
    from . import ci_formats, json_format, sarif_format, text_format

    return {"text": text_format.render, "concise": ci_formats.render_concise, "json": json_format.render,
            "sarif": sarif_format.render, "github": ci_formats.render_github, "rdjson": ci_formats.render_rdjson,
            "junit": ci_formats.render_junit, "gitlab": ci_formats.render_gitlab}
