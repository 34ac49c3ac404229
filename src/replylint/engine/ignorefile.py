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
