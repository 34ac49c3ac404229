"""The engine: run a language's compiled rules over a text and turn hits into findings.

Applies each rule's anchor and `unless` exceptions, builds suggestions, then the config's
select / ignore / severity / allow settings. Knows nothing of the CLI or any editor.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from replylint.errors import ConfigError

from .config import Config
from .language import resolve_lang
from .matching import Hit, compiled_rules, match_key, unless_key
from .model import Anchor, Finding, Rule, Severity, Suggestion, Window
from .normalize import Folded, fold
from .paragraph_cache import matched
from .positions import LineIndex, normalize_quotes
from .rewrites import suggestion
from .selection import rule_severity, rule_wanted
from .spans import without_overlaps
from .threadcontext import ThreadContext, read_context

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .paragraph_cache import ParagraphCache


class _Sentences:
    """Sentence spans of one text, for anchors and exception windows."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans or [(0, 0)]
        self.starts = [s for s, _ in self.spans]

    def index(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def starts_sentence(self, text: str, offset: int) -> bool:
        """True when only punctuation, quotes or spaces precede `offset` in its sentence."""
        start = self.spans[self.index(offset)][0]
        return not any(ch.isalnum() for ch in text[start:offset])


# sentence-index offsets (first, last) around the match's sentence that each window covers
_EVERYWHERE = 1 << 30
_WINDOW_SPANS = {Window.SENTENCE: (0, 0), Window.NEXT_SENTENCE: (0, 1), Window.PREVIOUS_SENTENCE: (-1, 0),
                 Window.NEARBY: (-1, 1), Window.LATER: (0, _EVERYWHERE),
                 Window.REPLY: (-_EVERYWHERE, _EVERYWHERE)}


class _Exceptions:
    """Where a rule's `unless` exceptions were found, indexed for quick window checks. An
    exception with `context` moves counts only when the customer's message makes one."""

    def __init__(self, rule: Rule, hits: dict[str, list[Hit]], sentences: _Sentences,
                 thread: ThreadContext | None = None) -> None:
        self.windows: list[tuple[Window, list[int], list[Hit]]] = []
        for i, exc in enumerate(rule.unless):
            if exc.context and (thread is None or not thread.makes(exc.context)):
                continue
            found = sorted(hits.get(unless_key(rule.code, i), ()), key=lambda h: h.start)
            if found:
                # MATCH windows search by start offset, the others by sentence index
                keys = ([h.start for h in found] if exc.window is Window.MATCH
                        else sorted(sentences.index(h.start) for h in found))
                self.windows.append((exc.window, keys, found))

    def cancel(self, hit: Hit, here: int) -> bool:
        for window, where, found in self.windows:
            if window is Window.MATCH:
                # any exception starting before the hit ends and ending after it starts
                last = bisect_left(where, hit.end)
                if any(h.end > hit.start for h in found[:last]):
                    return True
                continue
            before, after = _WINDOW_SPANS[window]
            low, high = here + before, here + after
            i = bisect_left(where, low)
            if i < len(where) and where[i] <= high:
                return True
        return False


def _longest_first(hits: list[Hit]) -> list[Hit]:
    """Drop hits overlapping an earlier-starting or longer hit of the same rule."""
    return without_overlaps(sorted(hits, key=lambda h: (h.start, -(h.end - h.start))))


@lru_cache(maxsize=64)
def _allow_pattern(allow: tuple[str, ...]) -> regex.Pattern | None:
    if not allow:
        return None
    words = "|".join(regex.escape(normalize_quotes(p)) for p in allow)
    return regex.compile(r"(?<!\w)(?:" + words + r")(?!\w)", regex.I)


def _allowed_spans(text: str, allow: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of allow-listed phrases; findings inside them are dropped."""
    pattern = _allow_pattern(allow)
    return [(m.start(), m.end()) for m in pattern.finditer(text, overlapped=True)] if pattern else []


def check_text(text: str, lang: str = "auto", config: Config | None = None, context: str = "",
               cache: ParagraphCache | None = None) -> list[Finding]:
    """All findings for one text, sorted by position then rule code.

    Rules run over the text with its whitespace folded (see normalize), so `you are  wrong`
    and `No,\u00a0you're` match like their single-space forms; findings and suggestions are
    mapped back to offsets in `text` as given. `context` is the customer's message the text
    answers, when known: exceptions that depend on it (threadcontext.py) may then apply.
    With a `cache`, only the pieces of `text` not seen in its last run are matched again
    (paragraph_cache.py); the findings are the same.
    """
    config = config or Config()
    pack = resolve_lang(lang, config, text)
    compiled = compiled_rules(pack, config.rule_folders)
    folded = fold(text)
    normalized = normalize_quotes(folded.text)
    sentences, hits, doc = matched(compiled, normalized, None if config.tone_model else cache)
    candidates = [rule for rule in compiled.usable if match_key(rule.code) in hits]
    if config.select or config.ignore:
        candidates = [rule for rule in candidates if rule_wanted(rule, config)]
    if not candidates:
        return _with_tone([], doc, pack, config, folded, normalized)
    sentences = _Sentences(sentences)
    allowed = _allowed_spans(normalized, config.allow)
    lines = LineIndex(text)
    thread = read_context(context, pack, tuple(config.rule_folders)) if context else None
    findings: list[Finding] = []
    for rule in candidates:
        exceptions = _Exceptions(rule, hits, sentences, thread) if rule.unless else None
        for hit in _longest_first(hits[match_key(rule.code)]):
            at_start = sentences.starts_sentence(normalized, hit.start)
            if rule.anchor is Anchor.SENTENCE_START and not at_start:
                continue
            if exceptions and exceptions.cancel(hit, sentences.index(hit.start)):
                continue
            if any(s <= hit.start and hit.end <= e for s, e in allowed):
                continue
            findings.append(_finding(rule, hit, folded, lines, at_start, config))
    found = sorted(merge_same_span(_one_per_family(findings)), key=lambda f: (f.start, f.end, f.rule))
    return _with_tone(found, doc, pack, config, folded, normalized)


def _with_tone(findings: list[Finding], doc: Doc | None, lang: str, config: Config, folded: Folded,
               normalized: str) -> list[Finding]:
    """The rules' findings, plus the tone model's when the config turns it on (tone/findings.py)."""
    if not config.tone_model or doc is None:
        return findings
    from .tone.findings import tone_findings

    extra = tone_findings(doc, lang, config, folded, LineIndex(folded.original), findings,
                          _allowed_spans(normalized, config.allow))
    return sorted([*findings, *extra], key=lambda f: (f.start, f.end, f.rule)) if extra else findings


def _one_per_family(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings of one family say the same thing twice: keep the earliest, longest."""
    from itertools import groupby

    ordered = sorted(findings, key=lambda f: (f.family, f.start, -(f.end - f.start), f.rule))
    return [f for _, family in groupby(ordered, key=lambda f: f.family) for f in without_overlaps(family)]


# When a wording family (legalese, cliche) flags the same words as a family about what the reply
# does to the customer, they are one problem: "As per our policy" is a policy wall that happens
# to be worded stiffly. The finding is named after the family earlier in this list; the other is
# named in `also`. Two content families on one span (blame and condescension on "If you had read
# the manual") stay two findings: each is its own reason, and each has its own rewrite.
_SPECIFIC_FIRST = ("hostility", "threat", "sarcasm", "non-apology", "you-are-wrong", "condescension", "last-word",
                   "blame", "dismissive", "deflection", "cant-do", "blunt-no", "policy-wall", "commanding",
                   "legalese", "cliche", "shouting", "structure")
_WORDING = frozenset({"legalese", "cliche"})  # merged into another family's finding on the same words
SAME_SPAN_SHARE = 0.6  # two spans are "the same" when one holds the other or they share this much of the longer


def merge_same_span(findings: list[Finding]) -> list[Finding]:
    """A wording finding on (nearly) the same words as another family's becomes part of that
    finding, named in it, so a reader sees one problem rather than two squiggles on one phrase."""
    merged: list[Finding] = []
    for f in sorted(findings, key=lambda f: (_specificity(f.family), f.start)):
        twin = next((i for i, m in enumerate(merged) if _same_span(m, f)), None)
        if twin is None:
            merged.append(f)
        else:
            merged[twin] = _absorb(merged[twin], f)
    return merged


def _specificity(family: str) -> int:
    return _SPECIFIC_FIRST.index(family) if family in _SPECIFIC_FIRST else len(_SPECIFIC_FIRST)


def _same_span(a: Finding, b: Finding) -> bool:
    if a.family == b.family or not (a.family in _WORDING or b.family in _WORDING):
        return False
    shared = min(a.end, b.end) - max(a.start, b.start)
    longer, shorter = max(a.end - a.start, b.end - b.start), min(a.end - a.start, b.end - b.start)
    return shared > 0 and (shared == shorter or shared >= SAME_SPAN_SHARE * longer)


def _absorb(kept: Finding, other: Finding) -> Finding:
    """`kept` names `other` too: the louder severity, and `other`'s rewrites if `kept` has none."""
    severity = max((kept.severity, other.severity), key=lambda s: Severity(s).rank)
    return replace(kept, severity=severity, also=[*kept.also, f"{other.rule} {other.family}"],
                   message=f"{kept.message} [+ {other.rule} {other.family}]",
                   suggestions=kept.suggestions or other.suggestions)


def _finding(rule: Rule, hit: Hit, folded: Folded, lines: LineIndex, at_start: bool, config: Config) -> Finding:
    """A finding at the hit's span in the original text; its message and rewrites are built
    from the folded text, so they read with single spaces."""
    start, end = folded.span(hit.start, hit.end)
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    shown = folded.text
    suggestions = []
    for rewrite in rule.rewrites:
        s = suggestion(rewrite, shown, hit.start, hit.end, hit.groups, at_start)
        suggestions.append(Suggestion(s.replacement, *folded.span(s.start, s.end), s.safe, s.deletes))
    return Finding(
        rule=rule.code, name=rule.name, family=rule.family.value,
        severity=rule_severity(rule, config).value,
        message=rule.message.replace("{match}", shown[hit.start:hit.end]), why=rule.why,
        start=start, end=end, line=line, column=column, suggestions=suggestions,
        matched=folded.original[start:end], end_line=end_line, end_column=end_column, lang=rule.lang,
    )


def known_selectors(lang: str, config: Config) -> set[str]:
    """Every code, name and family a `select` / `ignore` / `severity` key may name."""
    from .model import Family
    from .ruleset import load_rules
    from .tone.findings import selector_keys

    keys = {f.value for f in Family} | selector_keys()  # the tone model's codes and names too
    for rule in load_rules(lang, config.rule_folders).rules:
        keys.update((rule.code.lower(), rule.name))
    return keys


class UnknownRuleError(ConfigError, ValueError):
    """A `select` / `ignore` / `severity` key naming no rule or family. A ValueError too, so
    hosts that report bad input as ValueError (the language server) show it as such."""


def check_selectors(config: Config, langs: tuple[str, ...]) -> None:
    """Raise UnknownRuleError for the first `select` / `ignore` / `severity` key that names no
    rule, rule name or family in any of `langs` (the CLI checks its keys the same way)."""
    if config.names_rules:
        _check_selectors(tuple(config.select), tuple(config.ignore), tuple(config.severity), langs,
                         tuple(config.rule_folders), config.source)


@lru_cache(maxsize=64)
def _check_selectors(select: tuple[str, ...], ignore: tuple[str, ...], severity: tuple[str, ...],
                     langs: tuple[str, ...], folders: tuple[str, ...], source: str) -> None:
    """Cached: a host calling `check` for every reply pays for the lookup once."""
    known: set[str] = set()
    for lang in langs:
        known |= known_selectors(lang, Config(rule_folders=folders))
    for key, values in (("select", select), ("ignore", ignore), ("severity", severity)):
        for value in values:
            if value.lower() not in known and value not in known:
                raise UnknownRuleError(source, key, f"unknown rule or family {value!r}",
                                       "a rule code, name or family from `replylint rules`")


def rule_problems(lang: str, config: Config) -> list:
    """Rule files that failed to load or compile for this language and config.

    Only a team's own rule folders can fail to compile (the bundled rules compile in the
    test suite), so without them nothing is compiled here: a fully cached run never pays
    for building the matchers.
    """
    from .ruleset import load_rules

    loaded = load_rules(lang, config.rule_folders).errors
    return [*loaded, *compiled_rules(lang, config.rule_folders).errors] if config.rule_folders else list(loaded)
