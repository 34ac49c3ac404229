"""Judgement per corpus, language and family: recall_family and false-alarm rate, rules alone
and rules + the tone model, with the blind real split reported apart.

    python bench/bench_judgement.py                 # every corpus in the repository
    python bench/bench_judgement.py --families      # and recall per family
    python bench/bench_judgement.py --extra ../shared/corpus/real-dev.jsonl   # any other labelled JSONL
    python bench/bench_judgement.py --json          # one JSON object per row
    python bench/bench_judgement.py --structure     # and the reply-level checks on labelled whole replies

The corpora, and whether the packs were tuned on them (a tuned set is not proof):
  real dev      corpus/real/<lang>.jsonl           real sourced replies; rules were widened from them
  real blind    corpus/real/blind/<lang>.jsonl     real sourced replies, whole sources held out, never tuned on
  team heldout  tests/corpus/heldout/<lang>.jsonl  written by the team before reading the packs; widened after
  team blind    bench/blind/<lang>.jsonl           the team's second blind sets, never tuned on
  regression    tests/corpus/regression.jsonl      the team's English set (tuned on)
Rule examples are never scored here (they are the rules' own tests).

The phrase families are judged on phrases; the reply-level (structure) checks and the reply
score's step detectors are judged on whole replies: --structure adds their precision and recall
on corpus/replies/replies.jsonl (computed by bench_structure.labelled_report).

Scoring follows the project's scorer: a risky case counts for recall_family when a finding of an
expected family appears (cases labelled only "other" are left out); a clean case is a false alarm
when any finding at warning or above appears; risky cases under --min-words words are left out.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import replylint

ROOT = Path(__file__).resolve().parents[1]
LOUD = frozenset({"warning", "error"})


@dataclass(frozen=True)
class Corpus:
    name: str
    paths: tuple[Path, ...]
    tuned: bool


def corpora(extra: Iterable[str]) -> list[Corpus]:
    real = ROOT / "corpus" / "real"
    found = [
        Corpus("real dev", tuple(sorted(real.glob("*.jsonl"))), tuned=True),
        Corpus("real blind", tuple(sorted((real / "blind").glob("*.jsonl"))), tuned=False),
        Corpus("team heldout", tuple(sorted((ROOT / "tests" / "corpus" / "heldout").glob("*.jsonl"))), tuned=True),
        Corpus("team blind", tuple(sorted((ROOT / "bench" / "blind").glob("*.jsonl"))), tuned=False),
        Corpus("regression", (ROOT / "tests" / "corpus" / "regression.jsonl",), tuned=True),
    ]
    found += [Corpus(Path(p).name, (Path(p),), tuned=True) for p in extra]
    return [c for c in found if any(p.is_file() for p in c.paths)]


def load(corpus: Corpus, min_words: int) -> list[dict]:
    cases = []
    for path in corpus.paths:
        with path.open(encoding="utf-8") as handle:
            cases += [json.loads(line) for line in handle if line.strip()]
    return [c for c in cases if not c.get("expect") or len(c["text"].split()) >= min_words]


@dataclass
class Tally:
    risky: int = 0
    named: int = 0
    hits: int = 0
    clean: int = 0
    alarms: int = 0
    family: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, case: dict, found: list[replylint.Finding]) -> None:
        families = {f.family for f in found}
        expect = set(case.get("expect") or ())
        if not expect:
            self.clean += 1
            self.alarms += any(f.severity in LOUD for f in found)
            return
        self.risky += 1
        named = expect - {"other"}
        if named:
            self.named += 1
            self.hits += bool(families & named)
        for fam in named:
            self.family[fam][1] += 1
            self.family[fam][0] += fam in families

    def row(self) -> dict:
        pct = lambda n, d: round(100.0 * n / d, 1) if d else None  # noqa: E731
        return {"cases": self.risky + self.clean, "risky": self.risky, "clean": self.clean,
                "recall_family": pct(self.hits, self.named), "fp_rate": pct(self.alarms, self.clean),
                "per_family": {k: f"{h}/{n}" for k, (h, n) in sorted(self.family.items())}}


def model_config(on: bool) -> replylint.Config | None:
    """A config with the tone model on or off, or None when this build has no tone model."""
    names = {f.name for f in dataclasses.fields(replylint.Config)}
    return replylint.Config(tone_model=on) if "tone_model" in names else None  # type: ignore[call-arg]


def score(cases: list[dict], config: replylint.Config | None, detect: bool = False) -> dict[str, Tally]:
    """Tallies per language (and "all"); with `detect`, each reply's language is detected."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        found = replylint.check(case["text"], lang="auto" if detect else case.get("lang", "auto"), config=config)
        tallies[case.get("lang", "?")].add(case, found)
        tallies["all"].add(case, found)
    return tallies


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extra", action="append", default=[], help="another labelled JSONL file (tuned on)")
    ap.add_argument("--min-words", type=int, default=3)
    ap.add_argument("--families", action="store_true", help="print recall per family")
    ap.add_argument("--auto", action="store_true", help="detect each reply's language instead of giving it")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--structure", action="store_true",
                    help="also the structure checks and step detectors on the labelled whole replies")
    a = ap.parse_args()
    modes = {"rules": model_config(False)}
    if modes["rules"] is not None:
        modes["rules+model"] = model_config(True)
    if not a.json:
        print(f"{'corpus':13} {'mode':12} {'lang':4} {'cases':>5} {'risky':>5} {'clean':>5} {'recall':>6} {'fp':>5}")
    for corpus in corpora(a.extra):
        cases = load(corpus, a.min_words)
        for mode, config in modes.items():
            for lang, tally in sorted(score(cases, config, a.auto).items(), key=lambda kv: (kv[0] == "all", kv[0])):
                row = tally.row()
                if a.json:
                    print(json.dumps({"corpus": corpus.name, "tuned": corpus.tuned, "mode": mode, "lang": lang, **row}))
                    continue
                fmt = lambda v: "-" if v is None else f"{v:.1f}"  # noqa: E731
                tag = corpus.name + ("" if corpus.tuned else " *")
                print(f"{tag:13} {mode:12} {lang:4} {row['cases']:5} {row['risky']:5} {row['clean']:5}"
                      f" {fmt(row['recall_family']):>6} {fmt(row['fp_rate']):>5}")
                if a.families and row["per_family"]:
                    print("      ", "  ".join(f"{k} {v}" for k, v in row["per_family"].items()))
    if not a.json:
        print("\n* never tuned on (blind). recall = recall_family %, fp = clean cases with a warning or error %.")
    if a.structure:
        from bench_structure import labelled_report  # a sibling script: bench/ is on sys.path when run

        labelled_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
