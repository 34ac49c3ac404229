"""The DuckDB summary against a small archive whose every number is worked out by hand below."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
import pyarrow as pa
import pyarrow.parquet as pq

from replylint.audit.model import (
    BAD_ROWS_FILE,
    FINDING_COLUMNS,
    FINDINGS_FILE,
    REPLIES_FILE,
    REPLY_COLUMNS,
    SUMMARY_FILE,
)
from replylint.audit.summary import summarize
from replylint.audit.tables import arrow_schema

# reply id, agent, month, template; 8 replies, two agents, two months and one reply with no time
REPLIES = [("r1", "ana", "2024-01", "T1"), ("r2", "ana", "2024-01", "T2"), ("r3", "bo", "2024-01", "T1"),
           ("r4", "ana", "2024-02", "T2"), ("r5", "bo", "2024-02", "T1"), ("r6", "bo", "2024-02", "T2"),
           ("r7", "ana", "", "T3"), ("r8", "ana", "2024-02", "T2")]
# reply id, rule, family, matched text; 7 findings
FINDINGS = [("r1", "RL301", "blame", "your fault"), ("r1", "RL101", "blunt-no", "No."),
            ("r3", "RL101", "blunt-no", "no."),
            ("r5", "RL301", "blame", "your fault"), ("r5", "RL301", "blame", "Your fault"),
            ("r5", "RL101", "blunt-no", "No."), ("r7", "RL301", "blame", "your fault")]
NAMES = {"RL301": "your-fault", "RL101": "flat-no"}


def write_archive(out: Path) -> None:
    month = {r[0]: r[2] for r in REPLIES}
    agent = {r[0]: r[1] for r in REPLIES}
    replies = [{"reply_id": rid, "location": f"a.csv:{n}", "time": f"{m}-03T10:00:00Z" if m else "", "month": m,
                "lang": "en", "words": 5, "findings": sum(f[0] == rid for f in FINDINGS), "template": t,
                "text": "…", "group_agent": a} for n, (rid, a, m, t) in enumerate(REPLIES, start=2)]
    findings = [{"reply_id": rid, "time": "", "month": month[rid], "rule": rule, "name": NAMES[rule], "family": family,
                 "severity": "warning", "start": 0, "end": len(matched), "line": 1, "column": 1, "matched": matched,
                 "message": "m", "group_agent": agent[rid]} for rid, rule, family, matched in FINDINGS]
    pq.write_table(pa.Table.from_pylist(replies, arrow_schema(REPLY_COLUMNS, ("agent",))), out / REPLIES_FILE)
    pq.write_table(pa.Table.from_pylist(findings, arrow_schema(FINDING_COLUMNS, ("agent",))), out / FINDINGS_FILE)
    (out / BAD_ROWS_FILE).write_text('{"location": "a.csv:11", "problem": "x"}\n'
                                     '{"location": "a.csv:12", "problem": "y"}\n', encoding="utf-8")


@pytest.fixture
def summary(tmp_path: Path) -> dict:
    write_archive(tmp_path)
    return summarize(tmp_path, min_template_replies=2, min_month_replies=1)


def test_totals_families_and_months(summary: dict) -> None:
    assert summary["totals"] == {"replies": 8, "findings": 7, "replies_with_findings": 4, "per_1000": 875.0,
                                 "bad_rows": 2, "months": ["2024-01", "2024-02"], "groups": ["agent"],
                                 "families": ["blame", "blunt-no"]}
    assert summary["families"] == [{"family": "blame", "findings": 4, "replies": 3, "per_1000": 500.0},
                                   {"family": "blunt-no", "findings": 3, "replies": 3, "per_1000": 375.0}]
    assert summary["months"] == [{"month": "2024-01", "replies": 3, "findings": 3, "per_1000": 1000.0},
                                 {"month": "2024-02", "replies": 4, "findings": 3, "per_1000": 750.0}]
    assert summary["trend"] == [
        {"month": "2024-01", "family": "blame", "findings": 1, "per_1000": 333.33},
        {"month": "2024-01", "family": "blunt-no", "findings": 2, "per_1000": 666.67},
        {"month": "2024-02", "family": "blame", "findings": 2, "per_1000": 500.0},
        {"month": "2024-02", "family": "blunt-no", "findings": 1, "per_1000": 250.0}]


def test_family_by_group_by_month(summary: dict) -> None:
    assert summary["groups"] == {"agent": [{"value": "ana", "replies": 5, "findings": 3, "per_1000": 600.0},
                                           {"value": "bo", "replies": 3, "findings": 4, "per_1000": 1333.33}]}
    assert summary["heatmap"]["agent"] == [
        {"value": "ana", "family": "blame", "replies": 5, "findings": 2, "per_1000": 400.0},
        {"value": "ana", "family": "blunt-no", "replies": 5, "findings": 1, "per_1000": 200.0},
        {"value": "bo", "family": "blame", "replies": 3, "findings": 2, "per_1000": 666.67},
        {"value": "bo", "family": "blunt-no", "replies": 3, "findings": 2, "per_1000": 666.67}]
    cells = {(r["value"], r["month"], r["family"]): (r["replies"], r["findings"], r["per_1000"])
             for r in summary["rates"]}
    assert cells == {("ana", "2024-01", "blame"): (2, 1, 500.0), ("ana", "2024-01", "blunt-no"): (2, 1, 500.0),
                     ("bo", "2024-01", "blunt-no"): (1, 1, 1000.0), ("bo", "2024-02", "blame"): (2, 2, 1000.0),
                     ("bo", "2024-02", "blunt-no"): (2, 1, 500.0)}
    assert {r["group"] for r in summary["rates"]} == {"agent"}


def test_top_rules_phrasings_and_templates(summary: dict) -> None:
    assert summary["top_rules"] == [
        {"rule": "RL301", "name": "your-fault", "family": "blame", "findings": 4, "replies": 3, "per_1000": 500.0},
        {"rule": "RL101", "name": "flat-no", "family": "blunt-no", "findings": 3, "replies": 3, "per_1000": 375.0}]
    assert [(p["rule"], p["matched"], p["count"]) for p in summary["top_phrasings"]] == [
        ("RL301", "your fault", 4), ("RL101", "no.", 3)]
    # T1: r1 + r3 + r5 = 3 replies, 2 + 1 + 3 findings; T2 has none; T3 is one reply (below the minimum of 2)
    assert summary["worst_templates"] == [
        {"template": "T1", "replies": 3, "findings": 6, "per_reply": 2.0, "example_reply_id": "r1"}]


def test_most_improved_and_most_worsened(summary: dict, tmp_path: Path) -> None:
    # ana: 2024-01 2 findings / 2 replies, 2024-02 0 / 2; bo: 2024-01 1 / 1, 2024-02 3 / 2
    assert summary["most_improved"] == [
        {"group": "agent", "value": "ana", "first_month": "2024-01", "first_replies": 2, "first_per_1000": 1000.0,
         "last_month": "2024-02", "last_replies": 2, "last_per_1000": 0.0, "change": -1000.0}]
    assert summary["most_worsened"] == [
        {"group": "agent", "value": "bo", "first_month": "2024-01", "first_replies": 1, "first_per_1000": 1000.0,
         "last_month": "2024-02", "last_replies": 2, "last_per_1000": 1500.0, "change": 500.0}]
    stricter = summarize(tmp_path, min_month_replies=2, write=False)  # bo's January (1 reply) no longer counts
    assert [m["value"] for m in stricter["most_improved"]] == ["ana"] and stricter["most_worsened"] == []


def test_summary_json_is_the_returned_dict(summary: dict, tmp_path: Path) -> None:
    assert json.loads((tmp_path / SUMMARY_FILE).read_text(encoding="utf-8")) == summary


def test_an_empty_audit_folder_sums_to_zero(tmp_path: Path) -> None:
    result = summarize(tmp_path)
    assert result["totals"]["replies"] == 0 and result["totals"]["findings"] == 0
    assert result["top_rules"] == [] and result["most_worsened"] == []


def test_the_documented_keys_are_the_keys(summary: dict) -> None:
    import replylint.audit.summary as module

    keys = module.__doc__.split("Keys")[1].splitlines()[1:]
    documented = {line.split()[0] for line in keys if line.startswith("    ") and line[4] != " "}
    assert set(summary) == documented
