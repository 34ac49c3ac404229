"""Fingerprints: a finding's identity that survives edits elsewhere in the file.

A fingerprint hashes the rule code, the matched words and up to three words either side,
case-folded and with quotes and whitespace normalised. Offsets and line numbers are left
out on purpose, so an ignore or a baseline entry still applies after lines move.
"""
from __future__ import annotations

import hashlib

import regex

from .positions import normalize_quotes

CONTEXT_WORDS = 3
_WORD = regex.compile(r"\w+(?:['’]\w+)*")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(normalize_quotes(text))]


def fingerprint(rule: str, text: str, start: int, end: int) -> str:
    """A 16-hex-digit identity for the finding of `rule` at text[start:end]."""
    before = _words(text[max(0, start - 200):start])[-CONTEXT_WORDS:]
    after = _words(text[end:end + 200])[:CONTEXT_WORDS]
    key = "\x1f".join((rule.upper(), " ".join(_words(text[start:end])), " ".join(before), " ".join(after)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
