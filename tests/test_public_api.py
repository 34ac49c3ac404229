"""Locks the public API from DESIGN.md: tools outside the project depend on it."""
from __future__ import annotations

import dataclasses
import inspect

import pytest

import replylint


def test_exported_names() -> None:
    assert sorted(replylint.__all__) == ["Config", "Deduction", "Finding", "ReplyScore", "Severity", "StepScore",
                                         "Suggestion", "__version__", "check", "fix", "score"]


def test_check_and_fix_signatures() -> None:
    check = inspect.signature(replylint.check)
    assert list(check.parameters) == ["text", "lang", "config", "format", "path", "context"]
    assert check.parameters["lang"].default == "auto" and check.parameters["config"].default is None
    assert check.parameters["format"].kind is inspect.Parameter.KEYWORD_ONLY
    assert check.parameters["format"].default == "text"
    # thread context (docs/coaching.md#thread-context): the customer's message, keyword-only, None = from the text
    assert check.parameters["context"].kind is inspect.Parameter.KEYWORD_ONLY
    assert check.parameters["context"].default is None
    fix = inspect.signature(replylint.fix)
    assert list(fix.parameters)[:3] == ["text", "lang", "unsafe"]
    assert fix.parameters["unsafe"].default is False


def test_finding_and_suggestion_fields() -> None:
    fields = [f.name for f in dataclasses.fields(replylint.Finding)]
    assert fields[:11] == ["rule", "name", "family", "severity", "message", "why", "start", "end", "line",
                           "column", "suggestions"]
    assert fields[11:] == ["matched", "end_line", "end_column", "response", "fingerprint", "lang", "also"]
    assert [f.name for f in dataclasses.fields(replylint.Suggestion)] == ["replacement", "start", "end", "safe",
                                                                           "deletes"]


def test_check_context_must_be_a_str() -> None:
    with pytest.raises(TypeError, match="context must be str"):
        replylint.check("No, our nearest shop is in Leeds.", context=b"Do you have a shop in Manchester?")


def test_check_returns_findings_and_fix_returns_str() -> None:
    found = replylint.check("You're wrong about the fee.")
    assert isinstance(found, list) and all(isinstance(f, replylint.Finding) for f in found)
    assert isinstance(found[0].suggestions, list)
    assert isinstance(replylint.fix("You're wrong about the fee."), str)


def test_score_signature_and_fields() -> None:
    """The reply score (docs/coaching.md#the-reply-score): one ReplyScore per reply."""
    score = inspect.signature(replylint.score)
    assert list(score.parameters)[:5] == ["text", "lang", "config", "format", "path"]
    assert score.parameters["format"].kind is inspect.Parameter.KEYWORD_ONLY
    assert [f.name for f in dataclasses.fields(replylint.ReplyScore)] == [
        "total", "steps", "deductions", "line", "column", "start", "end", "response", "lang"]
    assert [f.name for f in dataclasses.fields(replylint.StepScore)] == ["name", "points", "out_of", "status"]
    assert [f.name for f in dataclasses.fields(replylint.Deduction)] == ["rule", "name", "severity", "points", "line",
                                                                         "column"]


def test_score_returns_one_reply_score_per_reply() -> None:
    [reply] = replylint.score("No, we can't refund that. That's our policy.")
    assert isinstance(reply, replylint.ReplyScore) and 0 <= reply.total <= 100
    assert [s.name for s in reply.steps] == ["acknowledge", "clarify", "resolve", "check-back"]
    assert all(isinstance(d, replylint.Deduction) for d in reply.deductions) and reply.deductions
    assert reply.summary().startswith(f"score {reply.total}/100: acknowledge ")
