"""Findings as LSP diagnostics, and the hover text for one.

Each diagnostic carries what the code actions need in `data`, so actions never re-run
the rules: the suggestions with their ranges, the fingerprint and the matched text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from replylint import Finding, Suggestion
from replylint.workspace import RuleInfo

from .linting import LintResult, Snapshot, gather
from .positions import LineTable

if TYPE_CHECKING:
    from replylint.workspace import ParagraphCache

SOURCE = "replylint"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}


def to_diagnostic(finding: Finding, lines: LineTable, version: int | None, doc_url: str) -> types.Diagnostic:
    """One diagnostic for one finding; ranges in the client's position encoding."""
    data: dict[str, Any] = {
        "rule": finding.rule, "name": finding.name, "family": finding.family, "matched": finding.matched,
        "fingerprint": finding.fingerprint, "version": version,
        "suggestions": [{"replacement": s.replacement, "safe": s.safe, "title": s.title,
                         "range": _range_json(lines.range(s.start, s.end))} for s in finding.suggestions],
    }
    return types.Diagnostic(
        range=lines.range(finding.start, finding.end),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule,
        code_description=types.CodeDescription(href=doc_url) if doc_url else None,
        source=SOURCE,
        data=data,
    )


def lint(snapshot: Snapshot, cache: ParagraphCache | None = None) -> LintResult:
    """Findings and diagnostics for one snapshot, in one process (`gather`, then `diagnose`)."""
    return diagnose(gather(snapshot, cache), snapshot)


def diagnose(result: LintResult, snapshot: Snapshot) -> LintResult:
    """`result` with its diagnostics: one per finding, then one Information diagnostic per note
    (in the server: the checker process sends findings and notes, not protocol objects)."""
    lines = LineTable(snapshot.text, snapshot.encoding)
    result.diagnostics = [to_diagnostic(finding, lines, snapshot.version, url)
                          for finding, url in zip(result.findings, result.doc_urls, strict=True)]
    result.diagnostics += [notice(message, lines, offset) for message, offset in result.notes]
    return result


def notice(message: str, lines: LineTable, offset: int) -> types.Diagnostic:
    """An information diagnostic about the run itself (say, a document cut at the size cap)."""
    return types.Diagnostic(range=lines.range(offset, offset), message=message,
                            severity=types.DiagnosticSeverity.Information, source=SOURCE)


def _range_json(r: types.Range) -> dict[str, dict[str, int]]:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


def _hint(suggestion: Suggestion) -> str:
    """A suggestion in the hover: the new words, or what a deletion or insertion does."""
    if suggestion.deletes or suggestion.start == suggestion.end or not suggestion.replacement:
        return suggestion.title
    return f"“{suggestion.replacement}”"


def hover_markdown(finding: Finding, info: RuleInfo | None) -> str:
    """The hover for a finding: rule, message, why, a better wording and the doc link."""
    parts = [f"**{finding.rule} {finding.name}** · {finding.family} · {finding.severity}", "", finding.message,
             "", f"**Why:** {finding.why}"]
    if finding.suggestions:
        parts += ["", "**Try:** " + " · ".join(_hint(s) for s in finding.suggestions)]
    if info is not None:
        if info.instead:
            parts += ["", f"**Better:** “{info.instead[0]}”"]
        parts += ["", f"[{info.code} {info.name} documentation]({info.doc_url})"]
    return "\n".join(parts)
