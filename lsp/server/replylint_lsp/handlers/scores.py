"""Each reply's score in the editor: a code lens at the top of the reply, and the
`replylint.replyScores` command an extension calls to show the current reply's score
(the VS Code status bar). The score and its one-line summary come from the engine
(`replylint.ReplyScore`, docs/coaching.md#the-reply-score); this module only places them.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from lsprotocol import types

from .. import arguments
from ..formats import document_path
from ..linting import LintResult
from ..positions import LineTable
from ..server import ReplylintServer

OPTIONS = types.CodeLensOptions(resolve_provider=False)


async def code_lens(ls: ReplylintServer, params: types.CodeLensParams) -> list[types.CodeLens]:
    """Each reply's score at its top (docs/language-server.md#reply-scores)."""
    uri = params.text_document.uri
    result = await ls.lint_now(uri)
    doc = ls.document(uri)
    if result is None or doc is None:
        return []
    return score_lenses(result, ls.line_table(doc))


async def reply_scores(ls: ReplylintServer, *args: Any) -> dict[str, Any]:
    """(uri): each reply's score in the document, with its range (for a status bar), and whether
    the document is checked at all (`requireConfig`: no config applies and no `include` matches)."""
    uri = arguments.arg(args, 0, str, "uri")
    doc = arguments.open_document(ls, uri)
    result = await ls.lint_now(uri)
    return {"version": result.version if result else None,
            "scores": score_entries(result, ls.line_table(doc)) if result else [],
            "checked": ls.settings.enable and ls.in_scope(uri, document_path(uri))}


def score_lenses(result: LintResult, lines: LineTable) -> list[types.CodeLens]:
    """One lens per reply, on the line of its first word, its title the score's summary. The
    lens runs no command (an empty command id): it is there to be read."""
    return [types.CodeLens(range=lines.range(score.start, score.start),
                           command=types.Command(title=f"replylint {score.summary()}", command=""))
            for score in result.scores]


def score_entries(result: LintResult, lines: LineTable) -> list[dict[str, Any]]:
    """The scores as JSON for `replylint.replyScores`: each reply's range (from its first word
    to its last), total, summary and breakdown."""
    entries = []
    for score in result.scores:
        span = lines.range(score.start, score.end)
        entries.append({
            "range": {"start": {"line": span.start.line, "character": span.start.character},
                      "end": {"line": span.end.line, "character": span.end.character}},
            "total": score.total, "summary": score.summary(), "response": score.response,
            "steps": [asdict(step) for step in score.steps],
            "deductions": [asdict(d) for d in score.deductions],
        })
    return entries
