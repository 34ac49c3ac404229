"""The commands that change something (`workspace/executeCommand`): rewrite the document
through `workspace/applyEdit`, write the workspace's config or ignore file, or check a document
outside the scope. Every code action that is not a plain edit runs one of these.

Arguments are positional JSON values, checked before anything is written (`arguments.py`);
`dispatch.py` turns any failure into an error response. Commands that write files (config,
ignore file) re-check the open documents.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from replylint.workspace import CONFIG_FILES, add_ignore_entry, add_to_config_list, ignore_file_path

from .. import arguments
from ..actions import disable_line_edit, safe_edits, text_edit
from ..formats import COMMENT_FORMATS, document_path
from ..server import ReplylintServer

_arg = arguments.arg
NEW_CONFIG_FILE = CONFIG_FILES[0]  # written at the workspace root when no config applies yet


# ----- edits of the document ----------------------------------------------------------------------

async def apply_suggestion(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
    """(uri, version | null, range, newText): replace a range, refused if the document moved on."""
    uri, new_text = _arg(args, 0, str, "uri"), _arg(args, 3, str, "newText")
    version = args[1] if len(args) > 1 and isinstance(args[1], int) else None
    try:
        r = types.Range(start=types.Position(**args[2]["start"]), end=types.Position(**args[2]["end"]))
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        raise JsonRpcInvalidParams(f"argument 3 (range) must be an LSP range: {exc}") from None
    arguments.open_document(ls, uri)
    edit = text_edit(uri, version, [types.TextEdit(range=r, new_text=new_text)], ls.versioned_edits())
    return await _apply(ls, "replylint: rewrite", edit)


async def fix_all(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
    """(uri): apply every safe rewrite in the document."""
    uri = _arg(args, 0, str, "uri")
    doc = arguments.open_document(ls, uri)
    result = await ls.lint_now(uri)
    edits = safe_edits(result.diagnostics if result else [])
    if not edits:
        return {"applied": False, "edits": 0}
    outcome = await _apply(ls, "replylint: fix all", text_edit(uri, doc.version, edits, ls.versioned_edits()))
    return {**outcome, "edits": len(edits)}


async def disable_on_line(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
    """(uri, line, rule): insert a disable-next-line comment above a 0-based line."""
    uri, line, code = _arg(args, 0, str, "uri"), _arg(args, 1, int, "line"), _arg(args, 2, str, "rule")
    doc = arguments.open_document(ls, uri)
    snapshot = ls.snapshot(uri)
    if snapshot is None or snapshot.fmt not in COMMENT_FORMATS:
        raise JsonRpcInvalidParams("this document's format has no comments; use replylint.ignoreFinding")
    code = arguments.known_rule(code, 2, _langs(ls, uri), snapshot.config).code  # goes into a comment
    lines = doc.source.splitlines()
    if not 0 <= line < max(len(lines), 1):
        raise JsonRpcInvalidParams(f"line {line} is outside the document")
    edit = disable_line_edit(code, line, lines[line] if lines else "")
    return await _apply(ls, f"replylint: disable {code}", text_edit(uri, doc.version, [edit], ls.versioned_edits()))


async def _apply(ls: ReplylintServer, label: str, edit: types.WorkspaceEdit) -> dict[str, Any]:
    response = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label=label))
    return {"applied": bool(response and response.applied)}


# ----- the workspace's config and ignore file ---------------------------------------------------

def disable_in_workspace(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
    """(uri, rule): add the rule to the workspace config's `ignore` list. The rule must exist in
    the config's language (as the CLI, reading that config, requires), else nothing is written."""
    uri, code = _arg(args, 0, str, "uri"), _arg(args, 1, str, "rule")
    config, _ = ls.configs.config_for(document_path(uri))
    arguments.known_rule(code, 1, [config.lang], config)
    return _edit_config(ls, uri, "ignore", code)


def allow_phrase(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
    """(uri, phrase): add the phrase to the workspace config's `allow` list."""
    phrase = " ".join(_arg(args, 1, str, "phrase").split())
    arguments.printable(phrase, 1, "phrase", arguments.MAX_PHRASE_CHARS)
    return _edit_config(ls, _arg(args, 0, str, "uri"), "allow", phrase)


def ignore_finding(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
    """(uri, fingerprint, rule, matched): record the finding in the workspace's ignore file."""
    uri, fingerprint = _arg(args, 0, str, "uri"), arguments.fingerprint(_arg(args, 1, str, "fingerprint"), 1)
    rule = _arg(args, 2, str, "rule")
    matched = args[3] if len(args) > 3 and isinstance(args[3], str) else ""
    path = document_path(uri)
    config, config_path = ls.configs.config_for(path)
    rule = arguments.known_rule(rule, 2, _langs(ls, uri), ls.settings.apply_to(config)).code
    target = ignore_file_path(config, config_path, ls.configs.root or ls.configs.home(path))
    where = Path(path).name if path else uri
    try:
        added = add_ignore_entry(target, fingerprint, rule, arguments.note(f'"{matched}" in {where}'))
    except OSError as exc:
        ls.show(types.MessageType.Error, f"replylint: cannot write {target}: {exc}")
        return {"changed": False, "path": str(target)}
    ls.config_changed()
    return {"changed": added, "path": str(target)}


def _edit_config(ls: ReplylintServer, uri: str, key: str, value: str) -> dict[str, Any]:
    target = _config_file(ls, uri)
    try:
        changed = add_to_config_list(target, key, value)
    except OSError as exc:
        ls.show(types.MessageType.Error, f"replylint: cannot update {target}: {exc}")
        return {"changed": False, "path": str(target)}
    ls.config_changed()
    return {"changed": changed, "path": str(target)}


def _config_file(ls: ReplylintServer, uri: str) -> Path:
    """The config file to write for a document: its own, else a new `.replylint.toml` at the root."""
    path = document_path(uri)
    _, config_path = ls.configs.config_for(path)
    return config_path or (ls.configs.root or ls.configs.home(path)) / NEW_CONFIG_FILE


def _langs(ls: ReplylintServer, uri: str | None) -> list[str]:
    """Languages to look a rule up in: those the document's findings ran in, the configured
    one, then those of every other open document's findings."""
    own = ls.results.get(uri) if uri else None
    langs = [f.lang for f in (own.findings if own else ()) if f.lang]
    langs += [ls.settings.lang or "auto", "auto"]
    langs += [f.lang for result in list(ls.results.values()) for f in result.findings if f.lang]
    return langs


# ----- the scope ------------------------------------------------------------------------------------

def lint_anyway(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
    """(uri): check the document although no replylint config applies to it (`requireConfig`)."""
    uri = _arg(args, 0, str, "uri")
    arguments.open_document(ls, uri)
    was_checked = ls.in_scope(uri, document_path(uri))
    ls.lint_anyway(uri)
    return {"checked": True, "wasChecked": was_checked}
