"""Compiling a language's rules into spaCy matchers and regexes, and running them over a text.

All rules and all their `unless` exceptions go into one Matcher, one PhraseMatcher and a
list of regexes, so a text is tokenized once and scanned once whatever the number of rules.
Regexes are shared when several rules use the same one, skipped when the text lacks their
required literals (see prefilter), and an exception's regexes run only when its rule
matched. Regexes from user rule folders (match and unless regexes, and token patterns'
`REGEX`) run with a time budget per text: a rule whose pattern runs out of time is skipped
for that text, with one warning naming its rule file. Bundled rules are tested instead.
"""
from __future__ import annotations

import hashlib
import itertools
import logging
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from replylint.errors import RuleFileError

from . import phrases as phrase_language
from .lemmas import lemma_spec, uses_lemma
from .model import Patterns, Rule
from .packs import bundled_rules_dir
from .patternfile import compile_regex
from .pipelines import pipeline, tokenized
from .prefilter import Gate, GateIndex, Gates, required_literal_sets
from .regexreach import stays_on_one_line
from .ruleset import load_rules

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

log = logging.getLogger("replylint")

REGEX_TIMEOUT_SECONDS = 1.0
MATCH = "#match"


@dataclass(frozen=True, slots=True)
class Hit:
    """One raw match: character span in the text, plus named regex groups (name, start, end)."""

    start: int
    end: int
    groups: tuple[tuple[str, int, int], ...] = ()


def match_key(code: str) -> str:
    return f"{code}{MATCH}"


def unless_key(code: str, index: int) -> str:
    return f"{code}#unless{index}"


def _warn_timeout(what: str, source: str, owners: set[tuple[str, str]], timeout: float | None) -> None:
    """One line naming each rule file and rule that owns a pattern that ran out of time."""
    where = "; ".join(f"{path}: {code}" for path, code in sorted(owners))
    log.warning("replylint: %s: %s %r took over %ss on one text; the rule is skipped for that text",
                where, what, source, timeout)


_BOUNDARY = regex.compile(r"[.!?…]+[\"'”’)\]]*[ \t]+|\n")  # where a sentence (or a line) ends
_NEWLINE = regex.compile(r"\n")


class Windows:
    """Where in a text each gated phrase regex may match, so it scans those parts only.

    A phrase's match holds one word of its gate's first set, and stays inside one sentence
    (or one line, see phrases.reach); so it lies in a sentence (line) that holds one of those
    words. A regex scanned from `pos` to `endpos` still sees the text before `pos` (its
    lookbehinds, `\b`), and a window ends where the next sentence starts, past the marks and
    blanks that no phrase can match, so every window finds exactly what the whole text does.
    """

    __slots__ = ("_bounds", "_lines", "_memo", "_units", "_where", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._bounds: list[int] | None = None  # where each sentence starts, then the text's end
        self._lines: list[int] | None = None  # where each line starts, then the text's end + 1
        # memos for one `where` (one gate index's literal ids), which is held: keyed by id(where)
        # they served a later run's dict, with other literal ids, the spans of a freed one
        self._where: dict[int, list[int]] | None = None
        self._memo: dict[tuple[tuple[int, ...], bool], list[tuple[int, int]]] = {}
        self._units: dict[tuple[int, bool], frozenset[int]] = {}

    def of(self, where: dict[int, list[int]], literals: tuple[int, ...], line: bool) -> list[tuple[int, int]] | None:
        """The sentences (or the lines) holding a literal, or None for the whole text;
        `where`: literal id -> end offsets of its occurrences (GateIndex.candidates_at)."""
        if self._bounds is None:
            self._bounds = [0, *(m.end() for m in _BOUNDARY.finditer(self.text)), len(self.text)]
        if len(self._bounds) <= 3:
            return None  # one sentence (or two): windows would save less than they cost
        if where is not self._where:
            self._where, self._memo, self._units = where, {}, {}
        key = (literals, line)
        spans = self._memo.get(key)
        if spans is None:
            spans = self._memo[key] = self._spans(where, literals, line)
        return spans

    def _starts(self, line: bool) -> list[int]:
        if not line:
            return self._bounds or []
        if self._lines is None:
            self._lines = [0, *(m.end() for m in _NEWLINE.finditer(self.text)), len(self.text) + 1]
        return self._lines

    def _spans(self, where: dict[int, list[int]], literals: tuple[int, ...], line: bool) -> list[tuple[int, int]]:
        starts = self._starts(line)
        units = sorted(frozenset().union(*(self._units_of(where, lid, line) for lid in literals if lid in where)))
        cut = 1 if line else 0  # a line's window stops before its line break
        spans: list[tuple[int, int]] = []
        for unit in units:  # sentence (line) indexes: neighbours merge into one span
            start, stop = starts[unit], starts[unit + 1] - cut
            if spans and start <= spans[-1][1] + cut:
                spans[-1] = (spans[-1][0], stop)
            else:
                spans.append((start, stop))
        return spans

    def _units_of(self, where: dict[int, list[int]], lid: int, line: bool) -> frozenset[int]:
        """The sentences (lines) a literal occurs in, worked out once per text and literal."""
        key = (lid, line)
        found = self._units.get(key)
        if found is None:
            starts = self._starts(line)
            found = self._units[key] = frozenset(bisect_right(starts, end) - 1 for end in where[lid])
        return found


_TEXT_WORD = regex.compile(r"\w+")


class WordStarts:
    """Where each word of a text begins, by its lower-cased form: a phrase regex whose matches
    all begin with one of a few words (phrases.start_words) is tried only at those offsets, an
    anchored `match` each, instead of being scanned across the text. It finds exactly what a
    scan finds: a scan's match begins at one of these offsets too, and a try that starts
    inside the previous match is skipped, as a scan resumes after each match."""

    __slots__ = ("_at", "_memo", "_words")

    def __init__(self, lowered: str) -> None:
        at: dict[str, list[int]] = {}
        for m in _TEXT_WORD.finditer(lowered):
            offsets = at.get(m.group())
            if offsets is None:
                at[m.group()] = [m.start()]
            else:
                offsets.append(m.start())
        self._at = at
        self._memo: dict[frozenset[str], list[int]] = {}
        self._words: list[str] | None = None  # the text's words sorted, for `refund*`

    def of(self, words: frozenset[str]) -> list[int]:
        """Sorted offsets where one of `words` begins a word (`refund*`: a word starting so)."""
        found = self._memo.get(words)
        if found is None:
            offsets: list[int] = []
            for word in words:
                offsets += self._stem(word[:-1]) if word[-1] == "*" else self._at.get(word, ())
            found = self._memo[words] = sorted(set(offsets)) if len(words) > 1 else offsets
        return found

    def _stem(self, stem: str) -> list[int]:
        if self._words is None:
            self._words = sorted(self._at)
        words, at = self._words, self._at
        offsets: list[int] = []
        i = bisect_left(words, stem)
        while i < len(words) and words[i].startswith(stem):
            offsets += at[words[i]]
            i += 1
        return offsets


@dataclass
class _Regex:
    """One distinct compiled regex, the keys it reports under, and its literal gate."""

    source: str
    gate: Gate | Gates | None
    timeout: float | None
    keys: list[str] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    owners: set[tuple[str, str]] = field(default_factory=set)  # (rule file, code), for warnings
    warned: bool = False
    blanked: bool = False  # a `says` phrase: runs over phrases.Spaced(text)
    reach: str | None = None  # a phrase's: "sentence" or "line" (Windows); None: the whole text
    starts: frozenset[str] | None = None  # a phrase's start words (WordStarts); None: scan
    local: bool = False  # a phrase within one sentence: run per piece of a text (paragraph_cache.py)

    @cached_property
    def pattern(self) -> regex.Pattern:
        """Compiled on first use: a reply opens few gates, so a one-file run compiles few regexes."""
        return compile_regex(self.source)

    def scan(self, text: str, hits: dict[str, list[Hit]], spaced: phrase_language.Spaced | None = None,
             spans: list[tuple[int, int]] | None = None) -> bool:
        """Add this regex's hits on `text` (in `spans` of it only, when given); False, adding
        none, when it ran out of time. A phrase regex runs over `spaced.text` and its offsets
        are mapped back to `text`'s."""
        found: list[Hit] = []
        began = time.perf_counter()
        subject = spaced.text if spaced else text
        # `timeout=None` is not free: the regex module then still reads the clock, so trusted
        # (bundled) regexes are called without it
        limit = {} if self.timeout is None else {"timeout": self.timeout}
        matches = (self.pattern.finditer(subject, **limit) if spans is None else
                   (m for pos, endpos in spans for m in self.pattern.finditer(subject, pos, endpos, **limit)))
        try:
            for m in matches:
                if self.timeout is not None and time.perf_counter() - began > self.timeout:
                    raise TimeoutError  # `timeout` bounds each step; this bounds the text
                if spaced is not None:
                    if m.end() > m.start() and not phrase_language.starts_inside_word(spaced.text, m.start()):
                        found.append(Hit(spaced.original(m.start()), spaced.original(m.end()), ()))
                    continue
                if m.end() > m.start():
                    groups = tuple((name, m.start(name), m.end(name))
                                   for name in self.pattern.groupindex if m.start(name) >= 0)
                    found.append(Hit(m.start(), m.end(), groups))
        except TimeoutError:
            return self._timed_out()
        self._report(found, hits)
        return True

    def try_at(self, spaced: phrase_language.Spaced, offsets: list[int], hits: dict[str, list[Hit]]) -> bool:
        """Add this phrase regex's hits, trying it only at `offsets` (WordStarts); False,
        adding none, when it ran out of time. Bundled regexes run without a clock (`timeout`
        None): even `timeout=None` makes the regex module read it."""
        subject, match, timeout = spaced.text, self.pattern.match, self.timeout
        found: list[Hit] = []
        resume = 0
        began = time.perf_counter() if timeout is not None else 0.0
        try:
            for pos in offsets:
                if pos < resume:
                    continue  # inside the previous match: a scan would not start here
                m = match(subject, pos) if timeout is None else match(subject, pos, timeout=timeout)
                if m is None:
                    continue
                start, resume = m.span()
                if resume > start and not phrase_language.starts_inside_word(subject, start):
                    found.append(Hit(spaced.original(start), spaced.original(resume), ()))
                if timeout is not None and time.perf_counter() - began > timeout:
                    raise TimeoutError
        except TimeoutError:
            return self._timed_out()
        self._report(found, hits)
        return True

    def _report(self, found: list[Hit], hits: dict[str, list[Hit]]) -> None:
        """File the hits under every key this regex serves; a key without hits stays absent,
        so its rule's exceptions need no run."""
        if found:
            for key in self.keys:
                hits[key].extend(found)

    def _timed_out(self) -> bool:
        """Warn once that this regex ran out of time; False: the run skips its rules."""
        if not self.warned:
            self.warned = True
            _warn_timeout("regex", self.pattern.pattern, self.owners, self.timeout)
        return False


# Token attributes a REGEX can test, as Token properties.
_TOKEN_STRINGS = {"ORTH": "orth_", "TEXT": "orth_", "LOWER": "lower_", "NORM": "norm_", "SHAPE": "shape_",
                  "PREFIX": "prefix_", "SUFFIX": "suffix_", "LEMMA": "lemma_"}
SKIPPED = "replylint-skipped"  # Doc.user_data key: codes of rules whose token regex ran out of time


class _TokenRegex:
    """A token pattern's `REGEX`, run by replylint as a custom token attribute.

    spaCy's Matcher runs `REGEX` with Python's `re`, which has no timeout; this runs it with
    `regex` and, for user rules, a time budget per text kept in the Doc's `user_data`.
    """

    def __init__(self, name: str, attr: str, source: str, timeout: float | None, rule: Rule) -> None:
        self.name, self.attr, self.timeout = name, _TOKEN_STRINGS[attr], timeout
        self.pattern = compile_regex(source)
        self.code, self.owner = rule.code, (rule.path, rule.code)
        self.warned = False

    def __call__(self, token: Token) -> int:
        value = getattr(token, self.attr)
        if self.timeout is None:
            return int(self.pattern.search(value) is not None)
        data = token.doc.user_data
        spent = data.get(self.name, 0.0)
        if spent is None:
            return 0
        began = time.perf_counter()
        try:
            found = self.pattern.search(value, timeout=max(self.timeout - spent, 1e-3))
        except TimeoutError:
            found = None
            spent = self.timeout
        spent += time.perf_counter() - began
        if spent >= self.timeout:
            data[self.name] = None
            data.setdefault(SKIPPED, set()).add(self.code)
            if not self.warned:
                self.warned = True
                _warn_timeout("token REGEX", self.pattern.pattern, {self.owner}, self.timeout)
            return 0
        data[self.name] = spent
        return int(found is not None)


_token_regexes: dict[str, _TokenRegex] = {}


def _token_regex_spec(spec: dict, rule: Rule, timeout: float | None) -> dict:
    """`spec` with each `{ATTR: {REGEX: ...}}` turned into a replylint token attribute."""
    out: dict = {}
    for attr, value in spec.items():
        if not (isinstance(value, dict) and "REGEX" in value and attr.upper() in _TOKEN_STRINGS):
            out[attr] = value
            continue
        source = value["REGEX"]
        key = "\x1f".join((attr.upper(), source, rule.path, rule.code, str(timeout)))
        name = "replylint_re_" + hashlib.sha256(key.encode()).hexdigest()[:20]
        if name not in _token_regexes:
            from spacy.tokens import Token

            _token_regexes[name] = _TokenRegex(name, attr.upper(), source, timeout, rule)
            Token.set_extension(name, getter=_token_regexes[name], force=True)
        out.setdefault("_", {})[name] = {"==": 1}
        rest = {op: arg for op, arg in value.items() if op != "REGEX"}
        if rest:
            out[attr] = rest
    return out


_SERIALS = itertools.count()
_WORD_ATTRS = ("ORTH", "TEXT", "LOWER", "NORM", "LEMMA")
_OPEN_REGEX = ("\\s", "\\S", "\\W", "\\D", "[^", ".", "!", "?")


def _plain_word(value: object) -> bool:
    return isinstance(value, str) and bool(value) and not any(ch.isspace() or ch in ".!?…" for ch in value)


def _word_only(spec: object) -> bool:
    """Whether a token pattern's item matches only words: never a line break's whitespace token
    nor a sentence mark, so no match holding it can run across a cut between pieces of a text
    (paragraph_cache.py). Conservative: an item it cannot read counts as "may match anything"."""
    if not isinstance(spec, dict):
        return False
    if spec.get("IS_ALPHA") is True or (spec.get("IS_PUNCT") is False and spec.get("IS_SPACE") is False):
        return True
    for attr in _WORD_ATTRS:
        value = spec.get(attr)
        if _plain_word(value):
            return True
        if isinstance(value, dict):
            if isinstance(value.get("IN"), list) and value["IN"] and all(map(_plain_word, value["IN"])):
                return True
            source = value.get("REGEX")
            if (isinstance(source, str) and source.startswith("^") and source.endswith("$")
                    and not any(part in source for part in _OPEN_REGEX)):
                return True
    return False


class CompiledRules:
    """A language's rules ready to run: matchers built once, reused for every text."""

    def __init__(self, lang: str, rules: tuple[Rule, ...]) -> None:
        self.lang = lang
        self.rules = rules
        # Lemmas only for a pack whose rules test LEMMA: other packs never load the lemmatizer.
        self.lemmas = any(uses_lemma(patterns.tokens) or any(map(phrase_language.uses_lemma, patterns.says))
                          for rule in rules for patterns in (rule.match, *(exc.patterns for exc in rule.unless)))
        from spacy.matcher import Matcher, PhraseMatcher  # here: importing spaCy costs ~1 s

        self.nlp = pipeline(lang, lemmas=self.lemmas)
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._match_regexes: dict[tuple[str, bool, bool], _Regex] = {}
        self._unless_regexes: dict[tuple[str, bool, bool], _Regex] = {}
        self.errors: list[RuleFileError] = []
        self.usable: list[Rule] = []
        self.cuttable = True  # no token pattern can match across a line break or a sentence end (paragraph_cache.py)
        self.serial = next(_SERIALS)  # tells rule sets apart for as long as the process runs (never reused, as id() is)
        bundled = bundled_rules_dir().resolve()
        for rule in rules:
            trusted = Path(rule.path).resolve().is_relative_to(bundled)  # a real folder, not a name prefix
            try:
                self._add(match_key(rule.code), rule.match, rule, trusted, self._match_regexes)
                for i, exc in enumerate(rule.unless):
                    self._add(unless_key(rule.code, i), exc.patterns, rule, trusted, self._unless_regexes)
            except RuleFileError as err:
                self.errors.append(err)
                continue
            self.usable.append(rule)
        self.token_matchers = [m for m in (self.matcher, self.phrases) if len(m)]
        self.match_regexes = list(self._match_regexes.values())
        self.unless_regexes = list(self._unless_regexes.values())
        self.match_gates = GateIndex([e.gate for e in self.match_regexes])
        self.unless_gates = GateIndex([e.gate for e in self.unless_regexes])

    def _add(self, key: str, patterns: Patterns, rule: Rule, trusted: bool,
             regexes: dict[tuple[str, bool, bool], _Regex]) -> None:
        if patterns.phrases:
            self.phrases.add(key, [self.nlp.make_doc(p) for p in patterns.phrases])
            self.cuttable = self.cuttable and all(" ".join(p.split()) == p and _plain_word(p.replace(" ", "x"))
                                                  for p in patterns.phrases)
        tokens, regexes_ = self._says(patterns.says, rule)
        tokens = (*patterns.tokens, *tokens)
        self.cuttable = self.cuttable and all(_word_only(spec) for p in tokens for spec in p)
        if tokens:
            timeout = None if trusted else REGEX_TIMEOUT_SECONDS
            try:
                specs = [[lemma_spec(s, self.lang) for s in p] for p in tokens] if self.lemmas else tokens
                self.matcher.add(key, [[_token_regex_spec(spec, rule, timeout) for spec in p] for p in specs],
                                 greedy="LONGEST")
            except (ValueError, KeyError) as exc:
                first = str(exc).strip().splitlines()
                raise RuleFileError(rule.path, 1, "tokens", f"spaCy rejects the pattern: {first[0] if first else exc}",
                                    "a valid spaCy Matcher pattern") from None
        for source, phrase in (*((r, None) for r in patterns.regex), *regexes_):
            blanked = phrase is not None
            entry = regexes.get((source, trusted, blanked))
            if entry is None:
                gate = phrase_language.gate_sets(phrase) if phrase is not None else required_literal_sets(source)
                entry = _Regex(source, gate, None if trusted else REGEX_TIMEOUT_SECONDS, blanked=blanked,
                               reach=phrase_language.reach(phrase) if phrase is not None else None,
                               starts=phrase_language.start_words(phrase) if phrase is not None else None,
                               local=phrase is not None and phrase_language.within_sentence(phrase))
                regexes[(source, trusted, blanked)] = entry
            entry.keys.append(key)
            entry.codes.add(rule.code)
            entry.owners.add((rule.path, rule.code))

    def _says(self, says: tuple[str, ...], rule: Rule) -> tuple[list[list[dict]], list[tuple[str, str]]]:
        """`says` phrases as token patterns (those with a `{word}` slot) and regexes (the rest),
        each regex with its phrase, which its prefilter gate is read from."""
        tokens: list[list[dict]] = []
        regexes: list[tuple[str, str]] = []
        for source in says:
            try:
                if phrase_language.uses_lemma(source):
                    tokens += phrase_language.to_tokens(source, self._words)
                else:
                    regexes.append((phrase_language.to_regex(source), source))
            except phrase_language.PhraseError as exc:
                raise RuleFileError(rule.path, 1, "says", f"bad phrase {source!r}: {exc}") from None
        return tokens, regexes

    def _words(self, text: str) -> list[str]:
        """Literal words of a phrase split as the text's words are ("we'll" -> we, 'll)."""
        return [t.lower_ for t in self.nlp.make_doc(text) if not t.is_space]

    def run(self, text: str) -> tuple[Doc, dict[str, list[Hit]]]:
        """Tokenize `text` once and return every hit grouped by rule / exception key."""
        doc = tokenized(self.nlp, text)
        hits: dict[str, list[Hit]] = defaultdict(list)
        skipped = self._token_hits(doc, hits)
        views = _TextViews.of(text)
        skipped |= views.run(self.match_regexes, self.match_gates, hits)
        matched = _matched(hits, skipped)
        if matched:
            skipped |= views.run(self.unless_regexes, self.unless_gates, hits, matched)
        return doc, _without(hits, skipped)

    def _token_hits(self, doc: Doc, hits: dict[str, list[Hit]]) -> set[str]:
        """Add the token and phrase matchers' hits on `doc`; the codes of rules whose token
        pattern ran out of time."""
        strings = self.nlp.vocab.strings
        for matcher in self.token_matchers if len(doc) else ():  # LEMMA: an empty doc has none, spaCy refuses it
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                hits[strings[match_id]].append(Hit(span.start_char, span.end_char))
        return set(doc.user_data.get(SKIPPED, ()))  # rules with a pattern out of time

    # ----- a text in pieces (paragraph_cache.py) ----------------------------------------------------
    # A `says` phrase that stays in one sentence (`local`) matches the same in a piece of the text
    # cut at sentence ends and line breaks as in the whole text; so do token patterns when `cuttable`.
    # Those run per piece, with every exception's (not only those of rules matched in the
    # piece: a rule may match in another piece). Line-reach phrases and the raw regexes that
    # provably stay on one line (regexreach.py) run per line, so they too are kept per line;
    # the other raw regexes may look across a line (`\s+`, `\A`): they run over the whole text.

    @cached_property
    def _by_reach(self) -> dict[tuple[str, str], tuple[list[_Regex], GateIndex]]:
        """("match" | "unless", "piece" | "line" | "whole") -> those regexes and their gate index.
        Worked out on first use: only a run in pieces needs it, and reading every raw regex
        costs a start-up."""
        groups = {}
        for kind, regexes in (("match", self.match_regexes), ("unless", self.unless_regexes)):
            by_reach: dict[str, list[_Regex]] = {"piece": [], "line": [], "whole": []}
            for entry in regexes:
                by_reach[_reach_of(entry)].append(entry)
            for reach, chosen in by_reach.items():
                groups[(kind, reach)] = (chosen, GateIndex([e.gate for e in chosen]))
        return groups

    def run_piece(self, text: str) -> tuple[list[tuple[int, int]], dict[str, list[Hit]], frozenset[str]]:
        """A piece of a text: its sentences, the hits of token patterns and one-sentence phrases
        (exceptions' included), and the codes of rules that ran out of time on it."""
        doc = self.nlp(text)
        hits: dict[str, list[Hit]] = defaultdict(list)
        skipped = self._token_hits(doc, hits)
        views = _TextViews.of(text)
        for kind in ("match", "unless"):
            skipped |= views.run(*self._by_reach[(kind, "piece")], hits)
        sentences = [(s.start_char, s.end_char) for s in doc.sents if not s.text.isspace()]
        return sentences, hits, frozenset(skipped)

    def run_line(self, line: str) -> tuple[dict[str, list[Hit]], frozenset[str]]:
        """One line of a text (no line break in it), read alone: the hits of the regexes that
        stay on one line (exceptions' included), and the codes of rules that ran out of time."""
        hits: dict[str, list[Hit]] = defaultdict(list)
        skipped: set[str] = set()
        views = _TextViews.of(line)
        for kind in ("match", "unless"):
            skipped |= views.run(*self._by_reach[(kind, "line")], hits)
        return hits, frozenset(skipped)

    def run_whole(self, text: str, hits: dict[str, list[Hit]], skipped: set[str]) -> set[str]:
        """Add to `hits` (the pieces' match hits, in the whole text's offsets) those of the
        regexes that run over the whole text; the codes of the rules matched, for
        `run_whole_exceptions`. With it, what `run` finds, given pieces cut where
        paragraph_cache.py cuts."""
        skipped |= _TextViews.of(text).run(*self._by_reach[("match", "whole")], hits)
        return _matched(hits, skipped)

    def run_whole_exceptions(self, text: str, hits: dict[str, list[Hit]], skipped: set[str],
                             matched: set[str]) -> dict[str, list[Hit]]:
        """Add the exceptions that run over the whole text, for the rules `matched`."""
        if matched:
            skipped |= _TextViews.of(text).run(*self._by_reach[("unless", "whole")], hits, matched)
        return _without(hits, skipped)


def _reach_of(entry: _Regex) -> str:
    """"piece": stays in one sentence (a `says` phrase, paragraph_cache.py); "line": in one
    line (any other phrase: no phrase crosses a line break; a raw regex when regexreach says
    so); "whole": may look across lines."""
    if entry.local:
        return "piece"
    return "line" if entry.blanked or stays_on_one_line(entry.source) else "whole"


def _matched(hits: dict[str, list[Hit]], skipped: set[str]) -> set[str]:
    """The codes of the rules with a match hit, less those that could not be fully checked."""
    return {key[: -len(MATCH)] for key in hits if key.endswith(MATCH)} - skipped


def _without(hits: dict[str, list[Hit]], skipped: set[str]) -> dict[str, list[Hit]]:
    for key in [k for k in hits if k.split("#", 1)[0] in skipped]:
        del hits[key]  # a rule that could not be fully checked reports nothing
    return hits


@dataclass
class _TextViews:
    """One text as the regexes read it (views), and where each may match (Windows)."""

    text: str
    lowered: str
    spaced: phrase_language.Spaced
    starts: WordStarts | None
    windows: Windows | None  # its memos hold one run's `where` at a time

    @classmethod
    def of(cls, text: str) -> _TextViews:
        lowered, spaced, starts = _views(text)
        return cls(text, lowered, spaced, starts, Windows(spaced.text) if starts is not None else None)

    def run(self, regexes: list[_Regex], gates: GateIndex, hits: dict[str, list[Hit]],
            only: set[str] | None = None) -> set[str]:
        """Run the regexes whose gates the text passes (with `only`: those serving one of these
        rule codes) and add their hits; the codes of rules whose regex ran out of time."""
        skipped: set[str] = set()
        chosen, where = gates.candidates_at(self.lowered)
        for i in chosen:
            entry = regexes[i]
            if (only is None or entry.codes & only) and not _run(
                    entry, self.text, hits, self.spaced, self.starts, self.windows, where, gates.first[i]):
                skipped |= entry.codes
        return skipped


_last_views: tuple[tuple[str, tuple[str, phrase_language.Spaced, WordStarts | None]], ...] = ()


def _views(text: str) -> tuple[str, phrase_language.Spaced, WordStarts | None]:
    """The text lower-cased, as phrase regexes see it, and its word starts (None when
    lower-casing or blank runs moved offsets); the last two texts' are reused, since the
    reply-level checks run their own rules over the reply the rules have just read (and a
    run piece by piece alternates between a piece and the whole text, paragraph_cache.py)."""
    global _last_views
    last = _last_views  # read once: another thread may replace it
    for seen, views in last:
        if seen == text:
            return views
    lowered = text.lower()
    spaced = phrase_language.Spaced(text)
    aligned = len(lowered) == len(text) == len(spaced.text)  # offsets agree: windows may be used
    views = (lowered, spaced, WordStarts(lowered) if aligned else None)
    _last_views = ((text, views), *last[:1])
    return views


def _run(entry: _Regex, text: str, hits: dict[str, list[Hit]], spaced: phrase_language.Spaced,
         starts: WordStarts | None, windows: Windows | None, where: dict[int, list[int]],
         literals: tuple[int, ...]) -> bool:
    """One regex over the text: tried at its start words' offsets when it has them, else
    scanned (in windows when it may be); False when it ran out of time."""
    if starts is not None and entry.starts is not None:
        offsets = starts.of(entry.starts)
        return entry.try_at(spaced, offsets, hits) if offsets else True
    return entry.scan(text, hits, spaced if entry.blanked else None, _spans(windows, where, entry, literals))


def _spans(windows: Windows | None, where: dict[int, list[int]], entry: _Regex,
           literals: tuple[int, ...]) -> list[tuple[int, int]] | None:
    """The parts of the text a regex needs to scan; None: all of it (a raw regex, no gate)."""
    if windows is None or entry.reach is None or not literals:
        return None
    return windows.of(where, literals, entry.reach == "line")


@lru_cache(maxsize=32)
def compiled_rules(lang: str, extra_dirs: tuple[str, ...] = ()) -> CompiledRules:
    """The compiled rules for a language and set of rule folders, built once per process."""
    loaded = load_rules(lang, extra_dirs)
    compiled = CompiledRules(lang, loaded.rules)
    for problem in (*loaded.errors, *compiled.errors):
        log.warning("replylint: rule skipped: %s", problem)
    return compiled
