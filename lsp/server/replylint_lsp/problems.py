"""A broken config file, shown where it is broken: a diagnostic on the file itself."""
from __future__ import annotations

from pathlib import Path

import regex
from lsprotocol import types

_LINE = regex.compile(r"\bline (\d+)")
_KEY = regex.compile(r": (?P<key>[\w.-]+): ")


def config_problem_diagnostic(path: Path, message: str) -> types.Diagnostic:
    """An error diagnostic on the line the message names (a TOML line or the bad key's line)."""
    line = 0
    if found := _LINE.search(message):
        line = int(found.group(1)) - 1
    elif (key := _KEY.search(message)) is not None:
        name = key.group("key").split(".")[0]
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        line = next((i for i, text in enumerate(lines) if regex.match(rf"\s*\"?{regex.escape(name)}\"?\s*=", text)),
                    0)
    at = types.Position(line=max(line, 0), character=0)
    end = types.Position(line=max(line, 0), character=1000)
    return types.Diagnostic(range=types.Range(start=at, end=end), message=message,
                            severity=types.DiagnosticSeverity.Error, source="replylint")
