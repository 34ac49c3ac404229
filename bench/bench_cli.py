"""Benchmark the command line as CI runs it: a folder of many replies with --jobs 1 and 2,
a cached re-run, and the cold start of `replylint check` on one file.

    python bench/bench_cli.py                 # 10,000 replies
    python bench/bench_cli.py --replies 2000  # quicker

Figures are recorded in docs/performance.md.
"""
from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import make_reply


def write_corpus(folder: Path, count: int, seed: int = 5) -> int:
    """`count` reply files of 3-12 sentences; returns the number of words."""
    rng = random.Random(seed)
    words = 0
    for i in range(count):
        text = make_reply(rng, rng.randint(3, 12))
        words += len(text.split())
        sub = folder / f"team-{i % 20:02}"
        sub.mkdir(exist_ok=True)
        (sub / f"reply-{i:05}.txt").write_text(text, encoding="utf-8")
    return words


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "replylint", *args], cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"replylint {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--cold-runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "replies"
        corpus.mkdir()
        words = write_corpus(corpus, options.replies)
        print(f"corpus: {options.replies:,} replies, {words:,} words")
        rows = []
        for jobs in (1, 2):
            seconds = timed(["check", "--format", "concise", "--jobs", str(jobs), "replies"], root)
            rows.append((f"--jobs {jobs}", seconds, words / seconds))
        timed(["check", "--format", "concise", "--cache-dir", ".cache", "replies"], root)
        seconds = timed(["check", "--format", "concise", "--cache-dir", ".cache", "replies"], root)
        rows.append(("--cache-dir, unchanged re-run", seconds, words / seconds))
        one = corpus / "team-00" / "reply-00000.txt"
        cold = [timed(["check", "--format", "concise", str(one.relative_to(root))], root)
                for _ in range(options.cold_runs)]
        print(f"{'run':32} {'seconds':>8} {'words/s':>10}")
        for name, seconds, rate in rows:
            print(f"{name:32} {seconds:8.2f} {rate:10,.0f}")
        print(f"cold start, one file: median {statistics.median(cold):.2f} s "
              f"(min {min(cold):.2f}, max {max(cold):.2f}, {len(cold)} runs)")


if __name__ == "__main__":
    main()
