"""The VS Code extension's own checks: strict TypeScript build, eslint and its unit tests
(`npm test` in lsp/vscode, node:test with the vscode API stubbed at the boundary)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[1] / "lsp" / "vscode"


def _npm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["npm", *args], cwd=EXTENSION, capture_output=True, text=True, timeout=600)


def test_extension_builds_lints_and_passes_its_unit_tests() -> None:
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
