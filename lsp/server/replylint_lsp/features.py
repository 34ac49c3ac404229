"""The LSP handlers: document sync, diagnostics (push and pull), hover, code actions,
settings and watched files. Each is a thin step from a request to the server's state.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from lsprotocol import types

from replylint.workspace import rule_info

from .actions import FIX_ALL_KIND, code_actions
from .commands import register_commands
from .diagnostics import hover_markdown
from .positions import LineTable
from .scores import score_lenses
from .server import ReplylintServer
from .settings import SECTION, parse_settings

log = logging.getLogger("replylint.lsp")
WATCHED = ("**/.replylint.toml", "**/pyproject.toml", "**/.replylint-ignore")


def create_server() -> ReplylintServer:
    """A server with every feature registered, ready for `start_io()`."""
    server = ReplylintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: ReplylintServer, params: types.InitializeParams) -> None:
        settings, problems = parse_settings(params.initialization_options)
        ls.use_settings(settings, problems)
        root = ls.workspace.root_path
        ls.configs.root = Path(root) if root else None
        text_caps = params.capabilities.text_document
        client_pulls = bool(text_caps and text_caps.diagnostic)
        mode = settings.diagnostic_mode
        ls.pull_mode = mode == "pull" or (mode == "auto" and client_pulls)
        if ls.pull_mode:  # advertised only then: a client that pulls and gets pushes shows findings twice
            ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
                identifier="replylint", inter_file_dependencies=False, workspace_diagnostics=False))(pull_diagnostics)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: ReplylintServer, params: types.InitializedParams) -> None:
        ls.warm_up()
        await _register_watchers(ls)
        await _pull_configuration(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ReplylintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ReplylintServer, params: types.DidChangeTextDocumentParams) -> None:
        if ls.settings.run == "onType":
            ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: ReplylintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.endswith(("/.replylint.toml", "/pyproject.toml", "/.replylint-ignore")):
            ls.config_changed()
        elif ls.settings.run == "onSave":
            if not ls.pull_mode:
                ls.schedule(uri, delay=0)
            elif await ls.lint_now(uri) is not None and ls.client_refreshes():
                ls.workspace_diagnostic_refresh(None)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: ReplylintServer, *args: object) -> None:
        ls.stop_checking()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ReplylintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    async def pull_diagnostics(ls: ReplylintServer, params: types.DocumentDiagnosticParams):
        uri = params.text_document.uri
        saved = ls.saved_result(uri) if ls.settings.run == "onSave" else None
        result = saved or await ls.lint_now(uri)
        if result is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{result.generation}:{result.version}"
        if params.previous_result_id == result_id and result.version is not None:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=result.diagnostics, result_id=result_id)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: ReplylintServer, params: types.HoverParams) -> types.Hover | None:
        result = await ls.lint_now(params.text_document.uri)
        doc = ls.document(params.text_document.uri)
        if result is None or doc is None:
            return None
        lines = LineTable(doc.source, str(ls.workspace.position_encoding or types.PositionEncodingKind.Utf16))
        offset = lines.offset(params.position)
        for finding in result.findings:
            if finding.start <= offset <= finding.end:
                snapshot = ls.snapshot(params.text_document.uri)
                info = rule_info(finding.rule, finding.lang or "auto", snapshot.config if snapshot else None)
                return types.Hover(
                    contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                 value=hover_markdown(finding, info)),
                    range=lines.range(finding.start, finding.end))
        return None

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
                                            resolve_provider=False))
    async def code_action(ls: ReplylintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        doc = ls.document(uri)
        if doc is None:
            return []
        every = []
        if params.context.only is not None:  # fix-all needs every diagnostic, not just the ones in range
            result = await ls.lint_now(uri)
            every = result.diagnostics if result else []
        snapshot = ls.snapshot(uri)
        fmt = snapshot.fmt if snapshot else "text"
        wanted = {d.range.start.line for d in params.context.diagnostics}
        text_lines = doc.source.splitlines()
        line_text = {n: text_lines[n] for n in wanted if n < len(text_lines)}
        return code_actions(uri, doc.version, fmt, params.context, every, line_text, ls.versioned_edits())

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    async def code_lens(ls: ReplylintServer, params: types.CodeLensParams) -> list[types.CodeLens]:
        """Each reply's score at its top (docs/language-server.md#reply-scores)."""
        uri = params.text_document.uri
        result = await ls.lint_now(uri)
        doc = ls.document(uri)
        if result is None or doc is None:
            return []
        return score_lenses(result, LineTable(doc.source, str(ls.workspace.position_encoding
                                                               or types.PositionEncodingKind.Utf16)))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: ReplylintServer, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and isinstance(settings.get(SECTION), dict):
            ls.use_settings(*parse_settings(settings))
        else:
            await _pull_configuration(ls)
        ls.config_changed()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: ReplylintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.config_changed()

    register_commands(server)
    return server


async def _pull_configuration(ls: ReplylintServer) -> None:
    """Ask the client for the `replylint` section when it supports workspace/configuration."""
    workspace = ls.client_capabilities.workspace
    if not (workspace and workspace.configuration):
        return
    try:
        values = await asyncio.wait_for(ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])), timeout=5)
    except Exception as exc:  # a client that cannot answer keeps the settings it gave before
        log.warning("workspace/configuration failed: %s", exc)
        return
    if values and values[0] is not None:
        ls.use_settings(*parse_settings(values[0], ls.settings))
        ls.config_changed()


async def _register_watchers(ls: ReplylintServer) -> None:
    """Watch the config and ignore files when the client can register watchers dynamically."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED])
    try:
        await asyncio.wait_for(ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id="replylint-config-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=options)])), timeout=5)
    except Exception as exc:
        log.warning("could not register file watchers: %s", exc)
