"""Checking many inputs: read, parse and lint each file, in this process or spread over
worker processes (`--jobs`), with results in input order whatever the number of workers,
and a content-hash cache that skips files already checked with the same rules and config.

One file never takes the run down: any exception while reading, parsing or linting it, and
a worker process that dies on it, becomes that file's one-line InputError.
"""
from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from replylint._version import __version__
from replylint.engine.config import Config
from replylint.engine.ruleset import rules_digest
from replylint.engine.tone import MODEL_DIR as TONE_MODEL_DIR
from replylint.errors import DocumentError, InputError
from replylint.inputs.bundles.segments import NotABundle
from replylint.inputs.document_check import check_document
from replylint.inputs.documents import Document
from replylint.inputs.files import STDIN, Source, discover, named_explicitly, read
from replylint.inputs.formats import detect_format, read_document
from replylint.inputs.options import read_options

from .cache import ResultCache
from .results import FileResult

PARALLEL_FROM_BYTES = 1_000_000  # each worker starts spaCy and the rules (~2 s): only worth it for big runs


@dataclass(frozen=True)
class Job:
    """One input to check; plain data, so it can be sent to a worker process."""

    path: str
    explicit: bool  # named on the command line, not found in a folder
    text: str | None = None  # already read (standard input)
    error: InputError | None = None  # known unreadable before any work: stdin that is not text, a locked folder
    name: str | None = None  # the file standard input stands for (--stdin-filename): its reader and reported path
    config: Config | None = None  # the file's own config (nearest its folder) when it is not the run's

    @property
    def shown(self) -> str:
        """The name reported for this input, which also picks its reader."""
        return (self.name or "<stdin>") if self.path == STDIN else self.path


@dataclass(frozen=True)
class Settings:
    """What every job needs; plain data as well."""

    config: Config
    lang: str
    input_format: str = "auto"
    show_suppressed: bool = False
    context: str | None = None  # the customer's message every reply answers (check --context FILE)


def run_key(settings: Settings) -> str:
    """What, besides the file itself and its own config, decides a file's findings: the
    result cache's key for the run."""
    parts = (__version__, settings.lang, repr(settings.config), str(settings.show_suppressed),
             settings.input_format, rules_digest(settings.lang, settings.config.rule_folders), _tone_model_digest(),
             *((f"context:{settings.context}",) if settings.context is not None else ()))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _tone_model_digest() -> str:
    """The tone model's thresholds file changes with every training run: a retrained model
    must not be served from results cached with the old one."""
    try:
        return hashlib.sha256((TONE_MODEL_DIR / "thresholds.json").read_bytes()).hexdigest()
    except OSError:
        return "no tone model"


class _FileKeys:
    """Each job's key in the result cache, beside the run key: the name it is reported under
    and its own config, with the rule files that config's `rule-folders` name (digested once
    per config in a run, so an edited rule there is never served stale)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._own: dict[str, str] = {}  # repr of a file's own config -> its part of the key

    def __call__(self, job: Job) -> str:
        own = ""
        if job.config is not None:
            shown = repr(job.config)
            if shown not in self._own:
                self._own[shown] = f"{shown}\x1f{rules_digest(self.lang, job.config.rule_folders)}"
            own = self._own[shown]
        return f"{job.shown}\x1f{own}"


def _cached(cache: ResultCache, key: str, job: Job) -> FileResult | None:
    """The job's stored result; None when there is none or the file cannot be read here (the
    real check then reports it)."""
    try:
        text = job.text if job.text is not None else read(job.path).text
    except InputError:
        return None
    return cache.get(key, text)


ConfigFor = Callable[[str], Config | None]  # a file's own config, None when it is the run's


def jobs_for(paths: list[str], config: Config, stdin_name: str | None = None,
             config_for: ConfigFor | None = None) -> Iterator[Job]:
    """The inputs of a run, in order; standard input is read here, never in a worker. An input
    that cannot be read here (stdin, a folder that cannot be listed) is a job carrying its error.
    With `config_for`, each file gets its own config; a file found in a folder is left out when
    that config's `exclude` matches it."""
    from_file = config.source.endswith(".toml")
    base = Path(config.source).parent if from_file else Path.cwd()
    for found in discover(paths, config.exclude, base, config.source if from_file else "--exclude"):
        if isinstance(found, InputError):
            yield Job(found.path, True, error=found)
            continue
        explicit = named_explicitly(found, paths)
        own = config_for(stdin_name or "<stdin>" if found == STDIN else found) if config_for else None
        if own is not None and not explicit and own.excludes(found):
            continue
        if found != STDIN:
            yield Job(found, explicit, config=own)
            continue
        try:
            text = read(found).text
        except InputError as exc:
            yield Job(found, explicit, error=exc, name=stdin_name)
            continue
        yield Job(found, explicit, text, name=stdin_name, config=own)


def failure(shown: str, exc: BaseException) -> InputError:
    """Any exception met while checking one input, as that input's one-line error."""
    detail = " ".join(str(exc).split())[:200]
    kind = type(exc).__name__
    if isinstance(exc, RecursionError):
        return InputError(shown, "could not be checked: nested too deeply (RecursionError)")
    return InputError(shown, f"could not be checked: {kind}: {detail}" if detail else f"could not be checked: {kind}")


Outcome = FileResult | InputError | None  # None: a data file found in a folder that holds no replies


def read_job(job: Job, settings: Settings) -> tuple[Source, Document] | InputError | None:
    """Read and parse one input; an unreadable one comes back as its error, a data file found
    in a folder that holds no replies as None. Never raises (bar KeyboardInterrupt)."""
    try:
        return _read_job(job, settings)
    except InputError as exc:
        return exc
    except Exception as exc:  # one file's failure, whatever it is, must not end the run
        return failure(job.shown, exc)


def _read_job(job: Job, settings: Settings) -> tuple[Source, Document] | None:
    if job.error is not None:
        raise job.error
    source = Source(job.shown, job.text) if job.text is not None else read(job.path)
    fmt = settings.input_format if settings.input_format != "auto" else detect_format(job.shown, source.text)
    try:
        return source, read_document(source.text, fmt, read_options(job.config or settings.config, job.shown))
    except NotABundle as exc:
        if not job.explicit:  # found in a folder: a package.json, say
            return None
        raise InputError(source.path, str(exc)) from None
    except DocumentError as exc:  # a bundle that does not parse, a YAML alias bomb, …
        raise InputError(source.path, str(exc).splitlines()[0] if str(exc) else "cannot be read") from None


def check_job(job: Job, settings: Settings) -> Outcome:
    """Read, parse and lint one input; never raises (bar KeyboardInterrupt): a failure is the input's error."""
    read_back = read_job(job, settings)
    if not isinstance(read_back, tuple):
        return read_back
    source, document = read_back
    try:
        checked = check_document(document, settings.lang, job.config or settings.config, settings.context)
        return FileResult(source.path, source.text, checked.findings,
                          checked.suppressed if settings.show_suppressed else [], checked.notices, checked.scores)
    except Exception as exc:  # one file's failure, whatever it is, must not end the run
        return failure(source.path, exc)


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
    key_of = _FileKeys(settings.lang)
    keys = [key_of(job) for job in jobs] if cache else []
    for index, job in enumerate(jobs):
        hit = _cached(cache, keys[index], job) if cache and job.error is None else None
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
            cache.put(keys[index], result)
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
    return _pooled([jobs[i] for i in todo], settings, workers, advance)


def _warm(settings: Settings) -> None:
    """Load spaCy and the likely pack's rules in this process before the workers start: they
    fork from it (where the platform forks), so each starts with them loaded instead of
    loading them again. A file in another language loads its pack in the worker, as before.
    Where workers are spawned instead (macOS, Windows) warming would only delay the run."""
    if multiprocessing.get_start_method() != "fork":
        return
    lang = settings.lang if settings.lang != "auto" else settings.config.lang
    with contextlib.suppress(Exception):  # warming is an optimisation; a real file reports any failure
        check_document(read_document("Thank you for your message.", "text"), "en" if lang == "auto" else lang,
                       settings.config)


def _pooled(jobs: list[Job], settings: Settings, workers: int, advance: Callable[[], None] | None) -> list[Outcome]:
    """Every job's outcome from worker processes. When a worker dies (out of memory, a crash in
    native code), the rest run one at a time in one worker, so the next death names its file;
    that file gets an error and the others carry on at full width."""
    _warm(settings)
    out: list[Outcome] = []
    chunk = full_chunk = max(1, min(64, len(jobs) // (workers * 8)))
    width = workers
    while len(out) < len(jobs):
        pending = jobs[len(out):]
        blamed: InputError | None = None
        pool = ProcessPoolExecutor(max_workers=width, initializer=_init_worker, initargs=(settings,))
        try:
            for result in pool.map(_run_in_worker, pending, chunksize=chunk):
                out.append(result)
                if advance:
                    advance()
        except BrokenProcessPool:
            if width > 1 or chunk > 1:
                width, chunk = 1, 1  # find the file: one worker, one file at a time
            else:
                blamed = InputError(pending[0].shown, "could not be checked: the worker process stopped "
                                                      "while checking it (out of memory, or a crash)")
                width, chunk = workers, full_chunk
        except Exception as exc:  # a result that could not come back: map raises it in input order
            blamed = failure(pending[0].shown, exc)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if blamed is not None:
            out.append(blamed)
            if advance:
                advance()
    return out
