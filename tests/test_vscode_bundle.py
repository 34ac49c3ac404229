"""The VS Code extension's bundled launcher (`lsp/vscode/bundled/tool/replylint_server.py`):
`replylint.importStrategy` decides whether the bundled packages or the environment's win.

Run against a stand-in bundle (a tiny `replylint` package in `bundled/libs`), so it needs
neither the real bundle (built by `npm run package`) nor a network. The real bundle is
exercised by the real VS Code test (tests/vscode/), whose editor has no other replylint.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import replylint

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "lsp" / "vscode" / "bundled" / "tool" / "replylint_server.py"


@pytest.fixture()
def extension(tmp_path: Path) -> Path:
    """An extension folder with the launcher and a stand-in bundle of replylint 0.0.0-bundled."""
    tool = tmp_path / "bundled" / "tool"
    tool.mkdir(parents=True)
    shutil.copy(LAUNCHER, tool)
    libs = tmp_path / "bundled" / "libs"
    for package, source in (("replylint", '__version__ = "0.0.0-bundled"\n'), ("replylint_lsp", ""),
                            ("pygls", "")):
        (libs / package).mkdir(parents=True)
        (libs / package / "__init__.py").write_text(source, encoding="utf-8")
    (libs / "BUNDLE.json").write_text(json.dumps({"target": "linux-x64", "python": "3.11", "replylint": "0.0.0"}),
                                      encoding="utf-8")
    return tmp_path


def _probe(extension: Path, strategy: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "REPLYLINT_IMPORT_STRATEGY")}
    if strategy is not None:
        env["REPLYLINT_IMPORT_STRATEGY"] = strategy
    proc = subprocess.run([sys.executable, str(extension / "bundled" / "tool" / "replylint_server.py"), "--probe"],
                          capture_output=True, text=True, env=env, timeout=60, check=True)
    return json.loads(proc.stdout)


def test_use_bundled_is_the_default_and_wins_over_the_environment(extension: Path) -> None:
    for strategy in (None, "useBundled", "nonsense"):
        info = _probe(extension, strategy)
        assert info["replylint"] == "0.0.0-bundled", strategy
        assert info["bundled"] is True
        assert info["strategy"] == "useBundled"
        assert info["bundle"] == {"target": "linux-x64", "python": "3.11", "replylint": "0.0.0"}


def test_from_environment_prefers_the_installed_replylint(extension: Path) -> None:
    info = _probe(extension, "fromEnvironment")
    assert info["replylint"] == replylint.__version__ != "0.0.0-bundled"
    assert info["bundled"] is False
    assert Path(str(info["location"])) == Path(replylint.__file__).resolve().parent


def test_a_bundle_that_does_not_load_is_reported_not_raised(extension: Path) -> None:
    (extension / "bundled" / "libs" / "replylint" / "__init__.py").write_text("raise ImportError('wrong ABI')\n",
                                                                            encoding="utf-8")
    info = _probe(extension, "useBundled")
    assert info["error"] == "ImportError: wrong ABI"
    assert info["version"] == "{}.{}".format(*sys.version_info[:2])
