"""The documentation site (mkdocs.yml, MkDocs + Material) builds with warnings as errors (broken
links and anchors included), with search, the rule pages and the CLI reference from --help."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from replylint.cli.clireference import REGENERATE, generate

ROOT = Path(__file__).resolve().parents[1]
CLI_REFERENCE = ROOT / "docs" / "cli-reference.md"


def test_cli_reference_is_the_help_of_every_command() -> None:
    expected = generate()
    actual = CLI_REFERENCE.read_text(encoding="utf-8") if CLI_REFERENCE.exists() else ""
    assert actual == expected, f"docs/cli-reference.md is stale; regenerate with `{REGENERATE}`"
    for command in ("check", "baseline", "fix", "rules", "lsp"):
        assert f"## `replylint {command}`\n\n```text\nusage: replylint {command} " in expected


def test_the_site_builds_strictly_with_search_and_every_page(tmp_path: Path) -> None:
    pytest.importorskip("material", reason="mkdocs-material comes with the dev extra: pip install -e '.[dev]'")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for page in ("", "install/", "cli-reference/", "rules/", "rules/en-RL201-declared-wrong/", "ci/"):
        assert page in locations, f"{page or 'the home page'} is not in the search index"
    rule_pages = list((site / "rules").glob("*/index.html"))
    assert len(rule_pages) == len(list((ROOT / "docs" / "rules").glob("*-RL*.md")))
    assert "replylint check" in (site / "cli-reference" / "index.html").read_text(encoding="utf-8")
