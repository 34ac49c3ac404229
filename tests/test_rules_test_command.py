"""`replylint rules --test`: a team's own rule examples run as tests, failures named by file and line,
and rule-file errors printed once (end to end, through the real command line)."""
from __future__ import annotations

from pathlib import Path

import pytest
from clirunner import replylint

RULE = """\
code: TEAM101
name: no-further-discussion
family: last-word
severity: warning
summary: "\\"We will not discuss this further\\" ends the conversation."
message: "“{{match}}” shuts the customer out; say what happens next instead."
why: >
  Refusing to talk about it any more leaves the customer nowhere to go.
match:
  phrases: ["we will not discuss this further"]
examples:
  flagged:
    - text: "Sorry, but [[we will not discuss this further]]."
    - text: "{second}"
  allowed:
    - "{allowed}"
"""
GOOD_SECOND = "As said before, [[we will not discuss this further]]."
BROKEN_SECOND = "As said before, [[we won't talk about this again]]."
RULE_FILE = Path("en", "last-word", "no-further-discussion.yaml")


def _team(tmp_path: Path, second: str = GOOD_SECOND, allowed: str = "We will look at this again on Monday.") -> Path:
    folder = tmp_path / "team-rules"
    (folder / RULE_FILE).parent.mkdir(parents=True)
    (folder / RULE_FILE).write_text(RULE.format(second=second, allowed=allowed), encoding="utf-8")
    return folder


def test_a_broken_flagged_example_exits_1_naming_file_and_line(tmp_path: Path) -> None:
    _team(tmp_path, second=BROKEN_SECOND)
    run = replylint("rules", "--test", "team-rules", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    failures = [line for line in run.stdout.splitlines() if "TEAM101" in line]
    where = Path("team-rules", RULE_FILE)
    assert failures == [f'{where}:14: TEAM101: flagged example not flagged: "{BROKEN_SECOND}"'], run.stdout
    assert "3 examples in 1 rule, 1 failed" in run.stdout
    assert run.stderr == ""


def test_the_same_folder_with_the_example_fixed_exits_0(tmp_path: Path) -> None:
    _team(tmp_path)
    run = replylint("rules", "--test", "team-rules", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 examples in 1 rule, 0 failed" in run.stdout
    assert "TEAM101" not in run.stdout


def test_an_ok_example_that_is_flagged_is_named_with_its_line(tmp_path: Path) -> None:
    _team(tmp_path, allowed="Honestly, we will not discuss this further.")
    run = replylint("rules", "--test", "team-rules", cwd=tmp_path)
    assert run.returncode == 1
    assert f'{Path("team-rules", RULE_FILE)}:16: TEAM101: ok example flagged' in run.stdout, run.stdout
    assert '"Honestly, we will not discuss this further."' in run.stdout


def test_the_configs_rule_folders_are_tested_when_no_folder_is_given(tmp_path: Path) -> None:
    _team(tmp_path, second=BROKEN_SECOND)
    (tmp_path / ".replylint.toml").write_text('rule-folders = ["team-rules"]\n', encoding="utf-8")
    run = replylint("rules", "--test", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "no-further-discussion.yaml:14: TEAM101: flagged example not flagged" in run.stdout
    assert "3 examples in 1 rule, 1 failed" in run.stdout  # the team's rule only, not the bundled packs


def test_a_broken_rule_file_exits_2_with_its_error_printed_once(tmp_path: Path) -> None:
    folder = _team(tmp_path)
    broken = folder / "en" / "blunt-no" / "flat-refusal.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("code: TEAM102\nname: flat-refusal\nfamily: blunt-no\n", encoding="utf-8")
    run = replylint("rules", "--test", "team-rules", cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    errors = run.stderr.splitlines()
    assert len(errors) == 1, run.stderr
    assert errors[0].startswith(f"replylint: error: {Path('team-rules', 'en', 'blunt-no', 'flat-refusal.yaml')}:1:")
    assert "3 examples in 1 rule, 0 failed, 1 rule-file error" in run.stdout  # the good rule still ran


def test_a_folder_without_rule_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = replylint("rules", "--test", "empty", cwd=tmp_path)
    assert run.returncode == 2
    assert "no rule files under empty" in run.stderr


@pytest.mark.parametrize("command", [("check", "reply.txt"), ("rules",)])
def test_check_and_rules_print_a_rule_file_error_once(tmp_path: Path, command: tuple[str, ...]) -> None:
    folder = _team(tmp_path)
    (folder / "en" / "blunt-no").mkdir(parents=True)
    (folder / "en" / "blunt-no" / "flat-refusal.yaml").write_text("code: TEAM102\nname: [unclosed\n",
                                                                     encoding="utf-8")
    (tmp_path / ".replylint.toml").write_text('rule-folders = ["team-rules"]\n', encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Sorry, but we will not discuss this further.\n", encoding="utf-8")
    run = replylint(*command, cwd=tmp_path)
    assert run.returncode == 2
    lines = [line for line in run.stderr.splitlines() if "flat-refusal.yaml" in line]
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("replylint: error: ")
    assert "rule skipped" not in run.stderr
    if command[0] == "check":
        assert "TEAM101" in run.stdout  # the team's good rule still ran


def test_bundled_english_pack_passes(tmp_path: Path) -> None:
    run = replylint("rules", "--test", "--lang", "en", cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    counts = run.stdout.strip().splitlines()[-1]
    examples, rules = int(counts.split()[0]), int(counts.split(" in ")[1].split()[0])
    assert examples > 1000 and rules > 80, counts
    assert counts.endswith(", 0 failed")


def test_help_lists_the_option(tmp_path: Path) -> None:
    run = replylint("rules", "--help", cwd=tmp_path)
    assert "--test [FOLDER ...]" in run.stdout


LIST = """\
description: The reply says what it can do instead.
regex:
  - '(?i)\\bwhat (?:I|we) can do is\\b'
examples:
  matched:
    - "What we can do is send a new one today."
    - "{matched}"
  not-matched:
    - "We cannot do that."
"""


def test_a_shared_lists_own_examples_run_and_a_failing_one_is_named(tmp_path: Path) -> None:
    folder = _team(tmp_path)
    lists = folder / "en" / "_lists"
    lists.mkdir()
    (lists / "alternative.yaml").write_text(LIST.format(matched="Here is another way: a voucher."), encoding="utf-8")
    run = replylint("rules", "--test", "team-rules", cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    where = Path("team-rules", "en", "_lists", "alternative.yaml")
    assert f"{where}:7: list alternative: matched example not matched: 'Here is another way: a voucher.'" \
        in run.stdout.splitlines(), run.stdout
    assert "6 examples in 1 rule, 1 failed" in run.stdout

    (lists / "alternative.yaml").write_text(LIST.format(matched="What I can do is refund the fee."), encoding="utf-8")
    run = replylint("rules", "--test", "team-rules", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 examples in 1 rule, 0 failed" in run.stdout
