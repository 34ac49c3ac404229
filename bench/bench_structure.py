"""Flood limits of the reply-level (structure) checks, measured on real replies (issue 15, item 4).

    python bench/bench_structure.py                       # the default corpora
    python bench/bench_structure.py --shares              # and the negative-framing share distribution
    python bench/bench_structure.py --show RL004 --limit 5   # print replies a check flagged

For each corpus: how many replies get a structure finding at warning or above with the default
config (the limit: at most 5% of real-unlabeled-dev, at most 2% of the good replies), how many
get one at `info` (the default severity: what a team sees if it raises the family to warning),
and the count per check. Replies in a language without a pack are checked with lang="auto".

The corpora:
  unlabeled   ../shared/corpus/real-unlabeled-dev.jsonl   real agent replies, nearly all fine
  real clean  corpus/real/<lang>.jsonl, expect == []       real replies labelled clean (kind reply/better)
  instead     every bundled rule's `instead` examples      the packs' own good replies
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import replylint
from replylint.config import Config
from replylint.normalize import fold
from replylint.positions import normalize_quotes
from replylint.replychecks import _moves, _trigger_sentences, reply_rules, shape
from replylint.ruleset import available_languages, every_rule

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
LOUD = frozenset({"warning", "error"})
PACKS = frozenset(available_languages())
CONFIG = Config(select=("structure",))  # only the structure findings are counted; the others do not change them


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpora() -> dict[str, list[tuple[str, str]]]:
    """name -> (lang, text) pairs."""
    out: dict[str, list[tuple[str, str]]] = {}
    unlabeled = SHARED / "real-unlabeled-dev.jsonl"
    if unlabeled.exists():
        out["unlabeled"] = [(row["lang"], row["text"]) for row in _jsonl(unlabeled)]
    clean = []
    for path in sorted((ROOT / "corpus" / "real").glob("*.jsonl")):
        if path.stem == "shared-dev":
            continue
        clean += [(row["lang"], row["text"]) for row in _jsonl(path) if not row.get("expect")]
    shared_dev = SHARED / "real-dev.jsonl"
    if shared_dev.exists():
        clean += [(row["lang"], row["text"]) for row in _jsonl(shared_dev) if not row.get("expect")]
    out["real clean"] = clean
    out["instead"] = [(rule.lang, text) for rule in every_rule() for text in rule.examples.instead]
    return out


def run(rows: Iterable[tuple[str, str]]) -> tuple[int, int, int, int, Counter[str], list]:
    """(replies, long enough to be checked, with a loud structure finding, with any, per-check counts, flagged)."""
    total = eligible = loud = any_ = 0
    per_check: Counter[str] = Counter()
    flagged = []
    for lang, text in rows:
        total += 1
        lang = lang if lang in PACKS else "auto"
        eligible += len(text.split()) >= 25
        found = replylint.check(text, lang=lang, config=CONFIG)
        if found:
            any_ += 1
            flagged.append((text, found))
        loud += any(f.severity in LOUD for f in found)
        per_check.update({f"{f.rule} {f.name}" for f in found})
    return total, eligible, loud, any_, per_check, flagged


def shares(rows: Iterable[tuple[str, str]]) -> Counter[str]:
    """How the negative-framing share (sentences with a refusal move / all sentences) spreads over
    the replies long enough for the check (its min-words and min-sentences)."""
    spread: Counter[str] = Counter()
    for lang, text in rows:
        if lang not in PACKS:
            continue
        rule = next((r for r in reply_rules(lang) if r.reply is not None and r.reply.share is not None), None)
        if rule is None or len(text.split()) < rule.reply.min_words:
            continue
        moves = _moves(lang, ())
        normalized = normalize_quotes(fold(text).text)
        doc, hits = moves.compiled.run(normalized)
        body = shape(normalized, [(s.start_char, s.end_char) for s in doc.sents])
        if len(body.sentences) < rule.reply.min_sentences or body.words < rule.reply.min_words:
            continue
        share = len(_trigger_sentences(rule, body, hits, moves)) / len(body.sentences)
        spread[f"{min(share, 0.99) // 0.1 / 10:.1f}"] += 1
    return spread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shares", action="store_true", help="negative-framing share distribution")
    parser.add_argument("--show", metavar="CODE", help="print replies this check flagged")
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args(argv)
    print(f"{'corpus':<12} {'replies':>7} {'>=25 w':>7} {'warning+':>9} {'rate':>6} {'info':>6} {'rate':>6}  per check")
    for name, rows in corpora().items():
        total, eligible, loud, any_, per_check, flagged = run(rows)
        checks = ", ".join(f"{k}: {v}" for k, v in sorted(per_check.items())) or "-"
        print(f"{name:<12} {total:>7} {eligible:>7} {loud:>9} {loud / max(total, 1):>6.1%} {any_:>6} "
              f"{any_ / max(total, 1):>6.1%}  {checks}")
        if args.show:
            shown = [(t, f) for t, f in flagged if any(x.rule == args.show for x in f)][:args.limit]
            for text, found in shown:
                print("   ", repr(text[:300]))
                for f in found:
                    if f.rule == args.show:
                        print("      ->", f.message)
        if args.shares:
            spread = shares(rows)
            print("    negative-framing share (replies):",
                  ", ".join(f"{k}-: {v}" for k, v in sorted(spread.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
