"""The checker keeps one ParagraphCache per open document: a run through it publishes what a
full run does, a closed document's cache goes, and no more than MAX_DOCUMENTS are kept."""
from __future__ import annotations

from replylint import Config
from replylint_lsp.checker import MAX_DOCUMENTS, DocumentCaches
from replylint_lsp.linting import Snapshot, lint

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
