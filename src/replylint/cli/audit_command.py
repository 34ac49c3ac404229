"""`replylint audit`: a support archive checked in bulk into Parquet, a summary and an HTML report
(docs/audit.md). The work is replylint.audit's; this module owns the options and what the
terminal shows: the summary as rich tables (or JSON), bad rows and written files on stderr."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from replylint.engine.config import load_workspace_config
from replylint.errors import ConfigError

from .report.terminal import printable

EXIT_DONE, EXIT_ERROR, EXIT_INTERRUPTED = 0, 2, 130
PARALLEL_FROM_BYTES = 1_000_000  # smaller archives finish before worker processes have started
NEEDS = ("pyarrow", "duckdb")  # and distributed for --engine dask, plotly for the report
BAD_ROWS_SHOWN = 5

EPILOG = """inputs: tables (.csv .tsv .jsonl .ndjson .parquet; .csv.gz, .jsonl.gz) with a reply-text column,
        Zendesk ticket exports, Help Scout and Freshdesk conversation exports (JSON, JSONL), or folders
writes: DIR/replies.parquet, findings.parquet, bad-rows.jsonl, summary.json, report.html
exit:   0 when the audit ran (bad rows are listed, not fatal), 2 for usage or config errors,
        130 on Ctrl-C (the files written so far are whole; --resume carries on)
docs:   docs/audit.md"""


def _names(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _count(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_parser(sub: Any) -> None:
    """The `audit` subcommand and its options, on the main parser's subparsers."""
    p = sub.add_parser("audit", help="check a support archive in bulk: Parquet, summary and HTML report",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="archive files or folders")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the results (made if missing)")
    p.add_argument("--text", metavar="COL", help="table column holding the reply (default: text)")
    p.add_argument("--by", type=_names, metavar="COL,COL", help="table columns to group by (agent, team, macro, …)")
    p.add_argument("--time", metavar="COL", help="table column holding when the reply was sent (for months)")
    p.add_argument("--id", metavar="COL", help="table column holding the reply's (or ticket's) id")
    p.add_argument("--context", metavar="COL", help="table column holding the customer's message the reply answers")
    p.add_argument("--lang", help="language of the replies (default: config, else detected per reply)")
    p.add_argument("--config", metavar="FILE", help="config file (default: nearest .replylint.toml or pyproject.toml)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="summary on stdout: text (tables) or json (summary.json's content)")
    p.add_argument("-j", "--jobs", type=_count, metavar="N",
                   help="worker processes, or LocalCluster workers with --engine dask (default: all cores for "
                        "archives over 1 MB, else 1); the results do not depend on it")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local worker processes (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="with --engine dask: the scheduler to use (tcp://host:8786; default: a LocalCluster)")
    p.add_argument("--resume", action="store_true", help="carry on from the Parquet already in DIR")
    p.add_argument("--no-report", action="store_true", help="skip report.html")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def cmd_audit(args: argparse.Namespace) -> int:
    missing = _missing_modules(args)
    if missing:
        _error(f"`replylint audit` needs {', '.join(missing)}: pip install 'replylint[audit]'")
        return EXIT_ERROR
    if args.scheduler and args.engine != "dask":
        raise ConfigError("--scheduler", "engine", "needs --engine dask", "add --engine dask")
    from replylint.audit.model import Mapping
    from replylint.audit.run import audit

    config, _ = load_workspace_config(Path.cwd(), Path(args.config) if args.config else None)
    if args.lang:
        config = config.merged(lang=args.lang)
    mapping = Mapping(text=args.text or "text", by=args.by or (), time=args.time, id=args.id, context=args.context)
    jobs = args.jobs or _jobs(args.inputs)
    try:
        Path(args.output).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _error(f"{args.output}: cannot write the audit there ({exc.strerror or exc})")
        return EXIT_ERROR
    result = audit(args.inputs, args.output, mapping, config=config, lang=args.lang, jobs=jobs, engine=args.engine,
                   scheduler=args.scheduler, resume=args.resume, report=not args.no_report, progress=not args.quiet)
    summary = result.summary or {}
    if args.format == "json":
        print(json.dumps(summary, indent=1, ensure_ascii=False))
    else:
        print_summary(summary, sys.stdout)
    _tell_bad_rows(result.out_dir, result.bad_rows)
    written = [result.out_dir / "replies.parquet", result.out_dir / "findings.parquet"]
    written += [result.report] if result.report else []
    print(printable(f"replylint: {result.replies:,} replies, wrote " + ", ".join(map(str, written))), file=sys.stderr)
    if result.interrupted:
        print(printable(f"replylint: interrupted: {result.out_dir} holds the {result.replies:,} replies checked so "
                        "far; run again with --resume to carry on"), file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_DONE


def _missing_modules(args: argparse.Namespace) -> list[str]:
    import importlib.util

    wanted = [*NEEDS, *(["distributed"] if args.engine == "dask" else []), *([] if args.no_report else ["plotly"])]
    return [name for name in wanted if importlib.util.find_spec(name) is None]


def _jobs(inputs: list[str]) -> int:
    """All cores for an archive big enough to repay starting the workers, else one process."""
    total = 0
    for path in map(Path, inputs):
        files = (p for p in path.rglob("*") if p.is_file()) if path.is_dir() else (path,)
        for file in files:
            try:
                total += file.stat().st_size
            except OSError:
                continue
            if total >= PARALLEL_FROM_BYTES:
                return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 1


def _tell_bad_rows(out_dir: Path, count: int) -> None:
    """How many rows could not be read, the first few where and why, and where the rest are."""
    if not count:
        return
    from replylint.audit.model import BAD_ROWS_FILE

    path = out_dir / BAD_ROWS_FILE
    shown = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if shown == BAD_ROWS_SHOWN:
                break
            try:
                row = json.loads(line)
                print(printable(f"replylint: bad row: {row['location']}: {row['problem']}"), file=sys.stderr)
                shown += 1
            except (ValueError, KeyError, TypeError):
                continue
    rows = f"{count:,} bad row{'s' if count != 1 else ''}"
    print(printable(f"replylint: {rows} (not checked), every one in {path}"), file=sys.stderr)


def print_summary(summary: dict[str, Any], out: Any) -> None:
    """The summary as terminal tables: totals, families, top rules, worst templates, movers."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False, width=None if out.isatty() else 120)
    totals = summary.get("totals", {})
    months = totals.get("months") or []
    span = f", {months[0]} – {months[-1]}" if months else ""
    console.print(f"[bold]{totals.get('replies', 0):,} replies[/bold], {totals.get('findings', 0):,} findings "
                  f"({totals.get('per_1000', 0.0):,.1f} per 1,000 replies; {totals.get('replies_with_findings', 0):,} "
                  f"replies with one){span}; {_plural(totals.get('bad_rows', 0), 'bad row')}")

    def table(title: str, rows: list[dict], columns: list[tuple[str, str]]) -> None:
        if not rows:
            return
        shown = Table(title=title, title_justify="left", box=None, pad_edge=False)
        for key, heading in columns:
            shown.add_column(heading, justify="right" if isinstance(rows[0].get(key), int | float) else "left")
        for row in rows:
            shown.add_row(*(Text(_cell(row.get(key))) for key, _ in columns))  # Text: no markup in values
        console.print()
        console.print(shown)

    table("Findings by family", summary.get("families", []),
          [("family", "family"), ("findings", "findings"), ("replies", "replies"), ("per_1000", "per 1,000")])
    table("Top rules", summary.get("top_rules", []),
          [("rule", "rule"), ("name", "name"), ("family", "family"), ("findings", "findings"),
           ("per_1000", "per 1,000")])
    table("Worst templates (near-identical replies)", summary.get("worst_templates", []),
          [("template", "template"), ("replies", "replies"), ("findings", "findings"),
           ("per_reply", "per reply"), ("example_reply_id", "e.g. reply")])
    movers = [("group", "group"), ("value", "value"), ("first_month", "from"), ("first_per_1000", "per 1,000"),
              ("last_month", "to"), ("last_per_1000", "per 1,000"), ("change", "change")]
    table("Most improved", summary.get("most_improved", []), movers)
    table("Most worsened", summary.get("most_worsened", []), movers)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' if count != 1 else ''}"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return printable(str(value if value is not None else ""))


def _error(message: str) -> None:
    print(f"replylint: error: {printable(message)}", file=sys.stderr)
