"""The command line end to end, through a real subprocess: exit codes, formats, errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirunner import replylint

RISKY = "Hi Sam,\n\nYou're wrong about the late fee.\n"
CLEAN = "Hi Sam,\n\nThanks for letting us know. I've refunded the fee today.\n"


@pytest.fixture
def replies(tmp_path: Path) -> Path:
    (tmp_path / "risky.txt").write_text(RISKY, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "notes.log").write_text(RISKY, encoding="utf-8")  # not a reply type: skipped in folders
    return tmp_path


def test_check_text_output_underlines_the_span(replies: Path) -> None:
    result = replylint("check", ".", cwd=replies)
    assert result.returncode == 1, result.stderr
    assert "risky.txt:3:1: error RL201" in result.stdout
    assert " 3 | You're wrong about the late fee." in result.stdout
    assert "   | ^^^^^^^^^^^^" in result.stdout
    assert "notes.log" not in result.stdout
    assert "in 1 of 2 files" in result.stdout


def test_check_json_shape(replies: Path) -> None:
    result = replylint("check", "--format", "json", "risky.txt", "clean.md", cwd=replies)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["version"] == 1 and document["summary"]["files"] == 2
    records = document["findings"]
    assert records and {"path", "rule", "name", "family", "severity", "message", "why", "start", "end",
                        "line", "column", "suggestions"} <= set(records[0])
    assert records[0]["path"] == "risky.txt" and records[0]["family"] == "you-are-wrong"
    assert RISKY[records[0]["start"]:records[0]["end"]] == "You're wrong"


def test_clean_input_exits_zero(replies: Path) -> None:
    result = replylint("check", "clean.md", cwd=replies)
    assert result.returncode == 0, result.stdout
    assert "No findings in 1 file" in result.stdout


def test_stdin(replies: Path) -> None:
    result = replylint("check", "-", "--format", "json", cwd=replies, stdin=RISKY)
    assert result.returncode == 1 and json.loads(result.stdout)["findings"][0]["path"] == "<stdin>"


def test_fail_on_select_and_ignore(replies: Path) -> None:
    assert replylint("check", "risky.txt", "--ignore", "you-are-wrong", cwd=replies).returncode == 0
    assert replylint("check", "risky.txt", "--select", "blame,cliche", cwd=replies).returncode == 0
    assert replylint("check", "risky.txt", "--select", "RL201", cwd=replies).returncode == 1
    (replies / ".replylint.toml").write_text('severity = { RL201 = "info" }\n', encoding="utf-8")
    assert replylint("check", "risky.txt", "--select", "RL201", cwd=replies).returncode == 0
    assert replylint("check", "risky.txt", "--select", "RL201", "--fail-on", "info", cwd=replies).returncode == 1


def test_bad_inputs_are_reported_and_the_rest_still_checked(replies: Path) -> None:
    (replies / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (replies / "latin1.txt").write_bytes("Caf\xe9 r\xe9ponse".encode("latin-1"))
    result = replylint("check", ".", "missing.txt", "--format", "json", cwd=replies)
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert any("binary.txt: binary file" in e for e in errors)
    assert any("latin1.txt: not UTF-8 text: invalid byte 0xe9 at offset 3" in e for e in errors)
    assert any("missing.txt: no such file or folder" in e for e in errors)
    assert all(e.startswith("replylint: error: ") for e in errors)
    document = json.loads(result.stdout)
    assert any(r["path"].endswith("risky.txt") for r in document["findings"])
    assert len(document["errors"]) == 3


def test_bad_config_is_one_line_naming_file_and_key(replies: Path) -> None:
    (replies / ".replylint.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    result = replylint("check", ".", cwd=replies)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert ".replylint.toml: fail-on: unknown severity 'sometimes'" in result.stderr


def test_unknown_rule_in_select_is_a_usage_error(replies: Path) -> None:
    result = replylint("check", ".", "--select", "RL999999", cwd=replies)
    assert result.returncode == 2 and "--select: select: unknown rule or family 'RL999999'" in result.stderr


def test_broken_team_rule_is_reported_and_bundled_rules_still_run(replies: Path) -> None:
    folder = replies / "team" / "en" / "blame"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("code: TM1\n", encoding="utf-8")
    (replies / ".replylint.toml").write_text('rule-folders = ["team"]\n', encoding="utf-8")
    result = replylint("check", "risky.txt", cwd=replies)
    assert result.returncode == 2
    assert "broken.yaml:1: code: bad code 'TM1'" in result.stderr or "broken.yaml:1: name: missing" in result.stderr
    assert "RL201" in result.stdout


def test_usage_error_exits_two(replies: Path) -> None:
    assert replylint("check", "--format", "xml", cwd=replies).returncode == 2


def test_fix_diff_and_unsafe_write(replies: Path) -> None:
    diff = replylint("fix", "risky.txt", "--unsafe", "--diff", cwd=replies)
    assert diff.returncode == 1 and "-You're wrong about the late fee." in diff.stdout
    assert (replies / "risky.txt").read_text(encoding="utf-8") == RISKY
    assert replylint("fix", "risky.txt", "--unsafe", "--select", "RL201", cwd=replies).returncode == 0
    assert "You're wrong" not in (replies / "risky.txt").read_text(encoding="utf-8")


def test_rules_table_and_explain(replies: Path) -> None:
    table = replylint("rules", cwd=replies)
    assert table.returncode == 0 and "RL201" in table.stdout and "declared-wrong" in table.stdout
    explain = replylint("rules", "--explain", "declared-wrong", cwd=replies)
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert heading in explain.stdout
    missing = replylint("rules", "--explain", "nothing-like-this", cwd=replies)
    assert missing.returncode == 2 and "no rule 'nothing-like-this'" in missing.stderr


def test_help_documents_exit_codes(replies: Path) -> None:
    out = replylint("check", "--help", cwd=replies).stdout
    assert "exit codes:" in out and "--fail-on" in out


def test_text_output_names_a_deletion_by_its_words(tmp_path: Path) -> None:
    result = replylint("check", "-", cwd=tmp_path, stdin="Hi,\nAs I said before, the fee stays.\n")
    assert "Delete “As I said before,”" in result.stdout and "“T”" not in result.stdout
