"""`workspace/executeCommand` handlers: every code action is also a command.

Arguments are positional JSON values, checked before anything is written (`arguments.py`):
a wrong one is answered with InvalidParams, an error from replylint's own validation too,
and any other failure with an error response; never a crash. Commands that write files
(config, ignore file) re-check the open documents.
"""
from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams

from replylint.workspace import ReplylintError, add_ignore_entry, add_to_config_list, ignore_file_path, rule_markdown

from . import arguments
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
from .positions import LineTable
from .scope import LINT_ANYWAY
from .scores import REPLY_SCORES, score_entries
from .server import ReplylintServer

log = logging.getLogger("replylint.lsp")
REQUEST_FAILED = -32803  # LSP 3.17: valid request, but it could not be done
_arg = arguments.arg


def _guarded(name: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    """Every failure of a command becomes an error response with a one-line message."""
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


def _langs(ls: ReplylintServer, uri: str | None) -> list[str]:
    """Languages to look a rule up in: those the document's findings ran in, the configured
    one, then those of every other open document's findings."""
    own = ls.results.get(uri) if uri else None
    langs = [f.lang for f in (own.findings if own else ()) if f.lang]
    langs += [ls.settings.lang or "auto", "auto"]
    langs += [f.lang for result in list(ls.results.values()) for f in result.findings if f.lang]
    return langs


def _document(ls: ReplylintServer, uri: str):
    doc = ls.document(uri)
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
    def command(name: str) -> Callable[[Callable[..., Any]], Any]:
        return lambda handler: server.command(name)(_guarded(name, handler))

    @command(APPLY_SUGGESTION)
    async def apply_suggestion(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, version | null, range, newText): replace a range, refused if the document moved on."""
        uri, new_text = _arg(args, 0, str, "uri"), _arg(args, 3, str, "newText")
        version = args[1] if len(args) > 1 and isinstance(args[1], int) else None
        try:
            r = types.Range(start=types.Position(**args[2]["start"]), end=types.Position(**args[2]["end"]))
        except (IndexError, KeyError, TypeError, ValueError) as exc:
            raise JsonRpcInvalidParams(f"argument 3 (range) must be an LSP range: {exc}") from None
        _document(ls, uri)
        edit = text_edit(uri, version, [types.TextEdit(range=r, new_text=new_text)], ls.versioned_edits())
        return await _apply(ls, "replylint: rewrite", edit)

    @command(FIX_ALL)
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

    @command(DISABLE_ON_LINE)
    async def disable_on_line(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, line, rule): insert a disable-next-line comment above a 0-based line."""
        uri, line, code = _arg(args, 0, str, "uri"), _arg(args, 1, int, "line"), _arg(args, 2, str, "rule")
        doc = _document(ls, uri)
        snapshot = ls.snapshot(uri)
        if snapshot is None or snapshot.fmt not in COMMENT_FORMATS:
            raise JsonRpcInvalidParams("this document's format has no comments; use replylint.ignoreFinding")
        code = arguments.known_rule(code, 2, _langs(ls, uri), snapshot.config).code  # goes into a comment
        lines = doc.source.splitlines()
        if not 0 <= line < max(len(lines), 1):
            raise JsonRpcInvalidParams(f"line {line} is outside the document")
        edit = disable_line_edit(code, line, lines[line] if lines else "")
        return await _apply(ls, f"replylint: disable {code}", text_edit(uri, doc.version, [edit],
                                                                         ls.versioned_edits()))

    @command(DISABLE_IN_WORKSPACE)
    def disable_in_workspace(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, rule): add the rule to the workspace config's `ignore` list. The rule must exist in
        the config's language (as the CLI, reading that config, requires), else nothing is written."""
        uri, code = _arg(args, 0, str, "uri"), _arg(args, 1, str, "rule")
        config, _ = ls.configs.config_for(document_path(uri))
        arguments.known_rule(code, 1, [config.lang], config)
        return _edit_config(ls, uri, "ignore", code)

    @command(ALLOW_PHRASE)
    def allow_phrase(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri, phrase): add the phrase to the workspace config's `allow` list."""
        phrase = " ".join(_arg(args, 1, str, "phrase").split())
        arguments.printable(phrase, 1, "phrase", arguments.MAX_PHRASE_CHARS)
        return _edit_config(ls, _arg(args, 0, str, "uri"), "allow", phrase)

    @command(EXPLAIN_RULE)
    def explain_rule(ls: ReplylintServer, *args: Any) -> dict[str, str]:
        """([uri,] rule): the rule's why, examples and fix safety, as Markdown."""
        return _explain(ls, args)

    @command(REPLY_SCORES)
    async def reply_scores(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri): each reply's score in the document, with its range (for a status bar), and whether
        the document is checked at all (`requireConfig`: no config applies and no `include` matches)."""
        uri = _arg(args, 0, str, "uri")
        doc = _document(ls, uri)
        result = await ls.lint_now(uri)
        encoding = str(ls.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        return {"version": result.version if result else None,
                "scores": score_entries(result, LineTable(doc.source, encoding)) if result else [],
                "checked": ls.settings.enable and ls.in_scope(uri, document_path(uri))}

    @command(LINT_ANYWAY)
    def lint_anyway(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
        """(uri): check the document although no replylint config applies to it (`requireConfig`)."""
        uri = _arg(args, 0, str, "uri")
        _document(ls, uri)
        was_checked = ls.in_scope(uri, document_path(uri))
        ls.lint_anyway(uri)
        return {"checked": True, "wasChecked": was_checked}

    @command(IGNORE_FINDING)
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


def _explain(ls: ReplylintServer, args: tuple[Any, ...]) -> dict[str, str]:
    """([uri,] rule[, lang]): the rule's reference page as Markdown, with the document's config,
    in the language the rule ran in for that document (a Swedish reply's rule, in Swedish)."""
    uri = args[0] if len(args) > 1 and isinstance(args[0], str) else None
    code = arguments.printable(_arg(args, 1 if uri else 0, str, "rule"), 1 if uri else 0, "rule",
                               arguments.MAX_KEY_CHARS)
    given = uri and len(args) > 2 and isinstance(args[2], str)
    lang = arguments.lang(args[2], 2) if given else _finding_lang(ls, uri, code)
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
    except OSError as exc:
        ls.show(types.MessageType.Error, f"replylint: cannot update {target}: {exc}")
        return {"changed": False, "path": str(target)}
    ls.config_changed()
    return {"changed": changed, "path": str(target)}
