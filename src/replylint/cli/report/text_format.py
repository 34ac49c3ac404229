"""The `text` format: compiler-style findings with the line shown and the span underlined.

Readable on any line length: a long line (a minified JSON bundle, a 300-character paragraph)
is shown as a window around the span, like ruff and rustc; `why` is wrapped to the terminal;
findings on the same span share one excerpt; `[*]` marks what `replylint fix` rewrites.
"""
from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from replylint.engine.model import Finding, Severity

from ..results import FileResult, RunResult
from .findings import first_hint, fixable, unsafe_only
from .terminal import printable

STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
ELLIPSIS = "…"
MIN_WIDTH = 40  # narrower terminals still get a usable window and wrap


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1].replace("\t", " ") if 0 < line <= len(lines) else ""


def _shown(text: str) -> str:
    """Input-derived text for the terminal: control characters escaped, then Rich markup."""
    return escape(printable(text))


def window(lead: str, marked: str, rest: str, width: int) -> tuple[str, str, str]:
    """The three parts of a line (before, under and after the carets), cut to about `width`
    characters around the marked span, with `…` where text was left out. The span is kept
    whole when it fits; context is shared out, the left side first up to a third."""
    if len(lead) + len(marked) + len(rest) <= width:
        return lead, marked, rest
    if len(marked) >= width - 2:
        marked = marked[:max(1, width - 2)] + ELLIPSIS
        return (ELLIPSIS if lead else ""), marked, ""
    room = width - len(marked) - 2  # two ellipses at most
    left = min(len(lead), max(room // 3, room - len(rest)))
    right = min(len(rest), room - left)
    shown_lead = (ELLIPSIS + lead[len(lead) - left:]) if left < len(lead) else lead
    shown_rest = (rest[:right] + ELLIPSIS) if right < len(rest) else rest
    return shown_lead, marked, shown_rest


def _same_span(findings: list[Finding]) -> Iterator[list[Finding]]:
    """Consecutive findings on the same words, grouped: they share one excerpt."""
    group: list[Finding] = []
    for f in findings:
        if group and (f.start, f.end) != (group[0].start, group[0].end):
            yield group
            group = []
        group.append(f)
    if group:
        yield group


class _Printer:
    """Prints one result's findings on a console of a known width."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.width = max(MIN_WIDTH, console.width)

    def header(self, path: str, f: Finding) -> None:
        style = STYLE.get(f.severity, "bold")
        where = f" [dim]in response “{_shown(f.response)}”[/]" if f.response else ""
        mark = " [bold cyan]\\[*][/]" if fixable(f) else ""
        self.console.print(f"[bold]{_shown(path)}:{f.line}:{f.column}:[/] [{style}]{f.severity}[/] "
                           f"[bold]{f.rule}[/]{mark} [dim]{f.name} ({f.family})[/] {_shown(f.message)}{where}")

    def excerpt(self, text: str, group: list[Finding]) -> None:
        f = group[0]
        style = STYLE.get(max(group, key=lambda g: Severity(g.severity).rank).severity, "bold")
        source = _line_text(text, f.line)
        gutter = " " * len(str(f.line))
        span = max(1, (f.end - f.start) if f.end_line == f.line else len(source) - f.column + 1)
        # measured on the escaped line, so the carets stay under the words
        lead, marked, rest = (printable(source[:f.column - 1]), printable(source[f.column - 1:f.column - 1 + span]),
                              printable(source[f.column - 1 + span:]))
        lead, marked, rest = window(lead, marked, rest, self.width - len(gutter) - 4)
        hint = next((h for h in (first_hint(g) for g in group) if h is not None), None)
        self.console.print(f" {gutter} |")
        self.console.print(f" {f.line} | {escape(lead + marked + rest)}")
        underline = " " * len(lead) + "^" * max(1, len(marked))
        tip = f" {_shown(hint.title)}" if hint is not None else ""
        self.console.print(f" {gutter} | [{style}]{underline}[/]{tip}")
        for g in group:
            label = f"why ({g.rule}):" if len(group) > 1 else "why:"
            self.wrapped(f" {gutter} = ", label, g.why)
        self.console.print()

    def wrapped(self, prefix: str, label: str, text: str) -> None:
        """`prefix label text`, the text wrapped to the width and indented under its start."""
        first = f"{prefix}{label} "
        lines = textwrap.wrap(printable(text), width=max(20, self.width - len(first)),
                              break_long_words=True, break_on_hyphens=False) or [""]
        self.console.print(f"{prefix}[dim]{escape(label)}[/] {escape(lines[0])}")
        for line in lines[1:]:
            self.console.print(" " * len(first) + escape(line))

    def result(self, result: FileResult) -> None:
        for group in _same_span(result.findings):
            for f in group:
                self.header(result.path, f)
            self.excerpt(result.text, group)



def fix_summary(findings: list[Finding]) -> str:
    """How many findings `replylint fix` rewrites, and how many more `--unsafe` would: the
    summary's second sentence, empty when nothing is fixable."""
    safe = sum(1 for f in findings if fixable(f))
    unsafe = sum(1 for f in findings if unsafe_only(f))
    if not safe and not unsafe:
        return ""
    if not safe:
        return f" {unsafe} fixable with `replylint fix --unsafe`."
    more = f" ({unsafe} more with `--unsafe`)" if unsafe else ""
    return f" [*] {safe} fixable with `replylint fix`{more}."


def render(run: RunResult, out: TextIO, summary: bool = True, scores_below: int | None = None) -> None:
    """Each reply's score line, then its findings; with `scores_below` (`--quiet`), only the
    score lines of replies below that floor."""
    results = run.results
    console = Console(file=out, highlight=False, soft_wrap=True)
    printer = _Printer(console)
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
        counts.update(f.severity for f in result.findings)
        printer.result(result)
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
                      f"in {files_with} of {len(results)} file{'s' if len(results) != 1 else ''}."
                      + escape(fix_summary([f for _, f in run.findings()])))
    else:
        console.print(f"No findings in {len(results)} file{'s' if len(results) != 1 else ''}.")
