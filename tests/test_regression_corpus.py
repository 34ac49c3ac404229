"""Regression corpus: recall on risky replies and false-positive rate on clean ones.

The corpus (tests/corpus/regression.jsonl) is written independently of the rules, so it
measures how the rules generalise to wording they were not written against. The `reg-s15-…`
lines are different: classic phrases from advice pages' "never say" lists and owners' replies to
reviews, and warm look-alikes of them ("No worries at all", "You must try the lemon cake!"),
written in session 15 before they were run; only those the rules then caught in a fitting family
(risky) or left quiet (clean) were kept, so for them this is a regression guard, not a measure.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import replylint

CORPUS = Path(__file__).resolve().parent / "corpus" / "regression.jsonl"

RECALL_MIN = 95.0  # percent of risky cases where a finding of an expected family appears
FP_MAX = 2.0  # percent of clean cases with any warning or error

FAMILIES = frozenset({
    "blunt-no", "you-are-wrong", "blame", "cant-do", "policy-wall", "deflection", "last-word",
    "condescension", "commanding", "legalese", "shouting", "cliche",
    "non-apology", "hostility", "threat", "dismissive", "sarcasm",
})
LOUD = frozenset({"warning", "error"})
MIN_CASES = 150
MIN_PER_FAMILY = 6
MIN_CLEAN = 60


def load_corpus() -> list[dict[str, Any]]:
    """Every case in the corpus file, in file order."""
    with CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Score:
    """Outcome of running the linter over the whole corpus."""

    recall: float
    fp_rate: float
    missed: list[tuple[dict[str, Any], list[replylint.Finding]]]
    false_positives: list[tuple[dict[str, Any], list[replylint.Finding]]]
    per_family: dict[str, tuple[int, int]]  # family -> (found, total)


@cache
def score() -> Score:
    """Run replylint over the corpus once and compute recall and false-positive rate."""
    risky = hit = clean = 0
    missed: list[tuple[dict[str, Any], list[replylint.Finding]]] = []
    false_positives: list[tuple[dict[str, Any], list[replylint.Finding]]] = []
    family_found: Counter[str] = Counter()
    family_total: Counter[str] = Counter()
    for case in load_corpus():
        findings = replylint.check(case["text"], lang=case["lang"])
        expected = set(case["expect"])
        if expected:
            risky += 1
            found = {f.family for f in findings} & expected
            family_total.update(expected)
            family_found.update(found)
            if found:
                hit += 1
            else:
                missed.append((case, findings))
        else:
            clean += 1
            loud = [f for f in findings if str(f.severity) in LOUD]
            if loud:
                false_positives.append((case, loud))
    return Score(
        recall=100.0 * hit / risky if risky else 0.0,
        fp_rate=100.0 * len(false_positives) / clean if clean else 0.0,
        missed=missed,
        false_positives=false_positives,
        per_family={fam: (family_found[fam], family_total[fam]) for fam in sorted(family_total)},
    )


def _describe(findings: list[replylint.Finding]) -> str:
    return ", ".join(f"{f.rule}/{f.family} {f.matched!r}" for f in findings) or "no findings"


def report(s: Score) -> str:
    """A readable summary: figures, per-family recall, missed cases, false positives."""
    lines = [f"recall_family={s.recall:.1f}% (min {RECALL_MIN}), fp_rate={s.fp_rate:.1f}% (max {FP_MAX})",
             "per family: " + ", ".join(f"{fam} {got}/{total}" for fam, (got, total) in s.per_family.items())]
    lines.append(f"missed ({len(s.missed)}):")
    lines += [f"  {c['id']} expect={c['expect']} {c['text']!r} -> {_describe(fs)}" for c, fs in s.missed]
    lines.append(f"false positives ({len(s.false_positives)}):")
    lines += [f"  {c['id']} {c['text']!r} -> {_describe(fs)}" for c, fs in s.false_positives]
    return "\n".join(lines)


def test_corpus_shape() -> None:
    """The corpus file itself is well-formed and balanced enough to mean something."""
    cases = load_corpus()
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted(i for i, n in Counter(ids).items() if n > 1)}"
    for case in cases:
        assert set(case) >= {"id", "lang", "text", "expect"}, case
        assert isinstance(case["lang"], str) and case["lang"], case["id"]
        assert isinstance(case["text"], str) and case["text"].strip(), case["id"]
        assert isinstance(case["expect"], list), case["id"]
        unknown = set(case["expect"]) - FAMILIES
        assert not unknown, f"{case['id']}: unknown families {sorted(unknown)}"
    assert len(cases) >= MIN_CASES, f"only {len(cases)} cases"
    per_family = Counter(fam for c in cases for fam in set(c["expect"]))
    thin = {fam: per_family[fam] for fam in FAMILIES if per_family[fam] < MIN_PER_FAMILY}
    assert not thin, f"families with fewer than {MIN_PER_FAMILY} risky cases: {thin}"
    clean = sum(1 for c in cases if not c["expect"])
    assert clean >= MIN_CLEAN, f"only {clean} clean cases"


def test_recall_and_false_positive_rate() -> None:
    """Risky replies are caught with the right family; clean replies stay quiet."""
    s = score()
    within_targets = s.recall >= RECALL_MIN and s.fp_rate <= FP_MAX
    assert within_targets, report(s)
