"""Code actions and the edits they make, built only from the diagnostics' `data` (never by
re-running rules); the handler that answers the request is `handlers/code_actions.py`.

Quick fixes apply one suggestion each; `source.fixAll.replylint` applies every safe one;
the rest are commands the server runs (they write the workspace's config or ignore file).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import regex
from lsprotocol import types

from .command_ids import ALLOW_PHRASE, DISABLE_IN_WORKSPACE, IGNORE_FINDING
from .formats import COMMENT_FORMATS

FIX_ALL_KIND = "source.fixAll.replylint"
MIN_ALLOWED_WORD = 6  # letters in a one-word span worth allowing workspace-wide ("herein" yes, "No," no)


_RULE = regex.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9_.])*")  # a code or name: safe inside a comment


def _data(diagnostic: types.Diagnostic) -> dict[str, Any] | None:
    """The diagnostic's `data` if it is ours and well-formed (a client sends it back to us, so it
    may have been altered); None otherwise, and the diagnostic gets no actions."""
    data = diagnostic.data
    if diagnostic.source != "replylint" or not isinstance(data, dict):
        return None
    rule, suggestions = data.get("rule"), data.get("suggestions", [])
    if not isinstance(rule, str) or len(rule) > 100 or not _RULE.fullmatch(rule):
        return None
    if not isinstance(data.get("matched", ""), str) or not isinstance(data.get("fingerprint", ""), str):
        return None
    version = data.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        return None
    if not isinstance(suggestions, list) or not all(_suggestion(s) for s in suggestions):
        return None
    return data


def _suggestion(value: Any) -> bool:
    if not isinstance(value, dict) or not isinstance(value.get("replacement"), str):
        return False
    try:
        _range(value["range"])
    except (KeyError, TypeError, ValueError):
        return False
    return True


def _range(value: dict[str, Any]) -> types.Range:
    return types.Range(start=types.Position(**value["start"]), end=types.Position(**value["end"]))


def text_edit(uri: str, version: int | None, edits: list[types.TextEdit], versioned: bool) -> types.WorkspaceEdit:
    """A workspace edit of one document; versioned when the client supports documentChanges,
    so an edit computed for an older version is refused instead of misapplied."""
    if versioned:
        ident = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=ident, edits=edits)])
    return types.WorkspaceEdit(changes={uri: edits})


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def safe_edits(diagnostics: Iterable[types.Diagnostic]) -> list[types.TextEdit]:
    """The first safe suggestion of every diagnostic, skipping any that overlap an earlier one."""
    chosen: list[types.TextEdit] = []
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for diagnostic in diagnostics:
        data = _data(diagnostic)
        safe = [s for s in (data or {}).get("suggestions", []) if s.get("safe")]
        if not safe:
            continue
        r = _range(safe[0]["range"])
        span = ((r.start.line, r.start.character), (r.end.line, r.end.character))
        if any(span[0] < end and start < span[1] for start, end in taken):
            continue
        taken.append(span)
        chosen.append(types.TextEdit(range=r, new_text=safe[0]["replacement"]))
    return chosen


def worth_allowing(matched: str) -> bool:
    """Whether to offer "Allow “…” in this workspace": not for a span as short and common as
    "No," or "!!", which allowed would silence the rule nearly everywhere; for two words or
    more, or one long word ("herein")."""
    words = [w for w in matched.replace("’", "'").split() if any(c.isalnum() for c in w)]
    return len(words) >= 2 or (len(words) == 1 and sum(c.isalnum() for c in words[0]) >= MIN_ALLOWED_WORD)


def disable_line_edit(code: str, line: int, line_text: str) -> types.TextEdit:
    """Insert a `replylint-disable-next-line` comment above `line`, indented like it."""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    at = types.Position(line=line, character=0)
    return types.TextEdit(range=types.Range(start=at, end=at),
                          new_text=f"{indent}<!-- replylint-disable-next-line {code} -->\n")


def code_actions(uri: str, version: int | None, fmt: str, context: types.CodeActionContext,
                 all_diagnostics: Sequence[types.Diagnostic], line_text: dict[int, str],
                 versioned: bool) -> list[types.CodeAction]:
    """Every action for the diagnostics in the request's context, then fix-all if asked for."""
    only = context.only
    actions: list[types.CodeAction] = []
    if _wants(only, types.CodeActionKind.QuickFix):
        for diagnostic in context.diagnostics:
            data = _data(diagnostic)
            if data is not None:
                actions.extend(_for_diagnostic(uri, version, fmt, diagnostic, data, line_text, versioned))
    if _wants(only, FIX_ALL_KIND) and only is not None:
        edits = safe_edits(all_diagnostics)
        if edits:
            actions.append(types.CodeAction(title="replylint: apply all safe rewrites", kind=FIX_ALL_KIND,
                                            edit=text_edit(uri, version, edits, versioned)))
    return actions


def _for_diagnostic(uri: str, version: int | None, fmt: str, diagnostic: types.Diagnostic, data: dict[str, Any],
                    line_text: dict[int, str], versioned: bool) -> list[types.CodeAction]:
    code, matched = data["rule"], data.get("matched", "")
    actions = []
    for index, suggestion in enumerate(data.get("suggestions", [])):
        replacement = suggestion["replacement"]
        title = suggestion.get("title") if isinstance(suggestion.get("title"), str) else None
        if title is None:  # data from an older server: name it from the edit
            title = f"Replace with “{replacement}”" if replacement else f"Delete “{matched}”"
            if replacement and suggestion["range"]["start"] == suggestion["range"]["end"]:  # a reply-level check's
                title = f"Insert “{replacement.strip()}”"
        edit = types.TextEdit(range=_range(suggestion["range"]), new_text=replacement)
        actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                        is_preferred=index == 0 and bool(suggestion.get("safe")),
                                        edit=text_edit(uri, data.get("version", version), [edit], versioned)))
    line = diagnostic.range.start.line
    if fmt in COMMENT_FORMATS and line in line_text:
        edit = disable_line_edit(code, line, line_text[line])
        actions.append(types.CodeAction(title=f"Disable {code} on this line", kind=types.CodeActionKind.QuickFix,
                                        diagnostics=[diagnostic], edit=text_edit(uri, version, [edit], versioned)))
    commands = [
        (f"Ignore this finding ({code})", IGNORE_FINDING, [uri, data.get("fingerprint", ""), code, matched]),
        (f"Disable {code} in this workspace", DISABLE_IN_WORKSPACE, [uri, code]),
        *([(f"Allow “{matched}” in this workspace", ALLOW_PHRASE, [uri, matched])] if worth_allowing(matched) else []),
    ]
    for title, command, arguments in commands:
        actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                        command=types.Command(title=title, command=command, arguments=arguments)))
    return actions
