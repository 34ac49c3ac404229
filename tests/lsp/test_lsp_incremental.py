"""The checker keeps one ParagraphCache per open document: a run through it publishes what a
full run does, a closed document's cache goes, and no more than MAX_DOCUMENTS are kept."""
from __future__ import annotations

from replylint import Config
from replylint_lsp.checker import MAX_DOCUMENTS, DocumentCaches
from replylint_lsp.diagnostics import lint
from replylint_lsp.linting import Snapshot

REPLY = ("Hi Dana,\n\nAs per our policy, we can't refund opened software. You should have read the terms. "
         "We can hold the parcel at the pickup point for you.\n\nWould that work for you?\n\nCheers,\nJo")


def snapshot(text: str, version: int) -> Snapshot:
    return Snapshot("file:///tmp/reply.txt", version, text, "text", "/tmp/reply.txt", "auto", Config(), 500_000,
                    "utf-16")


def test_runs_through_the_cache_publish_what_a_full_run_does() -> None:
    caches = DocumentCaches()
    text = REPLY
    for version, (old, new) in enumerate([("", ""), ("policy", "rules"), ("You should", "You should not"),
                                          ("Would", "Could"), ("\n\nCould", " Could"), ("can't", "cannot")]):
        text = text.replace(old, new, 1) if old else text
        full, incremental = lint(snapshot(text, version)), lint(snapshot(text, version), caches.of("a"))
        assert incremental.diagnostics == full.diagnostics and incremental.scores == full.scores
    assert caches.of("a").reused > 0


def test_closed_documents_and_old_ones_are_dropped() -> None:
    caches = DocumentCaches()
    first = caches.of("a")
    caches.forget("a")
    assert caches.of("a") is not first
    for i in range(MAX_DOCUMENTS + 5):
        caches.of(f"doc{i}")
    assert len(caches) == MAX_DOCUMENTS


def test_the_checker_process_imports_no_protocol_library() -> None:
    # The child runs `gather` only; the server makes the diagnostics (about 20 MB less in the child).
    import subprocess
    import sys

    code = ("import sys, replylint_lsp.checker as c; "
            "print(sorted(m for m in ('pygls', 'lsprotocol') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_gather_then_diagnose_equals_lint() -> None:
    from replylint_lsp.diagnostics import diagnose
    from replylint_lsp.linting import gather

    cut = Snapshot("file:///tmp/reply.txt", 3, REPLY, "text", "/tmp/reply.txt", "auto", Config(), 60, "utf-16")
    for snap in (snapshot(REPLY, 1), cut):
        gathered = gather(snap)
        assert gathered.diagnostics == [] and len(gathered.doc_urls) == len(gathered.findings)
        assert diagnose(gathered, snap).diagnostics == lint(snap).diagnostics
    assert lint(cut).diagnostics[-1].message.startswith("replylint checked the first 60")


def test_a_big_run_gives_memory_back_without_failing() -> None:
    from replylint_lsp.checker import _give_back_memory, _malloc_trim

    _give_back_memory()  # glibc here; elsewhere a no-op
    assert _malloc_trim() is None or callable(_malloc_trim())
