"""Compiling a language's rules into spaCy matchers and regexes, and running them over a text.

All rules and all their `unless` exceptions go into one Matcher, one PhraseMatcher and a
list of regexes, so a text is tokenized once and scanned once whatever the number of rules.
Regexes are shared when several rules use the same one, skipped when the text lacks their
required literals (see prefilter), and an exception's regexes run only when its rule
matched. Regexes from user rule folders run with a timeout; bundled ones are tested.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .errors import RuleFileError
from .model import Patterns, Rule
from .pipelines import pipeline
from .prefilter import Gate, GateIndex, required_literals
from .rulefile import compile_regex
from .ruleset import bundled_rules_dir, load_rules

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


@dataclass
class _Regex:
    """One distinct compiled regex, the keys it reports under, and its literal gate."""

    pattern: regex.Pattern
    gate: Gate | None
    timeout: float | None
    keys: list[str] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)

    def scan(self, text: str, hits: dict[str, list[Hit]]) -> None:
        try:
            for m in self.pattern.finditer(text, timeout=self.timeout):
                if m.end() > m.start():
                    groups = tuple((name, m.start(name), m.end(name))
                                   for name in self.pattern.groupindex if m.start(name) >= 0)
                    hit = Hit(m.start(), m.end(), groups)
                    for key in self.keys:
                        hits[key].append(hit)
        except TimeoutError:
            log.warning("replylint: regex %r (%s) timed out after %ss; skipped",
                        self.pattern.pattern, ", ".join(sorted(self.codes)), self.timeout)


class CompiledRules:
    """A language's rules ready to run: matchers built once, reused for every text."""

    def __init__(self, lang: str, rules: tuple[Rule, ...]) -> None:
        self.lang = lang
        self.rules = rules
        self.nlp = pipeline(lang)
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._match_regexes: dict[tuple[str, bool], _Regex] = {}
        self._unless_regexes: dict[tuple[str, bool], _Regex] = {}
        self.errors: list[RuleFileError] = []
        self.usable: list[Rule] = []
        bundled = str(bundled_rules_dir().resolve())
        for rule in rules:
            trusted = str(Path(rule.path).resolve()).startswith(bundled)
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
             regexes: dict[tuple[str, bool], _Regex]) -> None:
        if patterns.phrases:
            self.phrases.add(key, [self.nlp.make_doc(p) for p in patterns.phrases])
        if patterns.tokens:
            try:
                self.matcher.add(key, [list(p) for p in patterns.tokens], greedy="LONGEST")
            except (ValueError, KeyError) as exc:
                first = str(exc).strip().splitlines()
                raise RuleFileError(rule.path, 1, "tokens", f"spaCy rejects the pattern: {first[0] if first else exc}",
                                    "a valid spaCy Matcher pattern") from None
        for source in patterns.regex:
            entry = regexes.get((source, trusted))
            if entry is None:
                entry = _Regex(compile_regex(source), required_literals(source),
                               None if trusted else REGEX_TIMEOUT_SECONDS)
                regexes[(source, trusted)] = entry
            entry.keys.append(key)
            entry.codes.add(rule.code)

    def run(self, text: str) -> tuple[Doc, dict[str, list[Hit]]]:
        """Tokenize `text` once and return every hit grouped by rule / exception key."""
        doc = self.nlp(text)
        hits: dict[str, list[Hit]] = defaultdict(list)
        strings = self.nlp.vocab.strings
        for matcher in self.token_matchers:
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                hits[strings[match_id]].append(Hit(span.start_char, span.end_char))
        lowered = text.lower()
        for i in self.match_gates.candidates(lowered):
            self.match_regexes[i].scan(text, hits)
        matched = {key[: -len(MATCH)] for key in hits if key.endswith(MATCH)}
        if matched:
            for i in self.unless_gates.candidates(lowered):
                entry = self.unless_regexes[i]
                if entry.codes & matched:
                    entry.scan(text, hits)
        return doc, hits


@lru_cache(maxsize=32)
def compiled_rules(lang: str, extra_dirs: tuple[str, ...] = ()) -> CompiledRules:
    """The compiled rules for a language and set of rule folders, built once per process."""
    loaded = load_rules(lang, extra_dirs)
    compiled = CompiledRules(lang, loaded.rules)
    for problem in (*loaded.errors, *compiled.errors):
        log.warning("replylint: rule skipped: %s", problem)
    return compiled
