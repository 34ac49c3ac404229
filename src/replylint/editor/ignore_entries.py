"""Recording a finding as ignored on purpose: one line appended to the workspace's ignore
file (the editor's "Ignore this finding" action); the engine only reads that file."""
from __future__ import annotations

from pathlib import Path

import regex

from replylint.engine.ignorefile import read_ignore_file
from replylint.inputs.files import Source, decode
from replylint.safewrite import ABSENT, read_for_update, write_atomic

HEADER = ("# replylint: findings ignored on purpose, one per line: fingerprint, rule, note.\n"
          "# Written by the editor's \"Ignore this finding\" action; commit this file.\n")


def add_ignore_entry(path: Path, fingerprint: str, rule: str, note: str = "") -> bool:
    """Append an entry (creating the file with its header); False when it was already there.

    A rule with a space or control character is a ValueError: one entry must stay one line.
    The note is folded onto one printable line. The file is rewritten atomically over the
    bytes read here, so an edit saved meanwhile is kept (WriteError, an OSError, instead)."""
    if not regex.fullmatch(r"[0-9a-f]{16}", fingerprint):
        raise ValueError(f"not a fingerprint: {fingerprint!r}")
    if any(ch.isspace() or not ch.isprintable() for ch in rule):
        raise ValueError(f"not a rule id (spaces or control characters): {rule!r}")
    if fingerprint in read_ignore_file(path):
        return False
    original = read_for_update(path)
    form = decode(original, str(path)) if original is not None else Source(str(path), HEADER)
    existing = form.text
    if existing and not existing.endswith("\n"):
        existing += "\n"
    note = " ".join("".join(ch if ch.isprintable() else " " for ch in note).split())
    entry = " ".join(p for p in (fingerprint, rule, note) if p) + "\n"
    write_atomic(path, form.encode(existing + entry), expected=ABSENT if original is None else original)
    return True
