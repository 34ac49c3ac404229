"""What the formats say about one finding: the hint shown for it, whether `replylint fix`
rewrites it, and the reply it sits in."""
from __future__ import annotations

from replylint.engine.model import Finding, Suggestion
from replylint.engine.scoring import ReplyScore

from ..results import FileResult


def reply_of(result: FileResult, f: Finding) -> ReplyScore | None:
    """The score of the reply a finding is in (the response holding it, in a bundle)."""
    return next((s for s in result.scores if s.start <= f.start <= s.end), None)


def first_hint(f: Finding) -> Suggestion | None:
    """The suggestion to show for a finding: the one `fix` applies (its first safe one), else its
    first. Its `title` says what it does ("Delete “No,”", "Replace with “…”")."""
    return next((s for s in f.suggestions if s.safe), f.suggestions[0] if f.suggestions else None)


def fixable(f: Finding) -> bool:
    """Whether `replylint fix` (and `check --fix`) rewrites this finding: it has a safe suggestion."""
    return any(s.safe for s in f.suggestions)


def unsafe_only(f: Finding) -> bool:
    """Whether only `fix --unsafe` rewrites this finding."""
    return bool(f.suggestions) and not fixable(f)
