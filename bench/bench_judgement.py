"""Judgement per language on the held-out replies: recall_family and false-alarm rate,
with the language given and with detection (lang="auto"), plus detection accuracy; then
the same on the second blind sets in bench/blind/ (kept untouched: never tune on them).

    python bench/bench_judgement.py

Scores come from the same function the test suite uses (tests/test_heldout_corpus.py).
Figures go in docs/languages.md.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_heldout_corpus import HELDOUT, LANGS, load, score

from replylint.language import detect_language


def main() -> None:
    table(HELDOUT)
    print("\nsecond blind sets (bench/blind):")
    table(Path(__file__).resolve().parent / "blind")


def table(folder: Path) -> None:
    print(f"{'lang':5} {'cases':>5} {'risky':>5} {'clean':>5} | {'recall':>6} {'fp':>5} (given) |"
          f" {'recall':>6} {'fp':>5} (auto) | detected")
    for lang in LANGS:
        cases = load(lang, folder)
        risky = sum(bool(c["expect"]) for c in cases)
        given, auto = score(lang, False, folder), score(lang, True, folder)
        detected = sum(detect_language(c["text"]) == lang for c in cases)
        print(f"{lang:5} {len(cases):5} {risky:5} {len(cases) - risky:5} | {given[0]:6.1f} {given[1]:5.1f}"
              f"         | {auto[0]:6.1f} {auto[1]:5.1f}        | {100 * detected / len(cases):.1f}%")
        for line in auto[2]:
            print("      ", line)


if __name__ == "__main__":
    main()
