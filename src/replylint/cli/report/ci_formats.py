"""The one-line and CI-service formats: `concise`, `github`, `rdjson`, `junit`, `gitlab`.

Each maps the same findings onto what one consumer reads: a grep-able line, GitHub
workflow commands (annotations on the pull request), reviewdog's diagnostic JSON (with
suggestions), a JUnit report (one test case per file) and a GitLab Code Quality report.
"""
from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from typing import Any, TextIO

from replylint.engine.model import Finding, Severity
from replylint.engine.ruledocs import doc_url

from . import Run, first_hint
from .sarif_format import INFORMATION_URI
from .terminal import printable


def _concise_line(path: str, f: Finding, suppressed: bool = False) -> str:
    """One grep-able line; control characters from file names or replies are escaped."""
    where = f" [response {f.response}]" if f.response else ""
    mark = " [suppressed]" if suppressed else ""
    return printable(f"{path}:{f.line}:{f.column}: {f.rule} {f.name} {f.message}{where}{mark}")


def render_concise(run: Run, out: TextIO) -> None:
    """`path:line:col: CODE name message`, one finding per line; with --show-suppressed, each
    file's suppressed findings follow its findings, marked `[suppressed]`."""
    for result in run.results:
        for f in result.findings:
            out.write(_concise_line(result.path, f) + "\n")
        for f in result.suppressed:
            out.write(_concise_line(result.path, f, suppressed=True) + "\n")


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _github_line(path: str, f: Finding, suppressed: bool = False) -> str:
    """One annotation; a suppressed finding (--show-suppressed) is a notice titled so."""
    props = [f"file={_gh_property(path)}", f"line={f.line}", f"col={f.column}"]
    if f.end_line == f.line:
        props.append(f"endColumn={f.end_column}")
    else:
        props.append(f"endLine={f.end_line}")
    props.append(f"title={_gh_property(f'{f.rule} {f.name}' + (' (suppressed)' if suppressed else ''))}")
    hint = first_hint(f)
    text = f.message + ("" if hint is None else f" Fix: {hint.title}.")
    command = "notice" if suppressed else GITHUB_COMMAND.get(f.severity, "warning")
    return f"::{command} {','.join(props)}::{_gh_data(text)}\n"


def render_github(run: Run, out: TextIO) -> None:
    """GitHub Actions workflow commands: one annotation per finding, on its line and columns."""
    for result in run.results:
        for f in result.findings:
            out.write(_github_line(result.path, f))
        for f in result.suppressed:
            out.write(_github_line(result.path, f, suppressed=True))
    for error in run.errors:
        out.write(f"::error title=replylint::{_gh_data(error)}\n")


def _utf8_column(text: str, line: int, column: int) -> int:
    """reviewdog counts columns in UTF-8 bytes, from 1."""
    lines = text.splitlines()
    prefix = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    return len(prefix.encode("utf-8")) + 1


def _rd_position(text: str, line: int, column: int) -> dict[str, int]:
    return {"line": line, "column": _utf8_column(text, line, column)}


def _rd_range(text: str, start: int, end: int) -> dict[str, Any]:
    def at(offset: int) -> dict[str, int]:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return _rd_position(text, line, column)
    return {"start": at(start), "end": at(end)}


RD_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def render_rdjson(run: Run, out: TextIO) -> None:
    """reviewdog's Diagnostic Format (rdjson), with suggested rewrites."""
    diagnostics = []
    for result, f in run.findings():
        rule = run.rules.get(f.rule)
        diagnostic: dict[str, Any] = {
            "message": f.message,
            "location": {"path": result.path, "range": {
                "start": _rd_position(result.text, f.line, f.column),
                "end": _rd_position(result.text, f.end_line or f.line, f.end_column or f.column)}},
            "severity": RD_SEVERITY.get(f.severity, "WARNING"),
            "code": {"value": f.rule, **({"url": doc_url(rule)} if rule else {})},
            "original_output": _concise_line(result.path, f),
        }
        if f.suggestions:
            diagnostic["suggestions"] = [{"range": _rd_range(result.text, s.start, s.end), "text": s.replacement}
                                         for s in f.suggestions]
        diagnostics.append(diagnostic)
    json.dump({"source": {"name": "replylint", "url": INFORMATION_URI}, "diagnostics": diagnostics}, out,
              ensure_ascii=False, indent=2)
    out.write("\n")


def render_junit(run: Run, out: TextIO) -> None:
    """JUnit XML: one test case per checked file, failed when it has findings. XML 1.0 cannot
    hold control characters, so names and messages carry them escaped (see terminal.printable)."""
    failures = sum(1 for r in run.results if r.findings)
    suite = ET.Element("testsuite", name="replylint", tests=str(len(run.results) + len(run.errors)),
                       failures=str(failures), errors=str(len(run.errors)), skipped="0")
    for result in run.results:
        case = ET.SubElement(suite, "testcase", classname="replylint", name=printable(result.path))
        if result.findings:
            worst = max(result.findings, key=lambda f: Severity(f.severity).rank)
            failure = ET.SubElement(case, "failure", type=worst.severity,
                                    message=f"{len(result.findings)} finding(s), worst: {worst.rule} {worst.name}")
            failure.text = "\n".join(_concise_line(result.path, f) for f in result.findings)
    for error in run.errors:
        case = ET.SubElement(suite, "testcase", classname="replylint", name=printable(error.split(": ", 1)[0]))
        ET.SubElement(case, "error", message=printable(error))
    root = ET.Element("testsuites", name="replylint", tests=suite.get("tests", "0"),
                      failures=suite.get("failures", "0"), errors=suite.get("errors", "0"))
    root.append(suite)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render_gitlab(run: Run, out: TextIO) -> None:
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
