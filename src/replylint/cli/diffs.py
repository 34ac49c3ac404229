"""Unified diffs that `patch` and `git apply` accept, for `fix --diff`.

difflib alone leaves a last line without its newline glued to the next diff line, and splits
lines at characters (U+2028, form feed, a lone CR) that `patch` does not see as line ends.
Here lines end at "\\n" only, and a last line without one is followed by the marker
`\\ No newline at end of file`, as diff and git print it.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterator

NO_NEWLINE = "\\ No newline at end of file\n"


def lines_of(text: str) -> list[str]:
    """The lines of `text` as `patch` counts them: ended by "\\n" (kept), the last maybe not."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(old: str, new: str, fromfile: str, tofile: str) -> Iterator[str]:
    """The diff from `old` to `new`, line by line, each line ending with "\\n"."""
    for line in difflib.unified_diff(lines_of(old), lines_of(new), fromfile=fromfile, tofile=tofile):
        if line.endswith("\n"):
            yield line
        else:
            yield line + "\n"
            yield NO_NEWLINE
