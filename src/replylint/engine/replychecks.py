"""Reply-level checks: the structure family's rules, run once per reply.

A phrase rule looks at words; a reply-level rule (a rule file with a `reply:` block, see
docs/coaching.md) looks at the moves a whole reply makes: a refusal, a policy, an apology,
an alternative, a check-back. Moves are patterns of the rule language, kept once per
language in shared lists (`rules/<lang>/_lists/move-*.yaml`). A rule applies to a reply of a
paragraph or more that makes one of its `when` moves, and reports when the reply makes none
of its `missing` moves (or, with `share`, when that share of its sentences make a `when`
move). The finding points at the sentence that triggered it, or at the reply's last
sentence, and offers a sentence to insert after it (a suggestion with start == end).

With the customer's message (thread context, threadcontext.py), a rule with `context`
moves applies only when that message makes one of them (an upset customer: acknowledgement
expected), and one with `unanswered` reports a customer question the reply never takes up.
Without it those rules stay silent and every other rule runs as before.

Like the engine, this module knows nothing of the CLI or any editor: lint.py calls
`check_reply` for each reply's prose, beside the phrase rules.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from .config import Config
from .matching import CompiledRules, match_key
from .model import Finding, PointAt, Rule, Suggestion
from .normalize import fold
from .paragraph_cache import ParagraphCache, matched
from .positions import LineIndex, normalize_quotes
from .ruleset import load_rules
from .selection import rule_severity, rule_wanted
from .threadcontext import ThreadContext, move_probe, read_context, takes_up

WORD = regex.compile(r"\w+(?:['’]\w+)*")
FRAME_WORDS = 4  # a greeting or sign-off line: at most this many words, no closing . or ?
FRAME_COMMA_WORDS = 6  # …or at most this many ending in a comma ("Thanks for bearing with us,")
CLOSING_WORDS = 3  # a last sentence this short ("Thank you.") is a closing: a check-back goes before it
SHOWN_CHARS = 60  # `{match}` in a message: the sentence, cut to this many characters
_AFTER_ALL = 1 << 62  # past any offset: bisects to the last sentence starting at or before one


@dataclass(frozen=True)
class _Moves:
    """The moves of a language's reply-level rules, compiled into one matcher: each distinct
    move has a key, each rule knows the keys of its `when` and `missing` moves."""

    compiled: CompiledRules
    keys: dict[tuple[str, str, int], str]  # (rule code, "when" | "missing", index) -> probe code


def reply_rules(lang: str, folders: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """The reply-level rules of a language (its structure rules with a `reply:` block)."""
    return _reply_rules(lang, tuple(folders))


@lru_cache(maxsize=32)
def _reply_rules(lang: str, folders: tuple[str, ...]) -> tuple[Rule, ...]:
    return tuple(rule for rule in load_rules(lang, folders).rules if rule.reply is not None)


@lru_cache(maxsize=32)
def _moves(lang: str, folders: tuple[str, ...]) -> _Moves:
    probes: dict[tuple[str, object], Rule] = {}
    keys: dict[tuple[str, str, int], str] = {}
    for rule in _reply_rules(lang, folders):
        assert rule.reply is not None
        for side, moves in (("when", rule.reply.when), ("missing", rule.reply.missing),
                            ("answered", rule.reply.answered_by)):
            for i, move in enumerate(moves):
                identity = (move.name, None) if move.name else ("", move.patterns)
                if identity not in probes:
                    probes[identity] = move_probe(f"MOVE{len(probes)}", move, rule)
                keys[(rule.code, side, i)] = probes[identity].code
    return _Moves(CompiledRules(lang, tuple(probes.values())), keys)


@dataclass(frozen=True)
class Shape:
    """A reply's body: its sentences (spans in the checked text) without the greeting and
    sign-off lines around it, and its number of words."""

    sentences: tuple[tuple[int, int], ...]
    words: int

    words_in: tuple[int, ...] = ()  # words of each sentence

    @property
    def last(self) -> tuple[int, int] | None:
        """The last sentence that says something: a closing "Thank you." or "Sekian, terima kasih."
        (at most CLOSING_WORDS words) after it is passed over, so a check-back goes before it."""
        for span, words in zip(reversed(self.sentences), reversed(self.words_in), strict=True):
            if words > CLOSING_WORDS:
                return span
        return self.sentences[-1] if self.sentences else None

    def index(self, offset: int) -> int | None:
        """The body sentence holding `offset`, or None (a greeting, a sign-off)."""
        i = bisect_right(self.sentences, (offset, _AFTER_ALL)) - 1  # sentences are in order, apart
        return i if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1] else None


def _frame_line(line: str) -> bool:
    """A greeting or sign-off line: "Hi Anna,", "Kind regards,", "Bob", "The Support Team",
    "Thanks for bearing with us,"."""
    stripped = line.strip()
    words = len(WORD.findall(stripped))
    return bool(stripped) and ((words <= FRAME_WORDS and not stripped.endswith((".", "?")))
                               or (words <= FRAME_COMMA_WORDS and stripped.endswith(",")))


def shape(text: str, sentences: list[tuple[int, int]]) -> Shape:
    """The body of a reply: from its first line that is not a greeting to its last line that
    is not a sign-off; sentences are trimmed of spaces and need a word."""
    lines = [(m.start(), m.end()) for m in regex.finditer(r"[^\n]+", text)]
    content = [(s, e) for s, e in lines if text[s:e].strip()]
    while content and _frame_line(text[slice(*content[0])]) and len(content) > 1:
        content.pop(0)
    while content and _frame_line(text[slice(*content[-1])]) and len(content) > 1:
        content.pop()
    if not content:
        return Shape((), 0)
    begin, finish = content[0][0], content[-1][1]
    body: list[tuple[int, int]] = []
    counts: list[int] = []
    for start, end in sentences:
        start, end = max(start, begin), min(end, finish)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        words = len(WORD.findall(text, start, end)) if start < end else 0
        if words:
            body.append((start, end))
            counts.append(words)
    return Shape(tuple(body), sum(counts), tuple(counts))


def check_reply(text: str, lang: str, config: Config | None = None, context: str = "",
                cache: ParagraphCache | None = None) -> list[Finding]:
    """The reply-level findings for one reply's prose, sorted by position then rule code;
    `context` is the customer's message it answers, when known; `cache`: see check_text."""
    config = config or Config()
    rules = [rule for rule in reply_rules(lang, config.rule_folders) if rule_wanted(rule, config)]
    thread = read_context(context, lang, tuple(config.rule_folders)) if context else None
    rules = [rule for rule in rules if rule.reply is not None
             and (not rule.reply.context or (thread is not None and thread.makes(rule.reply.context)))]
    if not rules:
        return []
    words = len(WORD.findall(text))
    rules = [rule for rule in rules if rule.reply is not None and words >= rule.reply.min_words]
    if not rules:
        return []  # the quick way out for short replies: nothing tokenized
    moves = _moves(lang, tuple(config.rule_folders))
    folded = fold(text)
    normalized = normalize_quotes(folded.text)
    sentences, hits, _ = matched(moves.compiled, normalized, cache)
    body = shape(normalized, sentences)
    lines = LineIndex(text)
    findings = []
    for rule in rules:
        question = _unanswered(rule, thread, normalized) if rule.reply and rule.reply.unanswered else None
        if rule.reply and rule.reply.unanswered and question is None:
            continue
        span = _judge(rule, body, hits, moves, thread)
        if span is not None:
            findings.append(_finding(rule, span, body, hits, moves, folded, lines, config, question or "", thread))
    return sorted(findings, key=lambda f: (f.start, f.end, f.rule))


def _starts(rule: Rule, side: str, hits: dict, moves: _Moves) -> list[int]:
    """Where the rule's `side` moves were found (start offsets), in order."""
    assert rule.reply is not None
    count = len({"when": rule.reply.when, "missing": rule.reply.missing, "answered": rule.reply.answered_by}[side])
    return sorted(h.start for i in range(count) for h in hits.get(match_key(moves.keys[(rule.code, side, i)]), ()))


def _trigger_sentences(rule: Rule, body: Shape, hits: dict, moves: _Moves,
                       thread: ThreadContext | None = None) -> list[int]:
    """The body sentences (indexes, in order) holding a `when` move, but for those that answer
    the customer's question (the rule's `answered` moves, with thread context)."""
    assert rule.reply is not None
    found = {body.index(start) for start in _starts(rule, "when", hits, moves)}
    if thread is not None and rule.reply.answered_by and thread.makes(rule.reply.answered_context):
        found -= {body.index(start) for start in _starts(rule, "answered", hits, moves)}
    return sorted(i for i in found if i is not None)


def _unanswered(rule: Rule, thread: ThreadContext | None, reply: str) -> str | None:
    """The customer's first question (a sentence of their message making one of the rule's
    `context` moves) whose topic words the reply takes up none of, or None."""
    assert rule.reply is not None
    if thread is None:
        return None
    for span in thread.sentences_making(rule.reply.context):
        words = thread.topic_words(span, rule.reply.unanswered)
        if words and not takes_up(reply, words):
            return thread.text[span[0]:span[1]].strip()
    return None


def _judge(rule: Rule, body: Shape, hits: dict, moves: _Moves,
           thread: ThreadContext | None = None) -> tuple[int, int] | None:
    """The span the rule's finding points at, or None when the reply passes it. A rule
    without `when` moves (one that applies on the customer's message alone) has no trigger:
    its finding points at the reply's first sentence unless it asks for the last."""
    check = rule.reply
    assert check is not None
    if body.words < check.min_words or len(body.sentences) < check.min_sentences:
        return None
    triggers = _trigger_sentences(rule, body, hits, moves, thread)
    if check.when and not triggers:
        return None
    if check.missing and _starts(rule, "missing", hits, moves):
        return None
    if check.share is not None and len(triggers) < check.share * len(body.sentences):
        return None
    if check.point_at is PointAt.LAST_LINE:
        return body.last
    if check.point_at is PointAt.FIRST_LINE or not triggers:
        return body.sentences[0]
    return body.sentences[triggers[0]]


def _shorten(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1].rstrip() + "…"


def _finding(rule: Rule, span: tuple[int, int], body: Shape, hits: dict, moves: _Moves, folded,
             lines: LineIndex, config: Config, question: str = "", thread: ThreadContext | None = None) -> Finding:
    assert rule.reply is not None
    shown = folded.text[span[0]:span[1]]
    short = _shorten(shown)
    count = len(_trigger_sentences(rule, body, hits, moves, thread))
    message = (rule.message.replace("{match}", short).replace("{count}", str(count))
               .replace("{sentences}", str(len(body.sentences))).replace("{question}", _shorten(question)))
    start, end = folded.span(*span)
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    glue = " " if shown[-1:] in ".!?:;…)\"'" else ". "
    # A sentence already in the reply is not offered again: `fix --unsafe` inserts it once, even
    # for a check it does not cure on its own (negative framing measures a share of sentences).
    offered = (sentence.replace("{question}", question) for sentence in rule.reply.add)
    suggestions = [Suggestion(glue + sentence, end, end, False) for sentence in offered
                   if sentence not in folded.text]
    return Finding(
        rule=rule.code, name=rule.name, family=rule.family.value, severity=rule_severity(rule, config).value,
        message=message, why=rule.why, start=start, end=end, line=line, column=column,
        suggestions=suggestions, matched=folded.original[start:end], end_line=end_line, end_column=end_column,
        lang=rule.lang,
    )
