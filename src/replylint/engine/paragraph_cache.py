"""Matching a text piece by piece, each piece's result kept: an editor re-checks a reply on every
keystroke, and most of it has not changed since the last run.

A text is cut into pieces at line breaks (so at every blank line between paragraphs) and, inside
a line, at sentence ends: ". " before a word, where spaCy's tokenizer reads the mark as a token of
its own (so "e.g. the" and "Mr. Smith" are not cut). At such a cut a sentence starts in the
whole text as it does in a piece, every token is the same, and no one-sentence phrase, token
pattern (when `CompiledRules.cuttable`: each item matches words only) or exception can run across
it. So a piece's sentences and hits depend on its own text and the compiled rules, nothing else,
and are kept keyed by exactly that. Phrases that reach a line end (`$`) and raw regexes that
provably stay on one line (regexreach.py) run per line and are kept per line the same way.
What may look across a line runs over the whole text on every run (`CompiledRules.run_whole`):
the other raw regexes (`\\s+`, `\\A`), and their exceptions.

Everything after matching runs over the whole text as before: a rule's anchors and `unless`
windows (the next sentence may be in the next paragraph), the config's select / ignore /
severity / allow, the thread context, the reply-level checks and the score; so config, thread
context and the place of a piece in the reply need no key. Results equal a full run (tested
for every pack, tests/test_paragraph_cache.py); when a run over several pieces finds a cut that
is not safe after all (a hit across it, no sentence starting at it), the caller falls back to
the full run.

A cache keeps the pieces of its document's last check (`begin()` marks a new one), per rule set:
its size follows the document, and 1,000 edits leave it as it was.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import regex

from .matching import MATCH, CompiledRules, Hit

if TYPE_CHECKING:
    from spacy.tokens import Doc

_LINE = regex.compile(r"[^\n]+")
_SENTENCE_END = regex.compile(r"[.!?]+[\"'”’)]* (?=[^\W_])")
MAX_RULE_SETS = 8  # rule sets a document is matched with: rules, look-alike pack, reply moves, score moves
MAX_PIECES = 200_000  # per rule set, when no `begin()` comes: about 10 MB of text
MAX_REMEMBERED_WORDS = 4096  # words before a cut, read by the tokenizer once


@dataclass(frozen=True, slots=True)
class _Line:
    """One line's hits of the regexes that stay on a line, in its own offsets."""

    hits: tuple[tuple[str, tuple[Hit, ...]], ...]
    skipped: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Piece:
    """One piece's matching, in its own offsets."""

    sentences: tuple[tuple[int, int], ...]
    hits: tuple[tuple[str, tuple[Hit, ...]], ...]
    skipped: frozenset[str]


_Held = TypeVar("_Held", _Piece, _Line)


class ParagraphCache:
    """The pieces of one document's last check, per rule set. Not shared between threads.

    `begin()` starts a check (check_document calls it): pieces of the check before stay
    available until the next `begin()`, then go. Without `begin()`, pieces are kept up to
    MAX_PIECES, then all dropped."""

    def __init__(self) -> None:
        self._old: dict[int, dict[str, _Piece]] = {}
        self._new: OrderedDict[int, dict[str, _Piece]] = OrderedDict()
        self._old_lines: dict[int, dict[str, _Line]] = {}
        self._new_lines: OrderedDict[int, dict[str, _Line]] = OrderedDict()
        self._ends: dict[tuple[int, str], bool] = {}
        self._last_spans: tuple[object, str, list[tuple[int, int]]] | None = None
        self.reused = self.matched = 0  # pieces taken from the cache / matched, since created

    def begin(self) -> None:
        """A new check of the document starts: what the last one did not use is dropped after it."""
        self._old, self._new = dict(self._new), OrderedDict()
        self._old_lines, self._new_lines = dict(self._new_lines), OrderedDict()

    def run(self, compiled: CompiledRules, text: str) -> tuple[list[tuple[int, int]], dict[str, list[Hit]]] | None:
        """The sentences and hits `compiled.run(text)` gives (sentences with words only), or None
        when `text` cannot be cut safely (the caller then runs it whole)."""
        if not compiled.cuttable:
            return None
        last = self._last_spans  # the reply checks and the score cut the text the rules just cut
        if last is not None and last[0] is compiled.nlp and last[1] == text:
            spans = last[2]
        else:
            spans = self._pieces(compiled, text)
            self._last_spans = (compiled.nlp, text, spans)
        old, new = _held(self._old, self._new, compiled.serial)
        pieces = [text[a:b] for a, b in spans]
        i = 0
        while i < len(spans):
            piece = new.get(pieces[i]) or old.get(pieces[i])
            if piece is not None:
                new[pieces[i]] = piece
                self.reused += 1
                i += 1
                continue
            j = i + 1  # a run of pieces not seen before is matched at once, then split
            while j < len(spans) and pieces[j] not in old and pieces[j] not in new:
                j += 1
            split = _split(compiled, text, spans[i:j])
            if split is None:
                return None
            new.update(split)
            self.matched += j - i
            i = j
        return _merged(compiled, text, spans, new, self._lines(compiled, text))

    def _lines(self, compiled: CompiledRules, text: str) -> list[tuple[int, _Line]]:
        """Each line's hits of the regexes that stay on one line, where the line starts."""
        old, new = _held(self._old_lines, self._new_lines, compiled.serial)
        placed = []
        for m in _LINE.finditer(text):
            line = m.group()
            known = new.get(line) or old.get(line)
            if known is None:
                hits, skipped = compiled.run_line(line)
                known = _Line(tuple((key, tuple(found)) for key, found in hits.items()), skipped)
            new[line] = known
            placed.append((m.start(), known))
        return placed

    def size(self) -> int:
        """Pieces and lines held (all rule sets, this check's and the last's)."""
        return sum(len(held) for store in (self._new, self._old, self._new_lines, self._old_lines)
                   for held in store.values())

    def _pieces(self, compiled: CompiledRules, text: str) -> list[tuple[int, int]]:
        """Where the pieces are: each line's text, cut again after each safe sentence end."""
        spans: list[tuple[int, int]] = []
        for line in _LINE.finditer(text):
            start, end = line.span()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            for m in _SENTENCE_END.finditer(text, start, end):
                cut = m.end() - 1  # the space
                if self._ends_sentence(compiled, text[max(start, text.rfind(" ", start, cut) + 1):cut]):
                    spans.append((start, cut))
                    start = cut + 1
            if start < end:
                spans.append((start, end))
        return spans

    def _ends_sentence(self, compiled: CompiledRules, word: str) -> bool:
        """Whether spaCy's sentencizer starts a sentence after `word` (a word and its sentence
        mark, as tokenized): its last token that is a mark or not punctuation is a mark."""
        key = (compiled.serial, word)
        known = self._ends.get(key)
        if known is None:
            if len(self._ends) >= MAX_REMEMBERED_WORDS:
                self._ends.clear()
            marks = compiled.nlp.get_pipe("sentencizer").punct_chars
            last = next((t for t in reversed(compiled.nlp.tokenizer(word)) if t.text in marks or not t.is_punct), None)
            known = self._ends[key] = last is not None and last.text in marks
        return known


def _held(old_store: dict[int, dict[str, _Held]], new_store: OrderedDict[int, dict[str, _Held]],
          serial: int) -> tuple[dict[str, _Held], dict[str, _Held]]:
    """A rule set's entries from the last check and this one's (made the most recent rule set;
    at most MAX_RULE_SETS kept, at most MAX_PIECES entries each)."""
    old = old_store.get(serial, {})
    new = new_store.pop(serial, {})
    if len(new) > MAX_PIECES:
        new = {}
    new_store[serial] = new
    while len(new_store) > MAX_RULE_SETS:
        new_store.popitem(last=False)
    return old, new


def _split(compiled: CompiledRules, text: str, spans: list[tuple[int, int]]) -> dict[str, _Piece] | None:
    """Pieces in a row, matched as one text and split at the cuts; None when a hit or a sentence
    runs across a cut, or a piece does not start a sentence (the cut was not safe)."""
    base = spans[0][0]
    sentences, hits, skipped = compiled.run_piece(text[base:spans[-1][1]])
    starts = [s - base for s, _ in spans]
    ends = [e - base for _, e in spans]
    own_sentences: list[list[tuple[int, int]]] = [[] for _ in spans]
    for s, e in sentences:
        k = bisect_right(starts, s) - 1
        if k < 0 or s >= ends[k]:
            return None
        own_sentences[k].append((s - starts[k], min(e, ends[k]) - starts[k]))
    if any(not own or own[0][0] != 0 for own in own_sentences):
        return None
    own_hits: list[dict[str, list[Hit]]] = [{} for _ in spans]
    for key, found in hits.items():
        for hit in found:
            k = bisect_right(starts, hit.start) - 1
            if k < 0 or hit.end > ends[k]:
                return None
            shift = starts[k]
            own_hits[k].setdefault(key, []).append(_moved(hit, -shift))
    return {text[a:b]: _Piece(tuple(own_sentences[k]), tuple((key, tuple(v)) for key, v in own_hits[k].items()),
                              skipped)
            for k, (a, b) in enumerate(spans)}


def _moved(hit: Hit, shift: int) -> Hit:
    return Hit(hit.start + shift, hit.end + shift,
               tuple((name, s + shift, e + shift) for name, s, e in hit.groups) if hit.groups else ())


def _merged(compiled: CompiledRules, text: str, spans: list[tuple[int, int]], pieces: dict[str, _Piece],
            lines: list[tuple[int, _Line]]) -> tuple[list[tuple[int, int]], dict[str, list[Hit]]]:
    """The pieces' and lines' results in the whole text's offsets, plus what runs over the whole
    text. Exceptions' hits are moved only for the rules that matched: the others are never read."""
    sentences: list[tuple[int, int]] = []
    hits: defaultdict[str, list[Hit]] = defaultdict(list)
    skipped: set[str] = set()
    in_pieces = [(start, pieces[text[start:end]]) for start, end in spans]
    for start, piece in in_pieces:
        sentences.extend((s + start, e + start) for s, e in piece.sentences)
    # hits in text order, as one run over the text gives them
    placed: list[tuple[int, _Piece | _Line]] = sorted([*in_pieces, *lines], key=lambda item: item[0])
    for start, part in placed:
        for key, found in part.hits:
            if key.endswith(MATCH):
                hits[key].extend(_moved(hit, start) for hit in found)
        skipped |= part.skipped
    matched = compiled.run_whole(text, hits, skipped)
    if matched:
        for start, part in placed:
            for key, found in part.hits:
                if not key.endswith(MATCH) and key.split("#", 1)[0] in matched:
                    hits[key].extend(_moved(hit, start) for hit in found)
    return sentences, compiled.run_whole_exceptions(text, hits, skipped, matched)


def matched(compiled: CompiledRules, text: str, cache: ParagraphCache | None = None
            ) -> tuple[list[tuple[int, int]], dict[str, list[Hit]], Doc | None]:
    """The text's sentences (a line break is no sentence of its own: a next-sentence window must
    see the next line), its hits, and its Doc (None when the cache matched it piece by piece)."""
    if cache is not None:
        pieces = cache.run(compiled, text)
        if pieces is not None:
            return pieces[0], pieces[1], None
    doc, hits = compiled.run(text)
    return [(s.start_char, s.end_char) for s in doc.sents if not s.text.isspace()], hits, doc
