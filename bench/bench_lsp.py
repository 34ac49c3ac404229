"""Benchmark the language server: time from `didChange` to `publishDiagnostics`, through a real stdio client.

    python bench/bench_lsp.py                       # 300- and 5,000-word replies, 200 edits each
    python bench/bench_lsp.py --quick               # smoke run: 20 edits, smaller burst
    python bench/bench_lsp.py --sizes 300 --debounce-ms 0 --edits 500 --json

For each size and debounce setting a fresh `python -m replylint_lsp` is started with pygls's
`LanguageClient` (push diagnostics only: no `textDocument.diagnostic` client capability). The
reply is opened and its first diagnostics awaited (cold start, reported separately). Then each
edit replaces one word with an incremental `didChange` (version n), the clock runs from sending
it until `publishDiagnostics` for version n arrives, and only then is the next edit sent: this
measures latency, not throughput. Last, a burst of back-to-back changes is sent without waiting,
timed from the last change to the publish for the last version, counting publishes for the
versions in between (the server should drop those stale runs).

Figures are recorded in docs/performance.md. Targets (issue 17), with the default debounce:
p95 <= 15 ms for a 300-word reply, <= 30 ms for a 5,000-word document after the first run.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_engine import reply_of_words  # bench/ is on sys.path when run as `python bench/bench_lsp.py`
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from replylint_lsp.settings import Settings

TARGETS_P95_MS = {300: 15.0, 5000: 30.0}  # words -> p95 target, default debounce
TIMEOUT = 60.0  # seconds to wait for one publish; the first run loads spaCy and the rules
DEFAULT_DEBOUNCE = Settings().debounce_ms


@dataclass
class Run:
    """The figures of one server process: one reply size, one debounce setting."""

    words: int
    debounce: int | None  # None: the server's default (no initializationOptions sent)
    initialize_ms: float = 0.0
    first_ms: float = 0.0
    first_diagnostics: int = 0
    samples: list[float] = field(default_factory=list)
    diagnostics_per_edit: tuple[int, int] = (0, 0)
    burst_changes: int = 0
    burst_last_ms: float = 0.0
    burst_send_ms: float = 0.0  # first to last change of the burst, on the client
    burst_intermediate: int = 0
    problems: list[str] = field(default_factory=list)
    server_stderr: str = ""

    @property
    def debounce_label(self) -> str:
        return f"default ({DEFAULT_DEBOUNCE})" if self.debounce is None else str(self.debounce)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.samples)  # same convention as bench_engine.py
        return ordered[max(0, int(len(ordered) * fraction) - 1)] if ordered else float("nan")

    def figures(self) -> dict:
        return {
            "words": self.words, "debounce_ms": DEFAULT_DEBOUNCE if self.debounce is None else self.debounce,
            "debounce_is_default": self.debounce is None, "edits": len(self.samples),
            "p50_ms": round(statistics.median(self.samples), 1) if self.samples else None,
            "p95_ms": round(self.percentile(0.95), 1), "max_ms": round(max(self.samples, default=float("nan")), 1),
            "initialize_ms": round(self.initialize_ms, 1), "first_diagnostics_ms": round(self.first_ms, 1),
            "diagnostics_first_open": self.first_diagnostics, "diagnostics_per_edit": list(self.diagnostics_per_edit),
            "burst_changes": self.burst_changes, "burst_last_change_to_publish_ms": round(self.burst_last_ms, 1),
            "burst_send_ms": round(self.burst_send_ms, 1),
            "burst_intermediate_publishes": self.burst_intermediate, "problems": self.problems,
        }


class Publishes:
    """Every publishDiagnostics for one URI, with arrival time, and futures waiting on versions."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.seen: list[tuple[int | None, float, int]] = []  # (version, perf_counter, number of diagnostics)
        self.waiting: dict[int, asyncio.Future[tuple[float, int]]] = {}
        self.other_uris: list[str] = []

    def record(self, params: types.PublishDiagnosticsParams) -> None:
        now = time.perf_counter()
        if params.uri != self.uri:
            self.other_uris.append(params.uri)
            return
        self.seen.append((params.version, now, len(params.diagnostics)))
        future = self.waiting.pop(params.version, None) if params.version is not None else None
        if future is not None and not future.done():
            future.set_result((now, len(params.diagnostics)))

    def expect(self, version: int) -> asyncio.Future[tuple[float, int]]:
        """A future for the publish of `version`; call before sending the change."""
        future = asyncio.get_running_loop().create_future()
        self.waiting[version] = future
        return future


class Editor:
    """The client's copy of the document, and the one word its edits toggle."""

    def __init__(self, text: str, replacement: str = "today") -> None:
        self.text = text
        middle = len(text) // 2
        start = text.rfind(" ", 0, middle) + 1
        end = min(i for i in (text.find(" ", start), text.find("\n", start), len(text)) if i >= 0)
        self.start, self.words = start, (text[start:end], replacement)
        self.current = 0

    def position(self, offset: int) -> types.Position:
        line = self.text.count("\n", 0, offset)
        line_start = self.text.rfind("\n", 0, offset) + 1
        return types.Position(line=line, character=len(self.text[line_start:offset].encode("utf-16-le")) // 2)

    def next_change(self) -> types.TextDocumentContentChangePartial:
        """Swap the word for the other one: an incremental change with the range of the old word."""
        old, new = self.words[self.current], self.words[1 - self.current]
        end = self.start + len(old)
        assert self.text[self.start:end] == old
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=self.position(self.start), end=self.position(end)), text=new)
        self.text = self.text[:self.start] + new + self.text[end:]
        self.current = 1 - self.current
        return change


def client_capabilities() -> types.ClientCapabilities:
    """A push-only client: publishDiagnostics with versions, no pull, no configuration requests."""
    return types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            synchronization=types.TextDocumentSyncClientCapabilities(),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)),
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    )


async def _drain(stream: asyncio.StreamReader | None, sink: list[bytes]) -> None:
    """Read the server's stderr so a chatty server cannot block on a full pipe; keep it for the report."""
    if stream is None:
        return
    while chunk := await stream.read(65536):
        sink.append(chunk)


def in_paragraphs(text: str, words: int) -> str:
    """The reply with a blank line after the first sentence end past every `words` words (0: as
    it is). The generated reply is one long paragraph; a long real document has many."""
    if words <= 0:
        return text
    out, count = [], 0
    for part in text.split(". "):
        out.append(part)
        count += len(part.split())
        if count >= words and "\n" not in part[-3:]:
            out.append(".\n\n")
            count = 0
        else:
            out.append(". ")
    return "".join(out[:-1])


async def measure(words: int, debounce: int | None, edits: int, burst: int, root: Path,
                  paragraph_words: int = 0) -> Run:
    run = Run(words, debounce)
    path = root / f"reply-{words}.txt"
    uri = from_fs_path(str(path)) or path.as_uri()
    publishes = Publishes(uri)
    client = LanguageClient("replylint-bench", "1")
    messages: list[str] = []

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        publishes.record(params)

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def on_log(params: types.LogMessageParams) -> None:
        if params.type in (types.MessageType.Error, types.MessageType.Warning):
            messages.append(f"logMessage: {params.message}")

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def on_show(params: types.ShowMessageParams) -> None:
        messages.append(f"showMessage: {params.message}")

    t0 = time.perf_counter()
    await client.start_io(sys.executable, "-m", "replylint_lsp")
    stderr: list[bytes] = []
    drain = asyncio.create_task(_drain(client._server.stderr if client._server else None, stderr))
    options = None if debounce is None else {"replylint": {"debounceMs": debounce}}
    try:
        await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            process_id=None, root_uri=root.as_uri(), capabilities=client_capabilities(),
            initialization_options=options, client_info=types.ClientInfo(name="bench_lsp"))), TIMEOUT)
        run.initialize_ms = (time.perf_counter() - t0) * 1000
        client.initialized(types.InitializedParams())

        editor = Editor(in_paragraphs(reply_of_words(words), paragraph_words))
        version = 1
        first = publishes.expect(version)
        sent = time.perf_counter()
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="plaintext", version=version, text=editor.text)))
        arrived, run.first_diagnostics = await asyncio.wait_for(first, TIMEOUT)
        run.first_ms = (arrived - sent) * 1000

        counts = set()
        for _ in range(edits):
            version += 1
            done = publishes.expect(version)
            change = editor.next_change()
            sent = time.perf_counter()
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change]))
            try:
                arrived, count = await asyncio.wait_for(done, TIMEOUT)
            except TimeoutError:
                run.problems.append(f"no publishDiagnostics for version {version} within {TIMEOUT:.0f} s")
                break
            run.samples.append((arrived - sent) * 1000)
            counts.add(count)
        run.diagnostics_per_edit = (min(counts, default=0), max(counts, default=0))

        if burst and not run.problems:
            before = len(publishes.seen)
            first_version, last_version = version + 1, version + burst
            done = publishes.expect(last_version)
            began = time.perf_counter()
            for version in range(first_version, last_version + 1):
                client.text_document_did_change(types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[editor.next_change()]))
                sent = time.perf_counter()
            run.burst_send_ms = (sent - began) * 1000
            try:
                arrived, _ = await asyncio.wait_for(done, TIMEOUT)
                run.burst_changes, run.burst_last_ms = burst, (arrived - sent) * 1000
            except TimeoutError:
                run.problems.append(f"burst: no publishDiagnostics for the last version {last_version}")
            await asyncio.sleep(0.3)  # let any late, stale publish arrive before counting
            during = publishes.seen[before:]
            run.burst_intermediate = sum(1 for v, _, _ in during if v is not None and v < last_version)
            final = [i for i, (v, _, _) in enumerate(during) if v == last_version]
            late = [v for v, _, _ in during[final[0] + 1:]] if final else []
            if late:
                run.problems.append(f"burst: publishes after the last version's: versions {late}")

        unexpected = [v for v, _, _ in publishes.seen if v is None or v > version]
        if unexpected:
            run.problems.append(f"publishes with unexpected versions: {unexpected[:10]}")
        if publishes.other_uris:
            run.problems.append(f"publishes for other URIs: {sorted(set(publishes.other_uris))[:5]}")
        run.problems.extend(messages)

        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
        await asyncio.wait_for(client.stop(), TIMEOUT)
    except Exception as exc:
        run.problems.append(f"{type(exc).__name__}: {exc}")
        server = client._server
        if server is not None and server.returncode is None:
            server.kill()  # the process this run started
        await client.stop()
    finally:
        try:
            await asyncio.wait_for(drain, 5)
        except TimeoutError:
            run.problems.append("server stderr still open 5 s after stop")
        run.server_stderr = b"".join(stderr).decode("utf-8", "replace").strip()
        server = client._server
        if server is not None and server.returncode not in (0, None):
            run.problems.append(f"server exited with code {server.returncode}")
    return run


def parse_debounce(value: str) -> list[int | None]:
    return [None if v.strip() == "default" else int(v) for v in value.split(",") if v.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edits", type=int, default=200, help="edits per size, one at a time (default 200)")
    ap.add_argument("--sizes", default="300,5000", help="reply sizes in words (default 300,5000)")
    ap.add_argument("--debounce-ms", default="default,0",
                    help="debounce settings to run, comma-separated; 'default' sends no setting "
                         f"(server default {DEFAULT_DEBOUNCE} ms) (default: default,0)")
    ap.add_argument("--burst", type=int, default=50, help="back-to-back changes in the burst (0: skip; default 50)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 20 edits, burst of 10")
    ap.add_argument("--paragraph-words", type=int, default=0,
                    help="break the reply into paragraphs of about this many words (default 0: one paragraph)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    edits, burst = (min(a.edits, 20), min(a.burst, 10)) if a.quick else (a.edits, a.burst)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="replylint-bench-") as tmp:  # no config file above the replies
        for debounce in parse_debounce(a.debounce_ms):
            for words in sizes:
                runs.append(asyncio.run(measure(words, debounce, edits, burst, Path(tmp), a.paragraph_words)))
                if not a.json:
                    print(f"  done: {words} words, debounce {runs[-1].debounce_label}", file=sys.stderr)

    verdicts = []
    for r in runs:
        if r.words in TARGETS_P95_MS and r.debounce is None and r.samples:
            p95, target = r.percentile(0.95), TARGETS_P95_MS[r.words]
            verdicts.append({"words": r.words, "p95_ms": round(p95, 1), "target_ms": target, "met": p95 <= target})
    if a.json:
        print(json.dumps({"python": platform.python_version(), "machine": platform.machine(),
                          "edits": edits, "runs": [r.figures() for r in runs], "targets": verdicts}))
        return

    print(f"didChange -> publishDiagnostics, {edits} edits one at a time (python {platform.python_version()})")
    print(f"{'words':>6} {'debounce ms':>12} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'first diag ms':>14} "
          f"{'init ms':>8} {'diags':>6}")
    for r in runs:
        f = r.figures()
        print(f"{r.words:>6} {r.debounce_label:>12} {f['p50_ms']:>7} {f['p95_ms']:>7} {f['max_ms']:>7} "
              f"{f['first_diagnostics_ms']:>14} {f['initialize_ms']:>8} {f['diagnostics_per_edit'][1]:>6}")
    if burst:
        print(f"\nburst: {burst} changes back to back, then wait")
        print(f"{'words':>6} {'debounce ms':>12} {'last change -> publish ms':>26} {'intermediate publishes':>23} "
              f"{'sending took ms':>16}")
        for r in runs:
            print(f"{r.words:>6} {r.debounce_label:>12} {round(r.burst_last_ms, 1):>26} "
                  f"{r.burst_intermediate:>23} {round(r.burst_send_ms, 1):>16}")
    for r in runs:
        for problem in r.problems:
            print(f"PROBLEM ({r.words} words, debounce {r.debounce_label}): {problem}")
        if r.server_stderr:
            print(f"server stderr ({r.words} words, debounce {r.debounce_label}):\n{r.server_stderr}")
    for verdict in verdicts:
        print(f"{'PASS' if verdict['met'] else 'FAIL'}: p95 {verdict['p95_ms']} ms for {verdict['words']} words "
              f"with the default debounce (target <= {verdict['target_ms']:.0f} ms)")


if __name__ == "__main__":
    main()
