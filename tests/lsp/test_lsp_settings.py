"""Settings from the client and the workspace's config file, re-read when they change."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .lspclient import codes, initialize, open_document, published

REPLY = "Hi Sam,\n\nYou are wrong about the fee. Per our policy, the fee stays.\n"


async def _baseline(lsp: LanguageClient, tmp_path: Path) -> tuple[str, list[str]]:
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    return uri, codes(await published(lsp, uri, version=1))


async def test_initialization_options(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path, options={"replylint": {"ignore": ["RL201"], "severity": {"RL501": "info"}}},
                     configuration=False)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    found = await published(lsp, uri, version=1)
    assert "RL201" not in codes(found) and found
    assert {d.severity for d in found if d.code == "RL501"} <= {types.DiagnosticSeverity.Information}


async def test_workspace_configuration_is_asked_for(lsp: LanguageClient, tmp_path: Path) -> None:
    lsp.set_configuration({"ignore": ["you-are-wrong"]}, section="replylint")
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    found = await published(lsp, uri, version=1)
    assert found and "RL201" not in codes(found)


async def test_did_change_configuration_with_and_without_settings(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri, first = await _baseline(lsp, tmp_path)
    assert "RL201" in first
    before = len(lsp.published)
    lsp.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"replylint": {"enable": False}}))
    assert await published(lsp, uri, version=1, after=before) == []
    lsp.set_configuration({"enable": True, "select": ["RL201"]}, section="replylint")
    before = len(lsp.published)
    lsp.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert codes(await published(lsp, uri, version=1, after=before)) == ["RL201"]


async def test_bad_setting_values_are_reported_and_skipped(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path, options={"debounceMs": "soon", "ignore": ["RL201"]}, configuration=False)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    assert "RL201" not in codes(await published(lsp, uri, version=1))
    assert any("debounceMs" in m.message for m in lsp.messages)


async def test_config_file_change_is_picked_up(lsp: LanguageClient, tmp_path: Path) -> None:
    config = tmp_path / ".replylint.toml"
    config.write_text('lang = "en"\n', encoding="utf-8")
    await initialize(lsp, tmp_path)
    uri, first = await _baseline(lsp, tmp_path)  # the watcher registration was sent before this publish
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in lsp.registrations)
    assert "RL201" in first
    config.write_text('lang = "en"\nignore = ["RL201"]\n', encoding="utf-8")
    before = len(lsp.published)
    lsp.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    after = await published(lsp, uri, version=1, after=before)
    assert after and "RL201" not in codes(after)


async def test_broken_config_is_shown_and_last_good_settings_kept(lsp: LanguageClient, tmp_path: Path) -> None:
    config = tmp_path / ".replylint.toml"
    config.write_text('ignore = ["RL201"]\n', encoding="utf-8")
    await initialize(lsp, tmp_path)
    uri, first = await _baseline(lsp, tmp_path)
    assert first and "RL201" not in first
    config.write_text('ignore = ["RL201"]\nseverity = "loud"\n', encoding="utf-8")
    before = len(lsp.published)
    lsp.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    [problem] = await published(lsp, config.as_uri(), after=before)
    assert problem.severity == types.DiagnosticSeverity.Error and "severity" in problem.message
    assert problem.range.start.line == 1
    assert any(m.type == types.MessageType.Error and ".replylint.toml" in m.message for m in lsp.messages)
    after = await published(lsp, uri, version=1, after=before)
    assert codes(after) == first  # still the last good settings
    config.write_text("ignore = [\n", encoding="utf-8")  # not TOML at all
    before = len(lsp.published)
    lsp.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    [problem] = await published(lsp, config.as_uri(), after=before)
    assert "TOML" in problem.message
    config.write_text('ignore = ["RL201"]\n', encoding="utf-8")
    before = len(lsp.published)
    lsp.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    assert await published(lsp, config.as_uri(), after=before) == []  # fixed: the problem is cleared


async def test_config_edit_is_seen_without_a_watcher(lsp: LanguageClient, tmp_path: Path) -> None:
    """A client that cannot watch files still gets the new config on the next change."""
    config = tmp_path / ".replylint.toml"
    config.write_text('lang = "en"\n', encoding="utf-8")
    await initialize(lsp, tmp_path, watchers=False, configuration=False)
    uri, first = await _baseline(lsp, tmp_path)
    assert not lsp.registrations and "RL201" in first
    config.write_text('ignore = ["RL201"]\n', encoding="utf-8")
    lsp.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=REPLY + "Thanks.\n")]))
    assert "RL201" not in codes(await published(lsp, uri, version=2))


async def test_minimum_severity_hides_lower_findings(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path, options={"replylint": {"minimumSeverity": "error"}}, configuration=False)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    found = await published(lsp, uri, version=1)
    assert codes(found) == ["RL201"] and all(d.severity == types.DiagnosticSeverity.Error for d in found)


async def test_run_on_save_lints_on_open_and_save_only(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path, options={"replylint": {"run": "onSave"}}, configuration=False)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    assert "RL201" in codes(await published(lsp, uri, version=1))
    lsp.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text="Thanks for waiting.\n")]))
    lsp.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    versions = []
    while 2 not in versions:
        await lsp.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        versions = [p.version for p in lsp.published if p.uri == uri]
    assert versions == [1, 2]  # nothing was published for the change itself, only for the save
    assert await published(lsp, uri, version=2) == []
