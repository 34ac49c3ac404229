"""The server answers, stays bounded and never dies: bad requests, huge, binary and
rapidly edited documents."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from .lspclient import codes, initialize, open_document, published

REPLY = "Hi Sam,\n\nYou are wrong about the fee.\n"


def _rss_mb(lsp: LanguageClient) -> float:
    status = Path(f"/proc/{lsp._server.pid}/status").read_text()  # type: ignore[union-attr]
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024


async def _still_serving(lsp: LanguageClient, tmp_path: Path, name: str = "alive.txt") -> None:
    uri = open_document(lsp, tmp_path / name, REPLY)
    assert codes(await published(lsp, uri, version=1)) == ["RL201"]


async def test_malformed_and_unknown_requests(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    with pytest.raises(JsonRpcException):
        await lsp.protocol.send_request_async("replylint/noSuchMethod", {"x": 1})
    never_opened = await lsp.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=(tmp_path / "never.txt").as_uri()),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.replylint"])))
    assert list(never_opened) == []
    for body in (b'{"jsonrpc": "2.0", "id": 900, "method": "textDocument/hover", "params": {"textDocument": 5}}',
                 b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": 1}}}',
                 b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": ',
                 b"{not json!!}"):
        lsp._server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)  # type: ignore[union-attr]
    await _still_serving(lsp, tmp_path)


async def test_ten_megabyte_document_is_checked_up_to_the_cap(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path, options={"maxDocumentChars": 200_000})
    paragraph = "Thanks for waiting on this. You are wrong about the fee. We will sort it out today.\n\n"
    text = paragraph * (10_000_000 // len(paragraph))
    uri = open_document(lsp, tmp_path / "huge.txt", text)
    found = await published(lsp, uri, version=1)
    notices = [d for d in found if d.code is None]
    assert len(notices) == 1 and "200,000" in notices[0].message
    assert notices[0].severity == types.DiagnosticSeverity.Information
    flagged = [d for d in found if d.code == "RL201"]
    assert flagged and max(d.range.start.line for d in flagged) < 200_000 // len(paragraph) * 2 + 2
    await _still_serving(lsp, tmp_path)


async def test_binary_content_is_skipped(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    blob = "".join(chr(b) for b in bytes(range(256)) * 400)
    uri = open_document(lsp, tmp_path / "blob.txt", blob + " You are wrong.")
    assert await published(lsp, uri, version=1) == []
    await _still_serving(lsp, tmp_path)


async def test_a_thousand_rapid_edits(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    await published(lsp, uri, version=1)
    start_rss = _rss_mb(lsp)
    before = len(lsp.published)
    typed = "Sorry for the wait. " * 50
    for version, char in enumerate(typed, start=2):
        at = types.Position(line=3, character=version - 2)
        lsp.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text=char)]))
    last = len(typed) + 1
    assert codes(await published(lsp, uri, version=last, after=before)) == ["RL201"]
    versions = [p.version for p in lsp.published[before:] if p.uri == uri]
    assert len(versions) < 50, f"{len(versions)} publishes for 1,000 edits"
    await asyncio.sleep(0)  # let late notifications land before reading memory
    assert _rss_mb(lsp) - start_rss < 100
    hover = await lsp.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=2, character=3)))
    assert hover is not None and "RL201" in hover.contents.value
