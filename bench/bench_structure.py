"""Flood limits of the reply-level (structure) checks, measured on real replies (issue 15, item 4).

    python bench/bench_structure.py                       # the default corpora
    python bench/bench_structure.py --shares              # and the negative-framing share distribution
    python bench/bench_structure.py --show RL004 --limit 5   # print replies a check flagged
    python bench/bench_structure.py --labelled-only --misses # accuracy on the labelled replies, and its misses

For each corpus: how many replies get a structure finding at warning or above with the default
config (the limit: at most 5% of real-unlabeled-dev, at most 2% of the good replies), how many
get one at `info` (the default severity: what a team sees if it raises the family to warning),
and the count per check. Replies in a language without a pack are checked with lang="auto".

The corpora:
  unlabeled   ../shared/corpus/real-unlabeled-dev.jsonl   real agent replies, nearly all fine
  real clean  corpus/real/<lang>.jsonl, expect == []       real replies labelled clean (kind reply/better)
  instead     every bundled rule's `instead` examples      the packs' own good replies

Then accuracy, not flood: on corpus/replies/replies.jsonl (real whole replies, each labelled by
hand with the steps it makes and the structure checks a support lead would want to fire; see its
README), precision and recall of each structure check and of each step detector of the reply
score (replylint.engine.scoring: is the step's move found in the reply?).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import replylint
from replylint.engine.config import Config
from replylint.engine.normalize import fold
from replylint.engine.positions import normalize_quotes
from replylint.engine.replychecks import _moves, _trigger_sentences, reply_rules, shape
from replylint.engine.ruleset import available_languages, every_rule

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
LABELLED = ROOT / "corpus" / "replies" / "replies.jsonl"
CHECK_NAMES = ("refusal-without-alternative", "policy-without-reason", "bad-news-without-acknowledgement",
               "no-check-back", "negative-framing")
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


@dataclass
class Tally:
    """Agreement of one detector with the labels: true/false positives, false negatives, and
    the ids behind the errors (for --misses)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_pos: list[str] = field(default_factory=list)
    false_neg: list[str] = field(default_factory=list)

    def add(self, row_id: str, expected: bool, found: bool) -> None:
        if expected and found:
            self.tp += 1
        elif found:
            self.fp += 1
            self.false_pos.append(row_id)
        elif expected:
            self.fn += 1
            self.false_neg.append(row_id)
        else:
            self.tn += 1

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def labelled_rows(path: Path = LABELLED) -> list[dict]:
    return _jsonl(path) if path.is_file() else []


def structure_tallies(rows: Iterable[dict]) -> dict[str, Tally]:
    """Each structure check against the `expect_structure` labels (default config: every check
    with its own min-words, the family selected alone)."""
    tallies = {name: Tally() for name in CHECK_NAMES}
    for row in rows:
        lang = row["lang"] if row["lang"] in PACKS else "auto"
        found = {f.name for f in replylint.check(row["text"], lang=lang, config=CONFIG)}
        for name in CHECK_NAMES:
            tallies[name].add(row["id"], name in row["expect_structure"], name in found)
    return tallies


def step_detector() -> tuple[str, Callable[[str, str], dict[str, bool]]] | None:
    """What finds the steps, as the reply score sees them: replylint.engine.scoring's moves and steps
    (a step is found when one of its `made_by` moves is in the reply). None when this build has
    no reply score."""
    try:
        import replylint.engine.scoring as scoring
    except ImportError:
        return None
    made_by = {step.name.replace("-", "_"): frozenset(step.made_by) for step in scoring.STEPS}

    def detect(text: str, lang: str) -> dict[str, bool]:
        moves = scoring.moves_in(text, lang) or frozenset()
        return {name: bool(moves & lists) for name, lists in made_by.items()}

    return "replylint.engine.scoring (move lists rules/<lang>/_lists/move-*.yaml)", detect


def step_tallies(rows: Iterable[dict], detect: Callable[[str, str], dict[str, bool]]) -> dict[str, Tally]:
    """Each step detector against the `steps` labels."""
    tallies: dict[str, Tally] = {}
    for row in rows:
        found = detect(row["text"], row["lang"])
        for step, expected in row["steps"].items():
            tallies.setdefault(step, Tally()).add(row["id"], expected, found.get(step, False))
    return tallies


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def print_tallies(title: str, tallies: dict[str, Tally], misses: bool) -> None:
    print(f"{title:<34} {'labelled':>8} {'found':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>7}")
    for name, t in tallies.items():
        print(f"{name:<34} {t.tp + t.fn:>8} {t.tp + t.fp:>6} {t.tp:>4} {t.fp:>4} {t.fn:>4} "
              f"{_pct(t.precision):>10} {_pct(t.recall):>7}")
        if misses:
            print(f"    false positives: {', '.join(t.false_pos) or '-'}")
            print(f"    false negatives: {', '.join(t.false_neg) or '-'}")


def labelled_report(path: Path = LABELLED, misses: bool = False) -> int:
    """Print the structure checks' and step detectors' precision and recall on the labelled
    replies; returns how many replies were scored."""
    rows = labelled_rows(path)
    if not rows:
        print(f"no labelled replies at {path}")
        return 0
    langs = Counter(row["lang"] for row in rows)
    print(f"\nlabelled whole replies: {len(rows)} ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))})")
    print_tallies("structure check", structure_tallies(rows), misses)
    detector = step_detector()
    if detector is None:
        print("step detectors: this build has no reply score (replylint.engine.scoring)")
        return len(rows)
    source, detect = detector
    print(f"step detectors via {source}")
    print_tallies("step", step_tallies(rows, detect), misses)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shares", action="store_true", help="negative-framing share distribution")
    parser.add_argument("--show", metavar="CODE", help="print replies this check flagged")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--labelled", type=Path, default=LABELLED, help="labelled whole replies (JSONL)")
    parser.add_argument("--labelled-only", action="store_true", help="skip the flood rates")
    parser.add_argument("--misses", action="store_true", help="list the ids of false positives and negatives")
    args = parser.parse_args(argv)
    if args.labelled_only:
        labelled_report(args.labelled, args.misses)
        return 0
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
    labelled_report(args.labelled, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
