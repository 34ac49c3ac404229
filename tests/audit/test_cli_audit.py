"""`replylint audit` end to end on small archives: the text and JSON summaries, bad rows on
stderr with their place, the files written, --resume, and a generated Zendesk export."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")
import pyarrow.parquet as pq

from replylint.audit.model import BAD_ROWS_FILE, FINDINGS_FILE, REPLIES_FILE, REPORT_FILE, SUMMARY_FILE
from replylint.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = """id,body,agent,team,sent
1,"Hi Anna, no. You are wrong, as I already told you.",ana,north,2024-01-03T10:00:00Z
2,"Thanks for waiting! Your refund is on its way.",bo,south,2024-01-05T10:00:00Z
3,,bo,south,2024-02-05T10:00:00Z
4,"Per our policy we cannot refund order #1234.",ana,north,2024-02-07T10:00:00Z
5,"Calm down. You should have read the manual.",bo,south,2024-02-09T10:00:00Z
"""
MAPPING = ["--text", "body", "--by", "agent,team", "--time", "sent", "--id", "id"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "archive.csv"
    path.write_text(ARCHIVE, encoding="utf-8")
    return path


def test_text_summary_bad_rows_and_files(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "audit"
    code = main(["audit", str(archive), "-o", str(out), *MAPPING, "--no-report"])
    shown = capsys.readouterr()
    assert code == 0, shown.err
    assert "4 replies" in shown.out and "Findings by family" in shown.out and "Top rules" in shown.out
    assert "you-are-wrong" in shown.out and "RL201" in shown.out
    assert f"replylint: bad row: {archive}:4:" in shown.err  # the empty body, on the CSV's 4th line
    assert "1 bad row (not checked)" in shown.err
    assert {p.name for p in out.iterdir()} == {REPLIES_FILE, FINDINGS_FILE, BAD_ROWS_FILE, SUMMARY_FILE}
    replies = pq.read_table(out / REPLIES_FILE).to_pylist()
    assert [(r["reply_id"], r["group_agent"], r["month"]) for r in replies] == [
        ("1", "ana", "2024-01"), ("2", "bo", "2024-01"), ("4", "ana", "2024-02"), ("5", "bo", "2024-02")]
    assert [r["findings"] for r in replies][1] == 0


def test_json_summary_is_summary_json(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "audit"
    assert main(["audit", str(archive), "-o", str(out), *MAPPING, "--format", "json", "--no-report"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))
    assert summary["totals"]["replies"] == 4 and summary["totals"]["bad_rows"] == 1
    assert summary["totals"]["findings"] == pq.read_metadata(out / FINDINGS_FILE).num_rows > 0
    assert summary["totals"]["groups"] == ["agent", "team"]


def test_resume_checks_nothing_twice(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "audit"
    assert main(["audit", str(archive), "-o", str(out), *MAPPING, "--no-report"]) == 0
    first = pq.read_table(out / FINDINGS_FILE)
    capsys.readouterr()
    with archive.open("a", encoding="utf-8") as more:
        more.write('6,"No.",ana,north,2024-03-01T10:00:00Z\n')
    assert main(["audit", str(archive), "-o", str(out), *MAPPING, "--no-report", "--resume", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["totals"]["replies"] == 5 and summary["totals"]["bad_rows"] == 1
    findings = pq.read_table(out / FINDINGS_FILE)
    assert findings.slice(0, first.num_rows).equals(first)
    assert findings.column("reply_id").to_pylist()[first.num_rows:] == ["6"]


def test_options_that_do_not_go_together(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["audit", str(archive), "-o", str(tmp_path / "a"), "--scheduler", "tcp://127.0.0.1:8786"])
    assert code == 2
    assert "--scheduler" in capsys.readouterr().err and not (tmp_path / "a").exists()


def test_generated_zendesk_export_with_the_report(tmp_path: Path) -> None:
    """The command as a user runs it, on bench/make_archive.py's Zendesk export: every agent reply
    counted, internal notes left out, the report written, exit 0."""
    export = tmp_path / "tickets.jsonl"
    made = subprocess.run([sys.executable, str(ROOT / "bench" / "make_archive.py"), str(export), "--replies", "60",
                           "--format", "zendesk", "--seed", "3"], capture_output=True, text=True, check=True)
    written = json.loads(made.stdout)
    out = tmp_path / "audit"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-m", "replylint", "audit", str(export), "-o", str(out), "--format", "json"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["totals"]["replies"] == written["replies"] and summary["totals"]["bad_rows"] == 0
    assert summary["totals"]["replies_with_findings"] >= written["risky"] * 0.8
    assert (out / REPORT_FILE).stat().st_size > 100_000  # plotly.js inlined: the report stands alone


def test_an_output_that_is_a_file_is_one_line_error(archive: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    taken = tmp_path / "taken"
    taken.write_text("not a folder", encoding="utf-8")
    assert main(["audit", str(archive), "-o", str(taken), *MAPPING, "--no-report"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"replylint: error: {taken}: cannot write the audit there")
    assert "Traceback" not in err
