"""Diagnostics while typing: push on open and change, pull when the client supports it."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .lspclient import codes, initialize, open_document, published, replace_all

REPLY = "Hi Sam,\n\nYou are wrong about the fee. We will look into it.\n"


async def test_push_on_open_and_change(lsp: LanguageClient, tmp_path: Path) -> None:
    result = await initialize(lsp, tmp_path)
    assert result.capabilities.diagnostic_provider is None  # a push client is never offered pulls as well
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


async def test_ranges_count_utf16_units_after_emoji_and_accents(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    line = "Héllo 😀 Zoë 👍🏽, you are wrong about the fee."
    uri = open_document(lsp, tmp_path / "reply.txt", f"Hi,\n\n{line}\n")
    [d] = await published(lsp, uri, version=1)
    start = line.index("you are wrong")
    utf16_start = len(line[:start].encode("utf-16-le")) // 2
    assert utf16_start == start + 3  # three astral characters, two units each
    assert d.range.start == types.Position(line=2, character=utf16_start)
    assert d.range.end == types.Position(line=2, character=utf16_start + len("you are wrong"))
    suggestion = d.data["suggestions"][0]["range"]
    assert suggestion["start"] == {"line": 2, "character": utf16_start}


async def test_crlf_line_endings(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", "Hi,\r\n\r\nThanks. You are wrong here.\r\n")
    [d] = await published(lsp, uri, version=1)
    assert d.range.start == types.Position(line=2, character=8)


async def test_rapid_edits_publish_only_the_newest_version(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    await published(lsp, uri, version=1)
    before = len(lsp.published)
    for version in range(2, 52):
        replace_all(lsp, uri, REPLY + f"Update {version}.\n" + ("You are wrong.\n" if version == 51 else ""), version)
    last = await published(lsp, uri, version=51, after=before)
    assert codes(last) == ["RL201", "RL201"]
    versions = [p.version for p in lsp.published[before:] if p.uri == uri]
    assert versions[-1] == 51 and len(versions) < 10, versions  # stale runs were dropped, not published
    assert versions == sorted(versions)


async def test_close_clears_diagnostics(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    assert await published(lsp, uri, version=1)
    before = len(lsp.published)
    lsp.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await published(lsp, uri, after=before) == []


async def test_pull_diagnostics_when_the_client_supports_them(lsp: LanguageClient, tmp_path: Path) -> None:
    result = await initialize(lsp, tmp_path, pull=True)
    assert result.capabilities.diagnostic_provider is not None
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    report = await lsp.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert codes(report.items) == ["RL201"] and report.result_id
    again = await lsp.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id))
    assert again.kind == "unchanged"
    replace_all(lsp, uri, "Thanks for waiting.\n", version=2)
    fresh = await lsp.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id))
    assert fresh.kind == "full" and list(fresh.items) == []
    assert not [p for p in lsp.published if p.uri == uri]  # a pull client gets no pushes


async def test_markdown_html_and_bundle_positions(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    md = open_document(lsp, tmp_path / "reply.md", "# Refund\n\nThanks. **You are wrong** here.\n", "markdown")
    html = open_document(lsp, tmp_path / "reply.html", "<p>Thanks &amp; sorry. You are wrong here.</p>\n", "html")
    bundle_text = '{"macros": [{"title": "Fee", "body": "Thanks.\\nYou are wrong about it."}]}\n'
    bundle = open_document(lsp, tmp_path / "macros.json", bundle_text, "json")
    [d_md] = await published(lsp, md, version=1)
    assert d_md.range.start == types.Position(line=2, character=10)
    [d_html] = await published(lsp, html, version=1)
    assert d_html.range.start.character == len("<p>Thanks &amp; sorry. ")
    [d_json] = await published(lsp, bundle, version=1)
    assert d_json.range.start.character == bundle_text.index("You are wrong")


async def test_non_bundle_json_gets_no_diagnostics(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "package.json", '{"name": "x", "version": "1.0.0"}', "json")
    assert await published(lsp, uri, version=1) == []


async def test_a_language_without_a_pack_gets_shouting_and_one_notice(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "antwort.txt", "Hallo Herr Weber,\n\nSIE MÜSSEN DAS FORMULAR AUSFÜLLEN!!\n")
    found = await published(lsp, uri, version=1)
    assert sorted(codes(found)) == ["RL030", "RL031"] and "Großbuchstaben" in found[0].message + found[1].message
    replace_all(lsp, uri, "Hallo Herr Weber,\n\nBitte füllen Sie das Formular aus!!\n", version=2)
    assert codes(await published(lsp, uri, version=2)) == ["RL031"]
    notices = [m for m in lsp.messages if "no rule pack for language 'de'" in m.message]
    assert len(notices) == 1 and notices[0].type == types.MessageType.Info
    assert not [m for m in lsp.messages if m.type == types.MessageType.Error]


async def test_the_quoted_customer_message_is_thread_context(lsp: LanguageClient, tmp_path: Path) -> None:
    """The quoted part of the document is the customer's message (docs/coaching.md#thread-context):
    a "No, …" that answers its yes/no question with a fact is not a flat no."""
    await initialize(lsp, tmp_path)
    reply = "Hi Ann,\n\nNo, our nearest shop is in Leeds.\n"
    alone = open_document(lsp, tmp_path / "alone.txt", reply)
    assert codes(await published(lsp, alone, version=1)) == ["RL101"]
    quoted = reply + "\nOn Mon, 30 Nov 2026, Ann <ann@example.com> wrote:\n> Do you have a shop in Manchester?\n"
    answered = open_document(lsp, tmp_path / "answered.txt", quoted)
    assert codes(await published(lsp, answered, version=1)) == []
