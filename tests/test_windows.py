"""Scanning a phrase regex only in the sentences (or lines) that hold its gate's words
(matching.Windows), or trying it only where its start words begin a word (matching.WordStarts),
finds exactly what scanning the whole text finds."""
from __future__ import annotations

import random

import pytest

import replylint.engine.matching as matching
from replylint.engine.phrases import reach, start_words
from replylint.engine.ruleset import load_rules

EDGES = [
    "Iht. våre vilkår er depositumet ikke refunderbart.",  # a phrase holding an abbreviation's dot
    "Hi Sam.  We can't  refund it.\tNo.\nAs I said, no.",  # squeezed blanks: no windows
    "İstanbul office: we can't refund that. As I already explained, no.",  # lower() changes length
    "No thanks. Whatever.\n\nYou should have read the terms!!! Per our policy, no refunds…",
]


def _texts(lang: str, rng: random.Random) -> list[str]:
    items: list[str] = []
    for rule in load_rules(lang).rules:
        items += [f.text.replace("[[", "").replace("]]", "") for f in rule.examples.flagged]
        items += [*rule.examples.allowed, *rule.examples.instead]
    glued = [sep.join(rng.sample(items, 4)) for sep in ("\n", " ", "  \n") for _ in range(60)]
    return [*items[:300], *glued, *EDGES]


def _hits(compiled: matching.CompiledRules, text: str) -> dict[str, list[tuple[int, int]]]:
    return {key: sorted({(h.start, h.end) for h in found}) for key, found in compiled.run(text)[1].items()}


@pytest.mark.parametrize("lang", ["en", "nb", "fi"])
def test_windows_find_what_the_whole_text_finds(lang: str, monkeypatch) -> None:
    compiled = matching.compiled_rules(lang)
    texts = _texts(lang, random.Random(7))
    windowed = [_hits(compiled, t) for t in texts]
    monkeypatch.setattr(matching, "_spans", lambda *_args, **_kwargs: None)
    whole = [_hits(compiled, t) for t in texts]
    assert sum(map(len, whole)) > 50  # the texts do match: the comparison means something
    assert [t for t, a, b in zip(texts, windowed, whole, strict=True) if a != b] == []


def test_windows_cover_only_the_sentences_holding_a_literal() -> None:
    text = "Hello there. We cannot do that. Thanks!\nBye now."
    where = {0: [text.index("cannot") + 5]}
    windows = matching.Windows(text)
    assert windows.of(where, (0,), line=False) == [(13, 32)]  # "We cannot do that. "
    assert windows.of(where, (0,), line=True) == [(0, text.index("\n"))]
    assert matching.Windows("One sentence only, cannot.").of(where, (0,), line=False) is None


def test_windows_never_serve_one_runs_literals_to_another() -> None:
    """The match run and the exception run number their literals apart, each in its own dict;
    a memo keyed by id() of the first dict, once freed, answered the second with its spans."""
    text = "Hello there. We cannot do that. Thanks!\nBye now. Sorry about that."
    windows = matching.Windows(text)
    for _ in range(50):  # CPython soon reuses a freed dict's id for a new one
        first = {0: [text.index("cannot") + 5]}
        assert windows.of(first, (0,), line=False) == [(13, 32)]
        del first
        second = {0: [text.index("Sorry") + 4]}
        assert windows.of(second, (0,), line=False) == matching.Windows(text).of(second, (0,), line=False)
        assert windows.of(second, (0,), line=False) == [(text.index("Sorry"), len(text))]


@pytest.mark.parametrize(("phrase", "expected"), [
    ("(we|I) (can't|cannot)", "sentence"),
    ("!(if|unless) we can't help", "sentence"),
    ("there is no refund !(fee|charge)", "sentence"),
    ("no thanks $", "line"),
    ("jf. (vores|våre)", "line"),
    ("no!", "line"),
])
def test_reach_of_a_phrase(phrase: str, expected: str) -> None:
    assert reach(phrase) == expected


def _found(compiled: matching.CompiledRules, text: str) -> dict[str, list[tuple[int, int]]]:
    """Hits of the rules that matched, with their exceptions' hits (an exception is looked for
    only when its rule matched)."""
    hits = {key: found for key, found in _hits(compiled, text).items() if found}
    matched = {key.split("#")[0] for key in hits if key.endswith(matching.MATCH)}
    return {key: found for key, found in hits.items() if key.split("#")[0] in matched}


@pytest.mark.parametrize("lang", ["en", "sv", "da", "nb", "fi", "ms"])
def test_tries_at_word_starts_find_what_the_whole_text_finds(lang: str, monkeypatch) -> None:
    compiled = matching.compiled_rules(lang)
    texts = _texts(lang, random.Random(11))
    tried = [_found(compiled, t) for t in texts]
    monkeypatch.setattr(matching, "WordStarts", lambda *_args: None)
    monkeypatch.setattr(matching, "_spans", lambda *_args, **_kwargs: None)
    whole = [_found(compiled, t) for t in texts]
    assert sum(map(len, whole)) > 50
    assert [t for t, a, b in zip(texts, tried, whole, strict=True) if a != b] == []


@pytest.mark.parametrize(("phrase", "expected"), [
    ("(we|I) (can't|cannot)", {"we", "i"}),
    ("!(if|unless) we can't help", {"we"}),
    ("^ [please] rest assured", {"please", "rest"}),
    ("refund* (is|are) not", {"refund*"}),
    ("hope(fully) you", {"hope*"}),  # a glued ending: "hope" only starts the text's word
    ("[well] <you people>", {"well", "you"}),
    ("* further", None),  # a wildcard may begin the match
    ("within # days", {"within"}),
    ("'ll be there", None),
])
def test_start_words_of_a_phrase(phrase: str, expected: set[str] | None) -> None:
    assert start_words(phrase) == (None if expected is None else frozenset(expected))


def test_word_starts_finds_words_and_stems() -> None:
    starts = matching.WordStarts("we can't refund it. refunds, we said; unrefunded")
    assert starts.of(frozenset({"we"})) == [0, 29]
    assert starts.of(frozenset({"refund*", "can"})) == [3, 9, 20]
    assert starts.of(frozenset({"nothing"})) == []
