"""A raw JSON-RPC client for the language server over stdio (Content-Length framing).

pytest-lsp types every message it sends; hostile tests need to send what no typed client
would (bad params, bad ids, requests after shutdown) and read the exact responses, and the
soak test needs speed. A reader thread collects responses by id, keeps the latest
diagnostics per URI, and answers the server's own requests (configuration, applyEdit,
registerCapability) so the server never waits on us.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

TIMEOUT = 60.0  # seconds: the checker process loads spaCy before the first run


class RawServer:
    """One `python -m replylint_lsp` process and the messages it sent."""

    def __init__(self, stderr_path: Path) -> None:
        self._stderr = stderr_path.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "replylint_lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._stderr)
        self._ids = itertools.count(1)
        self._lock = threading.Condition()
        self._write_lock = threading.Lock()
        self.responses: dict[Any, dict[str, Any]] = {}
        self.diagnostics: dict[str, dict[str, Any]] = {}  # uri -> latest publishDiagnostics params
        self.publishes = 0
        self.counts: Counter[str] = Counter()  # notifications by method
        self.log_messages: list[str] = []
        self.unmatched: list[dict[str, Any]] = []  # responses without a usable id
        self.closed = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    # ----- sending ---------------------------------------------------------------------------

    def send_bytes(self, body: bytes) -> None:
        assert self.process.stdin is not None
        with self._write_lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        self.send_bytes(json.dumps(message).encode("utf-8"))

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any = None, msg_id: Any = None) -> Any:
        """Send a request; returns its id (wait for the answer with `response`)."""
        msg_id = next(self._ids) if msg_id is None else msg_id
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return msg_id

    def call(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> dict[str, Any]:
        return self.response(self.request(method, params), timeout)

    # ----- waiting ---------------------------------------------------------------------------

    def response(self, msg_id: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        with self._lock:
            if not self._lock.wait_for(lambda: msg_id in self.responses or self.closed, timeout):
                raise TimeoutError(f"no response to request {msg_id!r} in {timeout} s")
            if msg_id not in self.responses:
                raise EOFError(f"the server closed stdout before answering {msg_id!r}")
            return self.responses.pop(msg_id)

    def wait_until(self, predicate: Any, timeout: float = TIMEOUT, what: str = "condition") -> None:
        with self._lock:
            if not self._lock.wait_for(lambda: predicate(self) or self.closed, timeout) or not predicate(self):
                raise TimeoutError(f"{what} not met in {timeout} s")

    def published(self, uri: str, version: int | None = None, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """The diagnostics of the latest publish for `uri` (waiting for `version` if given)."""
        def ready(server: RawServer) -> bool:
            params = server.diagnostics.get(uri)
            return params is not None and (version is None or params.get("version") == version)
        self.wait_until(ready, timeout, f"diagnostics for {uri} version {version}")
        return list(self.diagnostics[uri]["diagnostics"])

    # ----- helpers ---------------------------------------------------------------------------

    def initialize(self, root: Path, options: Any = None) -> dict[str, Any]:
        answer = self.call("initialize", {
            "processId": None, "rootUri": root.as_uri(), "initializationOptions": options,
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}},
                             "workspace": {"workspaceEdit": {"documentChanges": True}}},
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}]})
        self.notify("initialized", {})
        return answer

    def open(self, path: Path | str, text: str, language_id: str = "plaintext", version: int = 1) -> str:
        uri = path.as_uri() if isinstance(path, Path) else path
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language_id,
                                                               "version": version, "text": text}})
        return uri

    def replace(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def rss_mb(self, pid: int | None = None, field: str = "VmRSS") -> float:
        """Resident memory (`field`: VmRSS, or RssAnon for the process's own heap without
        memory-mapped files) of the server or of `pid`."""
        status = Path(f"/proc/{pid or self.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith(f"{field}:"))) / 1024

    def children(self) -> list[int]:
        """Process ids of the server's child processes (the checker, Python's resource tracker)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.pid:
                found.append(int(stat.parent.name))
        return found

    def total_rss_mb(self, field: str = "VmRSS") -> float:
        """The server's memory plus its children's."""
        total = self.rss_mb(field=field)
        for pid in self.children():
            with contextlib.suppress(OSError, StopIteration):  # it may have just ended
                total += self.rss_mb(pid, field)
        return total

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self, timeout: float = 30) -> int | None:
        """Shut down politely if still running; kill after `timeout`. Returns the exit code."""
        if self.alive():
            try:
                self.call("shutdown", None, timeout=timeout)
                self.notify("exit", None)
            except (OSError, TimeoutError, EOFError):
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._stderr.close()
        return self.process.returncode

    # ----- reading ---------------------------------------------------------------------------

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                if length is None:
                    continue
                self._dispatch(json.loads(stream.read(length)))
        finally:
            with self._lock:
                self.closed = True
                self._lock.notify_all()

    def _dispatch(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method is not None and "id" in message:  # the server asks us something
            result: Any = None
            if method == "workspace/configuration":
                result = [None for _ in message.get("params", {}).get("items", [])]
            elif method == "workspace/applyEdit":
                result = {"applied": True}
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            return
        with self._lock:
            if method is None:
                if message.get("id") is None:
                    self.unmatched.append(message)
                else:
                    self.responses[message["id"]] = message
            else:
                self.counts[method] += 1
                if method == "textDocument/publishDiagnostics":
                    self.diagnostics[message["params"]["uri"]] = message["params"]
                    self.publishes += 1
                elif method == "window/logMessage" and len(self.log_messages) < 1000:
                    self.log_messages.append(message["params"]["message"])
            self._lock.notify_all()


def wait_for_exit(server: RawServer, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while server.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not server.alive(), "the server did not exit"
    return server.process.returncode
