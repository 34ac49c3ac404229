"""`textDocument/codeAction`: the document's state gathered for `actions.code_actions`, which
builds every action from the diagnostics' `data`."""
from __future__ import annotations

from lsprotocol import types

from ..actions import FIX_ALL_KIND, code_actions
from ..server import ReplylintServer

OPTIONS = types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
                                  resolve_provider=False)


async def code_action(ls: ReplylintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Quick fixes for the diagnostics in the request; fix-all when its kind is asked for."""
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
