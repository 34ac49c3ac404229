"""Memory of the language server with all six packs and the tone model loaded: after a
1 MB document, and over 1,000 edits (issue 17, item 4).

    python bench/soak_lsp.py                 # 1 MB document, 1,000 edits
    python bench/soak_lsp.py --mb 0.1 --edits 60 --json   # a short run

One `python -m replylint_lsp` is started through pygls's `LanguageClient` over stdio with the
tone model on and no debounce. It opens one reply per pack language (sv, da, nb, fi, ms and
English, so every pack and the tone model are loaded), then a generated English document of
`--mb` megabytes, then edits a 300-word reply one word at a time, waiting for each edit's
diagnostics. Memory is the resident set (VmRSS from /proc) of the server process and of the
server plus its checker process, read after each stage and every 100 edits. Figures are
recorded in docs/performance.md; growth is measured from the 100th edit on (the first edits
fill the caches that are meant to be filled).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

from bench_engine import make_corpus, reply_of_words  # bench/ is on sys.path when run as a script
from bench_lsp import TIMEOUT, Editor, Publishes, client_capabilities
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

REPLIES = {  # one short reply per pack, each with a finding, so that language's rules load
    "sv": "Hej Anna!\n\nDu har fel, fakturan stämmer. Enligt våra regler kan vi inte återbetala.\n",
    "da": "Hej Anna\n\nDu tager fejl, fakturaen er korrekt. Det er vores politik, så vi kan ikke refundere.\n",
    "nb": "Hei Anna!\n\nDu tar feil, fakturaen stemmer. Det er våre regler, så vi kan ikke refundere.\n",
    "fi": "Hei Anna,\n\nOlet väärässä, lasku on oikein. Käytäntömme mukaan emme voi palauttaa rahoja.\n",
    "ms": "Hai Anna,\n\nAnda salah, bil itu betul. Mengikut polisi kami, kami tidak boleh memulangkan wang.\n",
    "en": "Hi Anna,\n\nYou are wrong, the invoice is correct. As per our policy we cannot refund it.\n",
}


def _rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(the server's RSS, the server's plus its children's), in MB."""
    server = _rss_kb(pid)
    total = server
    for child in _children(pid):
        try:
            total += _rss_kb(child)
        except (OSError, StopIteration):
            continue
    return round(server / 1024, 1), round(total / 1024, 1)


async def _publish(client: LanguageClient, publishes: Publishes, version: int,
                   send: types.DidOpenTextDocumentParams | types.DidChangeTextDocumentParams) -> float:
    """Send one open/change and wait for its diagnostics; the milliseconds it took."""
    done = publishes.expect(version)
    sent = time.perf_counter()
    if isinstance(send, types.DidOpenTextDocumentParams):
        client.text_document_did_open(send)
    else:
        client.text_document_did_change(send)
    arrived, _ = await asyncio.wait_for(done, TIMEOUT * 5)
    return (arrived - sent) * 1000


async def soak(megabytes: float, edits: int, root: Path) -> dict:
    uris = {name: from_fs_path(str(root / f"{name}.txt")) or (root / f"{name}.txt").as_uri()
            for name in [*REPLIES, "big", "edited"]}
    publishes = {uri: Publishes(uri) for uri in uris.values()}
    client = LanguageClient("replylint-soak", "1")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        if params.uri in publishes:
            publishes[params.uri].record(params)

    await client.start_io(sys.executable, "-m", "replylint_lsp")
    assert client._server is not None
    pid = client._server.pid
    figures: dict = {"megabytes": megabytes, "edits": edits, "memory": []}
    options = {"replylint": {"debounceMs": 0, "toneModel": True, "maxDocumentChars": int(megabytes * 1.1e6) + 10_000,
                             "checkTimeoutMs": 600_000, "checkMemoryMb": 4096}}
    await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        process_id=None, root_uri=root.as_uri(), capabilities=client_capabilities(),
        initialization_options=options)), TIMEOUT)
    client.initialized(types.InitializedParams())
    figures["memory"].append(("started", *memory_mb(pid)))

    for name, text in REPLIES.items():
        await _publish(client, publishes[uris[name]], 1, types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uris[name], language_id="plaintext", version=1, text=text)))
    figures["memory"].append(("six packs + tone model", *memory_mb(pid)))

    big = "\n\n".join(make_corpus(megabytes))
    figures["big_chars"] = len(big)
    figures["big_ms"] = round(await _publish(client, publishes[uris["big"]], 1, types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uris["big"], language_id="plaintext", version=1, text=big))))
    figures["memory"].append(("big document", *memory_mb(pid)))

    editor = Editor(reply_of_words(300))
    uri = uris["edited"]
    await _publish(client, publishes[uri], 1, types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=editor.text)))
    samples: list[float] = []
    for version in range(2, edits + 2):
        change = types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[editor.next_change()])
        samples.append(await _publish(client, publishes[uri], version, change))
        if (version - 1) % 100 == 0 or version == edits + 1:
            figures["memory"].append((f"after {version - 1} edits", *memory_mb(pid)))
    samples.sort()
    figures["edit_p50_ms"] = round(samples[len(samples) // 2], 1) if samples else None
    figures["edit_p95_ms"] = round(samples[int(len(samples) * 0.95) - 1], 1) if samples else None
    after = [m for m in figures["memory"] if m[0].startswith("after ")]
    warm = next((m for m in after if m[0] == "after 100 edits"), after[0] if after else None)
    if warm is not None and after:
        figures["growth_server_mb"] = round(after[-1][1] - warm[1], 1)
        figures["growth_total_mb"] = round(after[-1][2] - warm[2], 1)

    await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
    client.exit(None)
    await asyncio.wait_for(client.stop(), TIMEOUT)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=1.0, help="size of the big document in MB (default 1)")
    ap.add_argument("--edits", type=int, default=1000, help="edits of the 300-word reply (default 1000)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="replylint-soak-") as tmp:
        figures = asyncio.run(soak(a.mb, a.edits, Path(tmp)))
    if a.json:
        print(json.dumps(figures))
        return
    print(f"language server, six packs + tone model, {a.edits} edits of a 300-word reply")
    print(f"{'after':<28} {'server MB':>10} {'server + checker MB':>20}")
    for label, server, total in figures["memory"]:
        print(f"{label:<28} {server:>10} {total:>20}")
    print(f"\n{figures['big_chars']:,}-character document: first diagnostics in {figures['big_ms']:,} ms")
    print(f"edits: p50 {figures['edit_p50_ms']} ms, p95 {figures['edit_p95_ms']} ms")
    if "growth_total_mb" in figures:
        print(f"growth from the 100th edit on: server {figures['growth_server_mb']} MB, "
              f"server + checker {figures['growth_total_mb']} MB")


if __name__ == "__main__":
    main()
