"""Held-out replies per language (tests/corpus/heldout/<lang>.jsonl): judgement on wording
the packs were not written against, scored with the language given and with detection.

Each set was written before its author read the language's rules; the blind scores, and
the scores after the packs were widened from what they missed, are in docs/languages.md.
These thresholds keep the packs from sliding back.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

import replylint

HELDOUT = Path(__file__).resolve().parent / "corpus" / "heldout"
LANGS = ("sv", "da", "nb", "fi", "ms")
RECALL_MIN = 85.0  # percent of risky replies with a finding of an expected family
FP_MAX = 5.0  # percent of clean replies with any warning or error
LOUD = frozenset({"warning", "error"})


def load(lang: str, folder: Path = HELDOUT) -> list[dict]:
    with (folder / f"{lang}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def score(lang: str, detect: bool, folder: Path = HELDOUT) -> tuple[float, float, list[str]]:
    """(recall_family, fp_rate, the misses and false alarms for the failure message)."""
    risky = hits = clean = alarms = 0
    wrong: list[str] = []
    for case in load(lang, folder):
        found = replylint.check(case["text"], lang="auto" if detect else lang)
        families = {f.family for f in found}
        if case["expect"]:
            risky += 1
            if families & set(case["expect"]):
                hits += 1
            else:
                wrong.append(f"missed {case['id']} {case['expect']}: {case['text']}")
        else:
            clean += 1
            loud = [f"{f.rule} {f.matched!r}" for f in found if f.severity in LOUD]
            if loud:
                alarms += 1
                wrong.append(f"false alarm {case['id']} {loud}: {case['text']}")
    return 100 * hits / risky, 100 * alarms / clean, wrong


@pytest.mark.parametrize("lang", LANGS)
def test_each_set_is_big_and_covers_every_core_family(lang: str) -> None:
    cases = load(lang)
    families = [family for case in cases for family in case["expect"]]
    assert len(cases) >= 60 and sum(not case["expect"] for case in cases) >= 25
    for family in ("blunt-no", "you-are-wrong", "blame", "cant-do", "policy-wall", "deflection", "last-word",
                   "condescension", "commanding"):
        assert families.count(family) >= 4, f"{lang}: {family} has {families.count(family)} cases"
    assert all(case["lang"] == lang for case in cases)


@pytest.mark.parametrize("detect", [False, True], ids=["lang-given", "lang-auto"])
@pytest.mark.parametrize("lang", LANGS)
def test_judgement_on_held_out_replies(lang: str, detect: bool) -> None:
    recall, fp_rate, wrong = score(lang, detect)
    assert recall >= RECALL_MIN and fp_rate <= FP_MAX, (recall, fp_rate, wrong)
