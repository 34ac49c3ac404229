"""The value types shared by every layer: findings, suggestions, rules and their parts."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How loud a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Family(StrEnum):
    """The stable rule families (docs/rule-codes.md, docs/rules/index.md); every rule belongs to exactly one."""

    BLUNT_NO = "blunt-no"
    YOU_ARE_WRONG = "you-are-wrong"
    BLAME = "blame"
    CANT_DO = "cant-do"
    POLICY_WALL = "policy-wall"
    DEFLECTION = "deflection"
    LAST_WORD = "last-word"
    CONDESCENSION = "condescension"
    COMMANDING = "commanding"
    LEGALESE = "legalese"
    SHOUTING = "shouting"
    CLICHE = "cliche"
    NON_APOLOGY = "non-apology"
    HOSTILITY = "hostility"
    THREAT = "threat"
    DISMISSIVE = "dismissive"
    SARCASM = "sarcasm"
    STRUCTURE = "structure"


class Window(StrEnum):
    """Where an `unless` exception is looked for, relative to the match it may cancel."""

    MATCH = "match"  # the exception's span overlaps the match
    SENTENCE = "sentence"  # anywhere in the match's sentence
    NEXT_SENTENCE = "next-sentence"  # the match's sentence or the one after it
    PREVIOUS_SENTENCE = "previous-sentence"  # the match's sentence or the one before it
    NEARBY = "nearby"  # previous, same or next sentence
    LATER = "later"  # the match's sentence or any after it in the reply ("…; what I can do is")
    REPLY = "reply"  # anywhere in the reply being checked


class Anchor(StrEnum):
    """Where in its sentence a match may start."""

    ANYWHERE = "anywhere"
    SENTENCE_START = "sentence-start"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A replacement for text[start:end]; `safe` rewrites keep the meaning and may be auto-applied.

    A deletion names the words it removes in `deletes`: its span may reach past them (the space
    after, the next letter re-capitalised: "No, we" becomes "We", replacement "W"), so the
    replacement alone would misdescribe it."""

    replacement: str
    start: int
    end: int
    safe: bool
    deletes: str = ""

    @property
    def title(self) -> str:
        """What applying it does, for people: `Delete “No,”`, `Insert “…”` or `Replace with “…”`."""
        if self.deletes:
            return f"Delete “{self.deletes}”"
        if self.start == self.end:
            return f"Insert “{self.replacement.strip()}”"
        return f"Replace with “{self.replacement}”" if self.replacement else "Delete it"


@dataclass(frozen=True, slots=True)
class Finding:
    """One risky phrasing found in a reply, with exact offsets into the text that was checked."""

    rule: str
    name: str
    family: str
    severity: str
    message: str
    why: str
    start: int
    end: int
    line: int
    column: int
    suggestions: list[Suggestion] = field(default_factory=list)
    matched: str = ""
    end_line: int = 0
    end_column: int = 0
    response: str = ""  # the canned response's id or title, in a bundle
    fingerprint: str = ""  # rule + matched words + surrounding words; stable under edits elsewhere
    lang: str = ""  # the language whose rules made it (detected when checking with lang="auto")
    also: list[str] = field(default_factory=list)  # "RL015 legalese": other rules merged into this one on the same span


@dataclass(frozen=True, slots=True)
class Patterns:
    """The ways a rule (or an exception) can match: phrases, spaCy token patterns, regexes, and
    `says` phrases of the phrase language (phrases.py; stored with shared lists spliced in)."""

    phrases: tuple[str, ...] = ()
    tokens: tuple[tuple[dict, ...], ...] = ()
    regex: tuple[str, ...] = ()
    says: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.phrases or self.tokens or self.regex or self.says)


@dataclass(frozen=True, slots=True)
class Move:
    """A move a reply makes (a refusal, an apology, a check-back): a shared list by name, or
    patterns of the rule's own (`name` is then "")."""

    name: str
    patterns: Patterns


@dataclass(frozen=True, slots=True)
class Unless:
    """An `unless` clause: patterns that cancel a match when found within `window`; with
    `context`, only when the customer's message (thread context) makes one of those moves."""

    patterns: Patterns
    window: Window
    example: str
    line: int = 0
    context: tuple[Move, ...] = ()


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A replacement template for the matched span; `{match}` and named regex groups fill in."""

    replace: str
    safe: bool


@dataclass(frozen=True, slots=True)
class FlaggedExample:
    """A sentence the rule must flag: `text` has the span marked [[like this]]; `fixed` is after the first rewrite."""

    text: str
    fixed: str | None = None


@dataclass(frozen=True, slots=True)
class Examples:
    flagged: tuple[FlaggedExample, ...]
    allowed: tuple[str, ...]
    instead: tuple[str, ...]


class PointAt(StrEnum):
    """Where a reply-level finding points: the sentence that triggered it, or the reply's last
    or first line."""

    TRIGGER = "trigger"
    LAST_LINE = "last-line"
    FIRST_LINE = "first-line"


@dataclass(frozen=True, slots=True)
class ReplyCheck:
    """A reply-level rule's `reply:` block (replychecks.py runs it once per reply).

    The rule applies to a reply of at least `min_words` words in `min_sentences` sentences
    that makes one of the `when` moves; it reports when none of the `missing` moves is
    anywhere in the reply, or (with `share`) when at least that share of the reply's
    sentences make a `when` move. `add` holds sentences offered for insertion.

    Thread context (the customer's message, docs/coaching.md#thread-context): with `context`,
    the rule applies only when the customer's message makes one of those moves (`when` may
    then be empty: any reply long enough); with `unanswered`, it reports the first of the
    customer's questions (context sentences making a `context` move) that the reply takes up
    none of the words of, leaving out the words the `unanswered` moves match (topic-free
    words such as "can", "you", "please"). With `answered_by`, a sentence making one of those
    moves, when the customer's message makes an `answered_context` move, answers the customer
    and triggers nothing ("No, our nearest shop is in Leeds." after "Do you have a shop in
    Manchester?")."""

    when: tuple[Move, ...]
    missing: tuple[Move, ...] = ()
    share: float | None = None
    min_words: int = 25
    min_sentences: int = 2
    point_at: PointAt = PointAt.TRIGGER
    add: tuple[str, ...] = ()
    context: tuple[Move, ...] = ()
    unanswered: tuple[Move, ...] = ()
    answered_context: tuple[Move, ...] = ()
    answered_by: tuple[Move, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as loaded from its YAML file."""

    code: str
    name: str
    family: Family
    severity: Severity
    lang: str
    message: str
    why: str
    match: Patterns
    anchor: Anchor
    unless: tuple[Unless, ...]
    rewrites: tuple[Rewrite, ...]
    examples: Examples
    path: str
    summary: str = ""
    shared: bool = False  # from the language-independent pack (rules/xx), run for every language
    reply: ReplyCheck | None = None  # a reply-level (structure) rule: no `match`, see replychecks.py

    @property
    def headline(self) -> str:
        """What the rule flags, in one line: its `summary`, else its message with `…` for the match
        (the rule table, its docs page, SARIF's short description and the editor's hover)."""
        return self.summary or self.message.replace("{match}", "…")
