"""The command line as a new user meets it (issue 16): standard input named with
--stdin-filename, each file's own config, `check --fix`, and what `fix` says is left.
In-process (`cli.main`), so the engine loads once for the whole file."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import replylint.cli.main as cli

NO = "No, we can't refund opened software.\n"


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path, *args: str,
        stdin: str | None = None) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rules(out: str) -> list[tuple[str, str]]:
    return [(f["path"], f["rule"]) for f in json.loads(out)["findings"]]


def test_stdin_filename_picks_reader_path_and_config(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / ".replylint.toml").write_text('ignore = ["we-cannot"]\n', encoding="utf-8")
    bundle = json.dumps([{"title": "refund", "body": NO}])
    code, out, err = run(monkeypatch, capsys, tmp_path, "check", "--format", "json",
                         "--stdin-filename", "macros/refunds.json", stdin=bundle)
    assert code == 1, err
    found = json.loads(out)["findings"]
    assert {f["path"] for f in found} == {"macros/refunds.json"} and {f["response"] for f in found} == {"refund"}
    assert "RL401" not in {f["rule"] for f in found}  # the config beside the named file applies
    code, out, err = run(monkeypatch, capsys, tmp_path, "check", "--format", "concise", "-",
                         stdin="{{ticket.requester.first_name}},\n\n" + NO)
    assert code == 1 and out.startswith("<stdin>:3:1: RL101 "), out + err  # a placeholder, not bad JSON


def test_each_file_gets_the_config_nearest_it(tmp_path: Path, monkeypatch, capsys) -> None:
    team = tmp_path / "team"
    (team / "replies").mkdir(parents=True)
    (team / ".replylint.toml").write_text('ignore = ["flat-no"]\nexclude = ["drafts/"]\n', encoding="utf-8")
    (team / "replies" / "a.txt").write_text(NO, encoding="utf-8")
    (team / "drafts").mkdir()
    (team / "drafts" / "wip.txt").write_text(NO, encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "b.txt").write_text(NO, encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--format", "json", "team", "other")
    found = rules(out)
    assert code == 1
    assert ("team/replies/a.txt", "RL101") not in found and ("team/replies/a.txt", "RL401") in found
    assert ("other/b.txt", "RL101") in found  # no config above it: the defaults
    assert not any(path.startswith("team/drafts") for path, _ in found)  # the team config's exclude
    _, out_inside, _ = run(monkeypatch, capsys, team, "check", "--format", "json", "replies")
    assert {r for _, r in rules(out_inside)} == {r for p, r in found if p.startswith("team/replies")}
    # the command line still wins over every file's config: its --ignore replaces the file's
    _, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--format", "json", "--ignore", "we-cannot", "team")
    assert ("team/replies/a.txt", "RL101") in rules(out) and ("team/replies/a.txt", "RL401") not in rules(out)
    _, out, _ = run(monkeypatch, capsys, tmp_path, "check", "--format", "json", "--config",
                    str(team / ".replylint.toml"), "other")
    assert ("other/b.txt", "RL101") not in rules(out)  # --config: one config for every file


def test_a_bad_config_found_for_a_file_is_one_error(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / ".replylint.toml").write_text('ignore = ["nonsense"]\n', encoding="utf-8")
    (tmp_path / "b" / "r.txt").write_text(NO, encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, tmp_path, "check", "b")
    assert code == 2 and err.count("\n") == 1 and ".replylint.toml: ignore: unknown rule or family 'nonsense'" in err


def test_check_fix_and_what_fix_leaves(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "safe.txt").write_text("Hi,\n\nAs I already explained, the fee stays.\n", encoding="utf-8")
    (tmp_path / "unsafe.txt").write_text("Hi,\n\nYou are wrong. You people never read.\n", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, tmp_path, "fix", "--diff", "safe.txt", "unsafe.txt")
    assert code == 1 and "would change 1 file; 2 findings left: 1 fixable with --unsafe, 1 to reword by hand" in err
    code, out, err = run(monkeypatch, capsys, tmp_path, "check", "--fix", "--format", "concise", ".")
    assert (tmp_path / "safe.txt").read_text(encoding="utf-8") == "Hi,\n\nThe fee stays.\n"
    assert code == 1 and "RL802" not in out and "unsafe.txt:3:1: RL201 " in out and "fixed 1 file" in err
    code, _, err = run(monkeypatch, capsys, tmp_path, "check", "--fix", "-", stdin=NO)
    assert code == 2 and "--fix" in err and "standard input" in err
