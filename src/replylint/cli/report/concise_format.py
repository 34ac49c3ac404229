"""The `concise` format: one grep-able `path:line:col: CODE name message` line per finding."""
from __future__ import annotations

from typing import TextIO

from replylint.engine.model import Finding

from ..results import RunResult
from .terminal import printable


def concise_line(path: str, f: Finding, suppressed: bool = False) -> str:
    """One grep-able line; control characters from file names or replies are escaped."""
    where = f" [response {f.response}]" if f.response else ""
    mark = " [suppressed]" if suppressed else ""
    return printable(f"{path}:{f.line}:{f.column}: {f.rule} {f.name} {f.message}{where}{mark}")


def render(run: RunResult, out: TextIO) -> None:
    """`path:line:col: CODE name message`, one finding per line; with --show-suppressed, each
    file's suppressed findings follow its findings, marked `[suppressed]`."""
    for result in run.results:
        for f in result.findings:
            out.write(concise_line(result.path, f) + "\n")
        for f in result.suppressed:
            out.write(concise_line(result.path, f, suppressed=True) + "\n")
