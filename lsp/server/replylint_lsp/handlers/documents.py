"""Document sync and diagnostics: open, change, save and close start, replace or drop a
document's lint (pushed after the debounce); in pull mode, `textDocument/diagnostic` answers
with the current lint and a result id that says when nothing changed."""
from __future__ import annotations

from lsprotocol import types

from ..server import ReplylintServer
from .configuration import is_config_file


def did_open(ls: ReplylintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, delay=0)


def did_change(ls: ReplylintServer, params: types.DidChangeTextDocumentParams) -> None:
    if ls.settings.run == "onType":
        ls.schedule(params.text_document.uri)


async def did_save(ls: ReplylintServer, params: types.DidSaveTextDocumentParams) -> None:
    """A saved config or ignore file re-reads the configs; in `run: onSave`, a saved document is checked."""
    uri = params.text_document.uri
    if is_config_file(uri):
        ls.config_changed()
    elif ls.settings.run == "onSave":
        if not ls.pull_mode:
            ls.schedule(uri, delay=0)
        elif await ls.lint_now(uri) is not None and ls.client_refreshes():
            ls.workspace_diagnostic_refresh(None)


def did_close(ls: ReplylintServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)


async def pull_diagnostics(ls: ReplylintServer,
                           params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    """The document's diagnostics, or "unchanged" when the client already has this result."""
    uri = params.text_document.uri
    saved = ls.saved_result(uri) if ls.settings.run == "onSave" else None
    result = saved or await ls.lint_now(uri)
    if result is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = f"{result.generation}:{result.version}"
    if params.previous_result_id == result_id and result.version is not None:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=result.diagnostics, result_id=result_id)
