"""replylint beside other prose linters on the same replies: words per second, in one run.

    python bench/compare_peers.py               # 300 generated replies, 3 runs each
    python bench/compare_peers.py --replies 1000 --runs 5 --json

Installs what it compares into a scratch folder (nothing in the project changes): proselint
from PyPI into its own virtual environment, and, when npm is on the PATH, write-good and alex
from the npm registry. Each tool checks the same replies, written as one file per reply:

- *whole process*: one command over all the files, start-up included (the way CI runs it);
- *start-up left out*: the same command's time minus its time on one reply, so every tool is
  measured the same way whatever API it has; for replylint also *warm in-process*
  (`replylint.check` reply by reply after a first check).

The figure is words / seconds, median of the runs. Tools that cannot be installed are reported
as missing, not as failures. Figures go into docs/performance.md with the machine and the date.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import make_reply


def _replies(folder: Path, count: int, seed: int) -> tuple[list[Path], int]:
    rng = random.Random(seed)
    paths, words = [], 0
    for i in range(count):
        text = make_reply(rng, rng.randint(3, 12))
        words += len(text.split())
        path = folder / f"reply-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths, words


def _timed(command: list[str], cwd: Path) -> float | None:
    """Seconds for one run of `command`; None when it fails. Exit 1 means findings; write-good
    exits with its count of findings, so any code is fine for it."""
    began = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=3600)
    except (OSError, subprocess.TimeoutExpired):
        return None
    spent = time.perf_counter() - began
    return spent if done.returncode in (0, 1) or command[0].endswith("write-good") else None


def _proselint(scratch: Path) -> Path | None:
    """A Python with proselint installed, or None."""
    venv = scratch / "proselint-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = subprocess.run([str(python), "-m", "pip", "install", "-q", "proselint"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if pip.returncode != 0:
            return None
    return python


def _npm_tools(scratch: Path) -> dict[str, Path]:
    """write-good and alex from npm, when npm is here: name -> its command."""
    if shutil.which("npm") is None:
        return {}
    folder = scratch / "npm"
    folder.mkdir(exist_ok=True)
    bins = {name: folder / "node_modules" / ".bin" / name for name in ("write-good", "alex")}
    if not all(path.exists() for path in bins.values()):
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "write-good", "alex"], cwd=folder,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {name: path for name, path in bins.items() if path.exists()}


def _median(values: list[float | None]) -> float | None:
    done = [v for v in values if v is not None]
    return statistics.median(done) if done else None


def _warm_replylint(paths: list[Path]) -> float:
    import replylint

    texts = [p.read_text(encoding="utf-8") for p in paths]
    replylint.check(texts[0], lang="en")
    began = time.perf_counter()
    for text in texts:
        replylint.check(text, lang="en")
    return time.perf_counter() - began


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replies", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--scratch", default=str(Path(tempfile.gettempdir()) / "replylint-peers"),
                    help="where the other tools are installed (kept between runs)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    corpus = Path(tempfile.mkdtemp(prefix="peers-corpus-"))
    paths, words = _replies(corpus, args.replies, args.seed)
    names = [p.name for p in paths]
    replylint_cmd = [sys.executable, "-m", "replylint", "check", "--lang", "en", "--jobs", "1", "--quiet", *names]

    commands: dict[str, list[str]] = {"replylint": replylint_cmd[:-len(names)]}
    python = _proselint(scratch)
    if python is not None:
        help_text = subprocess.run([str(python), "-m", "proselint", "--help"], capture_output=True, text=True).stdout
        commands["proselint"] = [str(python), "-m", "proselint", *(["check"] if " check " in help_text else [])]
    for name, command in _npm_tools(scratch).items():
        commands[name] = [str(command)]
    whole: dict[str, float | None] = {"proselint": None, "write-good": None, "alex": None}
    net: dict[str, float | None] = dict(whole)
    for name, command in commands.items():
        alls = [_timed([*command, *names], corpus) for _ in range(args.runs)]
        ones = [_timed([*command, names[0]], corpus) for _ in range(args.runs)]
        whole[name] = _median(alls)
        all_, one = _median(alls), _median(ones)
        net[name] = all_ - one if all_ is not None and one is not None and all_ > one else None
    warm = {"replylint": _median([_warm_replylint(paths) for _ in range(args.runs)])}

    rate = {kind: {tool: (round(words / s) if s else None) for tool, s in table.items()}
            for kind, table in (("whole process", whole), ("start-up left out", net), ("warm in-process", warm))}
    result = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {os.cpu_count()} cpus",
              "python": platform.python_version(), "replies": args.replies, "words": words, "runs": args.runs,
              "words_per_second": rate}
    shutil.rmtree(corpus, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.replies} replies, {words:,} words, median of {args.runs} runs "
          f"({result['date']}, {result['machine']}, Python {result['python']})")
    for kind, table in rate.items():
        print(f"\n{kind}:")
        for tool, value in table.items():
            print(f"  {tool:<11} {'not installed / failed' if value is None else f'{value:>9,} words/s'}")
    peer, ours = rate["start-up left out"].get("proselint"), rate["start-up left out"].get("replylint")
    if peer and ours:
        print(f"\nreplylint / proselint, start-up left out: {ours / peer:.2f}x")


if __name__ == "__main__":
    main()
