"""How fast `replylint audit` goes, and in how much memory: an archive of N replies made with
bench/make_archive.py, audited with local workers (`--jobs 2`) and with a Dask LocalCluster of 2
workers, each run a `replylint audit` process of its own.

    python bench/bench_audit.py                       # 20,000 replies: a quick look
    python bench/bench_audit.py --replies 1000000     # the size docs/performance.md reports

Prints, per engine: replies per second (the whole run: reading, checking, Parquet, summary), peak
memory (the RSS of the audit's process tree, workers included, sampled every 0.2 s: it must stay
flat whatever the archive's size), and the HTML report's size and build time. Both engines'
Parquet files are compared: they must hold the same rows. `--json` prints the figures as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAPPING = ["--text", "body", "--by", "agent,team,macro", "--time", "created_at", "--id", "reply_id",
           "--context", "customer_message"]


def tree_rss(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, in bytes (0 once it has gone)."""
    import psutil

    try:
        root = psutil.Process(pid)
        total = root.memory_info().rss
        for child in root.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
        return total
    except psutil.Error:
        return 0


def run_sampled(command: list[str], env: dict[str, str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run `command`; its wall time, peak process-tree RSS, and result."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    return elapsed, peak[0], subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def audit(archive: Path, out: Path, engine: str, env: dict[str, str]) -> dict:
    command = [sys.executable, "-m", "replylint", "audit", str(archive), "-o", str(out), *MAPPING,
               "--jobs", "2", "--engine", engine, "--no-report", "--format", "json", "--quiet"]
    elapsed, peak, done = run_sampled(command, env)
    if done.returncode != 0:
        raise SystemExit(f"{engine}: replylint audit failed ({done.returncode}):\n{done.stderr[-3000:]}")
    replies = json.loads(done.stdout)["totals"]["replies"]
    report = [sys.executable, "-c", "import sys, time; from replylint.audit.report_html import write_report; "
              "t = time.perf_counter(); write_report(sys.argv[1]); print(time.perf_counter() - t)", str(out)]
    built = subprocess.run(report, capture_output=True, text=True, env=env)
    if built.returncode != 0:
        raise SystemExit(f"{engine}: the report failed:\n{built.stderr[-3000:]}")
    return {"engine": engine, "replies": replies, "seconds": round(elapsed, 1),
            "replies_per_second": round(replies / elapsed), "peak_rss_mb": round(peak / 2**20),
            "report_mb": round((out / "report.html").stat().st_size / 2**20, 2),
            "report_seconds": round(float(built.stdout.strip().splitlines()[-1]), 1)}


def same_rows(one: Path, other: Path) -> bool:
    import pyarrow.parquet as pq

    return all(pq.read_table(one / name).equals(pq.read_table(other / name))
               for name in ("replies.parquet", "findings.parquet"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replies", type=int, default=20_000, help="replies in the archive (default 20,000)")
    ap.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl", help="the archive's format")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--engines", default="local,dask", help="comma-separated: local, dask")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep the archive and results")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-audit-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent / "src"),
                                                                      os.environ.get("PYTHONPATH")]))}
    archive = work / f"archive.{args.format}"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "make_archive.py"), str(archive), "--replies", str(args.replies),
                    "--format", args.format, "--seed", str(args.seed)], check=True, stdout=subprocess.DEVNULL, env=env)
    made = time.perf_counter() - started
    results = []
    for engine in filter(None, (e.strip() for e in args.engines.split(","))):
        results.append(audit(archive, work / engine, engine, env))
    figures = {"replies": args.replies, "format": args.format, "archive_mb": round(archive.stat().st_size / 2**20, 1),
               "archive_seconds": round(made, 1), "cores": os.cpu_count(), "runs": results}
    if len(results) == 2:
        figures["same_rows"] = same_rows(work / results[0]["engine"], work / results[1]["engine"])
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print(f"archive: {args.replies:,} replies, {figures['archive_mb']} MB {args.format} "
              f"(made in {made:.1f} s), {figures['cores']} cores")
        for r in results:
            print(f"{r['engine']:>6}: {r['replies_per_second']:>7,} replies/s ({r['seconds']} s), peak RSS "
                  f"{r['peak_rss_mb']:,} MB, report {r['report_mb']} MB built in {r['report_seconds']} s")
        if "same_rows" in figures:
            print("local and dask Parquet:", "identical" if figures["same_rows"] else "DIFFERENT")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0 if figures.get("same_rows", True) else 1


if __name__ == "__main__":
    raise SystemExit(main())
