"""How fast `replylint audit` goes, and in how much memory: an archive of N replies made with
bench/make_archive.py, audited with local workers (`--jobs 2`) and with a Dask LocalCluster of 2
workers, each run a `replylint audit` process of its own.

    python bench/bench_audit.py                       # 20,000 replies: a quick look
    python bench/bench_audit.py --replies 1000000     # the size docs/performance.md reports

Prints, per engine: replies per second (the whole run: reading, checking, Parquet, summary) and
the CPU seconds the audit's process tree used (steadier than replies/s on a busy machine), peak
memory of the audit's process tree (workers included, sampled every 0.5 s) as the sum of its
processes' RSS and as the sum of their PSS (from /proc/PID/smaps_rollup: pages shared between
processes, forked workers', counted once, split between them), the memory curve (the peak of each
minute, PSS; it must stay flat whatever the archive's size), and the HTML report's size and build
time. Both engines' Parquet files are compared: they must hold the same rows. `--json` prints the
figures as JSON.
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


def pss(pid: int) -> int:
    """Proportional set size of `pid` in bytes (0 where /proc/PID/smaps_rollup cannot be read)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_memory(pid: int) -> tuple[int, int, dict[int, float]]:
    """RSS and PSS of `pid` and all its descendants summed, in bytes, and each one's CPU seconds
    so far (nothing once it has gone)."""
    import psutil

    rss = proportional = 0
    cpu: dict[int, float] = {}
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0, cpu
    for process in processes:
        try:
            rss += process.memory_info().rss
            times = process.cpu_times()
        except psutil.Error:
            continue
        cpu[process.pid] = times.user + times.system
        proportional += pss(process.pid)
    return rss, proportional, cpu


def run_sampled(command: list[str], env: dict[str, str]) -> tuple[float, dict, subprocess.CompletedProcess]:
    """Run `command`; its wall time, memory figures (peak RSS and PSS of the process tree, the
    peak PSS of each minute, the tree's CPU seconds) and result."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    memory = {"peak_rss": 0, "peak_pss": 0, "minutes_pss": [], "cpu_seconds": 0.0}
    cpu_seen: dict[int, float] = {}  # each process's last reading: workers that have ended still count
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, proportional, cpu = tree_memory(process.pid)
            cpu_seen.update(cpu)
            curve = memory["minutes_pss"]
            minute = int((time.perf_counter() - started) // 60)
            curve.extend([0] * (minute + 1 - len(curve)))
            curve[minute] = max(curve[minute], proportional)
            memory["peak_rss"] = max(memory["peak_rss"], rss)
            memory["peak_pss"] = max(memory["peak_pss"], proportional)
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    memory["cpu_seconds"] = sum(cpu_seen.values())
    return elapsed, memory, subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def audit(archive: Path, out: Path, engine: str, env: dict[str, str]) -> dict:
    command = [sys.executable, "-m", "replylint", "audit", str(archive), "-o", str(out), *MAPPING,
               "--jobs", "2", "--engine", engine, "--no-report", "--format", "json", "--quiet"]
    elapsed, memory, done = run_sampled(command, env)
    if done.returncode != 0:
        raise SystemExit(f"{engine}: replylint audit failed ({done.returncode}):\n{done.stderr[-3000:]}")
    replies = json.loads(done.stdout)["totals"]["replies"]
    report = [sys.executable, "-c", "import sys, time; from replylint.audit.report_html import write_report; "
              "t = time.perf_counter(); write_report(sys.argv[1]); print(time.perf_counter() - t)", str(out)]
    built = subprocess.run(report, capture_output=True, text=True, env=env)
    if built.returncode != 0:
        raise SystemExit(f"{engine}: the report failed:\n{built.stderr[-3000:]}")
    return {"engine": engine, "replies": replies, "seconds": round(elapsed, 1),
            "replies_per_second": round(replies / elapsed), "cpu_seconds": round(memory["cpu_seconds"]),
            "peak_rss_mb": round(memory["peak_rss"] / 2**20), "peak_pss_mb": round(memory["peak_pss"] / 2**20),
            "pss_mb_by_minute": [round(m / 2**20) for m in memory["minutes_pss"] if m],
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
            print(f"{r['engine']:>6}: {r['replies_per_second']:>7,} replies/s ({r['seconds']} s, "
                  f"{r['cpu_seconds']:,} CPU s), "
                  f"peak RSS {r['peak_rss_mb']:,} MB, PSS {r['peak_pss_mb']:,} MB, report {r['report_mb']} MB "
                  f"built in {r['report_seconds']} s")
            print(f"{'':>8}PSS by minute (MB): {' '.join(map(str, r['pss_mb_by_minute']))}")
        if "same_rows" in figures:
            print("local and dask Parquet:", "identical" if figures["same_rows"] else "DIFFERENT")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0 if figures.get("same_rows", True) else 1


if __name__ == "__main__":
    raise SystemExit(main())
