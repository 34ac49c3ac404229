"""Every LSP method and command the server answers, mapped to its handler in one place, and
registered with pygls here (no handler registers itself).

A handler is a plain function in `handlers/`; `create_server` walks the two tables below.
Pulled diagnostics are advertised only when `initialize` chose pull mode (a client that pulls
and also gets pushes shows every finding twice). Every command runs guarded: its failure
becomes an error response with a one-line message, never a crash.
"""
from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams

from replylint.workspace import ReplylintError

from . import command_ids as ids
from .handlers import code_actions, commands, configuration, documents, explain, lifecycle, scores
from .server import ReplylintServer

log = logging.getLogger("replylint.lsp")
REQUEST_FAILED = -32803  # LSP 3.17: valid request, but it could not be done
Handler = Callable[..., Any]


# (method, handler, options): registered by `initialize`, in pull mode only.
PULL_DIAGNOSTICS: tuple[str, Handler, Any] = (
    types.TEXT_DOCUMENT_DIAGNOSTIC, documents.pull_diagnostics,
    types.DiagnosticOptions(identifier="replylint", inter_file_dependencies=False, workspace_diagnostics=False))


def _initialize(ls: ReplylintServer, params: types.InitializeParams) -> None:
    """`lifecycle.initialize`, then pulled diagnostics advertised if it chose pull mode."""
    lifecycle.initialize(ls, params)
    if ls.pull_mode:
        method, handler, options = PULL_DIAGNOSTICS
        ls.feature(method, options)(handler)


# (method, handler, options): registered at start, in this order.
FEATURES: tuple[tuple[str, Handler, Any], ...] = (
    (types.INITIALIZE, _initialize, None),
    (types.INITIALIZED, lifecycle.initialized, None),
    (types.TEXT_DOCUMENT_DID_OPEN, documents.did_open, None),
    (types.TEXT_DOCUMENT_DID_CHANGE, documents.did_change, None),
    (types.TEXT_DOCUMENT_DID_SAVE, documents.did_save, None),
    (types.SHUTDOWN, lifecycle.shutdown, None),
    (types.TEXT_DOCUMENT_DID_CLOSE, documents.did_close, None),
    (types.TEXT_DOCUMENT_HOVER, explain.hover, None),
    (types.TEXT_DOCUMENT_CODE_ACTION, code_actions.code_action, code_actions.OPTIONS),
    (types.TEXT_DOCUMENT_CODE_LENS, scores.code_lens, scores.OPTIONS),
    (types.WORKSPACE_DID_CHANGE_CONFIGURATION, configuration.did_change_configuration, None),
    (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, configuration.did_change_watched_files, None),
)

# `workspace/executeCommand`: command id -> handler, advertised in this order.
COMMANDS: dict[str, Handler] = {
    ids.APPLY_SUGGESTION: commands.apply_suggestion,
    ids.FIX_ALL: commands.fix_all,
    ids.DISABLE_ON_LINE: commands.disable_on_line,
    ids.DISABLE_IN_WORKSPACE: commands.disable_in_workspace,
    ids.ALLOW_PHRASE: commands.allow_phrase,
    ids.EXPLAIN_RULE: explain.explain_rule,
    ids.REPLY_SCORES: scores.reply_scores,
    ids.LINT_ANYWAY: commands.lint_anyway,
    ids.IGNORE_FINDING: commands.ignore_finding,
}


def create_server() -> ReplylintServer:
    """A server with every handler registered, ready for `start_io()`."""
    server = ReplylintServer()
    for method, handler, options in FEATURES:
        server.feature(method, options)(handler)
    for name, handler in COMMANDS.items():
        server.command(name)(guarded(name, handler))
    return server


def guarded(name: str, handler: Handler) -> Handler:
    """The command `handler` with every failure as an error response: the arguments' (and
    replylint's own validation's) as InvalidParams, the files' (config, ignore file) as
    RequestFailed, anything else as InternalError, logged."""
    @functools.wraps(handler)
    async def run(ls: ReplylintServer, *args: Any) -> Any:
        try:
            result = handler(ls, *args)
            return await result if inspect.isawaitable(result) else result
        except JsonRpcException:
            raise
        except ReplylintError as exc:  # the files (config, ignore file), not the arguments
            raise JsonRpcException(f"{name}: {exc}", code=REQUEST_FAILED) from None
        except ValueError as exc:
            raise JsonRpcInvalidParams(f"{name}: {exc}") from None
        except Exception as exc:
            log.exception("%s failed", name)
            raise JsonRpcInternalError(f"{name} failed: {type(exc).__name__}: {exc}") from None
    return run
