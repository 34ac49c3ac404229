"""Fingerprints: a finding's identity that survives edits elsewhere in the file.

A fingerprint hashes the rule code, the matched words and up to three words either side
within the same sentence, case-folded and with quotes and whitespace normalised. Offsets,
line numbers, file names and other sentences are left out on purpose, so an ignore or a
baseline entry still applies after lines move, the file is renamed or a paragraph above
is rewritten; the same sentence elsewhere shares the fingerprint.
"""
from __future__ import annotations

import hashlib

import regex

from .positions import normalize_quotes

CONTEXT_WORDS = 3
_WORD = regex.compile(r"\w+(?:['’]\w+)*")
_SENTENCE_END = regex.compile(r"[.!?…]+(?:\s|$)|\n")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(normalize_quotes(text))]


def fingerprint(rule: str, text: str, start: int, end: int) -> str:
    """A 16-hex-digit identity for the finding of `rule` at text[start:end]."""
    head = text[max(0, start - 200):start]
    head = head[max((m.end() for m in _SENTENCE_END.finditer(head)), default=0):]
    tail = text[end:end + 200]
    cut = _SENTENCE_END.search(tail)
    tail = tail[: cut.start() if cut else len(tail)]
    before, after = _words(head)[-CONTEXT_WORDS:], _words(tail)[:CONTEXT_WORDS]
    key = "\x1f".join((rule.upper(), " ".join(_words(text[start:end])), " ".join(before), " ".join(after)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
