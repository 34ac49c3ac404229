"""Each reply's score in the editor: a code lens at the top of the reply, and the
`replylint.replyScores` command the VS Code status bar calls (docs/language-server.md)."""
from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

import replylint

from .lspclient import initialize, open_document, published

REPLY = "Hi Sam,\n\nNo, we can't refund opened software. That's our policy.\n\nRegards,\nJo\n"
BUNDLE = [
    {"id": "refund-no", "body": "No, we can't refund opened software. That's our policy."},
    {"id": "shipped", "body": "Good news: your order left our warehouse today. You'll get the tracking link by email."},
]


async def _lenses(lsp: LanguageClient, uri: str) -> list[types.CodeLens]:
    return list(await lsp.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))) or [])


async def test_a_reply_gets_its_score_as_a_code_lens_at_its_top(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    await published(lsp, uri, version=1)
    [lens] = await _lenses(lsp, uri)
    [expected] = replylint.score(REPLY)
    assert lens.range.start == types.Position(line=0, character=0)  # "Hi Sam," opens the reply
    assert lens.command is not None and lens.command.title == f"replylint {expected.summary()}"
    assert lens.command.title.startswith("replylint score ") and "acknowledge 0/25 (missing)" in lens.command.title


async def test_each_response_of_a_bundle_gets_its_own_lens(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    text = json.dumps(BUNDLE, indent=2) + "\n"
    uri = open_document(lsp, tmp_path / "macros.json", text, language_id="json")
    await published(lsp, uri, version=1)
    lenses = await _lenses(lsp, uri)
    lines = text.splitlines()
    assert [lines[lens.range.start.line].strip().split(":")[0] for lens in lenses] == ['"body"', '"body"']
    totals = [s.total for s in replylint.score(text, format="json")]
    assert [lens.command.title.split()[2] for lens in lenses] == [f"{t}/100:" for t in totals]
    assert totals[0] < totals[1] == 100


async def test_the_reply_scores_command_gives_ranges_and_breakdowns(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    await published(lsp, uri, version=1)
    answer = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.replyScores", arguments=[uri]))
    [entry] = answer["scores"]
    [expected] = replylint.score(REPLY)
    assert entry["total"] == expected.total and entry["summary"] == expected.summary()
    assert entry["range"] == {"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 2}}
    assert [s["name"] for s in entry["steps"]] == ["acknowledge", "clarify", "resolve", "check-back"]
    assert [d["rule"] for d in entry["deductions"]] == [d.rule for d in expected.deductions]
