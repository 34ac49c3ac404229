"""Language detection: accuracy on short replies, and what `lang="auto"` adds per reply.

    python bench/bench_language.py [--corpus FILE.jsonl ...]

Accuracy is measured on every `{"lang", "text"}` line of the given corpora (default: the
project's tests/corpus/languages.jsonl and regression.jsonl). The cost is the time of
`replylint.check(text, lang="auto")` against `lang=<the right language>` on the same
replies, warm, best of several rounds. Figures go in docs/languages.md.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import replylint
from replylint.engine.language import _detect_sample, detect_language

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
DEFAULT = [CORPUS / "languages.jsonl", CORPUS / "regression.jsonl", *sorted((CORPUS / "heldout").glob("*.jsonl"))]


def load(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for path in paths for line in path.open(encoding="utf-8") if line.strip()]


def timed(cases: list[dict], rounds: int = 9) -> tuple[float, float]:
    """Seconds per reply with the language given and with `auto`, best of `rounds`; the two
    modes alternate round by round so that machine noise hits both alike."""
    best = {False: float("inf"), True: float("inf")}
    for _ in range(rounds):
        for auto in (False, True):
            _detect_sample.cache_clear()  # every reply is new to the detector, as in a CI run
            start = time.perf_counter()
            for case in cases:
                replylint.check(case["text"], lang="auto" if auto else case.get("lang", "en"))
            best[auto] = min(best[auto], time.perf_counter() - start)
    return best[False] / len(cases), best[True] / len(cases)


def replies_of(cases: list[dict], words: int) -> list[dict]:
    """Replies of about `words` words, made by joining cases of one language in order."""
    out: list[dict] = []
    by_lang: dict[str, list[str]] = {}
    for case in cases:
        by_lang.setdefault(case.get("lang", "en"), []).append(case["text"])
    for lang, texts in by_lang.items():
        current: list[str] = []
        for text in texts:
            current.append(text)
            if sum(len(t.split()) for t in current) >= words:
                out.append({"lang": lang, "text": "Hi,\n\n" + " ".join(current)})
                current = []
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, action="append")
    options = parser.parse_args()
    cases = load(options.corpus or DEFAULT)
    totals, right = Counter(), Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    for case in cases:
        lang, found = case.get("lang", "en"), detect_language(case["text"])
        totals[lang] += 1
        right[lang] += found == lang
        if found != lang:
            confusions[(lang, found)] += 1
    print(f"{'lang':5} {'cases':>6} {'correct':>8}")
    for lang in sorted(totals):
        print(f"{lang:5} {totals[lang]:6} {100 * right[lang] / totals[lang]:7.1f}%")
    print(f"all   {sum(totals.values()):6} {100 * sum(right.values()) / sum(totals.values()):7.1f}%")
    if confusions:
        print("confusions:", ", ".join(f"{a}->{b} x{n}" for (a, b), n in confusions.most_common()))
    for case in cases[:50]:  # warm every pack's pipeline first
        replylint.check(case["text"], lang="auto")
        replylint.check(case["text"], lang=case.get("lang", "en"))
    start = time.perf_counter()
    for case in cases:
        detect_language(case["text"])
    detect = (time.perf_counter() - start) / len(cases)
    print(f"detection alone, hot loop: {detect * 1000:.3f} ms a reply")
    short = [c for c in cases if len(c["text"]) < 90]
    groups = [("one sentence (< 90 chars)", short),
              ("  of them English", [c for c in short if c.get("lang", "en") == "en"]),
              ("  of them sv, fi, ms", [c for c in short if c.get("lang") in ("sv", "fi", "ms")]),
              ("  of them da, nb", [c for c in short if c.get("lang") in ("da", "nb")]),
              ("corpus replies as written", cases), ("about 90 words", replies_of(cases, 90)),
              ("about 300 words", replies_of(cases, 300))]
    for name, group in groups:
        known, auto = timed(group, rounds=9 if len(group) < 400 else 5)
        print(f"{name:27} {len(group):4} replies: lang given {known * 1000:.3f} ms, lang=auto "
              f"{auto * 1000:.3f} ms ({100 * (auto - known) / known:+.1f}%)")


if __name__ == "__main__":
    main()
