"""The layers of docs/architecture.md hold: each package imports only the layers below it, no
modules import each other in a circle, and the language server uses only the public API
(`replylint`, `replylint.workspace`). Lazy imports inside functions count as imports."""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
SERVER = ROOT / "lsp" / "server" / "replylint_lsp"
PUBLIC = {"replylint", "replylint.workspace"}

GROUND = {"replylint._version", "replylint.errors", "replylint.limits", "replylint.safewrite",
          "replylint.projectfiles"}
# layer -> the layers it may import (its own included); bottom first
ALLOWED = {
    "ground": {"ground"},
    "engine": {"ground", "engine"},
    "inputs": {"ground", "engine", "inputs"},
    "editor": {"ground", "engine", "inputs", "editor"},
    "api": {"ground", "engine", "inputs", "editor", "api"},
    "audit": {"ground", "engine", "inputs", "api", "audit"},
    "cli": {"ground", "engine", "inputs", "editor", "api", "audit", "cli"},
}
# What must never appear below the command line and the editor hosts; argparse only in the
# command line and in modules that are programs of their own (`python -m ...`).
OUTER_LIBRARIES = ("pygls", "lsprotocol", "rich", "argparse")
PROGRAMS = {"replylint.engine.tone.train"}
# The audit's progress bar and terminal summary are rich's, as the command line's are.
RICH_USERS = {"cli", "api", "audit"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    if module in GROUND:
        return "ground"
    if module in ("replylint", "replylint.workspace"):
        return "api"
    if module == "replylint.__main__":
        return "cli"
    return module.split(".")[1]


@cache
def known_modules() -> frozenset[str]:
    return frozenset(module_name(p) for p in (SRC / "replylint").rglob("*.py"))


def imports_of(path: Path) -> set[str]:
    """Every replylint module (or outside library) `path` imports, at any depth of the code."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names
                         if f"{base}.{alias.name}" in known_modules())
    return found


def source_files() -> list[Path]:
    return sorted((SRC / "replylint").rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    for path in source_files():
        assert layer_of(module_name(path)) in ALLOWED, f"{path} is in no layer of docs/architecture.md"


@pytest.mark.parametrize("path", source_files(), ids=lambda p: module_name(p))
def test_imports_run_only_down_the_layers(path: Path) -> None:
    layer = layer_of(module_name(path))
    for imported in imports_of(path):
        if imported in known_modules():
            assert layer_of(imported) in ALLOWED[layer], f"{module_name(path)} ({layer}) imports {imported}"
        if layer in ("cli", "api") or (imported == "argparse" and module_name(path) in PROGRAMS):
            continue
        if layer in RICH_USERS and imported.startswith("rich"):
            continue
        assert not imported.startswith(OUTER_LIBRARIES), f"{module_name(path)} imports {imported}"


def test_no_modules_import_each_other_in_a_circle() -> None:
    graph = {module_name(p): {m for m in imports_of(p) if m in known_modules() and m != module_name(p)}
             for p in source_files()}
    # A package's __init__ is imported with each of its modules; an import of a package's own
    # __init__ from inside it is not a circle of modules.
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not module.startswith(t + ".")}
    circles = _strongly_connected(graph)
    assert circles == [], f"modules importing each other: {circles}"


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: every group of two or more modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_check_detects_a_circle_and_an_upward_import() -> None:
    """The checks above can fail: a made-up circle and a made-up climb are caught."""
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "cli" not in ALLOWED[layer_of("replylint.engine.matching")]
    assert layer_of("replylint.cli.report.sarif_format") == "cli"


def test_language_server_uses_only_the_public_api() -> None:
    files = sorted(SERVER.rglob("*.py"))  # handlers/ too
    assert len(files) >= 5
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("replylint"):
                assert node.module in PUBLIC or node.module.startswith("replylint_lsp"), \
                    f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("replylint.") or alias.name in PUBLIC, path.name


DOC = ROOT / "docs" / "architecture.md"


def layer_edges() -> set[tuple[str, str]]:
    """Which layer imports which, from the code."""
    edges = set()
    for path in source_files():
        here = layer_of(module_name(path))
        edges |= {(here, layer_of(m)) for m in imports_of(path) if m in known_modules() and layer_of(m) != here}
    return edges


def test_the_picture_in_docs_matches_the_imports() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("```mermaid", 1)[1].split("```", 1)[0]
    drawn = set()
    for line in block.splitlines():
        if "-->" in line:
            left, right = line.split("-->")
            drawn.add((left.strip().split("[")[0], right.strip().split("[")[0]))
    assert drawn - {("server", "api")} == layer_edges()
    assert ("server", "api") in drawn


def test_the_doc_names_every_module() -> None:
    text = DOC.read_text(encoding="utf-8")
    package = SRC / "replylint"
    for path in source_files():
        relative = path.relative_to(package)
        if relative.name == "__init__.py" and len(relative.parts) == 1:
            continue
        # a module directly in a layer package or on the ground floor, else its sub-package
        shown = relative.name if len(relative.parts) <= 2 else f"{relative.parts[1]}/"
        assert f"`{shown}" in text, f"docs/architecture.md does not mention {relative}"


MAX_FUNCTION_LINES = 60


def test_no_function_in_src_is_longer_than_a_screen() -> None:
    """Small functions with one job each: a longer one is split, not grown."""
    long = []
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{module_name(path)}.{node.name}: {length} lines")
    assert long == []
