"""Compiling a language's rules into spaCy matchers and regexes, and running them over a text.

All rules and all their `unless` exceptions go into one Matcher, one PhraseMatcher and a
list of compiled regexes, so a text is tokenized once and scanned once whatever the number
of rules.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import regex
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .errors import RuleFileError
from .model import Patterns, Rule
from .pipelines import pipeline
from .ruleset import load_rules

log = logging.getLogger("replylint")

REGEX_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Hit:
    """One raw match: character span in the text, plus named regex groups (text, start, end)."""

    start: int
    end: int
    groups: tuple[tuple[str, int, int], ...] = ()


def match_key(code: str) -> str:
    return f"{code}#match"


def unless_key(code: str, index: int) -> str:
    return f"{code}#unless{index}"


class CompiledRules:
    """A language's rules ready to run: matchers built once, reused for every text."""

    def __init__(self, lang: str, rules: tuple[Rule, ...]) -> None:
        self.lang = lang
        self.rules = rules
        self.nlp = pipeline(lang)
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.regexes: list[tuple[str, regex.Pattern]] = []
        self.errors: list[RuleFileError] = []
        self.usable: list[Rule] = []
        for rule in rules:
            try:
                self._add(match_key(rule.code), rule.match, rule)
                for i, exc in enumerate(rule.unless):
                    self._add(unless_key(rule.code, i), exc.patterns, rule)
            except RuleFileError as err:
                self.errors.append(err)
                continue
            self.usable.append(rule)
        self.token_matchers = [m for m in (self.matcher, self.phrases) if len(m)]

    def _add(self, key: str, patterns: Patterns, rule: Rule) -> None:
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
            self.regexes.append((key, regex.compile(source, regex.V1)))

    def run(self, text: str) -> tuple[Doc, dict[str, list[Hit]]]:
        """Tokenize `text` once and return every hit grouped by rule / exception key."""
        doc = self.nlp(text)
        hits: dict[str, list[Hit]] = defaultdict(list)
        strings = self.nlp.vocab.strings
        for matcher in self.token_matchers:
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                hits[strings[match_id]].append(Hit(span.start_char, span.end_char))
        for key, pattern in self.regexes:
            try:
                for m in pattern.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                    if m.end() > m.start():
                        groups = tuple((name, m.start(name), m.end(name))
                                       for name in pattern.groupindex if m.start(name) >= 0)
                        hits[key].append(Hit(m.start(), m.end(), groups))
            except TimeoutError:
                log.warning("replylint: regex %r (%s) timed out after %ss; skipped",
                            pattern.pattern, key.split("#")[0], REGEX_TIMEOUT_SECONDS)
        return doc, hits


@lru_cache(maxsize=32)
def compiled_rules(lang: str, extra_dirs: tuple[str, ...] = ()) -> CompiledRules:
    """The compiled rules for a language and set of rule folders, built once per process."""
    loaded = load_rules(lang, extra_dirs)
    compiled = CompiledRules(lang, loaded.rules)
    for problem in (*loaded.errors, *compiled.errors):
        log.warning("replylint: rule skipped: %s", problem)
    return compiled
