"""An audit run: a support archive's replies read as a stream, checked in chunks by an engine
(local processes or a Dask cluster), written to Parquet as they come back, then summarised with
DuckDB (summary.json) and drawn as one HTML file (report.html).

Ctrl-C stops the run between two writes: the Parquet files are closed whole, the summary and
the report describe what was checked, and `resume=True` carries on from there."""
from __future__ import annotations

import contextlib
import itertools
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replylint.engine.config import Config
from replylint.errors import ConfigError

from .checker import CheckOptions, ChunkRows, warm_up
from .engines import DASK_SETTINGS, Chunk, dask_rows, local_rows
from .model import BadRow, Mapping, SourceReply
from .progress import estimated_replies, progress_bar
from .tables import AuditTables, written_groups

CHUNK_REPLIES = 500  # replies per task: big enough to repay sending it, small enough to spread evenly
ENGINES = ("local", "dask")
_log = logging.getLogger("replylint")


@dataclass(frozen=True)
class AuditResult:
    """What a run did: replies in replies.parquet (with a resumed run's), how many this run
    checked and skipped (already written), findings written, bad rows, whether Ctrl-C stopped it,
    the summary (None with summary=False) and the report's path (None with report=False)."""

    out_dir: Path
    replies: int
    checked: int
    skipped: int
    findings: int
    bad_rows: int
    interrupted: bool
    summary: dict[str, Any] | None
    report: Path | None


def audit(paths: Sequence[str | Path], out_dir: str | Path, mapping: Mapping | None = None, *,
          config: Config | None = None, lang: str | None = None, jobs: int = 1, engine: str = "local",
          scheduler: str | None = None, client: Any = None, resume: bool = False, report: bool = True,
          progress: bool = True, chunk_size: int = CHUNK_REPLIES) -> AuditResult:
    """Audit the archive files `paths` into `out_dir` (replies.parquet, findings.parquet,
    bad-rows.jsonl, summary.json, report.html; docs/audit.md).

    `mapping` names the table columns (text, groups, time, id, context, lang); helpdesk exports
    need none. `engine="local"` checks in `jobs` worker processes; `engine="dask"` on the cluster
    of `client` (a dask.distributed Client), else of `scheduler` ("tcp://host:8786"), else on a
    LocalCluster of `jobs` workers. The rows written do not depend on the engine or on `jobs`."""
    from .sources import iter_replies

    mapping = mapping or Mapping()
    total = estimated_replies(paths) if progress and sys.stderr.isatty() else None  # a bar needs it, nothing else
    return audit_replies(iter_replies(list(paths), mapping), out_dir, mapping, config=config, lang=lang, jobs=jobs,
                         engine=engine, scheduler=scheduler, client=client, resume=resume, report=report,
                         progress=progress, chunk_size=chunk_size, expected=total)


def audit_replies(items: Iterable[SourceReply | BadRow], out_dir: str | Path, mapping: Mapping | None = None, *,
                  config: Config | None = None, lang: str | None = None, jobs: int = 1, engine: str = "local",
                  scheduler: str | None = None, client: Any = None, resume: bool = False, report: bool = True,
                  progress: bool = True, chunk_size: int = CHUNK_REPLIES, expected: int | None = None) -> AuditResult:
    """`audit` over replies already read (any iterable of SourceReply and BadRow, in order)."""
    if engine not in ENGINES:
        raise ConfigError("--engine", "engine", f"unknown engine {engine!r}", "local or dask")
    out = Path(out_dir)
    mapping = mapping or Mapping()
    config = config or Config()
    stream = iter(items)
    first = list(itertools.islice(stream, chunk_size))
    groups = _groups(out, mapping, first, resume)
    options = CheckOptions(config, lang or mapping.lang or config.lang or "auto", groups)
    warm_up(options)  # a config the engine cannot use fails here, once, not on every reply
    tables = AuditTables(out, groups, resume)
    checked = 0
    interrupted = False
    skip = _Skipper(tables)
    try:
        with progress_bar(expected, progress, done=tables.resumed.replies) as advance:
            chunks = _chunks(itertools.chain(first, stream), tables, skip, chunk_size)
            with _EngineRows(engine, chunks, options, jobs, scheduler, client) as rows:
                for chunk_rows in rows:
                    tables.add(chunk_rows)
                    checked += chunk_rows.checked
                    advance(chunk_rows.checked + len(chunk_rows.bad) + skip.take())
    except KeyboardInterrupt:  # the files are closed whole below; AuditResult.interrupted tells the caller
        interrupted = True
    finally:
        tables.close()
    return _finish(out, tables, checked, skip.skipped, interrupted, report)


def _finish(out: Path, tables: AuditTables, checked: int, skipped: int, interrupted: bool,
            report: bool) -> AuditResult:
    from .summary import summarize

    summary = summarize(out)
    report_path = _write_report(out) if report else None
    return AuditResult(out, tables.replies.rows, checked, skipped, tables.findings.rows - tables.resumed.findings,
                       tables.bad_rows, interrupted, summary, report_path)


def _write_report(out: Path) -> Path | None:
    try:
        from .report_html import write_report
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.report_html":
            raise
        _log.warning("replylint: no HTML report: this build has no report module")
        return None
    return write_report(out)


def _groups(out: Path, mapping: Mapping, first: list[SourceReply | BadRow], resume: bool) -> tuple[str, ...]:
    """The group columns: those a resumed run wrote, else the mapping's `by`, else the groups of
    the first chunk's replies (a helpdesk export names its own: agent, team, …)."""
    if resume:
        earlier = written_groups(out)
        if earlier is not None:
            return earlier
    if mapping.by:
        return tuple(mapping.by)
    seen: dict[str, None] = {}
    for item in first:
        if isinstance(item, SourceReply):
            seen.update(dict.fromkeys(item.groups))
    return tuple(seen)


class _Skipper:
    """With --resume, replies already in replies.parquet are skipped (by id, as often as each id
    was written: an archive may repeat an id); counts what it skipped since last asked."""

    def __init__(self, tables: AuditTables) -> None:
        self.seen = tables.resumed.seen
        self.skipped = 0
        self._untold = 0

    def __call__(self, reply: SourceReply) -> bool:
        if self.seen[reply.id] <= 0:
            return False
        self.seen[reply.id] -= 1
        self.skipped += 1
        self._untold += 1
        return True

    def take(self) -> int:
        untold, self._untold = self._untold, 0
        return untold


def _chunks(items: Iterable[SourceReply | BadRow], tables: AuditTables, skip: _Skipper,
            size: int) -> Iterator[Chunk]:
    """The replies in chunks of `size`; a source's bad rows are logged as met, skipped replies left out."""
    chunk: Chunk = []
    for item in items:
        if isinstance(item, BadRow):
            tables.add_bad(item)
        elif not skip(item):
            chunk.append(item)
            if len(chunk) >= size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


class _EngineRows:
    """The engine's rows as a context: the worker pool or the Dask client made here is shut down
    on the way out, whatever ended the run."""

    def __init__(self, engine: str, chunks: Iterator[Chunk], options: CheckOptions, jobs: int,
                 scheduler: str | None, client: Any) -> None:
        self.engine, self.chunks, self.options, self.jobs = engine, chunks, options, jobs
        self.scheduler, self.client = scheduler, client
        self.owned = contextlib.ExitStack()  # what is made here, closed on exit in reverse order
        self.rows: Iterator[ChunkRows] | None = None

    def __enter__(self) -> Iterator[ChunkRows]:
        if self.engine == "local":
            self.rows = local_rows(self.chunks, self.options, self.jobs)
        else:
            client, ours = (self.client, False) if self.client else self._own_client()
            self.rows = dask_rows(self.chunks, self.options, client, renew=ours)
        return self.rows

    def _own_client(self) -> tuple[Any, bool]:
        """A client of the `scheduler` address, else a LocalCluster of `jobs` workers and its
        client; made with Dask's debugging logs kept short (engines.DASK_SETTINGS), and the
        settings kept while the run lasts (a worker the nanny restarts gets them too). True with
        a LocalCluster: its workers are this run's to renew."""
        import dask
        from distributed import Client, LocalCluster

        self.owned.enter_context(dask.config.set(DASK_SETTINGS))
        if self.scheduler:
            client = Client(self.scheduler)
            self.owned.callback(client.close)
            return client, False
        cluster = LocalCluster(n_workers=max(1, self.jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        self.owned.callback(cluster.close)
        client = Client(cluster)
        self.owned.callback(client.close)
        return client, True

    def __exit__(self, *exc: object) -> None:
        try:
            if self.rows is not None:
                self.rows.close()  # a generator's finally: the local pool terminated, Dask futures cancelled
        finally:
            self.owned.close()  # the client, the cluster, then the settings as they were
