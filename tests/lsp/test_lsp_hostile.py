"""Hostile and malformed input over stdio: every request is answered (with the error the
JSON-RPC and LSP specs ask for), command arguments never reach a file unchecked, a document
that is too slow or too big to check is stopped without stalling the others, and the server
process stays up throughout."""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirunner import replylint

from replylint.workspace import load_workspace_config, read_ignore_file

from .rawclient import RawServer, wait_for_exit

REPLY = "Hi Sam,\n\nYou are wrong about the fee.\n"
INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, NOT_INITIALIZED = -32600, -32601, -32602, -32002
POSITION = {"line": 2, "character": 3}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RawServer]:
    raw = RawServer(tmp_path / "server-stderr.log")
    yield raw
    raw.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RawServer, Path]]:
    """One initialized server for the tests that leave it running (a server start loads spaCy)."""
    root = tmp_path_factory.mktemp("workspace")
    raw = RawServer(root.parent / "shared-stderr.log")
    raw.initialize(root)
    yield raw, root
    assert raw.alive(), "the server died"
    assert raw.close() == 0


def _error(answer: dict, code: int) -> str:
    assert "result" not in answer, answer
    assert answer["error"]["code"] == code, answer
    return answer["error"]["message"]


def _command(server: RawServer, name: str, *arguments: object) -> dict:
    return server.call("workspace/executeCommand", {"command": name, "arguments": list(arguments)})


def _codes(diagnostics: list[dict]) -> list[str]:
    return [d.get("code") for d in diagnostics]


def _still_serving(server: RawServer, root: Path, name: str) -> None:
    uri = server.open(root / name, REPLY)
    assert _codes(server.published(uri, version=1)) == ["RL201"]
    hover = server.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": POSITION})
    assert "RL201" in hover["result"]["contents"]["value"]


# ----- requests that do not fit ---------------------------------------------------------------

@pytest.mark.parametrize("method, params", [
    ("textDocument/hover", "nonsense"),
    ("textDocument/hover", {"textDocument": 5, "position": POSITION}),
    ("textDocument/hover", {"textDocument": {"uri": "file:///x.txt"}, "position": {"line": -1, "character": 0}}),
    ("textDocument/codeAction", {"textDocument": {"uri": "file:///x.txt"}, "range": "everything"}),
    ("textDocument/codeAction", [1, 2, 3]),
    ("workspace/executeCommand", {"arguments": ["file:///x.txt"]}),
    ("workspace/executeCommand", "replylint.fixAll"),
    ("textDocument/diagnostic", {"textDocument": None}),
])
def test_bad_params_get_invalid_params(shared: tuple[RawServer, Path], method: str, params: object) -> None:
    server, root = shared
    msg_id = server.request(method, params)
    message = _error(server.response(msg_id), INVALID_PARAMS)
    assert method in message or "Command" in message
    _still_serving(server, root, f"after-{abs(hash((method, json.dumps(params))))}.txt")


def test_malformed_requests_get_invalid_request(shared: tuple[RawServer, Path]) -> None:
    server, root = shared
    server.send({"jsonrpc": "2.0", "id": 41, "method": 7, "params": {}})
    _error(server.response(41), INVALID_REQUEST)
    server.send({"jsonrpc": "1.0", "id": 42, "method": "textDocument/hover", "params": {}})
    _error(server.response(42), INVALID_REQUEST)
    before = len(server.unmatched)
    server.send({"jsonrpc": "2.0", "id": [43], "method": "textDocument/hover", "params": {}})  # an id it cannot echo
    server.send({"jsonrpc": "2.0", "id": True, "method": "shutdown"})
    server.wait_until(lambda s: len(s.unmatched) >= before + 2, what="two answers with a null id")
    assert [m["error"]["code"] for m in server.unmatched[before:]] == [INVALID_REQUEST, INVALID_REQUEST]
    _error(server.call("replylint/noSuchMethod", "nonsense"), METHOD_NOT_FOUND)
    for body in (b"{not json", b"[1, 2]", b"null", b'{"jsonrpc": "2.0"}',
                 b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": "x"}}'):
        server.send_bytes(body)
    _still_serving(server, root, "after-garbage.txt")
    assert any("textDocument/didOpen" in m for m in server.log_messages)  # the bad notification is not silent


def test_an_oversized_message_is_skipped_without_holding_it(shared: tuple[RawServer, Path]) -> None:
    server, root = shared
    size = 64 * 1024 * 1024 + 1
    before = server.rss_mb()
    server.send_bytes(b"x" * size)
    server.wait_until(lambda s: any(f"{size:,} bytes" in m for m in s.log_messages), what="a log line for it")
    assert server.rss_mb() - before < 32
    _still_serving(server, root, "after-oversized.txt")


def test_requests_before_initialize_and_after_shutdown(server: RawServer, tmp_path: Path) -> None:
    _error(server.call("textDocument/hover", {"textDocument": {"uri": "file:///x.txt"}, "position": POSITION}),
           NOT_INITIALIZED)
    assert "initialize" in _error(server.call("initialize", "nonsense"), INVALID_PARAMS)
    _error(server.call("textDocument/hover", {"textDocument": {"uri": "file:///x.txt"}, "position": POSITION}),
           NOT_INITIALIZED)  # a malformed initialize does not count
    assert server.initialize(tmp_path)["result"]["serverInfo"]["name"] == "replylint"
    uri = server.open(tmp_path / "reply.txt", REPLY)
    assert _codes(server.published(uri, version=1)) == ["RL201"]
    shutdown = server.call("shutdown")
    assert shutdown["result"] is None and "error" not in shutdown
    for method, params in [("textDocument/hover", {"textDocument": {"uri": uri}, "position": POSITION}),
                           ("replylint/noSuchMethod", None), ("shutdown", None),
                           ("workspace/executeCommand", {"command": "replylint.fixAll", "arguments": [uri]}),
                           ("textDocument/hover", "nonsense")]:
        message = _error(server.call(method, params), INVALID_REQUEST)
        assert "shut down" in message
    publishes = server.publishes
    server.replace(uri, "You are wrong. " * 3, 2)  # notifications after shutdown are dropped
    server.notify("exit", None)
    assert wait_for_exit(server) == 0
    assert server.publishes == publishes


# ----- command arguments --------------------------------------------------------------------

def test_ignore_finding_never_writes_a_malformed_ignore_file(shared: tuple[RawServer, Path]) -> None:
    server, root = shared
    folder = root / "ignore-case"
    folder.mkdir()
    (folder / ".replylint.toml").write_text('lang = "en"\n', encoding="utf-8")
    reply = folder / "reply.txt"
    reply.write_text(REPLY, encoding="utf-8")
    uri = server.open(reply, REPLY)
    [finding] = server.published(uri, version=1)
    fingerprint = finding["data"]["fingerprint"]
    ignore_file = folder / ".replylint-ignore"
    for arguments, needle in [
        ([uri, fingerprint, "RL201\nselect = []"], "line break"),
        ([uri, fingerprint, "RL201 \x1b[31m"], "control character"),
        ([uri, fingerprint, "RL999"], "no rule 'RL999'"),
        ([uri, fingerprint, ""], "empty"),
        ([uri, fingerprint, 201], "must be a str"),
        ([uri, "0123456789ABCDEF\n", "RL201"], "16 hex digits"),
        ([uri, fingerprint[:8], "RL201"], "16 hex digits"),
    ]:
        assert needle in _error(_command(server, "replylint.ignoreFinding", *arguments), INVALID_PARAMS)
        assert not ignore_file.exists()
    done = _command(server, "replylint.ignoreFinding", uri, fingerprint, "declared-wrong",
                    'You are\nwrong \x1b[2J" now')
    assert done["result"] == {"changed": True, "path": str(ignore_file)}
    lines = [line for line in ignore_file.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(lines) == 1 and lines[0].startswith(f"{fingerprint} RL201 ") and "\x1b" not in lines[0]
    assert read_ignore_file(ignore_file) == {fingerprint}
    server.wait_until(lambda s: s.diagnostics[uri]["diagnostics"] == [], what="the ignored finding to go")
    cli = replylint("check", "reply.txt", cwd=folder)
    assert cli.returncode == 0, cli.stdout + cli.stderr  # the CLI reads the file and honours it


def test_disable_rule_in_workspace_rejects_unknown_rules(shared: tuple[RawServer, Path]) -> None:
    server, root = shared
    folder = root / "disable-case"
    folder.mkdir()
    config = folder / ".replylint.toml"
    original = b"# team settings\nlang = \"en\"\n"
    config.write_bytes(original)
    (folder / "reply.txt").write_text(REPLY, encoding="utf-8")
    uri = server.open(folder / "reply.txt", REPLY)
    assert _codes(server.published(uri, version=1)) == ["RL201"]
    for rule, needle in [("RL999", "no rule 'RL999'"), ("no-such-rule", "no rule"),
                         ("RL201\nselect = []", "line break"), ("RL106", "no rule 'RL106'"),  # Finnish only
                         ("", "empty"), ("x" * 500, "longer than")]:
        assert needle in _error(_command(server, "replylint.disableRuleInWorkspace", uri, rule), INVALID_PARAMS)
        assert config.read_bytes() == original
    assert _error(_command(server, "replylint.disableRuleInWorkspace", uri, ["RL201"]), INVALID_PARAMS)
    assert _error(_command(server, "replylint.disableRuleOnLine", uri, 2, "x --> <b>"), INVALID_PARAMS)
    assert _error(_command(server, "replylint.allowPhrase", uri, "you are\x00 wrong"), INVALID_PARAMS)
    assert _error(_command(server, "replylint.explainRule", uri, "RL201", "../../etc"), INVALID_PARAMS)
    done = _command(server, "replylint.disableRuleInWorkspace", uri, "declared-wrong")
    assert done["result"]["changed"]
    assert load_workspace_config(folder)[0].ignore == ("declared-wrong",)
    cli = replylint("check", "reply.txt", cwd=folder)
    assert cli.returncode == 0, cli.stdout + cli.stderr  # a config the CLI accepts


def test_altered_diagnostic_data_and_odd_documents(shared: tuple[RawServer, Path]) -> None:
    """What a client sends back or opens is never trusted: odd data gets no actions, odd URIs
    and unknown documents get answers or log lines, never a crash."""
    server, root = shared
    uri = server.open(root / "data case.txt", REPLY)  # a space: percent-encoded in the URI
    [finding] = server.published(uri, version=1)
    broken = [{**finding, "data": {**finding["data"], "suggestions": "all"}},
              {**finding, "data": {**finding["data"], "rule": "RL201 --> <script>"}},
              {**finding, "data": {**finding["data"], "suggestions": [{"replacement": 5, "range": {}}]}},
              {**finding, "data": [1, 2]}]
    for diagnostic in broken:
        answer = server.call("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": finding["range"], "context": {"diagnostics": [diagnostic]}})
        assert answer["result"] == [], answer
    for odd in ("untitled:Untitled-1", "not a uri at all", "file:///no/such/folder/x%ZZ.txt", "file://host/share/x"):
        odd_uri = server.open(odd, REPLY)
        assert _codes(server.published(odd_uri, version=1)) == ["RL201"]
        hover = server.call("textDocument/hover", {"textDocument": {"uri": odd_uri}, "position": POSITION})
        assert "RL201" in hover["result"]["contents"]["value"]
    server.replace("file:///never/opened.txt", "text", 2)
    server.wait_until(lambda s: any("not open" in m for m in s.log_messages), what="a log line for the bad change")
    assert server.call("textDocument/hover", {"textDocument": {"uri": "file:///never/opened.txt"},
                                              "position": POSITION})["result"] is None
    assert server.alive()


# ----- documents too slow or too big to check -------------------------------------------------

def test_an_unreadable_bundle_is_noted_not_reported_as_an_internal_error(shared: tuple[RawServer, Path]) -> None:
    """A bundle that does not parse (mid-edit) or is past the alias limit is a DocumentError: no
    diagnostic, a note in the log; never the checker's "internal error"."""
    server, root = shared
    aliases = "a: &a {body: x}\nb: [" + ", ".join(["*a"] * 1001) + "]\n"
    for name, text, language, note in [("broken.json", '[{"body": "You are wrong."}', "json", "invalid JSON at line 1"),
                                       ("aliases.yaml", aliases, "yaml", "YAML uses more than 1,000 aliases")]:
        uri = server.open(root / name, text, language_id=language)
        assert server.published(uri, version=1) == []
        server.wait_until(lambda s, uri=uri, note=note: any(uri in m and f"not checked: {note}" in m
                                                            for m in s.log_messages),
                          what=f"the note for {name}")
    assert not [m for m in server.log_messages if "internal error" in m]


def test_a_slow_document_is_stopped_and_the_others_are_checked(server: RawServer, tmp_path: Path) -> None:
    server.initialize(tmp_path, {"checkTimeoutMs": 1000})
    bundle = json.dumps([{"title": f"macro {i}", "body": f"No, you are wrong {i}."} for i in range(3000)])
    slow = server.open(tmp_path / "macros.json", bundle, language_id="json")  # ~12 s of work; ~1.8 s allowed
    normal = server.open(tmp_path / "reply.txt", REPLY)
    line_zero = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    started = time.monotonic()
    actions = server.call("textDocument/codeAction", {"textDocument": {"uri": normal}, "range": line_zero,
                                                      "context": {"diagnostics": []}})
    assert actions["result"] == [] and time.monotonic() - started < 1.0  # the event loop is never held
    [stopped] = server.published(slow, version=1)
    budget = f"{len(bundle) / 100_000:.1f} s"  # checkTimeoutMs per 100,000 characters
    assert stopped["severity"] == 3 and f"not checked: checking took longer than {budget}" in stopped["message"]
    assert _codes(server.published(normal, version=1)) == ["RL201"]
    server.replace(normal, REPLY + "Per our policy, no.\n", 2)
    assert "RL201" in _codes(server.published(normal, version=2))
    assert server.alive()


def test_a_run_over_the_memory_cap_is_stopped(server: RawServer, tmp_path: Path) -> None:
    server.initialize(tmp_path, {"checkMemoryMb": 64})  # below what spaCy alone takes
    uri = server.open(tmp_path / "reply.txt", REPLY)
    [stopped] = server.published(uri, version=1)
    assert stopped["severity"] == 3 and "used more than 64 MB" in stopped["message"]
    server.notify("workspace/didChangeConfiguration", {"settings": {"replylint": {"checkMemoryMb": 2048}}})
    server.wait_until(lambda s: _codes(s.diagnostics[uri]["diagnostics"]) == ["RL201"],
                      what="the document checked once the cap is raised")


def _alias_bomb(levels: int = 8) -> str:
    lines = ['a0: &a0 [{title: x, body: "No, you are wrong."}]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_does_not_stall_the_other_documents(server: RawServer, tmp_path: Path) -> None:
    server.initialize(tmp_path, {"checkTimeoutMs": 5000})
    bomb = _alias_bomb()
    assert len(bomb) < 400
    uri = server.open(tmp_path / "bomb.yaml", bomb, language_id="yaml")
    normal = server.open(tmp_path / "reply.txt", REPLY)
    peak = 0.0
    deadline = time.monotonic() + 90  # the bomb alone ran > 120 s and 2.3 GB before the fix
    while normal not in server.diagnostics and time.monotonic() < deadline:
        peak = max(peak, server.total_rss_mb())
        time.sleep(0.2)
    assert _codes(server.published(normal, version=1, timeout=1)) == ["RL201"]
    assert peak < 1024 + 600, f"{peak:.0f} MB"  # the checker's cap plus the server and the tracker
    found = server.published(uri, version=1)
    # the one reply's own findings, or one note that it was not checked; not 10 million findings
    assert len(found) <= 5 and {d["range"]["start"]["line"] for d in found} <= {0}
    _still_serving(server, tmp_path, "after-bomb.txt")
