"""Fingerprints, the ignore file, config editing and rule info: the public workspace helpers."""
from __future__ import annotations

from pathlib import Path

import pytest
from clirunner import replylint as run_cli

import replylint
from replylint.engine.fingerprints import fingerprint
from replylint.workspace import (
    ConfigError,
    add_ignore_entry,
    add_to_config_list,
    load_workspace_config,
    read_ignore_file,
    rule_info,
)

SENTENCE = "You are wrong about the fee."


def _print(text: str) -> str:
    [finding] = [f for f in replylint.check(text) if f.rule == "RL201"]
    return finding.fingerprint


def test_fingerprint_ignores_position_case_quotes_and_other_sentences() -> None:
    base = _print(f"Hi Sam,\n\n{SENTENCE}\n")
    assert len(base) == 16
    assert _print(f"Hello Ann, a new opening line here.\n\nMore text. {SENTENCE} Thanks.\n") == base
    assert _print("Hi,\n\nYOU ARE WRONG about the   fee.\n") == base
    assert fingerprint("RL201", "you’re wrong now", 0, 12) == fingerprint("rl201", "you're wrong now", 0, 12)


def test_fingerprint_changes_with_the_words_around_it() -> None:
    base = _print(f"Hi,\n\n{SENTENCE}\n")
    assert _print("Hi,\n\nYou are wrong about the delivery.\n") != base
    assert _print("Hi,\n\nSadly, you are wrong about the fee.\n") != base


def test_ignore_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / ".replylint-ignore"
    assert read_ignore_file(path) == frozenset()
    assert add_ignore_entry(path, "0123456789abcdef", "RL201", '"you are wrong"  in\nreply.txt')
    assert not add_ignore_entry(path, "0123456789abcdef", "RL201")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# replylint") and text.endswith('0123456789abcdef RL201 "you are wrong" in reply.txt\n')
    assert read_ignore_file(path) == {"0123456789abcdef"}
    with pytest.raises(ValueError):
        add_ignore_entry(path, "nothex", "RL201")


def test_bad_ignore_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / ".replylint-ignore"
    path.write_text("# ok\n\n0123456789abcdef RL201\nwhat is this\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.replylint-ignore:4: entry: not an ignore entry"):
        read_ignore_file(path)


def test_cli_honours_the_ignore_file(tmp_path: Path) -> None:
    (tmp_path / "reply.txt").write_text(f"Hi,\n\n{SENTENCE}\n", encoding="utf-8")
    assert run_cli("check", "reply.txt", cwd=tmp_path).returncode == 1
    add_ignore_entry(tmp_path / ".replylint-ignore", _print(f"Hi,\n\n{SENTENCE}\n"), "RL201")
    clean = run_cli("check", "reply.txt", cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout
    shown = run_cli("check", "--show-suppressed", "reply.txt", cwd=tmp_path)
    assert "RL201" in shown.stdout and shown.returncode == 0
    (tmp_path / ".replylint-ignore").write_text("garbage\n", encoding="utf-8")
    broken = run_cli("check", "reply.txt", cwd=tmp_path)
    assert broken.returncode == 2 and ".replylint-ignore:1" in broken.stderr


def test_ignore_file_key_and_location(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".replylint.toml").write_text('ignore-file = "lint/ignored.txt"\n', encoding="utf-8")
    (tmp_path / "lint").mkdir()
    add_ignore_entry(tmp_path / "lint" / "ignored.txt", "00000000000000ff", "RL201")
    config, path = load_workspace_config(tmp_path / "sub")
    assert path == tmp_path / ".replylint.toml" and config.ignored == {"00000000000000ff"}


def test_add_to_config_list_keeps_comments_and_validates(tmp_path: Path) -> None:
    path = tmp_path / ".replylint.toml"
    path.write_text('# our team\nlang = "en"  # replies are English\nignore = ["RL905"]\n', encoding="utf-8")
    assert add_to_config_list(path, "ignore", "RL201")
    assert not add_to_config_list(path, "ignore", "RL201")
    assert add_to_config_list(path, "allow", "no problem")
    text = path.read_text(encoding="utf-8")
    assert "# our team" in text and "# replies are English" in text
    assert load_workspace_config(tmp_path)[0].ignore == ("RL905", "RL201")
    pyproject = tmp_path / "sub" / "pyproject.toml"
    pyproject.parent.mkdir()
    pyproject.write_text('[project]\nname = "macros"\n', encoding="utf-8")
    add_to_config_list(pyproject, "allow", "sorry")
    assert load_workspace_config(pyproject.parent)[0].allow == ("sorry",)
    with pytest.raises(ValueError):
        add_to_config_list(path, "lang", "sv")
    before = path.read_text(encoding="utf-8")
    for key, unknown in (("ignore", "RL9999"), ("select", "hedging")):
        with pytest.raises(ConfigError, match=f"unknown rule or family '{unknown}'"):
            add_to_config_list(path, key, unknown)
    assert path.read_text(encoding="utf-8") == before  # an unknown code never reaches the disk
    path.write_text('severity = "loud"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        add_to_config_list(path, "ignore", "RL201")
    assert path.read_text(encoding="utf-8") == 'severity = "loud"\n'  # a bad result never reaches the disk


def test_rule_info() -> None:
    info = rule_info("declared-wrong")
    assert info is not None and info.code == "RL201" and info.instead and "[[" not in info.flagged[0]
    assert info.doc_url.endswith("docs/rules/en-RL201-declared-wrong.md")
    assert rule_info("RL999") is None
