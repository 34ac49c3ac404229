"""`replylint lsp` from the command line: starts a server, or says how to install one."""
from __future__ import annotations

import json
import subprocess
import sys


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_replylint_lsp_answers_initialize_and_exits_cleanly() -> None:
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"capabilities": {"textDocument": {"diagnostic": {}}}, "processId": None}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]
    done = subprocess.run([sys.executable, "-m", "replylint", "lsp", "--stdio"], input=b"".join(map(_frame, messages)),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    replies = [json.loads(part.split(b"\r\n\r\n", 1)[1]) for part in done.stdout.split(b"Content-Length")[1:]]
    init = next(r for r in replies if r.get("id") == 1)["result"]
    assert init["serverInfo"]["name"] == "replylint"
    caps = init["capabilities"]
    assert caps["hoverProvider"] and caps["diagnosticProvider"]["identifier"] == "replylint"
    assert "source.fixAll.replylint" in caps["codeActionProvider"]["codeActionKinds"]
    assert "replylint.ignoreFinding" in caps["executeCommandProvider"]["commands"]


def test_missing_pygls_is_a_one_line_error() -> None:
    code = "import sys; sys.modules['pygls'] = None; from replylint.cli.main import main; sys.exit(main(['lsp']))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "pip install 'replylint[lsp]'" in done.stderr
