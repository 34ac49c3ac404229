"""Benchmark the engine: batch words per second and warm per-reply latency.

    python bench/bench_engine.py            # >= 1 MB generated corpus, prints figures
    python bench/bench_engine.py --mb 2 --json
    python bench/bench_engine.py --lang sv  # replies of tests/corpus in that language, repeated

Figures are recorded in docs/performance.md. Single process, single core.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from pathlib import Path

import replylint

OPENERS = ["Hi {name},", "Hello {name},", "Dear {name},", "Hey {name},", "{name},"]
CLEAN = [
    "Thanks for letting us know about order {num}.",
    "I'm sorry the parcel arrived late, and I understand how frustrating that is.",
    "I've refunded the delivery charge; it should show within 3-5 business days.",
    "The courier has the parcel at the depot and will deliver it tomorrow morning.",
    "There is no charge for the replacement, and you no longer need the old code.",
    "You should have the new card by Friday.",
    "Could you send a photo of the label so I can match it to the shipment?",
    "What I can do is send a replacement today with express delivery.",
    "We can't change the date, but we can hold the parcel at the pickup point for you.",
    "I can't wait to hear how the new plan works for you.",
    "Would that work for you?",
    "If anything else comes up, just reply to this email and I'll take care of it.",
    "Your order number is ABC-{num} and it ships via UPS.",
]
RISKY = [
    "No, that's not covered.",
    "You're wrong about the late fee.",
    "You should have read the terms before ordering.",
    "We can't refund opened software.",
    "That's our policy.",
    "That's not my department.",
    "You're lucky we didn't charge you.",
    "As I already explained, the fee is non-refundable.",
    "You'll have to fill out the form again.",
    "Pursuant to the aforementioned terms, no refund is due.",
    "PLEASE READ THE INSTRUCTIONS!!",
    "We apologize for any inconvenience this may have caused.",
]
CLOSERS = ["Best wishes,\nSam", "Kind regards,\nMika", "Thanks,\nOla", "Cheers,\nJo"]
NAMES = ["Anna", "Leo", "Priya", "Sam", "Marta", "Chris", "Dana"]


def make_reply(rng: random.Random, sentences: int) -> str:
    body = []
    for _ in range(sentences):
        pool = RISKY if rng.random() < 0.15 else CLEAN
        body.append(rng.choice(pool).format(num=rng.randint(1000, 9999)))
    return f"{rng.choice(OPENERS).format(name=rng.choice(NAMES))}\n\n{' '.join(body)}\n\n{rng.choice(CLOSERS)}\n"


def make_corpus(megabytes: float, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    replies: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        reply = make_reply(rng, rng.randint(2, 8))
        replies.append(reply)
        size += len(reply.encode("utf-8"))
    return replies


def corpus_of_language(lang: str, megabytes: float) -> list[str]:
    """The repo's own test replies in `lang` (regression and held-out corpora), repeated up to
    `megabytes`: real wording of every pack, so each pack's rules are timed on its own language."""
    root = Path(__file__).resolve().parents[1] / "tests" / "corpus"
    texts = []
    for path in (root / "regression.jsonl", *sorted((root / "heldout").glob("*.jsonl"))):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line) if line.strip() else {}
            if case.get("lang") == lang and case.get("text"):
                texts.append(case["text"])
    if not texts:
        raise SystemExit(f"no {lang} replies in {root}")
    replies, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        reply = " ".join(texts[(i + k) % len(texts)] for k in range(4))  # four cases to a reply
        replies.append(reply)
        size += len(reply.encode("utf-8"))
        i += 4
    return replies


def reply_of_words(words: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    text = make_reply(rng, 2)
    while len(text.split()) < words:
        text = text.replace("\n\n", " " + make_reply(rng, 3).split("\n\n")[1] + "\n\n", 1)
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=1.2, help="corpus size in MB (default 1.2)")
    ap.add_argument("--latency-runs", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--warm", action="store_true",
                    help="check the corpus once untimed first: steady state, every regex compiled "
                         "(regexes compile on first use, so a cold batch also pays for compiling)")
    ap.add_argument("--lang", default="en",
                    help="en: generated English replies; another pack: that language's test replies")
    a = ap.parse_args()

    t0 = time.perf_counter()
    replylint.check("warm up: you're wrong.", lang=a.lang)
    warmup = time.perf_counter() - t0

    corpus = make_corpus(a.mb) if a.lang == "en" else corpus_of_language(a.lang, a.mb)
    words = sum(len(r.split()) for r in corpus)
    mbytes = sum(len(r.encode("utf-8")) for r in corpus) / 1e6
    if a.warm:
        for r in corpus:
            replylint.check(r, lang=a.lang)
    t0 = time.perf_counter()
    findings = sum(len(replylint.check(r, lang=a.lang)) for r in corpus)
    batch = time.perf_counter() - t0
    if a.lang != "en":  # the latency figures below are for English replies
        print(json.dumps({"lang": a.lang, "first_check_s": round(warmup, 2), "words": words,
                          "findings": findings, "batch_seconds": round(batch, 2),
                          "words_per_second": round(words / batch)}) if a.json else
              f"{a.lang}: first check {warmup:.2f} s; {len(corpus):,} replies, {words:,} words, {findings:,} "
              f"findings in {batch:.2f} s -> {round(words / batch):,} words/s (one core)")
        return

    latency: dict[str, dict[str, float]] = {}
    for size in (300, 5000):
        text = reply_of_words(size)
        samples = []
        for _ in range(a.latency_runs if size == 300 else max(20, a.latency_runs // 10)):
            t = time.perf_counter()
            replylint.check(text, lang="en")
            samples.append((time.perf_counter() - t) * 1000)
        samples.sort()
        latency[f"{size}_words"] = {"p50_ms": round(statistics.median(samples), 2),
                                    "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2)}

    result = {
        "python": platform.python_version(), "machine": platform.machine(),
        "first_check_s": round(warmup, 2), "replies": len(corpus), "megabytes": round(mbytes, 2),
        "words": words, "findings": findings, "batch_seconds": round(batch, 2),
        "words_per_second": round(words / batch), "latency": latency,
    }
    if a.json:
        print(json.dumps(result))
        return
    print(f"first check (load rules, build pipeline): {result['first_check_s']} s")
    print(f"batch: {len(corpus):,} replies, {mbytes:.2f} MB, {words:,} words, {findings:,} findings "
          f"in {batch:.2f} s -> {result['words_per_second']:,} words/s (one core)")
    for name, figures in latency.items():
        print(f"latency {name.replace('_', ' ')}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")


if __name__ == "__main__":
    main()
