"""A progress bar on standard error, only when it is a terminal and the run is long."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SHOWN_FROM = 200  # files; shorter runs finish before a bar would help


@contextmanager
def progress_bar(total: int, enabled: bool = True) -> Iterator[Callable[[], None] | None]:
    """Yields a function to call once per finished file, or None when no bar is shown."""
    if not (enabled and total >= SHOWN_FROM and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("check", total=total)
        yield lambda: progress.advance(task)
