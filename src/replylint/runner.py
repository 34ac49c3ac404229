"""Checking many inputs: read, parse and lint each file, in this process or spread over
worker processes (`--jobs`), with results in input order whatever the number of workers,
and a content-hash cache that skips files already checked with the same rules and config.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .bundles.segments import NotABundle
from .cache import ResultCache
from .config import Config
from .documents import Document
from .documents.readers import detect_format, read_document
from .errors import InputError
from .inputs import STDIN, Source, discover, named_explicitly, read
from .lint import check_document
from .report import FileResult

PARALLEL_FROM_BYTES = 1_000_000  # each worker starts spaCy and the rules (~2 s): only worth it for big runs


@dataclass(frozen=True)
class Job:
    """One input to check; plain data, so it can be sent to a worker process."""

    path: str
    explicit: bool  # named on the command line, not found in a folder
    text: str | None = None  # already read (standard input)


@dataclass(frozen=True)
class Settings:
    """What every job needs; plain data as well."""

    config: Config
    lang: str
    input_format: str = "auto"
    show_suppressed: bool = False


def jobs_for(paths: list[str], config: Config) -> Iterator[Job]:
    """The inputs of a run, in order; standard input is read here, never in a worker."""
    base = Path(config.source).parent if config.source.endswith(".toml") else Path.cwd()
    for path in discover(paths, config.exclude, base):
        explicit = named_explicitly(path, paths)
        yield Job(path, explicit, read(path).text if path == STDIN else None)


Outcome = FileResult | InputError | None  # None: a data file found in a folder that holds no replies


def read_job(job: Job, settings: Settings) -> tuple[Source, Document] | InputError | None:
    """Read and parse one input; an unreadable one comes back as its error, a data file found
    in a folder that holds no replies as None."""
    try:
        source = Source("<stdin>", job.text) if job.text is not None else read(job.path)
        fmt = settings.input_format if settings.input_format != "auto" else detect_format(job.path, source.text)
        try:
            return source, read_document(source.text, fmt, settings.config.read_options(job.path))
        except NotABundle as exc:
            if not job.explicit:  # found in a folder: a package.json, say
                return None
            raise InputError(source.path, str(exc)) from None
        except ValueError as exc:
            raise InputError(source.path, str(exc).splitlines()[0] if str(exc) else "cannot be read") from None
    except InputError as exc:
        return exc


def check_job(job: Job, settings: Settings) -> Outcome:
    """Read, parse and lint one input."""
    read_back = read_job(job, settings)
    if not isinstance(read_back, tuple):
        return read_back
    source, document = read_back
    checked = check_document(document, settings.lang, settings.config)
    return FileResult(source.path, source.text, checked.findings,
                      checked.suppressed if settings.show_suppressed else [], checked.notices)


_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings


def _run_in_worker(job: Job) -> Outcome:
    assert _worker_settings is not None
    return check_job(job, _worker_settings)


def default_jobs(jobs: list[Job]) -> int:
    """All cores for a run big enough to repay starting the workers, else one process."""
    total = 0
    for job in jobs:
        with contextlib.suppress(OSError):
            total += len(job.text) if job.text is not None else os.path.getsize(job.path)
        if total >= PARALLEL_FROM_BYTES:
            return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 1


def check_all(jobs: list[Job], settings: Settings, workers: int = 1, cache: ResultCache | None = None,
              advance: Callable[[], None] | None = None) -> Iterator[Outcome]:
    """Every job's outcome, in the order of `jobs`."""
    results: list[Outcome] = [None] * len(jobs)
    todo: list[int] = []
    for index, job in enumerate(jobs):
        hit = cache.get(job, settings) if cache else None
        if hit is not None:
            results[index] = hit
            if advance:
                advance()
        else:
            todo.append(index)
    fresh = _run(jobs, todo, settings, workers, advance)
    for index, result in zip(todo, fresh, strict=True):
        results[index] = result
        if cache and isinstance(result, FileResult):
            cache.put(jobs[index], settings, result)
    yield from results


def _run(jobs: list[Job], todo: list[int], settings: Settings, workers: int,
         advance: Callable[[], None] | None) -> list[Outcome]:
    out: list[Outcome] = []
    if workers <= 1 or len(todo) < 2:
        for index in todo:
            out.append(check_job(jobs[index], settings))
            if advance:
                advance()
        return out
    chunk = max(1, min(64, len(todo) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(settings,)) as pool:
        for result in pool.map(_run_in_worker, [jobs[i] for i in todo], chunksize=chunk):
            out.append(result)
            if advance:
                advance()
    return out


