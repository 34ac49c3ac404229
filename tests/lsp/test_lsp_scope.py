"""`requireConfig`: only files where replies live are checked (a replylint config applies, or
`include` matches), and "Lint this file anyway" (`replylint.lintAnyway`) checks one more."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from .lspclient import codes, initialize, open_document, published

REPLY = "Hi Sam,\n\nYou are wrong about the fee.\n"
GATED = {"replylint": {"requireConfig": True, "include": ["drafts/**", "*.reply.md"]}}


async def test_only_files_with_a_config_or_an_include_match_are_checked(lsp: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "support").mkdir()
    (tmp_path / "support" / ".replylint.toml").write_text('lang = "en"\n', encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    await initialize(lsp, tmp_path, options=GATED, configuration=False)
    readme = open_document(lsp, tmp_path / "README.md", REPLY, "markdown")
    with_config = open_document(lsp, tmp_path / "support" / "reply.txt", REPLY)
    in_drafts = open_document(lsp, tmp_path / "drafts" / "monday.txt", REPLY)
    by_name = open_document(lsp, tmp_path / "notes" / "refund.reply.md", REPLY, "markdown")
    assert "RL201" in codes(await published(lsp, with_config, version=1))
    assert "RL201" in codes(await published(lsp, in_drafts, version=1))
    assert "RL201" in codes(await published(lsp, by_name, version=1))
    assert await published(lsp, readme, version=1) == []


async def test_lint_this_file_anyway(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path, options=GATED, configuration=False)
    uri = open_document(lsp, tmp_path / "CHANGELOG.txt", REPLY)
    assert await published(lsp, uri, version=1) == []
    scores = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.replyScores", arguments=[uri]))
    assert scores["checked"] is False and scores["scores"] == []
    before = len(lsp.published)
    result = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.lintAnyway", arguments=[uri]))
    assert result == {"checked": True, "wasChecked": False}
    assert "RL201" in codes(await published(lsp, uri, version=1, after=before))
    scores = await lsp.workspace_execute_command_async(
        types.ExecuteCommandParams(command="replylint.replyScores", arguments=[uri]))
    assert scores["checked"] is True


async def test_without_require_config_every_file_is_checked(lsp: LanguageClient, tmp_path: Path) -> None:
    await initialize(lsp, tmp_path, configuration=False)  # the server's default, for other editors
    uri = open_document(lsp, tmp_path / "README.md", REPLY, "markdown")
    assert "RL201" in codes(await published(lsp, uri, version=1))


def test_in_scope_rules(tmp_path: Path) -> None:
    """The decision itself, without a server: config, include globs (relative to the root), forced."""
    from replylint_lsp.scope import in_scope
    from replylint_lsp.settings import Settings, parse_settings

    gated, problems = parse_settings({"replylint": {"requireConfig": True, "include": ["replies/**", "*.reply.md"]}})
    assert problems == [] and gated.require_config and gated.include == ("replies/**", "*.reply.md")
    root = tmp_path
    assert in_scope(Settings(), None, str(root / "README.md"), root)  # the server's default: everything
    assert not in_scope(gated, None, str(root / "README.md"), root)
    assert in_scope(gated, root / ".replylint.toml", str(root / "README.md"), root)
    assert in_scope(gated, None, str(root / "replies" / "fr" / "refund.txt"), root)
    assert in_scope(gated, None, str(root / "notes" / "refund.reply.md"), root)
    assert not in_scope(gated, None, str(root / "notes" / "replies.txt"), root)
    assert not in_scope(gated, None, None, root)  # an unsaved buffer with no config at the root
    assert in_scope(gated, None, str(root / "README.md"), root, forced=True)
    _, bad = parse_settings({"requireConfig": "yes", "include": "replies/**"})
    assert bad == ["settings: requireConfig: expected true or false, got 'yes'"]
