"""The language server's state: settings, configs, the latest lint of each document, and the
debounced runs that keep those up to date. The handlers that read and change it are in
`handlers/`, mapped to LSP methods in `dispatch.py`.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import FeatureRequestError
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path
from pygls.workspace import TextDocument

import replylint

from .checker import Checker, budget_for
from .configs import ConfigStore
from .formats import document_format, document_path
from .linting import LintResult, Snapshot
from .positions import LineTable
from .problems import config_problem_diagnostic
from .protocol import ReplylintProtocol
from .scope import in_scope
from .settings import Settings
from .transport import serve_stdio

log = logging.getLogger("replylint.lsp")


class ReplylintServer(LanguageServer):
    """pygls server plus replylint's per-workspace state."""

    def __init__(self) -> None:
        super().__init__("replylint", replylint.__version__, protocol_cls=ReplylintProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.configs = ConfigStore()
        self.results: dict[str, LintResult] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.pull_mode = False
        self.forced: set[str] = set()  # URIs checked without a config ("Lint this file anyway")
        self.generation = 0  # bumped when settings or configs change; part of pull result ids
        self._shown_problems: dict[str, str] = {}
        self._noted: dict[str, str] = {}
        self._shown_notices: set[str] = set()  # each notice pops up once a session, not per edit
        self._running: dict[str, tuple[tuple[int | None, int], asyncio.Future[LintResult]]] = {}
        # One worker thread drives the checker process: one document at a time, off the event
        # loop, so the server keeps reading messages (and drops stale runs) while it works.
        self.linter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replylint-lint")
        self.checker = Checker()

    def shutdown(self) -> None:
        """The process is stopping: stop the checker process with it."""
        self.checker.close()
        super().shutdown()

    def start_io(self, stdin=None, stdout=None) -> None:  # type: ignore[no-untyped-def]
        """Serve over stdin/stdout with a reader that bounds header and message sizes."""
        serve_stdio(self, stdin, stdout)

    def report_server_error(self, error: Exception, source: type) -> None:  # type: ignore[override]
        """Errors outside a request (a failing notification handler) go to the log, not to a
        pop-up per message; a request's error is already in its response."""
        log.warning("%s", error)
        if source is FeatureRequestError:
            return
        first = str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=f"replylint: {first}"))

    def document(self, uri: str) -> TextDocument | None:
        """The open document at `uri` (pygls keys them by the percent-decoded URI)."""
        return self.workspace.text_documents.get(unquote(uri))

    def encoding(self) -> str:
        """The negotiated position encoding (UTF-16 unless the client offered another)."""
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def line_table(self, doc: TextDocument) -> LineTable:
        """Offsets to positions and back for the document's current text."""
        return LineTable(doc.source, self.encoding())

    def open_uris(self) -> list[str]:
        """The URIs of the open documents, as the client spelled them."""
        return [doc.uri for doc in list(self.workspace.text_documents.values())]

    # ----- settings and configs -------------------------------------------------------------

    def use_settings(self, settings: Settings, problems: list[str]) -> None:
        self.settings = settings
        self.configs.explicit = settings.config_file
        self.configs.forget()
        self.generation += 1
        for problem in problems:
            self.show(types.MessageType.Warning, f"replylint {problem}")

    def show(self, kind: types.MessageType, message: str) -> None:
        log.warning(message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def snapshot(self, uri: str) -> Snapshot | None:
        """The document as it is now, with the config that applies to it."""
        doc = self.document(uri)
        if doc is None:
            return None
        path = document_path(uri)
        config, _ = self.configs.config_for(path)
        self.report_config_problems()
        config = self.settings.apply_to(config)
        return Snapshot(uri, doc.version, doc.source, document_format(uri, doc.language_id, doc.source), path,
                        "auto", config, self.settings.max_document_chars, self.encoding(),
                        self.settings.minimum_severity)

    def report_config_problems(self) -> None:
        """Show each new config problem once (message + diagnostic); clear fixed ones."""
        current = {p.path: p.message for p in self.configs.problems.values()}
        for path, message in current.items():
            if self._shown_problems.get(path) != message:
                self.show(types.MessageType.Error, f"replylint: {message} (using the last good settings)")
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                    uri=from_fs_path(path) or path, diagnostics=[config_problem_diagnostic(Path(path), message)]))
        for path in set(self._shown_problems) - set(current):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=from_fs_path(path) or path, diagnostics=[]))
        self._shown_problems = current

    def config_changed(self) -> None:
        """Config files or settings changed: re-read them and re-check every open document."""
        self.configs.forget()
        self.generation += 1
        self.results.clear()
        if self.pull_mode:
            if self.client_refreshes():
                self.workspace_diagnostic_refresh(None)
            for uri in self.open_uris():  # keeps config problems visible
                self.snapshot(uri)
        else:
            for uri in self.open_uris():
                self.schedule(uri, delay=0)

    def versioned_edits(self) -> bool:
        """Whether the client takes versioned `documentChanges` in a workspace edit."""
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace else None
        return bool(edit and edit.document_changes)

    def client_refreshes(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace and workspace.diagnostics and workspace.diagnostics.refresh_support)

    # ----- linting --------------------------------------------------------------------------

    async def lint_now(self, uri: str) -> LintResult | None:
        """The lint of the document's current version: cached, or run on the worker."""
        snapshot = self.snapshot(uri)
        if snapshot is None:
            return None
        cached = self.results.get(uri)
        if cached is not None and cached.version == snapshot.version and cached.generation == self.generation:
            return cached
        if not self.settings.enable or not self.in_scope(uri, snapshot.path):
            return LintResult(snapshot.version)
        generation = self.generation
        key = (snapshot.version, generation)
        running = self._running.get(uri)
        if running is not None and running[0] == key:  # a hover during the push run: share it
            try:
                return await asyncio.shield(running[1])
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise
                return await self.lint_now(uri)  # that run was dropped for a newer version
        budget = budget_for(min(len(snapshot.text), snapshot.max_chars), self.settings.check_timeout_ms,
                            self.settings.check_memory_mb)
        future = asyncio.get_running_loop().run_in_executor(self.linter, self.checker.run, snapshot, budget)
        self._running[uri] = (key, future)
        try:
            result = await future  # cancelled with its task: a queued run for a stale version is dropped
        finally:
            if self._running.get(uri, (None, None))[1] is future:
                del self._running[uri]
        result.generation = generation
        if result.problem and self._noted.get(uri) != result.problem:
            self._noted[uri] = result.problem
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Info,
                                                           message=f"replylint: {uri}: {result.problem}"))
        for notice in result.notices:
            if notice not in self._shown_notices:
                self._shown_notices.add(notice)
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Info,
                                                                 message=f"replylint: {notice}"))
        doc = self.document(uri)
        if doc is not None and doc.version == snapshot.version and generation == self.generation:
            self.results[uri] = result
        return result

    def in_scope(self, uri: str, path: str | None) -> bool:
        """Whether the document is checked: see `scope.py` (`requireConfig`, `include`)."""
        _, config_path = self.configs.config_for(path)
        return in_scope(self.settings, config_path, path, self.configs.root, forced=uri in self.forced)

    def lint_anyway(self, uri: str) -> None:
        """Check this document although no config applies to it (until the server stops)."""
        self.forced.add(uri)
        self.config_changed()

    def saved_result(self, uri: str) -> LintResult | None:
        """In `run: onSave` mode, the lint of the last opened or saved version (may be older)."""
        cached = self.results.get(uri)
        return cached if cached is not None and cached.generation == self.generation else None

    def schedule(self, uri: str, delay: float | None = None) -> None:
        """Push mode: lint `uri`, replacing any run not yet published. The debounce is on the
        leading edge: an edit with no run of the document pending is linted at once; one that
        arrives while a run is pending (a burst of keystrokes) replaces it and waits the debounce."""
        if self.pull_mode:
            return
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()  # a run already in the checker finishes, unpublished; a queued one is dropped
        wait = (self.settings.debounce_ms / 1000 if old is not None else 0.0) if delay is None else delay
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_and_publish(uri, wait))

    async def _lint_and_publish(self, uri: str, wait: float) -> None:
        try:
            await asyncio.sleep(wait)
            version = getattr(self.document(uri), "version", None)
            result = await self.lint_now(uri)
            doc = self.document(uri)
            if result is None or doc is None or doc.version != version:
                return  # closed, or a newer version arrived: its own run will publish
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=result.diagnostics, version=result.version))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # never let one document's run take the server down
            log.exception("lint of %s failed", uri)
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error,
                                                           message=f"replylint: {uri}: {exc}"))
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    def forget(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.linter.submit(self.checker.forget, uri)  # after any run in progress: its cache goes
        self.results.pop(uri, None)
        self._noted.pop(uri, None)
        if not self.pull_mode:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def warm_up(self) -> None:
        """Start the checker (it loads the rules and spaCy) now, not on the first keystroke."""
        self.linter.submit(self.checker.start)

    def stop_checking(self) -> None:
        """On shutdown: stop the checker process, and with it any run in progress."""
        for task in list(self.pending.values()):
            task.cancel()
        self.pending.clear()
        self.checker.close()
