"""The `sarif` format: SARIF 2.1.0 for code-scanning tools (GitHub, GitLab, Azure DevOps).

Rules carry their summary, why and documentation link; results carry the level, the exact
region (columns in code points: `columnKind` says so), the fix as a replacement, and the
finding's fingerprint as a partial fingerprint so a scanner can track it across commits.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from replylint._version import __version__
from replylint.engine.model import Finding, Rule
from replylint.engine.ruledocs import doc_url
from replylint.engine.scoring import ReplyScore

from ..results import FileResult, RunResult
from .findings import reply_of

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://github.com/replylint/replylint"


def artifact_uri(path: str) -> str:
    """A URI for a path as given on the command line: relative stays relative (to SRCROOT)."""
    if path == "<stdin>":
        return "stdin"
    pure = PurePath(path)
    return pure.as_uri() if pure.is_absolute() else quote(pure.as_posix())


def _artifact(path: str) -> dict[str, str]:
    uri = artifact_uri(path)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "SRCROOT"}


def _rule(rule: Rule) -> dict[str, Any]:
    better = f"\n\nBetter: {rule.examples.instead[0]}" if rule.examples.instead else ""
    return {
        "id": rule.code, "name": rule.name,
        "shortDescription": {"text": rule.headline},
        "fullDescription": {"text": rule.why},
        "help": {"text": rule.why + better,
                 "markdown": f"{rule.why}{better}\n\n[{rule.code} {rule.name}]({doc_url(rule)})"},
        "helpUri": doc_url(rule),
        "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
        "properties": {"tags": ["customer-service", rule.family.value], "family": rule.family.value},
    }


def _region(f: Finding) -> dict[str, Any]:
    return {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line or f.line,
            "endColumn": f.end_column or f.column, "charOffset": f.start, "charLength": f.end - f.start,
            "snippet": {"text": f.matched}}


def _suppressed(run: RunResult, file: FileResult, f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    """A finding shown with --show-suppressed: a result with `suppressions`, so a scanner lists
    it as suppressed; `external` when the ignore file holds it, else `inSource` (a comment)."""
    kind = "external" if f.fingerprint in run.ignored else "inSource"
    return {**_result(file, f, rule_index), "suppressions": [{"kind": kind, "status": "accepted"}]}


def _result(file: FileResult, f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    path = file.path
    location = {"physicalLocation": {"artifactLocation": _artifact(path), "region": _region(f)}}
    result: dict[str, Any] = {
        "ruleId": f.rule, "level": LEVEL.get(f.severity, "warning"), "message": {"text": f.message},
        "locations": [location], "partialFingerprints": {"replylint/v1": f.fingerprint},
    }
    if f.rule in rule_index:
        result["ruleIndex"] = rule_index[f.rule]
    properties: dict[str, Any] = {"response": f.response} if f.response else {}
    reply = reply_of(file, f)
    if reply is not None:
        properties["replyScore"] = reply.total
    if properties:
        result["properties"] = properties
    if f.suggestions:
        result["fixes"] = [{
            "description": {"text": s.title},
            "artifactChanges": [{"artifactLocation": _artifact(path),
                                 "replacements": [{"deletedRegion": {"charOffset": s.start,
                                                                     "charLength": s.end - s.start},
                                                   "insertedContent": {"text": s.replacement}}]}],
        } for s in f.suggestions]
    return result


def _reply(path: str, score: ReplyScore) -> dict[str, Any]:
    """A reply's score for the run's property bag: where the reply is, its total and the breakdown."""
    return {"artifactLocation": _artifact(path), "startLine": score.line, "startColumn": score.column,
            "response": score.response, "total": score.total, "summary": score.summary(),
            "steps": [asdict(s) for s in score.steps], "deductions": [asdict(d) for d in score.deductions]}


def as_document(run: RunResult) -> dict[str, Any]:
    suppressed = [(r, f) for r in run.results for f in r.suppressed]
    used = sorted({f.rule for _, f in [*run.findings(), *suppressed]})
    rules = [run.rules[code] for code in used if code in run.rules]
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    notifications = [{"level": "error", "message": {"text": e}} for e in run.errors]
    notifications += [{"level": "note", "message": {"text": n}} for n in run.notices()]
    return {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "replylint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": [_rule(r) for r in rules]}},
            "invocations": [{"executionSuccessful": not run.errors, "toolExecutionNotifications": notifications}],
            "columnKind": "unicodeCodePoints",
            "results": [*(_result(r, f, rule_index) for r, f in run.findings()),
                        *(_suppressed(run, r, f, rule_index) for r, f in suppressed)],
            "properties": {"replyScores": [_reply(r.path, s) for r, s in run.scores()]},
        }],
    }


def render(run: RunResult, out: TextIO) -> None:
    json.dump(as_document(run), out, ensure_ascii=False, indent=2)
    out.write("\n")
