"""One lint run of one document version, done off the event loop, through the public API.

The run is split in two so the checker process holds only the engine: `gather` (in the
checker) finds, and `diagnostics.diagnose` (in the server) turns findings and notes into LSP
diagnostics (`diagnostics.lint` does both in one process). Nothing here imports pygls or
lsprotocol (0.3 s and about 20 MB in the checker).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from replylint import Config, Finding, ReplyScore, Severity
from replylint.workspace import ConfigError, DocumentError, NotABundle, ParagraphCache, check_with_scores, rule_info

from .formats import BUNDLE_FORMATS

if TYPE_CHECKING:
    from lsprotocol import types


@dataclass(frozen=True)
class Snapshot:
    """What a run needs, copied from the workspace so later edits cannot change it mid-run."""

    uri: str
    version: int | None
    text: str
    fmt: str
    path: str | None
    lang: str
    config: Config
    max_chars: int
    encoding: str
    minimum_severity: str = "info"


@dataclass
class LintResult:
    version: int | None
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[types.Diagnostic] = field(default_factory=list)
    problem: str | None = None  # a note for the log (unreadable bundle, cut document)
    notices: list[str] = field(default_factory=list)  # e.g. the reply's language has no rule pack
    scores: list[ReplyScore] = field(default_factory=list)  # each reply's score, for the code lenses
    generation: int = 0  # the server's settings generation the run used
    notes: list[tuple[str, int]] = field(default_factory=list)  # (message, offset): Information diagnostics
    doc_urls: list[str] = field(default_factory=list)  # each finding's rule page, in the findings' order


def not_checked(snapshot: Snapshot, reason: str) -> LintResult:
    """The result for a run that was stopped or could not run: one Information diagnostic
    at the top of the document saying why, and a note for the log."""
    result = LintResult(snapshot.version, problem=f"not checked: {reason}")
    result.notes.append((f"replylint: not checked: {reason}.", 0))
    return result


def _looks_binary(text: str) -> bool:
    head = text[:8192]
    return "\x00" in head or sum(c < " " and c not in "\t\n\r\f" for c in head) > len(head) // 10


def gather(snapshot: Snapshot, cache: ParagraphCache | None = None) -> LintResult:
    """Findings, scores and notes for one snapshot; never raises for bad content. `cache` is the
    document's: only the paragraphs and sentences changed since its last run are matched again."""
    result = LintResult(snapshot.version)
    text = snapshot.text
    if _looks_binary(text):
        result.problem = "binary content: not checked"
        return result
    cut = len(text) > snapshot.max_chars
    if cut and snapshot.fmt in BUNDLE_FORMATS:
        result.problem = f"{len(text):,} characters is over the limit of {snapshot.max_chars:,}: not checked"
        result.notes.append((f"replylint: {result.problem} (setting maxDocumentChars).", 0))
        return result
    try:
        findings, result.notices, result.scores = check_with_scores(
            text[: snapshot.max_chars], snapshot.lang, snapshot.config, format=snapshot.fmt, path=snapshot.path,
            cache=cache)
    except NotABundle:
        return result  # a JSON / YAML / CSV file with no canned responses in it: nothing to say
    except DocumentError as exc:  # a bundle that does not parse (often mid-edit)
        result.problem = f"not checked: {exc}"
        return result
    except ConfigError as exc:  # settings that name no rule (`select`, `severity`): said in the log
        result.problem = f"not checked: {exc}"
        return result
    floor = Severity(snapshot.minimum_severity).rank
    result.findings = findings = [f for f in findings if Severity(f.severity).rank >= floor]
    for finding in findings:
        info = rule_info(finding.rule, finding.lang or snapshot.lang, snapshot.config)
        result.doc_urls.append(info.doc_url if info else "")
    if cut:
        result.problem = f"checked the first {snapshot.max_chars:,} of {len(text):,} characters"
        result.notes.append((f"replylint {result.problem} (setting maxDocumentChars).", snapshot.max_chars))
    return result
