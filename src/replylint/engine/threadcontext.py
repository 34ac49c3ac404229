"""Thread context: what the customer's message says, for the checks that read a reply against it.

A reply is judged better with the message it answers: a "No, …" that answers the customer's
yes/no question with a plain fact is an answer, not a refusal; an angry message makes an
acknowledgement expected; a question the reply never takes up is a gap. The customer's
message comes from the quoted part of an e-mail reply, a ticket export's customer turns,
`--context FILE` or the API's `context` argument (docs/coaching.md#thread-context).

What counts as a yes/no question, an upset message or a question is data: the moves that
rules name under `context` (`rules/<lang>/_lists/context-*.yaml`), run here over the
customer's text with the same matcher as every rule. Like the engine, this module knows
nothing of the CLI or any editor.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from .matching import CompiledRules, match_key
from .model import Anchor, Examples, Family, FlaggedExample, Move, Patterns, Rule, Severity
from .normalize import fold
from .positions import normalize_quotes
from .ruleset import load_rules

WORD = regex.compile(r"\w+(?:['’]\w+)*")
TOPIC_MIN_CHARS = 3  # shorter words ("is", "om", "ja") carry no topic
STEM_CHARS = 5  # a topic word is taken up when its first letters appear in the reply ("refund" → "refunded")
ANSWER_SHARE = 0.5  # a question counts as answered when the reply takes up this share of its topic words (at least one)
MAX_CONTEXT_CHARS = 20_000  # the customer's message is read up to here: a long thread's last words matter most
QUOTE_MARKS = regex.compile(r"(?m)^[ \t]*(?:>[ \t]?)+")  # "> > Do you…?" in a quoted e-mail history


def pattern_probe(code: str, name: str, patterns: Patterns, lang: str, path: str) -> Rule:
    """Patterns (a move, a shared list) as a rule the matcher can run, as shared lists are
    tested (rulelists.example_problems); the reply score's move lists use it too."""
    return Rule(code=code, name=name, family=Family.STRUCTURE, severity=Severity.INFO, lang=lang, message="{match}",
                why="", match=patterns, anchor=Anchor.ANYWHERE, unless=(), rewrites=(),
                examples=Examples(flagged=(FlaggedExample(text="[[x]]"),), allowed=(), instead=()), path=path)


def move_probe(code: str, move: Move, owner: Rule) -> Rule:
    """A move of `owner` as a rule the matcher can run."""
    return pattern_probe(code, move.name or f"{owner.name}-move", move.patterns, owner.lang, owner.path)


def move_identity(move: Move) -> object:
    """A move's identity: its list's name, or its own patterns."""
    return move.name or move.patterns


@dataclass(frozen=True)
class _ContextMoves:
    """Every move a language's rules look for in the customer's message, compiled into one matcher."""

    compiled: CompiledRules
    keys: dict[object, str]  # move identity -> probe code


def context_moves(rules: Iterable[Rule]) -> list[tuple[Move, Rule]]:
    """The moves rules look for in the customer's message: phrase rules' `unless … context`,
    reply-level rules' `context`, `unanswered` and `answered.context` moves."""
    found = []
    for rule in rules:
        for exc in rule.unless:
            found.extend((move, rule) for move in exc.context)
        if rule.reply is not None:
            found.extend((move, rule) for move in (*rule.reply.context, *rule.reply.unanswered,
                                                    *rule.reply.answered_context))
    return found


@lru_cache(maxsize=32)
def _compiled(lang: str, folders: tuple[str, ...]) -> _ContextMoves | None:
    probes: dict[object, Rule] = {}
    for move, rule in context_moves(load_rules(lang, folders).rules):
        identity = move_identity(move)
        if identity not in probes:
            probes[identity] = move_probe(f"CONTEXT{len(probes)}", move, rule)
    if not probes:
        return None
    return _ContextMoves(CompiledRules(lang, tuple(probes.values())), {k: p.code for k, p in probes.items()})


@dataclass(frozen=True)
class ThreadContext:
    """The customer's message as the checks see it: its text (whitespace folded, quotes
    straightened), its sentences, and where each context move was found in it."""

    text: str
    sentences: tuple[tuple[int, int], ...]
    hits: dict[object, tuple[tuple[int, int], ...]]  # move identity -> spans

    def makes(self, moves: Iterable[Move]) -> bool:
        """Whether the customer's message makes any of `moves`."""
        return any(self.hits.get(move_identity(move)) for move in moves)

    def sentences_making(self, moves: Iterable[Move]) -> list[tuple[int, int]]:
        """The sentences (spans in `text`, in order) holding one of `moves`."""
        starts = {start for move in moves for start, _ in self.hits.get(move_identity(move), ())}
        return [span for span in self.sentences if any(span[0] <= s < span[1] for s in starts)]

    def topic_words(self, span: tuple[int, int], common: Iterable[Move]) -> list[str]:
        """The words of one sentence that carry its topic: not one the `common` moves match
        ("can", "you", "please"), and at least TOPIC_MIN_CHARS letters."""
        covered = [hit for move in common for hit in self.hits.get(move_identity(move), ())]
        return [m.group() for m in WORD.finditer(self.text, *span)
                if len(m.group()) >= TOPIC_MIN_CHARS and not any(s <= m.start() and m.end() <= e for s, e in covered)]


def read_context(text: str, lang: str, folders: tuple[str, ...] = ()) -> ThreadContext | None:
    """The customer's message read for the rules of `lang`; None when there is none (or no
    rule of the language looks at it)."""
    if not text or not text.strip():
        return None
    return _read(text[-MAX_CONTEXT_CHARS:], lang, tuple(folders))


@lru_cache(maxsize=64)
def _read(text: str, lang: str, folders: tuple[str, ...]) -> ThreadContext | None:
    moves = _compiled(lang, folders)
    if moves is None:
        return None
    normalized = normalize_quotes(fold(QUOTE_MARKS.sub("", text)).text)
    doc, hits = moves.compiled.run(normalized)
    sentences = tuple((s.start_char, s.end_char) for s in doc.sents if s.text.strip())
    found = {identity: tuple((h.start, h.end) for h in hits.get(match_key(code), ()))
             for identity, code in moves.keys.items()}
    return ThreadContext(normalized, sentences, {k: v for k, v in found.items() if v})


def takes_up(reply: str, words: list[str]) -> bool:
    """Whether the reply takes up the customer's question: ANSWER_SHARE of its topic words
    (at least one; "where is the parcel I ordered two weeks ago" is not answered by a reply
    that only says "order"). A word is taken up when its first STEM_CHARS letters appear
    anywhere in the reply (so "refund" meets "refunded", Swedish "leverans" meets
    "hemleveransen", Malay "hantar" meets "penghantaran"); a shorter word must start a word."""
    lowered = reply.casefold()
    found = 0
    for word in {w.casefold() for w in words}:
        stem = word[:STEM_CHARS]
        if (stem in lowered) if len(stem) >= STEM_CHARS else regex.search(rf"\b{regex.escape(stem)}", lowered):
            found += 1
    return found >= max(1, int(len({w.casefold() for w in words}) * ANSWER_SHARE))
