"""Regex gates may only skip work: they must never hide a match."""
from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from replylint.engine.marked_text import parse_marked
from replylint.engine.matching import compiled_rules
from replylint.engine.positions import normalize_quotes
from replylint.engine.prefilter import GateIndex, passes, required_literals
from replylint.engine.ruleset import ANY_LANGUAGE, available_languages


def test_literals_of_simple_patterns() -> None:
    assert required_literals(r"(?i)\bper my last (?:e-?mail|message)") == {"per my last "}
    assert required_literals(r"(?i)\b(?:calm down|settle down)\b") == {"calm down", "settle down"}
    assert required_literals(r"!{2,}") == {"!!"}
    assert required_literals(r"(?i)\b(?:please )?x") is None  # too short to be worth a gate
    assert required_literals(r"\p{Lu}{3,}") is None  # regex-module syntax: no gate, always run


# Every regex against every example text is ~9 million searches (85 s); a regex is checked on
# its own rules' examples (where its matches are) and on every SAMPLE_STRIDE-th other text.
SAMPLE_STRIDE = 4


def _example_texts(rule) -> list[str]:
    return [normalize_quotes(parse_marked(t)[0]) for t in
            [*(e.text for e in rule.examples.flagged), *rule.examples.allowed, *rule.examples.instead,
             *(u.example for u in rule.unless)]]


def test_every_bundled_regex_gate_passes_wherever_it_matches() -> None:
    for lang in [*available_languages(), ANY_LANGUAGE]:
        compiled = compiled_rules(lang)
        by_code = {r.code: _example_texts(r) for r in compiled.rules}
        sample = [t for texts in by_code.values() for t in texts][::SAMPLE_STRIDE]
        checked = 0
        for entry in [*compiled.match_regexes, *compiled.unless_regexes]:
            own = [t for code in entry.codes for t in by_code.get(code, [])]
            for text in [*own, *sample]:
                if entry.pattern.search(text):
                    checked += 1
                    assert passes(entry.gate, text.lower()), (entry.pattern.pattern, text)
        assert checked > 0, f"{lang}: no regex matched any example, so nothing was checked"
        index = GateIndex([e.gate for e in compiled.match_regexes])
        for text in sample:
            wanted = [i for i, e in enumerate(compiled.match_regexes) if e.pattern.search(text)]
            assert set(wanted) <= set(index.candidates(text.lower())), text


WORDS = st.sampled_from(["no", "No", "NOPE", "calm", "down", "per", "my", "last", "email", "you", "’re",
                         "wrong", "!", "?", " ", ",", "\n", "we", "can't", "é", "ß"])
PATTERNS = [r"(?i)\bcalm\s+down\b", r"(?i)per my last (?:e-?mail|message)", r"(?i)\bno(?:pe)?\b[,.!]",
            r"[!?]{2,}", r"(?i)you're (?:wrong|mistaken)", r"NOPE|nope", r"(?i)we can't\b"]


@given(st.lists(WORDS, max_size=30).map("".join), st.sampled_from(PATTERNS))
def test_gate_never_hides_a_match(text: str, pattern: str) -> None:
    text = normalize_quotes(text)
    if regex.search(pattern, text):
        gate = required_literals(pattern)
        assert passes(gate, text.lower())
        assert GateIndex([gate]).candidates(text.lower()) == [0]
