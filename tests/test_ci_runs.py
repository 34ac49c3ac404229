"""Baselines, --jobs determinism and the result cache."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirunner import replylint

RISKY = "Hi,\n\nYou are wrong about the fee. Per our policy, it stays.\n"


def _findings(repo: Path, *args: str) -> tuple[int, list[dict]]:
    result = replylint("check", "--format", "json", *args, cwd=repo)
    return result.returncode, json.loads(result.stdout)["findings"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "fee.txt").write_text(RISKY, encoding="utf-8")
    return tmp_path


def test_baseline_hides_old_findings_across_line_shifts(repo: Path) -> None:
    written = replylint("baseline", "replies", "-o", "base.json", cwd=repo)
    assert written.returncode == 0 and "wrote 2 findings" in written.stderr
    entries = json.loads((repo / "base.json").read_text())["entries"]
    assert sum(e["count"] for e in entries.values()) == 2
    assert _findings(repo, "--baseline", "base.json", "replies") == (0, [])
    shifted = "Hello again,\n\nA new paragraph up here.\n\n" + RISKY.split("\n\n", 1)[1]
    (repo / "replies" / "fee.txt").write_text(shifted, encoding="utf-8")
    assert _findings(repo, "--baseline", "base.json", "replies") == (0, [])


def test_a_second_identical_phrase_is_new(repo: Path) -> None:
    replylint("baseline", "replies", "-o", "base.json", cwd=repo)
    (repo / "replies" / "fee.txt").write_text(RISKY + "\nYou are wrong about the fee.\n", encoding="utf-8")
    code, found = _findings(repo, "--baseline", "base.json", "replies")
    assert code == 1 and [f["rule"] for f in found] == ["RL201"] and found[0]["line"] == 5


def test_moving_a_reply_to_another_file_keeps_it_baselined(repo: Path) -> None:
    replylint("baseline", "replies", "-o", "base.json", cwd=repo)
    (repo / "replies" / "fee.txt").rename(repo / "replies" / "renamed.md")
    assert _findings(repo, "--baseline", "base.json", "replies") == (0, [])


def test_strict_baseline_fails_when_findings_were_fixed(repo: Path) -> None:
    replylint("baseline", "replies", "-o", "base.json", cwd=repo)
    (repo / "replies" / "fee.txt").write_text("Hi,\n\nPer our policy, it stays.\n", encoding="utf-8")
    assert replylint("check", "--baseline", "base.json", "replies", cwd=repo).returncode == 0
    strict = replylint("check", "--baseline", "base.json", "--strict-baseline", "replies", cwd=repo)
    assert strict.returncode == 1 and "1 baselined finding is fixed" in strict.stderr
    assert "`replylint baseline replies -o base.json`" in strict.stderr  # the command to run, paths included


def test_bad_baseline_is_one_line(repo: Path) -> None:
    (repo / "base.json").write_text('{"version": 1, "entries": {"x": {"count": 0}}}', encoding="utf-8")
    result = replylint("check", "--baseline", "base.json", "replies", cwd=repo)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "base.json: entries.x.count" in result.stderr
    missing = replylint("check", "--baseline", "nope.json", "replies", cwd=repo)
    assert missing.returncode == 2 and "nope.json: baseline: no such file" in missing.stderr


def test_bundle_baseline_entries_carry_the_response(repo: Path) -> None:
    bundle = [{"id": 1, "title": "Fee", "body": "You are wrong about the fee."},
              {"id": 2, "title": "Other", "body": "You are wrong about the fee."}]
    (repo / "replies" / "fee.txt").unlink()
    (repo / "replies" / "macros.json").write_text(json.dumps(bundle), encoding="utf-8")
    replylint("baseline", "replies", "-o", "base.json", cwd=repo)
    assert len(json.loads((repo / "base.json").read_text())["entries"]) == 2  # one per response
    bundle.reverse()  # responses move around in the export
    (repo / "replies" / "macros.json").write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    assert _findings(repo, "--baseline", "base.json", "replies") == (0, [])


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        body = RISKY if i % 3 == 0 else f"Hi,\n\nThanks for order {i}. It ships today.\n"
        (folder / f"reply-{i:03}.txt").write_text(body, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\xff bad")
    one = replylint("check", "--format", "json", "--jobs", "1", "many", cwd=tmp_path)
    two = replylint("check", "--format", "json", "--jobs", "2", "many", cwd=tmp_path)
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert len(json.loads(one.stdout)["findings"]) == 40


def test_cache_reuses_results_and_notices_rule_and_config_changes(repo: Path) -> None:
    args = ("check", "--format", "json", "--cache-dir", ".cache", "replies")
    first = replylint(*args, cwd=repo)
    entries = list((repo / ".cache").rglob("*.json"))
    assert first.returncode == 1 and len(entries) == 1
    # Poison the entry: a cache hit must serve it as is.
    data = json.loads(entries[0].read_text())
    data["findings"] = data["findings"][:1]
    entries[0].write_text(json.dumps(data))
    assert len(json.loads(replylint(*args, cwd=repo).stdout)["findings"]) == 1
    (repo / ".replylint.toml").write_text('allow = ["per our policy"]\n', encoding="utf-8")
    after_config = json.loads(replylint(*args, cwd=repo).stdout)["findings"]
    assert [f["rule"] for f in after_config] == ["RL201"]  # a new config: rechecked, not served
    rules = repo / "team-rules" / "en" / "cliche"
    rules.mkdir(parents=True)
    (rules / "the-fee.yaml").write_text(
        "code: RL089\nname: the-fee\nfamily: cliche\nseverity: info\nsummary: fee\n"
        "message: 'x'\nwhy: 'y'\nmatch:\n  phrases: ['the fee']\n"
        "examples:\n  flagged: ['[[the fee]] x']\n  allowed: ['a b']\n", encoding="utf-8")
    (repo / ".replylint.toml").write_text('allow = ["per our policy"]\nrule-folders = ["team-rules"]\n',
                                          encoding="utf-8")
    found = json.loads(replylint(*args, cwd=repo).stdout)["findings"]
    assert "RL089" in [f["rule"] for f in found]
    fee = rules / "the-fee.yaml"
    fee.write_text(fee.read_text().replace("severity: info", "severity: error"))
    found = json.loads(replylint(*args, cwd=repo).stdout)["findings"]
    assert next(f for f in found if f["rule"] == "RL089")["severity"] == "error"  # a changed rule file


def test_cache_notices_a_changed_rule_in_a_files_own_config(repo: Path) -> None:
    """A config nearer the file than the run's (replies/.replylint.toml) brings its own rule
    folder: editing a rule there must not be served from the cache."""
    rules = repo / "replies" / "team-rules" / "en" / "cliche"
    rules.mkdir(parents=True)
    fee = rules / "the-fee.yaml"
    fee.write_text(
        "code: RL089\nname: the-fee\nfamily: cliche\nseverity: info\nsummary: fee\n"
        "message: 'x'\nwhy: 'y'\nmatch:\n  phrases: ['the fee']\n"
        "examples:\n  flagged: ['[[the fee]] x']\n  allowed: ['a b']\n", encoding="utf-8")
    (repo / "replies" / ".replylint.toml").write_text('rule-folders = ["team-rules"]\n', encoding="utf-8")
    args = ("check", "--format", "json", "--cache-dir", ".cache", "replies")
    first = json.loads(replylint(*args, cwd=repo).stdout)["findings"]
    assert next(f for f in first if f["rule"] == "RL089")["severity"] == "info"
    fee.write_text(fee.read_text().replace("severity: info", "severity: error"))
    found = json.loads(replylint(*args, cwd=repo).stdout)["findings"]
    assert next(f for f in found if f["rule"] == "RL089")["severity"] == "error"


def test_the_parent_loads_the_rules_before_workers_fork_from_it() -> None:
    """`--jobs` workers fork from a parent that already holds spaCy and the likely pack's rules,
    so none of them loads them again (docs/performance.md: worker start-up)."""
    import replylint.cli.runner as runner
    import replylint.engine.matching as matching
    from replylint import Config

    matching.compiled_rules.cache_clear()
    runner._warm(runner.Settings(Config(), "auto"))
    assert matching.compiled_rules.cache_info().currsize >= 1  # English, the default guess
