"""Diagnostics while typing: push on open and change, pull when the client supports it."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .lspclient import codes, initialize, open_document, published, replace_all

REPLY = "Hi Sam,\n\nYou are wrong about the fee. We will look into it.\n"


async def test_push_on_open_and_change(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    first = await published(lsp, uri, version=1)
    assert codes(first) == ["RL201"]
    d = first[0]
    assert d.source == "replylint" and d.severity == types.DiagnosticSeverity.Error
    assert d.range == types.Range(start=types.Position(line=2, character=0), end=types.Position(line=2, character=13))
    assert d.code_description is not None and d.code_description.href.endswith("en-RL201-declared-wrong.md")
    assert d.data["suggestions"][0]["replacement"]
    replace_all(lsp, uri, "Hi Sam,\n\nThanks for writing.\n", version=2)
    assert await published(lsp, uri, version=2) == []
