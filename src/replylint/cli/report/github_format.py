"""The `github` format: GitHub Actions workflow commands, which show as annotations on the
pull request's lines."""
from __future__ import annotations

from typing import TextIO

from replylint.engine.model import Finding

from ..results import RunResult
from .findings import first_hint


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _github_line(path: str, f: Finding, suppressed: bool = False) -> str:
    """One annotation; a suppressed finding (--show-suppressed) is a notice titled so."""
    props = [f"file={_gh_property(path)}", f"line={f.line}", f"col={f.column}"]
    if f.end_line == f.line:
        props.append(f"endColumn={f.end_column}")
    else:
        props.append(f"endLine={f.end_line}")
    props.append(f"title={_gh_property(f'{f.rule} {f.name}' + (' (suppressed)' if suppressed else ''))}")
    hint = first_hint(f)
    text = f.message + ("" if hint is None else f" Fix: {hint.title}.")
    command = "notice" if suppressed else GITHUB_COMMAND.get(f.severity, "warning")
    return f"::{command} {','.join(props)}::{_gh_data(text)}\n"


def render(run: RunResult, out: TextIO) -> None:
    """GitHub Actions workflow commands: one annotation per finding, on its line and columns."""
    for result in run.results:
        for f in result.findings:
            out.write(_github_line(result.path, f))
        for f in result.suppressed:
            out.write(_github_line(result.path, f, suppressed=True))
    for error in run.errors:
        out.write(f"::error title=replylint::{_gh_data(error)}\n")
