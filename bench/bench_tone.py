"""The tone model's worth and cost: rules alone against rules + model.

    python bench/bench_tone.py                 # judgement on the held-out and blind splits, then cost
    python bench/bench_tone.py --judgement     # judgement only
    python bench/bench_tone.py --cost --mb 1.2 # words/s with and without, LSP latency at 300 words
    python bench/bench_tone.py --unlabeled ../shared/corpus/real-unlabeled-dev.jsonl  # noise too

Judgement is scored as ../shared/tools/score.py scores it (risky cases under 3 words left
out; recall_family: a finding of an expected family; fp_rate: a clean case with any finding at
warning or above), on:
- corpus/tone/heldout.jsonl: the quarter of the real sources the model never trained on, where
  its thresholds were chosen (so the model's figures there are tuned; the rules were tuned on
  many of these cases too: corpus/real/shared-dev.jsonl is ../shared/corpus/real-dev.jsonl);
- corpus/real/blind/*.jsonl: the blind split, never trained or tuned on. It decides the default.
Figures go in docs/tone-model.md and docs/performance.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import replylint  # noqa: E402
from replylint.engine.config import Config  # noqa: E402

RANK = {"info": 0, "warning": 1, "error": 2}
MIN_WORDS = 3
OFF, ON = Config(tone_model=False), Config(tone_model=True)


def load(paths: Iterable[Path]) -> list[dict]:
    cases = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                case.setdefault("expect", case.get("expect", []))
                cases.append(case)
    return cases


def heldout_cases() -> list[dict]:
    rows = load([ROOT / "corpus" / "tone" / "heldout.jsonl"])
    return [{"id": r["origin"], "lang": r["lang"], "text": r["text"], "expect": r["expect"]} for r in rows]


def blind_cases() -> list[dict]:
    return load(sorted((ROOT / "corpus" / "real" / "blind").glob("*.jsonl")))


def findings_of(cases: list[dict], config: Config) -> dict[str, list]:
    return {c["id"]: replylint.check(c["text"], lang=c.get("lang", "auto"), config=config) for c in cases}


def score(cases: list[dict], got: dict[str, list]) -> dict:
    """score.py's figures for one set of findings."""
    cases = [c for c in cases if not c["expect"] or len(c["text"].split()) >= MIN_WORDS]
    risky = [c for c in cases if c["expect"]]
    clean = [c for c in cases if not c["expect"]]
    named = [c for c in risky if set(c["expect"]) - {"other"}]
    hit = [c for c in named if {f.family for f in got[c["id"]]} & set(c["expect"])]
    fp = [c for c in clean if any(RANK[f.severity] >= 1 for f in got[c["id"]])]
    per_family: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in named:
        families = {f.family for f in got[c["id"]]}
        for family in set(c["expect"]) - {"other"}:
            per_family[family][1] += 1
            per_family[family][0] += family in families
    pct = lambda n, d: round(100 * n / d, 1) if d else 0.0  # noqa: E731
    return {"cases": len(cases), "risky": len(named), "clean": len(clean),
            "recall_family": pct(len(hit), len(named)), "fp_rate": pct(len(fp), len(clean)),
            "per_family": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_family.items())}}


def judgement(name: str, cases: list[dict]) -> dict:
    """Rules alone and rules + model on `cases`, overall and per language."""
    off, on = findings_of(cases, OFF), findings_of(cases, ON)
    model_only = {k: [f for f in v if f.name.startswith("tone-")] for k, v in on.items()}
    result = {"set": name, "rules": score(cases, off), "rules+model": score(cases, on),
              "model findings": sum(map(len, model_only.values())), "by_lang": {}}
    for lang in sorted({c["lang"] for c in cases}):
        subset = [c for c in cases if c["lang"] == lang]
        result["by_lang"][lang] = {"rules": score(subset, off), "rules+model": score(subset, on)}
    result["examples"] = [(c["id"], c["expect"], f.family, f.message.split(" (")[0], f.matched[:90])
                          for c in cases for f in model_only[c["id"]]][:40]
    return result


def show(result: dict) -> None:
    rules, both = result["rules"], result["rules+model"]
    print(f"\n== {result['set']}: {rules['cases']} cases ({rules['risky']} risky, {rules['clean']} clean);"
          f" {result['model findings']} model findings")
    print(f"   rules alone    recall_family {rules['recall_family']:5.1f}  fp_rate {rules['fp_rate']:4.1f}")
    print(f"   rules + model  recall_family {both['recall_family']:5.1f}  fp_rate {both['fp_rate']:4.1f}")
    for lang, row in result["by_lang"].items():
        print(f"     {lang}: {row['rules']['recall_family']:5.1f} / {row['rules']['fp_rate']:4.1f}  ->"
              f"  {row['rules+model']['recall_family']:5.1f} / {row['rules+model']['fp_rate']:4.1f}"
              f"  ({row['rules']['risky']} risky, {row['rules']['clean']} clean)")
    changed = {f: (rules["per_family"].get(f), v) for f, v in both["per_family"].items()
               if rules["per_family"].get(f) != v}
    print("   per family (rules -> rules + model), where it changed:", changed or "none")
    for example in result["examples"][:15]:
        print("    ", example)


def noise(path: Path) -> dict:
    """Share of (nearly all clean) real agent replies flagged at warning or above."""
    cases = [c for c in load([path]) if c.get("lang", "en") == "en"]
    out = {}
    for label, config in (("rules", OFF), ("rules+model", ON)):
        flagged = sum(any(RANK[f.severity] >= 1 for f in replylint.check(c["text"], lang="en", config=config))
                      for c in cases)
        out[label] = round(100 * flagged / len(cases), 2)
    return {"cases": len(cases), **out}


def throughput(mb: float, rounds: int) -> dict:
    from bench_engine import make_corpus

    corpus = make_corpus(mb)
    words = sum(len(r.split()) for r in corpus)
    for config in (OFF, ON):  # warm: rules compiled, model loaded
        for reply in corpus[:200]:
            replylint.check(reply, lang="en", config=config)
    best: dict[str, float] = {"off": 0.0, "on": 0.0}
    for _ in range(rounds):  # reply by reply, off then on: machine load hits both alike
        spent = {"off": 0.0, "on": 0.0}
        for reply in corpus:
            for label, config in (("off", OFF), ("on", ON)):
                t0 = time.perf_counter()
                replylint.check(reply, lang="en", config=config)
                spent[label] += time.perf_counter() - t0
        for label, seconds in spent.items():
            best[label] = max(best[label], words / seconds)
    return {"words": words, "words_per_s_rules": round(best["off"]), "words_per_s_rules_model": round(best["on"]),
            "words_per_s_model_alone": model_alone(corpus, words, rounds)}


def model_alone(corpus: list[str], words: int, rounds: int) -> int:
    """Words/s of the model's own step (scoring the sentences of a doc the engine already
    made), timed apart: a steadier figure than the difference of two loaded end-to-end runs."""
    from replylint.engine.pipelines import pipeline
    from replylint.engine.tone.classifier import bundled_model

    model = bundled_model()
    assert model is not None
    docs = [pipeline("en")(reply) for reply in corpus]
    best = 0.0
    for _ in range(rounds):
        t0 = time.perf_counter()
        for doc in docs:
            model.sentences(doc)
        best = max(best, words / (time.perf_counter() - t0))
    return round(best)


def first_load() -> float:
    """Seconds the first model check adds in a warm process (loading spaCy's textcat and weights)."""
    from replylint.engine.tone.classifier import bundled_model

    replylint.check("warm up: you're wrong.", lang="en", config=OFF)
    bundled_model.cache_clear()
    t0 = time.perf_counter()
    bundled_model()
    return round(time.perf_counter() - t0, 2)


def latency(words: int, runs: int) -> dict:
    from bench_engine import reply_of_words

    text = reply_of_words(words)
    settings = (("rules", OFF), ("rules+model", ON))
    samples: dict[str, list[float]] = {label: [] for label, _ in settings}
    for config in (OFF, ON):
        replylint.check(text, lang="en", config=config)
    for _ in range(runs):  # alternating, as in throughput
        for label, config in settings:
            t0 = time.perf_counter()
            replylint.check(text, lang="en", config=config)
            samples[label].append((time.perf_counter() - t0) * 1000)
    out = {}
    for label, times in samples.items():
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        out[label] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2)}
    return out


def lsp_latency(words: int, edits: int) -> dict:
    """bench_lsp's measure (a real stdio client, incremental edits) with the model off and on,
    switched by the workspace config file the server reads."""
    from bench_lsp import measure

    out = {}
    for label, value in (("rules", "false"), ("rules+model", "true")):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / ".replylint.toml").write_text(f"tone-model = {value}\n", encoding="utf-8")
            run = asyncio.run(measure(words, None, edits, 0, root))
            figures = run.figures()
            keys = ("p50_ms", "p95_ms", "max_ms", "first_diagnostics_ms", "diagnostics_per_edit")
            out[label] = {k: figures[k] for k in keys}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--judgement", action="store_true", help="only the judgement figures")
    ap.add_argument("--cost", action="store_true", help="only the cost figures")
    ap.add_argument("--mb", type=float, default=1.2, help="generated corpus size for words/s (default 1.2)")
    ap.add_argument("--rounds", type=int, default=2, help="timed passes per setting (best is kept)")
    ap.add_argument("--edits", type=int, default=100, help="LSP edits per setting (0: skip the LSP run)")
    ap.add_argument("--unlabeled", type=Path, help="real agent replies, nearly all clean: the noise rate")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    results: dict = {}
    if not a.cost:
        results["heldout"] = judgement("held-out split (corpus/tone/heldout.jsonl)", heldout_cases())
        blind = blind_cases()
        if blind:
            results["blind"] = judgement("blind split (corpus/real/blind)", blind)
        if a.unlabeled:
            results["noise"] = noise(a.unlabeled)
    if not a.judgement:
        results["first_model_load_s"] = first_load()
        results["throughput"] = throughput(a.mb, a.rounds)
        results["latency_300_words_in_process"] = latency(300, 200)
        if a.edits:
            results["lsp_300_words"] = lsp_latency(300, a.edits)
    if a.json:
        print(json.dumps(results, default=str))
        return
    for key in ("heldout", "blind"):
        if key in results:
            show(results[key])
    for key in ("noise", "first_model_load_s", "throughput", "latency_300_words_in_process", "lsp_300_words"):
        if key in results:
            print(f"\n{key}: {json.dumps(results[key])}")


if __name__ == "__main__":
    main()
