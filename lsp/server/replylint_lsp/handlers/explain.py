"""What a finding's rule means: the hover on a finding, and the `replylint.explainRule` command
that returns a rule's whole reference page (rendered by the engine, `replylint.workspace`)."""
from __future__ import annotations

from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from replylint.workspace import rule_info, rule_markdown

from .. import arguments
from ..diagnostics import hover_markdown
from ..formats import document_path
from ..server import ReplylintServer


async def hover(ls: ReplylintServer, params: types.HoverParams) -> types.Hover | None:
    """The rule, message, why and a better wording of the finding under the cursor."""
    result = await ls.lint_now(params.text_document.uri)
    doc = ls.document(params.text_document.uri)
    if result is None or doc is None:
        return None
    lines = ls.line_table(doc)
    offset = lines.offset(params.position)
    for finding in result.findings:
        if finding.start <= offset <= finding.end:
            snapshot = ls.snapshot(params.text_document.uri)
            info = rule_info(finding.rule, finding.lang or "auto", snapshot.config if snapshot else None)
            return types.Hover(
                contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover_markdown(finding, info)),
                range=lines.range(finding.start, finding.end))
    return None


def explain_rule(ls: ReplylintServer, *args: Any) -> dict[str, str]:
    """([uri,] rule[, lang]): the rule's reference page as Markdown, with the document's config,
    in the language the rule ran in for that document (a Swedish reply's rule, in Swedish)."""
    uri = args[0] if len(args) > 1 and isinstance(args[0], str) else None
    code = arguments.printable(arguments.arg(args, 1 if uri else 0, str, "rule"), 1 if uri else 0, "rule",
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
