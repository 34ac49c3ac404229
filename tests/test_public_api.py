"""Locks the public API from DESIGN.md: tools outside the project depend on it."""
from __future__ import annotations

import dataclasses
import inspect

import replylint


def test_exported_names() -> None:
    assert sorted(replylint.__all__) == ["Config", "Finding", "Severity", "Suggestion", "__version__",
                                         "check", "fix"]


def test_check_and_fix_signatures() -> None:
    check = inspect.signature(replylint.check)
    assert list(check.parameters) == ["text", "lang", "config", "format", "path"]
    assert check.parameters["lang"].default == "auto" and check.parameters["config"].default is None
    assert check.parameters["format"].kind is inspect.Parameter.KEYWORD_ONLY
    assert check.parameters["format"].default == "text"
    fix = inspect.signature(replylint.fix)
    assert list(fix.parameters)[:3] == ["text", "lang", "unsafe"]
    assert fix.parameters["unsafe"].default is False


def test_finding_and_suggestion_fields() -> None:
    fields = [f.name for f in dataclasses.fields(replylint.Finding)]
    assert fields[:11] == ["rule", "name", "family", "severity", "message", "why", "start", "end", "line",
                           "column", "suggestions"]
    assert fields[11:] == ["matched", "end_line", "end_column", "response", "fingerprint", "lang", "also"]
    assert [f.name for f in dataclasses.fields(replylint.Suggestion)] == ["replacement", "start", "end", "safe"]


def test_check_returns_findings_and_fix_returns_str() -> None:
    found = replylint.check("You're wrong about the fee.")
    assert isinstance(found, list) and all(isinstance(f, replylint.Finding) for f in found)
    assert isinstance(found[0].suggestions, list)
    assert isinstance(replylint.fix("You're wrong about the fee."), str)
