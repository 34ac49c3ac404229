"""A check through a ParagraphCache (engine/paragraph_cache.py) finds exactly what a full check
finds: findings, notices and scores, for every pack, over replies glued from the rules' own
examples and the corpora, and over a sequence of edits through one cache, as an editor sends them."""
from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint.engine.marked_text import parse_marked
from replylint.engine.ruleset import load_rules
from replylint.workspace import ParagraphCache, check_with_scores

ROOT = Path(__file__).resolve().parent.parent
PACKS = ("en", "sv", "da", "nb", "fi", "ms")
GLUE = (" ", " ", " ", "\n", "\n\n", "\n\n", "\n \n", "  ", "\t", "\n\n\n", " - ", "! ", "... ")
EDITS = ("", " ", ".", "?", "!", "\n", "\n\n", "No", "Sorry", "e.g. ", "Mr. ", "U.S. ", "”", "'", ",", "(", ")",
         "x", "you", "policy")


@cache
def sentences(lang: str) -> tuple[str, ...]:
    """The pack's rule examples (flagged and better wordings) and its corpus replies."""
    found: list[str] = []
    for rule in load_rules(lang).rules:
        found += [parse_marked(example.text)[0] for example in rule.examples.flagged]
        found += list(rule.examples.instead)
    for name in ("tests/corpus/regression.jsonl", "tests/corpus/languages.jsonl", "corpus/replies/replies.jsonl"):
        path = ROOT / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line) if line.strip() else {}
                if row.get("lang", "en") == lang and isinstance(row.get("text"), str):
                    found.append(row["text"])
    return tuple(sorted(set(found)))


def reply(rng: random.Random, lang: str) -> str:
    parts = [rng.choice(("Hi Anna,", "Hej Anna,", "Hello,", "")), "\n\n"]
    for _ in range(rng.randint(2, 12)):
        parts += [rng.choice(sentences(lang)), rng.choice(GLUE)]
    parts += ["\n\n", rng.choice(("Kind regards,\nJo", "Mvh\nJo", "Thanks!", ""))]
    return "".join(parts)


def edited(rng: random.Random, text: str, lang: str) -> str:
    """One edit as a person makes it: type or delete a few characters, paste a sentence, join
    or split paragraphs."""
    at = rng.randint(0, len(text))
    kind = rng.random()
    if kind < 0.4:
        return text[:at] + rng.choice(EDITS) + text[at:]
    if kind < 0.6:
        return text[:at] + text[at + rng.randint(1, 12):]
    if kind < 0.8:
        return text[:at] + rng.choice(GLUE) + rng.choice(sentences(lang)) + text[at:]
    return text.replace("\n\n", " ", 1) if rng.random() < 0.5 else text[:at] + "\n\n" + text[at:]


def same(text: str, lang: str, pieces: ParagraphCache, context: str | None = None) -> None:
    full = check_with_scores(text, lang, None, context=context)
    incremental = check_with_scores(text, lang, None, context=context, cache=pieces)
    assert incremental == full, text


@pytest.mark.parametrize("lang", PACKS)
def test_every_pack_as_a_full_check(lang: str) -> None:
    rng = random.Random(f"pieces-{lang}")
    for _ in range(12):
        pieces = ParagraphCache()
        text = reply(rng, lang)
        same(text, lang, pieces)
        for _ in range(8):
            text = edited(rng, text, lang)
            same(text, lang, pieces)
        assert pieces.reused > 0


def test_detected_language_and_thread_context() -> None:
    rng = random.Random("pieces-auto")
    pieces = ParagraphCache()
    for lang in PACKS:
        text = reply(rng, lang)
        same(text, "auto", pieces)
        same(text, "auto", pieces, context="Why is my refund late? I am really upset.")
        same(edited(rng, text, lang), "auto", pieces, context="")


def test_each_sentence_alone_and_glued_to_the_next() -> None:
    """Every example by itself, and each pair across a line, a paragraph and a sentence cut."""
    for lang in PACKS:
        pieces = ParagraphCache()
        examples = sentences(lang)
        for i, text in enumerate(examples):
            same(text, lang, pieces)
            same(f"{text}\n\n{examples[i - 1]}", lang, pieces)
            same(f"{examples[i - 1]} {text}", lang, pieces)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PACKS), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(GLUE + EDITS)),
                                        min_size=1, max_size=6), st.integers(0, 2**32))
def test_random_edits(lang: str, edits: list[tuple[int, str]], seed: int) -> None:
    rng = random.Random(seed)
    text = reply(rng, lang)
    pieces = ParagraphCache()
    same(text, lang, pieces)
    for at, typed in edits:
        at %= len(text) + 1
        text = text[:at] + typed + text[at + rng.randint(0, 3):]
        same(text, lang, pieces)


def test_a_cache_holds_one_version_of_its_document() -> None:
    """Pieces of earlier versions go: over many edits the cache does not grow."""
    rng = random.Random("pieces-size")
    text = reply(rng, "en")
    pieces = ParagraphCache()
    check_with_scores(text, "en", None, cache=pieces)
    sizes = []
    for i in range(200):
        text = edited(rng, text, "en") if i % 2 else text.replace("policy", "rule", 1)
        check_with_scores(text, "en", None, cache=pieces)
        sizes.append(pieces.size())
    assert max(sizes) <= 2 * 3 * (text.count(" ") + text.count("\n") + 10)
    assert pieces.reused > 5 * pieces.matched


def test_a_cache_of_the_wrong_type_is_one_clear_type_error() -> None:
    with pytest.raises(TypeError, match=r"cache must be a replylint\.workspace\.ParagraphCache, not str"):
        check_with_scores("No.", cache="x")
