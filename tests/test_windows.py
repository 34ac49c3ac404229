"""Scanning a phrase regex only in the sentences (or lines) that hold its gate's words finds
exactly what scanning the whole text finds (matching.Windows)."""
from __future__ import annotations

import random

import pytest

from replylint import matching
from replylint.phrases import reach
from replylint.ruleset import load_rules

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
