"""`workspace/executeCommand` handlers: every code action is also a command.

Arguments are positional JSON values; a wrong one is answered with InvalidParams, never
a crash. Commands that write files (config, ignore file) re-check the open documents.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from replylint.workspace import ConfigError, add_ignore_entry, add_to_config_list, ignore_file_path, rule_markdown

from .actions import (
    ALLOW_PHRASE,
    APPLY_SUGGESTION,
    DISABLE_IN_WORKSPACE,
    DISABLE_ON_LINE,
    EXPLAIN_RULE,
    FIX_ALL,
    IGNORE_FINDING,
    disable_line_edit,
    safe_edits,
    text_edit,
)
from .formats import COMMENT_FORMATS, document_path
from .server import ReplylintServer


def _arg(args: tuple[Any, ...], index: int, kind: type, name: str) -> Any:
    if index >= len(args) or not isinstance(args[index], kind) or isinstance(args[index], bool) != (kind is bool):
        raise JsonRpcInvalidParams(f"argument {index + 1} ({name}) must be a {kind.__name__}")
    return args[index]


def _document(ls: ReplylintServer, uri: str):
    doc = ls.workspace.text_documents.get(uri)
    if doc is None:
        raise JsonRpcInvalidParams(f"{uri} is not open")
    return doc


def _config_file(ls: ReplylintServer, uri: str) -> Path:
    """The config file to write for a document: its own, else a new `.replylint.toml` at the root."""
    path = document_path(uri)
    _, config_path = ls.configs.config_for(path)
    return config_path or (ls.configs.root or ls.configs.home(path)) / ".replylint.toml"


async def _apply(ls: ReplylintServer, label: str, edit: types.WorkspaceEdit) -> dict[str, Any]:
    response = await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=edit, label=label))
    return {"applied": bool(response and response.applied)}


def register_commands(server: ReplylintServer) -> None:
    @server.command(APPLY_SUGGESTION)
    async def apply_suggestion(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, version | null, range, newText): replace a range, refused if the document moved on."""
        uri, new_text = _arg(args, 0, str, "uri"), _arg(args, 3, str, "newText")
        version = args[1] if len(args) > 1 and isinstance(args[1], int) else None
        try:
            r = types.Range(start=types.Position(**args[2]["start"]), end=types.Position(**args[2]["end"]))
        except (IndexError, KeyError, TypeError) as exc:
            raise JsonRpcInvalidParams(f"argument 3 (range) must be an LSP range: {exc}") from None
        _document(ls, uri)
        edit = text_edit(uri, version, [types.TextEdit(range=r, new_text=new_text)], ls.versioned_edits())
        return await _apply(ls, "replylint: rewrite", edit)

    @server.command(FIX_ALL)
    async def fix_all(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri): apply every safe rewrite in the document."""
        uri = _arg(args, 0, str, "uri")
        doc = _document(ls, uri)
        result = await ls.lint_now(uri)
        edits = safe_edits(result.diagnostics if result else [])
        if not edits:
            return {"applied": False, "edits": 0}
        outcome = await _apply(ls, "replylint: fix all", text_edit(uri, doc.version, edits, ls.versioned_edits()))
        return {**outcome, "edits": len(edits)}

    @server.command(DISABLE_ON_LINE)
    async def disable_on_line(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, line, rule): insert a disable-next-line comment above a 0-based line."""
        uri, line, code = _arg(args, 0, str, "uri"), _arg(args, 1, int, "line"), _arg(args, 2, str, "rule")
        doc = _document(ls, uri)
        snapshot = ls.snapshot(uri)
        if snapshot is None or snapshot.fmt not in COMMENT_FORMATS:
            raise JsonRpcInvalidParams("this document's format has no comments; use replylint.ignoreFinding")
        lines = doc.source.splitlines()
        if not 0 <= line < max(len(lines), 1):
            raise JsonRpcInvalidParams(f"line {line} is outside the document")
        edit = disable_line_edit(code, line, lines[line] if lines else "")
        return await _apply(ls, f"replylint: disable {code}", text_edit(uri, doc.version, [edit],
                                                                         ls.versioned_edits()))

    @server.command(DISABLE_IN_WORKSPACE)
    def disable_in_workspace(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, rule): add the rule to the workspace config's `ignore` list."""
        return _edit_config(ls, _arg(args, 0, str, "uri"), "ignore", _arg(args, 1, str, "rule"))

    @server.command(ALLOW_PHRASE)
    def allow_phrase(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, phrase): add the phrase to the workspace config's `allow` list."""
        phrase = " ".join(_arg(args, 1, str, "phrase").split())
        if not phrase:
            raise JsonRpcInvalidParams("argument 2 (phrase) is empty")
        return _edit_config(ls, _arg(args, 0, str, "uri"), "allow", phrase)

    @server.command(EXPLAIN_RULE)
    def explain_rule(ls: ReplylintServer, *args: Any) -> dict[str, str]:
        """([uri,] rule): the rule's why, examples and fix safety, as Markdown."""
        return _explain(ls, args)

    @server.command(IGNORE_FINDING)
    def ignore_finding(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, fingerprint, rule, matched): record the finding in the workspace's ignore file."""
        uri, fingerprint = _arg(args, 0, str, "uri"), _arg(args, 1, str, "fingerprint")
        rule = _arg(args, 2, str, "rule")
        matched = args[3] if len(args) > 3 and isinstance(args[3], str) else ""
        path = document_path(uri)
        config, config_path = ls.configs.config_for(path)
        target = ignore_file_path(config, config_path, ls.configs.root or ls.configs.home(path))
        where = Path(path).name if path else uri
        try:
            added = add_ignore_entry(target, fingerprint, rule, f'"{matched}" in {where}')
        except ValueError as exc:
            raise JsonRpcInvalidParams(str(exc)) from None
        except OSError as exc:
            ls.show(types.MessageType.Error, f"replylint: cannot write {target}: {exc}")
            return {"changed": False, "path": str(target)}
        ls.config_changed()
        return {"changed": added, "path": str(target)}


def _explain(ls: ReplylintServer, args: tuple[Any, ...]) -> dict[str, str]:
    """([uri,] rule[, lang]): the rule's reference page as Markdown, with the document's config,
    in the language the rule ran in for that document (a Swedish reply's rule, in Swedish)."""
    uri = args[0] if len(args) > 1 and isinstance(args[0], str) else None
    code = _arg(args, 1 if uri else 0, str, "rule")
    lang = args[2] if uri and len(args) > 2 and isinstance(args[2], str) else _finding_lang(ls, uri, code)
    config, _ = ls.configs.config_for(document_path(uri) if uri else None)
    markdown = rule_markdown(code, lang, ls.settings.apply_to(config))
    if markdown is None:
        raise JsonRpcInvalidParams(f"no rule {code!r}")
    return {"code": code, "markdown": markdown}


def _finding_lang(ls: ReplylintServer, uri: str | None, code: str) -> str:
    """The language a document's last lint ran `code` in, else "auto" (the configured one)."""
    result = ls.results.get(uri) if uri else None
    for finding in result.findings if result else ():
        if finding.rule.lower() == code.lower() or finding.name == code:
            return finding.lang or "auto"
    return "auto"


def _edit_config(ls: ReplylintServer, uri: str, key: str, value: str) -> dict[str, Any]:
    target = _config_file(ls, uri)
    try:
        changed = add_to_config_list(target, key, value)
    except (ConfigError, OSError) as exc:
        ls.show(types.MessageType.Error, f"replylint: cannot update {target}: {exc}")
        return {"changed": False, "path": str(target)}
    ls.config_changed()
    return {"changed": changed, "path": str(target)}
