"""The CLI over every input type: reader choice, bundles, excludes, fields, suppressions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirunner import replylint

RISKY = "You're wrong about the fee."


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / "zendesk.json").write_text(json.dumps(
        {"macros": [{"id": 7, "title": "Late fee", "actions": [
            {"field": "comment_value", "value": ["channel:all", f"Hi,\n\n{RISKY}"]}]}]}, indent=2),
        encoding="utf-8")
    (tmp_path / "macros" / "replies.yaml").write_text(f"- id: refund\n  body: \"{RISKY}\"\n", encoding="utf-8")
    (tmp_path / "reply.html").write_text(f"<p>Hi,</p><p>{RISKY.replace(chr(39), '&rsquo;')}</p>", encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}', encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "wip.txt").write_text(RISKY, encoding="utf-8")
    return tmp_path


def records(repo: Path, *args: str) -> tuple[int, list[dict], str]:
    result = replylint("check", "--format", "json", *args, cwd=repo)
    found = json.loads(result.stdout)["findings"] if result.stdout else []
    return result.returncode, found, result.stderr


def test_folder_recursion_reads_every_type_and_skips_non_bundles(repo: Path) -> None:
    code, found, stderr = records(repo, ".")
    assert code == 1, stderr
    where = {(Path(r["path"]).as_posix(), r["line"], r["column"], r["response"]) for r in found if r["rule"] == "RL201"}
    assert where == {("macros/zendesk.json", 11, 21, "Late fee"), ("macros/replies.yaml", 2, 10, "refund"),
                     ("reply.html", 1, 14, ""), ("drafts/wip.txt", 1, 1, "")}
    assert "package.json" not in stderr


def test_a_named_non_bundle_is_an_error(repo: Path) -> None:
    code, _, stderr = records(repo, "package.json")
    assert code == 2 and "package.json: no canned responses found" in stderr


def test_exclude_from_cli_and_config(repo: Path) -> None:
    _, found, _ = records(repo, ".", "--exclude", "drafts/")
    assert not any("drafts" in r["path"] for r in found)
    (repo / ".replylint.toml").write_text('exclude = ["macros/*.yaml"]\n', encoding="utf-8")
    _, found, _ = records(repo, ".")
    assert not any(r["path"].endswith(".yaml") for r in found) and any("drafts" in r["path"] for r in found)


def test_input_format_override_and_field(repo: Path) -> None:
    (repo / "export.dat").write_text(json.dumps([{"slug": "a", "answer": RISKY}]), encoding="utf-8")
    code, found, stderr = records(repo, "export.dat", "--input-format", "json", "--field", "answer",
                                  "--field", "id=slug")
    assert code == 1, stderr
    assert [(r["rule"], r["response"]) for r in found if r["rule"] == "RL201"] == [("RL201", "a")]


def test_malformed_bundle_is_one_line_and_others_still_run(repo: Path) -> None:
    (repo / "broken.json").write_text('{"macros": [\n  {"title": "x",,}\n]}', encoding="utf-8")
    code, found, stderr = records(repo, ".")
    assert code == 2
    (line,) = [e for e in stderr.splitlines() if "broken.json" in e]
    assert "broken.json: invalid JSON at line 2" in line
    assert any(r["path"].endswith("zendesk.json") for r in found)


def test_show_suppressed(repo: Path) -> None:
    (repo / "quiet.md").write_text(f"<!-- replylint-disable-next-line RL201 -->\n{RISKY}\n", encoding="utf-8")
    assert records(repo, "quiet.md")[0] == 0
    code, found, _ = records(repo, "quiet.md", "--show-suppressed")
    assert code == 0 and [r["rule"] for r in found if r.get("suppressed")] == ["RL201"]
    text = replylint("check", "quiet.md", "--show-suppressed", cwd=repo).stdout
    assert "Suppressed by inline comments" in text and "quiet.md:2:1: RL201" in text


def test_bundle_fields_per_glob_in_config(repo: Path) -> None:
    (repo / "faq").mkdir()
    (repo / "faq" / "answers.csv").write_text(f"slug,answer\nfee,{RISKY}\n", encoding="utf-8")
    (repo / "other.csv").write_text(f"slug,answer\nfee,{RISKY}\n", encoding="utf-8")
    (repo / ".replylint.toml").write_text(
        '[bundle-fields."faq/*.csv"]\nbody = ["answer"]\nid = ["slug"]\n', encoding="utf-8")
    code, found, stderr = records(repo, "faq/answers.csv")
    assert code == 1 and [(r["line"], r["column"], r["response"]) for r in found if r["rule"] == "RL201"] == [
        (2, 5, "fee")]
    code, _, stderr = records(repo, "other.csv")
    assert code == 2 and "other.csv: no canned responses found" in stderr
