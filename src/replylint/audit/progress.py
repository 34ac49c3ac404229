"""The audit's progress bar: replies checked, replies per second and time left, on standard
error, only when it is a terminal (a log file or a pipe gets no control characters).

How many replies an archive holds is only known at the end; `estimated_replies` guesses it
cheaply (Parquet metadata, line counts of CSV and JSONL tables), and the bar's total grows if
the guess was short (a Zendesk JSONL export has one ticket per line, several replies each)."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_BLOCK = 1 << 20


def estimated_replies(paths: Sequence[str | Path]) -> int | None:
    """A guess at the number of replies in `paths`; None when a file gives no cheap clue."""
    total = 0
    for path in map(Path, paths):
        suffix = path.suffix.lower()
        try:
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            elif suffix in (".csv", ".jsonl", ".ndjson"):
                total += max(0, _lines(path) - (suffix == ".csv"))
            else:
                return None
        except Exception:  # a file that cannot be read is the source's to report, as a bad row
            return None
    return total or None


def _lines(path: Path) -> int:
    count = 0
    with path.open("rb") as data:
        while block := data.read(_BLOCK):
            count += block.count(b"\n")
    return count


@contextmanager
def progress_bar(total: int | None, enabled: bool = True, done: int = 0) -> Iterator[Callable[[int], None]]:
    """Yields `advance(replies)`; a no-op when the bar is not shown. `done`: replies an earlier
    run already checked (with --resume), shown as done from the start."""
    if not (enabled and sys.stderr.isatty()):
        yield lambda replies: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} replies/s" if speed else "– replies/s")

    columns = (TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), Rate(), TimeElapsedColumn(),
               TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("audit", total=total, completed=done)
        seen = [done]

        def advance(replies: int) -> None:
            seen[0] += replies
            if total is not None and seen[0] > progress.tasks[0].total:
                progress.update(task, total=int(seen[0] * 1.1))
            progress.update(task, advance=replies)

        yield advance
