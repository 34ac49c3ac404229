"""Versions and releases: `replylint --version` is the package's version, the release workflow
builds, checks and publishes on a version tag, and every doc names the tag of this version."""
from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import replylint

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
# Where a release tag is written for users to copy: the Action, the pre-commit hook, pip from git.
TAGGED = re.compile(r"replylint/replylint@(v[^\s\"'`)]+)|\brev: (v[^\s`]+)|replylint\.git@(v[^\s\"'`)]+)"
                    r"|github\.com/replylint/replylint@(v[^\s\"'`)]+)")


def _command() -> list[str]:
    script = Path(sys.executable).parent / "replylint"
    found = str(script) if script.exists() else shutil.which("replylint")
    if not found:
        pytest.fail("the `replylint` command is not installed beside the test's Python (pip install -e .)")
    return [found]


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_flag_prints_the_installed_package_version(flag: str) -> None:
    for command in (_command(), [sys.executable, "-m", "replylint"]):
        result = subprocess.run([*command, flag], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"replylint {importlib.metadata.version('replylint')}"
    assert importlib.metadata.version("replylint") == replylint.__version__


def test_the_build_reads_the_version_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/replylint/_version.py"


def _workflow() -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load(RELEASE.read_text(encoding="utf-8"))


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def test_release_workflow_builds_checks_and_publishes_on_a_version_tag() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 readers turn `on` into True
    assert triggers["push"]["tags"] == ["v[0-9]*"]
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert "python -m build --outdir dist ." in _runs(build)  # the sdist, then the wheel built from it
    assert "twine check --strict dist/*" in _runs(build)
    assert "${{" not in _runs(build), "expressions reach scripts through env: only"
    assert publish["needs"] == "build" and publish["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert publish["permissions"] == {"id-token": "write"}
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert "pypa/gh-action-pypi-publish@release/v1" in uses
    publish_step = next(s for s in publish["steps"] if s.get("uses", "").startswith("pypa/"))
    assert not set(publish_step.get("with", {})) & {"password", "user"}, "trusted publishing needs no token"
    assert workflow["permissions"] == {"contents": "read"}


def test_every_tag_in_the_docs_is_this_version() -> None:
    expected = f"v{replylint.__version__}"
    files = [ROOT / "README.md", ROOT / "action.yml", ROOT / ".pre-commit-hooks.yaml",
             *sorted((ROOT / "docs").glob("*.md")), ROOT / "lsp" / "vscode" / "README.md"]
    seen = 0
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in TAGGED.finditer(line):
                tag = next(g for g in match.groups() if g)
                seen += 1
                assert tag == expected, f"{path.relative_to(ROOT)}:{number}: {tag}, but this is {expected}"
    assert seen >= 10
