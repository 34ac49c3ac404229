"""The ignore file: findings a team has looked at and chosen to keep, by fingerprint.

`.replylint-ignore` sits beside the config file (or at the workspace root) and is meant to
be committed. One entry per line: the fingerprint, the rule code, then a free note:

    3f9c0a1b2c3d4e5f RL201 "you are wrong" in replies/refund.txt

Blank lines and lines starting with `#` are comments.
"""
from __future__ import annotations

from pathlib import Path

import regex

from replylint.errors import ConfigError
from replylint.projectfiles import read_limited_text

IGNORE_FILE = ".replylint-ignore"
HEADER = ("# replylint: findings ignored on purpose, one per line: fingerprint, rule, note.\n"
          "# Written by the editor's \"Ignore this finding\" action; commit this file.\n")
_ENTRY = regex.compile(r"(?P<fingerprint>[0-9a-f]{16})(?:\s+(?P<rule>\S+))?(?:\s+(?P<note>.*))?")


def read_ignore_file(path: Path, root: Path | None = None) -> frozenset[str]:
    """The fingerprints listed in `path`; a missing file lists none.

    The file must be a regular file of at most 1 MB under `root` (default: its own folder),
    so a config's `ignore-file` cannot make replylint read a device or a file elsewhere;
    errors never quote the file's content."""
    text = read_limited_text(path, "ignore-file", root if root is not None else path.parent)
    if text is None:
        return frozenset()
    found = set()
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        entry = _ENTRY.fullmatch(stripped)
        if entry is None:
            raise ConfigError(f"{path}:{number}", "entry", "not an ignore entry",
                              "a 16-hex-digit fingerprint, the rule code, a note")
        found.add(entry.group("fingerprint"))
    return frozenset(found)


def add_ignore_entry(path: Path, fingerprint: str, rule: str, note: str = "") -> bool:
    """Append an entry (creating the file with its header); False when it was already there.

    A rule with a space or control character is a ValueError: one entry must stay one line.
    The note is folded onto one printable line. The file is rewritten atomically over the
    bytes read here, so an edit saved meanwhile is kept (WriteError, an OSError, instead)."""
    from replylint.inputs.files import Source, decode
    from replylint.safewrite import ABSENT, read_for_update, write_atomic

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
