"""The reply score: 0–100 for one reply, by step, minus its risk findings.

Four of the seeds' five steps can be seen in a reply's words: acknowledge, clarify, resolve
and check back (strategy cannot). The arithmetic is kept simple so a team can redo it by hand
(docs/coaching.md#the-reply-score):

- each step is worth STEP_POINTS (25): earned when the reply makes the step's move, or when
  the reply does not need the step (a reply with no bad news, to a customer who is not upset,
  has nothing to acknowledge);
- each risk finding in the reply then takes points by its severity (after config): error 15,
  warning 10, info 2. Structure findings take none: what they report is already in the steps;
- the total is the sum, never below 0.

Which words make a move is data: the packs' shared lists (`rules/<lang>/_lists/move-*.yaml`),
named here. Like the engine, this module knows nothing of the CLI or any editor.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from .model import Family, Finding, Severity

if TYPE_CHECKING:
    from .matching import CompiledRules
    from .paragraph_cache import ParagraphCache

# The matcher, the normaliser and the list loader are imported where used: `import replylint`
# (which exports ReplyScore) stays quick.

STEP_POINTS = 25
DEDUCTIONS = {Severity.ERROR: 15, Severity.WARNING: 10, Severity.INFO: 2}
WORD = regex.compile(r"\w")


class StepStatus(StrEnum):
    """How a step was judged: made (its move is in the reply), missing, or not needed."""

    MADE = "made"
    MISSING = "missing"
    NOT_NEEDED = "not-needed"


@dataclass(frozen=True, slots=True)
class StepScore:
    """One step of a reply's score: `points` of `out_of`, and why (`status`)."""

    name: str  # "acknowledge", "clarify", "resolve" or "check-back"
    points: int
    out_of: int
    status: str  # a StepStatus value

    def describe(self) -> str:
        """The step as the summary shows it: "acknowledge 0/25 (missing)", "resolve 25/25"."""
        note = "" if self.status == StepStatus.MADE else f" ({self.status.replace('-', ' ')})"
        return f"{self.name.replace('-', ' ')} {self.points}/{self.out_of}{note}"


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points a risk finding takes from its reply's score."""

    rule: str
    name: str
    severity: str
    points: int
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ReplyScore:
    """The score of one reply (a file's prose, or one response of a bundle): `total` is the sum
    of the steps' points less the deductions, at least 0. `line`, `column`, `start` and `end`
    place the reply in the text (its first and last word)."""

    total: int
    steps: tuple[StepScore, ...]
    deductions: tuple[Deduction, ...]
    line: int = 1
    column: int = 1
    start: int = 0
    end: int = 0
    response: str = ""  # in a bundle, the canned response's id or title
    lang: str = ""  # the language whose move lists were read

    def without(self, dropped: set[tuple[str, int, int]]) -> ReplyScore:
        """The score with the deductions of the dropped findings (rule, line, column) given back:
        a baselined finding is accepted for now, so, like a suppressed one, it takes nothing."""
        kept = tuple(d for d in self.deductions if (d.rule, d.line, d.column) not in dropped)
        if len(kept) == len(self.deductions):
            return self
        total = max(0, sum(step.points for step in self.steps) - sum(d.points for d in kept))
        return replace(self, total=total, deductions=kept)

    def summary(self) -> str:
        """One line a team can check by hand:
        "score 62/100: acknowledge 0/25 (missing), …; findings -13 (RL101 warning -10, …)"."""
        steps = ", ".join(step.describe() for step in self.steps)
        if not self.deductions:
            return f"score {self.total}/100: {steps}"
        taken = sum(d.points for d in self.deductions)
        each = ", ".join(f"{d.rule} {d.severity} -{d.points}" for d in self.deductions)
        return f"score {self.total}/100: {steps}; findings -{taken} ({each})"


@dataclass(frozen=True)
class _Step:
    """A step: needed when the reply makes a `needed_if` move and none of `not_needed_if`, or
    when the customer's message (thread context) makes a `customer_needs` move; made when the
    reply makes a `made_by` move. Moves are shared lists by name; a pack without a list
    simply has no such move."""

    name: str
    needed_if: tuple[str, ...]
    not_needed_if: tuple[str, ...]
    made_by: tuple[str, ...]
    customer_needs: tuple[str, ...] = ()


BAD_NEWS = ("move-refusal", "move-bad-news")
RESOLVING = ("move-resolution", "move-alternative", "alternative-offered")
STEPS = (
    _Step("acknowledge", BAD_NEWS, (), ("move-acknowledgement", "apology-owned"), customer_needs=("context-upset",)),
    # With nothing to offer yet, find out more: a reply that resolves does not need to ask.
    _Step("clarify", BAD_NEWS, RESOLVING, ("move-clarify",)),
    _Step("resolve", BAD_NEWS, (), RESOLVING),
    _Step("check-back", ("move-resolution",), (), ("move-check-back",)),
)
SCORE_LISTS = tuple(sorted({name for step in STEPS
                           for name in (*step.needed_if, *step.not_needed_if, *step.made_by, *step.customer_needs)}))


@lru_cache(maxsize=32)
def _probes(lang: str, folders: tuple[str, ...]) -> CompiledRules | None:
    """The score's lists of a language as one matcher (a probe rule per list, its code the
    list's name); None for a language without the moves (no rule pack)."""
    from .matching import CompiledRules
    from .ruleset import load_rules
    from .threadcontext import pattern_probe

    lists = load_rules(lang, folders).lists  # kept in the rule cache: no list file parsed at start
    if lists.get("move-refusal") is None:
        return None
    probes = tuple(pattern_probe(name, name, patterns, lang, _list_path(name, lang, folders)) for name in SCORE_LISTS
                   if (patterns := lists.get(name)) is not None)
    return CompiledRules(lang, probes)


def _list_path(name: str, lang: str, folders: tuple[str, ...]) -> str:
    """Where a list comes from: a rule folder's own file wins over the bundled one (its
    regexes then run with the time limit of a team's patterns)."""
    from .packs import bundled_rules_dir
    from .rulelists import LIST_FOLDER

    for folder in reversed(folders):
        own = Path(folder) / lang / LIST_FOLDER / f"{name}.yaml"
        if own.is_file():
            return str(own)
    return str(bundled_rules_dir() / lang / LIST_FOLDER / f"{name}.yaml")


def moves_in(text: str, lang: str, folders: tuple[str, ...] = (),
             cache: ParagraphCache | None = None) -> frozenset[str] | None:
    """The score's moves (list names) the reply makes anywhere in its prose; None when the
    language has no move lists."""
    from .matching import match_key
    from .normalize import fold
    from .paragraph_cache import matched
    from .positions import normalize_quotes

    compiled = _probes(lang, tuple(folders))
    if compiled is None:
        return None
    _, hits, _ = matched(compiled, normalize_quotes(fold(text).text), cache)  # whole when no cache
    return frozenset(name for name in SCORE_LISTS if hits.get(match_key(name)))


def judge_steps(moves: frozenset[str], customer: frozenset[str] = frozenset()) -> tuple[StepScore, ...]:
    """Each step's points for a reply making `moves`, answering a customer message making `customer`."""
    steps = []
    for step in STEPS:
        needed = ((bool(moves.intersection(step.needed_if)) and not moves.intersection(step.not_needed_if))
                  or bool(customer.intersection(step.customer_needs)))
        if moves.intersection(step.made_by):
            status = StepStatus.MADE
        else:
            status = StepStatus.MISSING if needed else StepStatus.NOT_NEEDED
        points = 0 if status is StepStatus.MISSING else STEP_POINTS
        steps.append(StepScore(step.name, points, STEP_POINTS, status.value))
    return tuple(steps)


def deductions_for(findings: list[Finding]) -> tuple[Deduction, ...]:
    """What each risk finding takes, in the findings' order; structure findings take nothing."""
    return tuple(Deduction(f.rule, f.name, f.severity, DEDUCTIONS[Severity(f.severity)], f.line, f.column)
                 for f in findings if f.family != Family.STRUCTURE.value)


def score_reply(text: str, lang: str, findings: list[Finding], folders: tuple[str, ...] = (),
                thread: str = "", cache: ParagraphCache | None = None) -> ReplyScore | None:
    """The score of one reply's prose, given the findings reported in it and the customer's
    message it answers (`thread`, "" when unknown); None for a reply with no words, or in a
    language without move lists (no rule pack)."""
    if not WORD.search(text):
        return None
    moves = moves_in(text, lang, folders, cache)
    if moves is None:
        return None
    customer = (moves_in(thread, lang, folders) or frozenset()) if WORD.search(thread) else frozenset()
    steps = judge_steps(moves, customer)
    deductions = deductions_for(findings)
    total = max(0, sum(s.points for s in steps) - sum(d.points for d in deductions))
    return ReplyScore(total, steps, deductions, lang=lang)
