"""The checker: a child process that runs `linting.gather`, one document at a time, keeping each
open document's ParagraphCache so a run matches only what changed (a `Forget` drops it). The
server turns what it sends back into diagnostics (`diagnostics.diagnose`), so the child never
imports the protocol libraries.

A thread cannot be stopped, so a document that is too slow or too big to check (a YAML
alias bomb, a pattern that backtracks) would hold the engine, and every other document's
diagnostics, for as long as it liked. In a child process it can be stopped: each run has a
time budget and a memory cap; a run over either is killed, the document gets one
Information diagnostic saying why, and a fresh checker starts for the next run.
"""
from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from replylint.workspace import ParagraphCache

from .linting import LintResult, Snapshot, gather, not_checked

log = logging.getLogger("replylint.lsp")
READY = "ready"
STARTUP_SECONDS = 300.0  # loading spaCy and the rules; never part of a document's budget
POLL_SECONDS = 0.05
BUDGET_CHARS = 100_000  # the base budget covers this many characters; longer documents get more
MAX_DOCUMENTS = 32  # documents whose pieces the checker keeps (the least recently checked go first)


@dataclass(frozen=True)
class Forget:
    """Sent to the checker when a document closes: its cache goes."""

    uri: str


class DocumentCaches:
    """One ParagraphCache per open document (engine/paragraph_cache.py), the least recently
    checked dropped past MAX_DOCUMENTS, a closed one at once."""

    def __init__(self) -> None:
        self._caches: OrderedDict[str, ParagraphCache] = OrderedDict()

    def of(self, uri: str) -> ParagraphCache:
        cache = self._caches.pop(uri, None) or ParagraphCache()
        self._caches[uri] = cache
        while len(self._caches) > MAX_DOCUMENTS:
            self._caches.popitem(last=False)
        return cache

    def forget(self, uri: str) -> None:
        self._caches.pop(uri, None)

    def __len__(self) -> int:
        return len(self._caches)


@dataclass(frozen=True)
class Budget:
    """What one run may take before it is stopped."""

    seconds: float
    memory_mb: int


def budget_for(chars: int, base_ms: int, memory_mb: int) -> Budget:
    """`base_ms` per 100,000 characters (at least `base_ms`): a long document is not cut short,
    and a short one that takes long (an alias bomb, a pattern that backtracks) is stopped."""
    return Budget(base_ms / 1000 * max(1.0, chars / BUDGET_CHARS), memory_mb)


def _rss_mb(pid: int) -> float | None:
    """Resident memory of a process (Linux /proc); None where it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class Checker:
    """The server's handle on the child process; `run` blocks, so call it off the event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None
        self._in_process = False  # no child processes here: run in this process, without a budget
        self._closed = False
        self._caches = DocumentCaches()  # in this process's runs only; the child keeps its own

    def start(self) -> None:
        """Start the child and wait until it is ready (called early, to warm up)."""
        with self._lock:
            if not self._closed:
                self._ensure()

    def run(self, snapshot: Snapshot, budget: Budget) -> LintResult:
        """Lint one snapshot in the child, stopping it when it overruns `budget`; diagnostics are
        made here, in the server, from the findings and notes the child sends."""
        from .diagnostics import diagnose  # not at import: this module is the child's too

        return diagnose(self._run(snapshot, budget), snapshot)

    def _run(self, snapshot: Snapshot, budget: Budget) -> LintResult:
        with self._lock:
            if self._closed:
                return not_checked(snapshot, "the server is shutting down")
            problem = self._ensure()
            if self._in_process:
                return gather(snapshot, self._caches.of(snapshot.uri))
            if problem or self._conn is None:
                return not_checked(snapshot, problem or "the checker did not start")
            try:
                self._conn.send(snapshot)
            except (OSError, ValueError) as exc:
                self._stop()
                return not_checked(snapshot, f"the checker stopped ({exc})")
            return self._wait(snapshot, budget)

    def forget(self, uri: str) -> None:
        """The document closed: its cached pieces go (in the child too, if it runs)."""
        with self._lock:
            self._caches.forget(uri)
            if self._conn is not None:
                with contextlib.suppress(OSError, ValueError):  # the child is gone, and its caches with it
                    self._conn.send(Forget(uri))

    def close(self) -> None:
        """Stop the child for good (server shutdown)."""
        self._closed = True
        self._stop()

    # ----- the child's lifetime --------------------------------------------------------------

    def _ensure(self) -> str | None:
        if self._in_process or (self._process is not None and self._process.is_alive()):
            return None
        self._stop()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        try:
            process = context.Process(target=serve, args=(child,), name="replylint-checker", daemon=True)
            process.start()
        except OSError as exc:
            log.warning("cannot start a checker process (%s): checking in the server, without a time budget", exc)
            self._in_process = True
            return None
        child.close()
        self._process, self._conn = process, parent
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if parent.poll(POLL_SECONDS):
                try:
                    if parent.recv() == READY:
                        return None
                except (EOFError, OSError):
                    break
            if not process.is_alive():
                break
        code = process.exitcode
        self._stop()
        return f"the checker did not start (exit code {code})" if code is not None else "the checker did not start"

    def _wait(self, snapshot: Snapshot, budget: Budget) -> LintResult:
        conn, process = self._conn, self._process
        assert conn is not None and process is not None
        deadline = time.monotonic() + budget.seconds
        while True:
            try:
                if conn.poll(POLL_SECONDS):
                    result = conn.recv()
                    return result if isinstance(result, LintResult) else not_checked(snapshot, str(result))
            except (EOFError, OSError, ValueError):
                pass  # the child went away (or the server closed it): said below
            if not process.is_alive() or conn.closed:
                code = process.exitcode
                self._stop()
                return not_checked(snapshot, f"the checker stopped (exit code {code})")
            if time.monotonic() > deadline:
                self._stop()
                return not_checked(snapshot, f"checking took longer than {budget.seconds:.1f} s "
                                             "(setting checkTimeoutMs)")
            rss = _rss_mb(process.pid)
            if rss is not None and rss > budget.memory_mb:
                self._stop()
                return not_checked(snapshot, f"checking used more than {budget.memory_mb:,} MB "
                                             "(setting checkMemoryMb)")

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None and process.is_alive():
            process.kill()
            process.join(10)


TRIM_CHARS = 200_000  # after a run this big, hand freed memory back to the system


@cache
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None (another C library, another system)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _give_back_memory() -> None:
    """Return the heap a big document's run freed to the system: glibc keeps it otherwise, and
    the checker's resident memory stays at its peak (1 MB document: 55 MB back, 7 ms)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def serve(conn: Connection) -> None:
    """The child's loop: warm up, say ready, then lint each snapshot sent until the pipe closes."""
    os.dup2(2, 1)  # stdout is the server's LSP channel: anything printed here goes to stderr
    sys.stdout = sys.stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when this process ends
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="replylint-checker %(levelname)s: %(message)s")
    try:
        import replylint

        replylint.check("Warming up.", "auto", None)
    except Exception:
        logging.getLogger("replylint.lsp").exception("warm-up failed")
    conn.send(READY)
    caches = DocumentCaches()
    while True:
        try:
            snapshot = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(snapshot, Forget):
            caches.forget(snapshot.uri)
            continue
        try:
            result = gather(snapshot, caches.of(snapshot.uri))
        except Exception as exc:  # gather() handles bad content; this is a bug, kept to one document
            logging.getLogger("replylint.lsp").exception("checking %s failed", getattr(snapshot, "uri", "?"))
            result = not_checked(snapshot, f"internal error: {type(exc).__name__}: {exc}")
        try:
            conn.send(result)
        except (EOFError, OSError):
            return
        except Exception as exc:  # a result that cannot be pickled
            conn.send(not_checked(snapshot, f"internal error: {type(exc).__name__}: {exc}"))
        if len(getattr(snapshot, "text", "")) >= TRIM_CHARS:
            _give_back_memory()
