"""The VS Code extension's own checks: strict TypeScript build, eslint and its unit tests
(`npm test` in lsp/vscode, node:test with the vscode API stubbed at the boundary).

Runs `npm ci` in lsp/vscode when it has no node_modules (downloads the extension's locked
dependencies from the npm registry, about a minute the first time), and removes afterwards
what it made there: node_modules if it installed it, out/ if the build made it."""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[1] / "lsp" / "vscode"


def _npm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["npm", *args], cwd=EXTENSION, capture_output=True, text=True, timeout=600)


@pytest.fixture
def made_here() -> Iterator[None]:
    """Removes the folders this test's npm commands create in lsp/vscode, leaving those already there."""
    made = [EXTENSION / name for name in ("node_modules", "out") if not (EXTENSION / name).exists()]
    yield
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)


def test_extension_builds_lints_and_passes_its_unit_tests(made_here: None) -> None:
    if shutil.which("npm") is None:
        if os.environ.get("REPLYLINT_E2E_VSCODE"):
            pytest.fail("npm is needed for the VS Code extension's tests")
        pytest.skip("npm is not installed")
    if not (EXTENSION / "node_modules").is_dir():
        installed = _npm("ci", "--no-audit", "--no-fund")
        assert installed.returncode == 0, installed.stdout + installed.stderr
    lint = _npm("run", "lint")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    tested = _npm("test")
    output = tested.stdout + tested.stderr
    assert tested.returncode == 0, output
    assert "# fail 0" in output and "# pass " in output
    passed = int(output.split("# pass ", 1)[1].split()[0])
    assert passed >= 40, output
