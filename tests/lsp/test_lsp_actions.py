"""Code actions from Diagnostic.data, the commands behind them, and hover."""
from __future__ import annotations

from pathlib import Path

import pytest
from clirunner import replylint
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from .lspclient import codes, initialize, open_document, published

REPLY = "Hi Sam,\n\nYou are wrong about the fee.\n"


def _context(diagnostics, only=None) -> types.CodeActionContext:
    return types.CodeActionContext(diagnostics=diagnostics, only=only)


async def _actions(lsp: LanguageClient, uri: str, diagnostics, only=None) -> list[types.CodeAction]:
    rng = diagnostics[0].range if diagnostics else types.Range(start=types.Position(line=0, character=0),
                                                              end=types.Position(line=0, character=0))
    return await lsp.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=rng, context=_context(diagnostics, only)))


def _edits(action: types.CodeAction) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes
    return list(action.edit.document_changes[0].edits)


async def test_quick_fix_per_suggestion_and_workspace_actions(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    diagnostics = await published(lsp, uri, version=1)
    actions = await _actions(lsp, uri, diagnostics)
    titles = [a.title for a in actions]
    suggestions = diagnostics[0].data["suggestions"]
    fixes = [a for a in actions if a.edit is not None]
    assert len(fixes) == len(suggestions) >= 1
    [edit] = _edits(fixes[0])
    assert edit.new_text == suggestions[0]["replacement"] and edit.range == diagnostics[0].range
    assert fixes[0].edit.document_changes[0].text_document.version == 1
    assert "Ignore this finding (RL201)" in titles and "Disable RL201 in this workspace" in titles
    assert any(t.startswith("Allow “You are wrong”") for t in titles)
    assert not any(t.startswith("Disable RL201 on this line") for t in titles)  # plain text has no comments


async def test_actions_come_from_data_alone(lsp: LanguageClient, tmp_path: Path) -> None:
    """A diagnostic the server never produced, with its own data, gets actions from that data."""
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", "Nothing risky here.\n")
    await published(lsp, uri, version=1)
    rng = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=7))
    data = {"rule": "RL999", "matched": "Nothing", "fingerprint": "0123456789abcdef", "version": 1,
            "suggestions": [{"replacement": "Everything", "safe": True,
                             "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 7}}}]}
    made_up = types.Diagnostic(range=rng, message="m", source="replylint", code="RL999", data=data)
    actions = await _actions(lsp, uri, [made_up])
    assert actions[0].title == "Replace with “Everything”" and _edits(actions[0])[0].new_text == "Everything"
    foreign = types.Diagnostic(range=rng, message="m", source="other-linter", data=data)
    assert list(await _actions(lsp, uri, [foreign])) == []


async def test_fix_all_source_action_applies_safe_rewrites(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    text = "Hi,\n\nPlease be advised that we have updated the fee. Per our policy, it is final.\n"
    uri = open_document(lsp, tmp_path / "reply.txt", text)
    diagnostics = await published(lsp, uri, version=1)
    safe = [d for d in diagnostics if any(s["safe"] for s in d.data["suggestions"])]
    assert safe
    actions = await _actions(lsp, uri, [], only=["source.fixAll.replylint"])
    [fix_all] = actions
    assert fix_all.kind == "source.fixAll.replylint" and len(_edits(fix_all)) == len(safe)
    result = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.fixAll", arguments=[uri]))
    assert result["applied"] and result["edits"] == len(safe)
    applied = lsp.applied_edits[-1].document_changes[0]
    assert applied.text_document.uri == uri and len(applied.edits) == len(safe)


async def test_disable_on_line_inserts_a_comment_in_markdown(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.md", "# Fee\n\n  You are wrong about it.\n", "markdown")
    diagnostics = await published(lsp, uri, version=1)
    [action] = [a for a in await _actions(lsp, uri, diagnostics) if a.title == "Disable RL201 on this line"]
    [edit] = _edits(action)
    assert edit.new_text == "  <!-- replylint-disable-next-line RL201 -->\n" and edit.range.start.line == 2
    result = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.disableRuleOnLine", arguments=[uri, 2, "RL201"]))
    assert result == {"applied": True}


async def test_disable_in_workspace_writes_the_config(lsp: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / ".replylint.toml").write_text('# team settings\nlang = "en"\n', encoding="utf-8")
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY + "Per our policy, no.\n")
    first = await published(lsp, uri, version=1)
    assert "RL201" in codes(first)
    before = len(lsp.published)
    result = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.disableRuleInWorkspace", arguments=[uri, "RL201"]))
    assert result["changed"] and result["path"] == str(tmp_path / ".replylint.toml")
    text = (tmp_path / ".replylint.toml").read_text(encoding="utf-8")
    assert "# team settings" in text and 'ignore = ["RL201"]' in text
    after = await published(lsp, uri, version=1, after=before)
    assert "RL201" not in codes(after) and after  # the other findings stay


async def test_allow_phrase_creates_a_config_when_there_is_none(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    await published(lsp, uri, version=1)
    before = len(lsp.published)
    result = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.allowPhrase", arguments=[uri, "You are wrong"]))
    assert result["changed"]
    assert 'allow = ["You are wrong"]' in (tmp_path / ".replylint.toml").read_text(encoding="utf-8")
    assert await published(lsp, uri, version=1, after=before) == []


async def test_ignore_finding_survives_edits_and_the_cli_honours_it(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    reply = tmp_path / "reply.txt"
    reply.write_text(REPLY, encoding="utf-8")
    uri = open_document(lsp, reply, REPLY)
    [d] = await published(lsp, uri, version=1)
    [action] = [a for a in await _actions(lsp, uri, [d]) if a.title.startswith("Ignore this finding")]
    assert action.command is not None and action.command.command == "replylint.ignoreFinding"
    before = len(lsp.published)
    result = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command=action.command.command, arguments=action.command.arguments))
    assert result["changed"] and Path(result["path"]) == tmp_path / ".replylint-ignore"
    assert await published(lsp, uri, version=1, after=before) == []
    moved = "Hello again,\n\nA new first paragraph.\n\n" + REPLY.split("\n\n", 1)[1]
    reply.write_text(moved, encoding="utf-8")
    cli = replylint("check", "reply.txt", cwd=tmp_path)
    assert cli.returncode == 0, cli.stdout + cli.stderr
    reply.write_text(moved.replace("about the fee", "about the delivery"), encoding="utf-8")
    cli = replylint("check", "reply.txt", cwd=tmp_path)
    assert cli.returncode == 1 and "RL201" in cli.stdout  # other words around it: a different finding


async def test_apply_suggestion_command_sends_a_versioned_edit(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    [d] = await published(lsp, uri, version=1)
    s = d.data["suggestions"][0]
    result = await lsp.workspace_execute_command_async(types.ExecuteCommandParams(
        command="replylint.applySuggestion", arguments=[uri, 1, s["range"], s["replacement"]]))
    assert result == {"applied": True}
    change = lsp.applied_edits[-1].document_changes[0]
    assert change.text_document.version == 1 and change.edits[0].new_text == s["replacement"]


@pytest.mark.parametrize("command, arguments", [
    ("replylint.noSuchCommand", []),
    ("replylint.ignoreFinding", []),
    ("replylint.ignoreFinding", ["file:///nowhere.txt", "not-a-fingerprint", "RL201"]),
    ("replylint.disableRuleOnLine", ["file:///not-open.md", 0, "RL201"]),
    ("replylint.applySuggestion", ["file:///x.txt", 1, {"start": 3}, "x"]),
])
async def test_bad_commands_get_an_error_and_the_server_lives(lsp: LanguageClient, tmp_path: Path, command: str,
                                                               arguments: list) -> None:
    await initialize(lsp, tmp_path)
    with pytest.raises(JsonRpcException):
        await lsp.workspace_execute_command_async(types.ExecuteCommandParams(command=command, arguments=arguments))
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    assert codes(await published(lsp, uri, version=1)) == ["RL201"]


async def test_hover_shows_why_a_better_wording_and_the_doc_link(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    [d] = await published(lsp, uri, version=1)
    hover = await lsp.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=2, character=5)))
    assert hover is not None and hover.range == d.range
    text = hover.contents.value
    assert "**RL201 declared-wrong**" in text and "**Why:**" in text and "**Better:**" in text
    assert "](https://" in text and "en-RL201-declared-wrong.md" in text
    nothing = await lsp.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=1)))
    assert nothing is None


async def test_explain_rule_command(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", REPLY)
    await published(lsp, uri, version=1)
    result = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.explainRule", arguments=[uri, "RL201"]))
    assert result["code"] == "RL201" and result["markdown"].startswith("# RL201 declared-wrong")
    assert "## Why is this bad?" in result["markdown"]
    by_name = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.explainRule", arguments=["declared-wrong"]))
    assert by_name["markdown"] == result["markdown"]
    with pytest.raises(JsonRpcException):
        await lsp.workspace_execute_command_async(
            types.ExecuteCommandParams(command="replylint.explainRule", arguments=["RL999"]))


async def test_explain_rule_answers_in_the_language_the_rule_ran_in(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "svar.txt", "Hej Anna!\n\nDu har fel, fakturan stämmer.\n")
    assert "RL201" in codes(await published(lsp, uri, version=1))
    swedish = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.explainRule", arguments=[uri, "RL201"]))
    assert swedish["markdown"].startswith("# RL201") and "Language: `sv`" in swedish["markdown"]
    english = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.explainRule", arguments=["RL201"]))
    assert "Language: `en`" in english["markdown"] and english["markdown"] != swedish["markdown"]
    finnish = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.explainRule", arguments=[uri, "RL201", "fi"]))
    assert "Language: `fi`" in finnish["markdown"]


async def test_a_reply_level_finding_offers_a_sentence_to_insert(lsp: LanguageClient, tmp_path: Path) -> None:
    """A structure (reply-level) finding's suggestion is an insertion after the sentence it points at."""
    await initialize(lsp, tmp_path)
    reply = ("Hi Anna,\n\nI've refunded the shipping cost to your card, and a new pair of headphones went out this "
             "morning by express post. The tracking number is in the confirmation email we sent you.\n\nBob\n")
    uri = open_document(lsp, tmp_path / "reply.txt", reply)
    diagnostics = [d for d in await published(lsp, uri, version=1) if d.code == "RL004"]
    assert len(diagnostics) == 1 and diagnostics[0].severity == types.DiagnosticSeverity.Information
    actions = await _actions(lsp, uri, diagnostics)
    [insert] = [a for a in actions if a.edit is not None]
    assert insert.title == "Insert “Does that work for you?”" and not insert.is_preferred
    [edit] = _edits(insert)
    assert edit.range.start == edit.range.end == diagnostics[0].range.end
    assert edit.new_text == " Does that work for you?"


async def test_a_deletion_is_titled_by_its_words_and_a_short_span_is_not_allowed(lsp: LanguageClient,
                                                                                  tmp_path: Path) -> None:
    """"No, we …" deletes "No," (its edit re-capitalises the "W"): the action and hover say
    "Delete “No,”", never "Replace with “W”"; allowing "No," workspace-wide is not offered."""
    await initialize(lsp, tmp_path)
    uri = open_document(lsp, tmp_path / "reply.txt", "No, we can't refund opened software.\n")
    diagnostics = [d for d in await published(lsp, uri, version=1) if d.code == "RL101"]
    assert diagnostics, "RL101 flat-no expected"
    titles = [a.title for a in await _actions(lsp, uri, diagnostics)]
    assert "Delete “No,”" in titles and not any(t.startswith("Replace with") for t in titles)
    assert not any(t.startswith("Allow") for t in titles), titles
    hover = await lsp.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=1)))
    assert hover is not None and "**Try:** Delete “No,”" in hover.contents.value
