"""The engine never imports the CLI, the output formats or any editor layer; the language
server uses only the public API (`replylint`, `replylint.workspace`)."""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "replylint"
ENGINE = ["model", "errors", "examples", "rulefile", "ruleset", "pipelines", "positions", "matching",
          "rewrites", "config", "engine", "fixing", "fingerprints", "ignorefile", "config_edit", "workspace",
          "__init__"]
SERVER = Path(__file__).resolve().parents[1] / "lsp" / "server" / "replylint_lsp"
PUBLIC = {"replylint", "replylint.workspace"}
FORBIDDEN = ("replylint.cli.main", "replylint.cli.report", "pygls", "lsprotocol", "rich", "argparse")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = "replylint." + base if base else "replylint"
            names.add(base)
    return names


def test_engine_modules_import_no_outer_layer() -> None:
    for name in ENGINE:
        for module in imported_modules(SRC / f"{name}.py"):
            assert not module.startswith(FORBIDDEN), f"{name}.py imports {module}"


def test_language_server_uses_only_the_public_api() -> None:
    files = sorted(SERVER.rglob("*.py"))  # handlers/ too
    assert len(files) >= 5
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("replylint"):
                assert node.module in PUBLIC, f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("replylint.") or alias.name in PUBLIC, path.name
