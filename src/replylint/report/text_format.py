"""The `text` format: compiler-style findings with the line shown and the span underlined."""
from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from ..model import Finding
from . import Run, first_hint
from .terminal import printable

STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1].replace("\t", " ") if 0 < line <= len(lines) else ""


def _shown(text: str) -> str:
    """Input-derived text for the terminal: control characters escaped, then Rich markup."""
    return escape(printable(text))


def _hint(f: Finding) -> str:
    hint = first_hint(f)
    if hint is None:
        return ""
    kind, words = hint
    return f" fix: remove “{_shown(words)}”" if kind == "remove" else f" try: “{_shown(words)}”"


def render(run: Run, out: TextIO, summary: bool = True, scores_below: int | None = None) -> None:
    """Each reply's score line, then its findings; with `scores_below` (`--quiet`), only the
    score lines of replies below that floor."""
    results = run.results
    console = Console(file=out, highlight=False, soft_wrap=True)
    counts: Counter[str] = Counter()
    files_with = 0
    for result in results:
        for reply in result.scores:  # one line per reply: its score and how it was reached
            if scores_below is not None and reply.total >= scores_below:
                continue
            where = f" [dim]in response “{_shown(reply.response)}”[/]" if reply.response else ""
            console.print(f"[bold]{_shown(result.path)}:{reply.line}:{reply.column}:[/] "
                          f"{_shown(reply.summary())}{where}")
        if result.findings:
            files_with += 1
        for f in result.findings:
            counts[f.severity] += 1
            style = STYLE.get(f.severity, "bold")
            where = f" [dim]in response “{_shown(f.response)}”[/]" if f.response else ""
            console.print(f"[bold]{_shown(result.path)}:{f.line}:{f.column}:[/] [{style}]{f.severity}[/] "
                          f"[bold]{f.rule}[/] [dim]{f.name} ({f.family})[/] {_shown(f.message)}{where}")
            source = _line_text(result.text, f.line)
            gutter = " " * len(str(f.line))
            width = max(1, (f.end - f.start) if f.end_line == f.line else len(source) - f.column + 1)
            console.print(f" {gutter} |")
            console.print(f" {f.line} | {_shown(source)}")
            # measured on the escaped line, so the carets stay under the words
            lead, marked = source[:f.column - 1], source[f.column - 1:f.column - 1 + width]
            underline = " " * len(printable(lead)) + "^" * max(1, len(printable(marked)))
            hint = _hint(f)
            console.print(f" {gutter} | [{style}]{underline}[/]{hint}")
            console.print(f" {gutter} = [dim]why:[/] {_shown(f.why)}")
            console.print()
    suppressed = [(r.path, f) for r in results for f in r.suppressed]
    if suppressed:
        console.print(f"Suppressed by inline comments or ignore lists ({len(suppressed)}):")
        for path, f in suppressed:
            console.print(f"  {_shown(path)}:{f.line}:{f.column}: {f.rule} {f.name} “{_shown(f.matched)}”")
        console.print()
    total = sum(counts.values())
    if not summary:
        return
    if total:
        parts = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
                          for s in ("error", "warning", "info") if counts[s])
        console.print(f"Found {total} finding{'s' if total != 1 else ''} ({parts}) "
                      f"in {files_with} of {len(results)} file{'s' if len(results) != 1 else ''}.")
    else:
        console.print(f"No findings in {len(results)} file{'s' if len(results) != 1 else ''}.")
