"""`replylint fix` on one input: rewrite the file (or print it, or its diff), then count what
is left, so the command can say what it did not fix and what `--unsafe` would add."""
from __future__ import annotations

import sys
from dataclasses import dataclass

import replylint

from .report.findings import fixable, unsafe_only
from .runner import Settings


@dataclass
class FixTally:
    """What a fix run did, over all its inputs."""

    changed: int = 0  # inputs whose text changed
    left: int = 0  # findings still there after the fixes
    unsafe_more: int = 0  # of those, how many `--unsafe` would rewrite

    def add(self, before: str, after: str, settings: Settings, fmt: str, unsafe: bool) -> None:
        """Count one input: whether it changed, and the findings left in `after`."""
        self.changed += int(after != before)
        left = replylint.check(after, lang=settings.lang, config=settings.config, format=fmt)
        self.left += len(left)
        if not unsafe:
            self.unsafe_more += sum(1 for f in left if unsafe_only(f) or fixable(f))

    def summary(self, diff: bool, unsafe: bool) -> str:
        """One line for standard error: `fixed 2 files; 5 findings left: 3 fixable with --unsafe, 2 to
        reword by hand` (with --diff: `would change …`, counted after the changes shown)."""
        verb = "would change" if diff else "fixed"
        line = f"{verb} {self.changed} file{'s' if self.changed != 1 else ''}"
        if not self.left:
            return line + "; no findings left"
        line += f"; {self.left} finding{'s' if self.left != 1 else ''} left"
        by_hand = self.left - (0 if unsafe else self.unsafe_more)
        if unsafe or not self.unsafe_more:
            return line + " to reword by hand"
        if not by_hand:
            return line + f", {'all' if self.left > 1 else 'it'} fixable with --unsafe"
        return line + f": {self.unsafe_more} fixable with --unsafe, {by_hand} to reword by hand"


def fix_file(path: str, fmt: str, settings: Settings, unsafe: bool, diff: bool, tally: FixTally) -> None:
    """Fix one file from the bytes on disk now; they are the `expected` of the write, so an
    edit saved in the meantime is refused, not overwritten."""
    from replylint.errors import WriteError
    from replylint.inputs.files import decode
    from replylint.safewrite import read_for_update, write_atomic

    from .diffs import unified_diff

    original = read_for_update(path)
    if original is None:
        raise WriteError(path, "was removed since it was read; not written")
    source = decode(original, path)  # as `check` reads it; the encoding and BOM are kept for the write
    text = source.text
    fixed = replylint.fix(text, lang=settings.lang, unsafe=unsafe, config=settings.config, format=fmt)
    if fixed != text:
        if diff:
            bom = "\ufeff" if source.bom and source.encoding == "utf-8" else ""  # in the first line, as patch sees it
            sys.stdout.writelines(unified_diff(bom + text, bom + fixed, f"a/{path}", f"b/{path}"))
        else:
            write_atomic(path, source.encode(fixed), expected=original)
    tally.add(text, fixed, settings, fmt, unsafe)


def fix_stdin(text: str, fmt: str, settings: Settings, unsafe: bool, diff: bool, tally: FixTally,
              shown: str = "<stdin>") -> None:
    """`fix -`: the fixed text (or with --diff the diff) goes to stdout; no file is written."""
    from .diffs import unified_diff

    fixed = replylint.fix(text, lang=settings.lang, unsafe=unsafe, config=settings.config, format=fmt)
    if diff:
        sys.stdout.writelines(unified_diff(text, fixed, f"a/{shown}", f"b/{shown}"))
    else:
        sys.stdout.write(fixed)
    tally.add(text, fixed, settings, fmt, unsafe)
