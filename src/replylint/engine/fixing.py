"""Applying suggestions to a text: safe ones by default, all of them on request."""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from .model import Finding, Suggestion
from .spans import without_overlaps

MAX_PASSES = 32  # one pass removes one of a stack of openers ("Obviously, clearly, …"); more is a runaway


def chosen_edits(findings: list[Finding], unsafe: bool) -> list[Suggestion]:
    """The first applicable suggestion of each finding, without overlaps, in text order."""
    edits: list[Suggestion] = []
    for finding in findings:
        for s in finding.suggestions:
            if s.safe or unsafe:
                edits.append(s)
                break
    return without_overlaps(sorted(edits, key=lambda s: (s.start, s.end)))


def apply_edits(text: str, edits: list[Suggestion]) -> str:
    """Apply non-overlapping edits (sorted by start) in one pass."""
    out, pos = [], 0
    for edit in edits:
        out.append(text[pos:edit.start])
        out.append(edit.replacement)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def fix_text(text: str, find: Callable[[str], list[Finding]], unsafe: bool = False) -> str:
    """Apply fixes, re-checking after each pass, until nothing is left to fix.

    A rewrite can uncover the next finding (removing "Obviously," leaves "Clearly," at the
    sentence start), so one run goes on to a fixed point. Rules whose rewrites undo each
    other would cycle: a pass that gives back a text already seen ends the run, as does
    MAX_PASSES, keeping the last new text either way.
    """
    seen = {_digest(text)}
    for _ in range(MAX_PASSES):
        edits = chosen_edits(find(text), unsafe)
        if not edits:
            break
        fixed = apply_edits(text, edits)
        digest = _digest(fixed)
        if digest in seen:
            break
        seen.add(digest)
        text = fixed
    return text


def _digest(text: str) -> bytes:
    """Small stand-in for a whole text, so the cycle guard keeps no copies of big files."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
