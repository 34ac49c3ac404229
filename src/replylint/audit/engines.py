"""Where chunks are checked: in this process, in local worker processes (`--jobs N`), or on a Dask
cluster (`--engine dask`). Every engine yields the chunks' rows in input order, so the Parquet
files do not depend on the engine or the number of workers.

At most a few chunks per worker are in flight: the source is read only as fast as the workers
check, so memory stays flat on an archive of any size."""
from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .checker import CheckOptions, ChunkRows, check_chunk, warm_up
from .model import BadRow, SourceReply

Chunk = list[SourceReply]
IN_FLIGHT_PER_WORKER = 3
# Workers are replaced (forked afresh from the loaded parent) after this many chunks each: a
# long-lived checker grows slowly (allocator fragmentation, caches filling), and a fresh fork
# costs a fraction of a second, so memory stays flat on an archive of any size.
CHUNKS_PER_WORKER = 200
# Dask keeps its last `distributed.admin.low-level-log-length` messages (default 1,000) in several
# debugging logs: the scheduler's stream to each worker, the client's to the scheduler, each
# worker's stimulus log. A compute-task message carries its chunk, so with the default they held
# up to 1,000 chunks each (500,000 replies, unpickled): the audit process holding a LocalCluster
# grew by ~75 MB a minute and each worker by ~13. Clusters the dask engine starts or connects to
# keep this many instead (docs/audit.md: set it on a cluster of your own too).
DASK_LOG_LENGTH = 20
DASK_SETTINGS = {"distributed.admin.low-level-log-length": DASK_LOG_LENGTH}


def serial_rows(chunks: Iterable[Chunk], options: CheckOptions) -> Iterator[ChunkRows]:
    """Every chunk checked here, one after another (`--jobs 1`)."""
    for chunk in chunks:
        yield check_chunk(chunk, options)


_worker_options: CheckOptions | None = None


def _start_worker(options: CheckOptions) -> None:
    """A local worker: Ctrl-C is the parent's to handle (it closes the files); the rules are
    loaded once here, or inherited loaded when the worker was forked."""
    global _worker_options
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_options = options
    warm_up(options)


def _check_in_worker(chunk: Chunk) -> ChunkRows:
    assert _worker_options is not None
    return check_chunk(chunk, _worker_options)


def local_rows(chunks: Iterable[Chunk], options: CheckOptions, jobs: int) -> Iterator[ChunkRows]:
    """Every chunk checked by `jobs` worker processes, forked (where the platform can) from this
    process after it loaded the rules, so each starts with them loaded."""
    if jobs <= 1:
        yield from serial_rows(chunks, options)
        return
    if "fork" in multiprocessing.get_all_start_methods():
        warm_up(options)
    pool = _LocalPool(options, jobs)
    try:
        for number, chunk in enumerate(chunks, 1):
            pool.submit(chunk)
            if pool.in_flight >= jobs * IN_FLIGHT_PER_WORKER:
                yield from pool.take()
            if number % (jobs * CHUNKS_PER_WORKER) == 0:
                while pool.in_flight:
                    yield from pool.take()
                pool.renew()
        while pool.in_flight:
            yield from pool.take()
    finally:
        pool.close()


class _LocalPool:
    """Worker processes with a queue of chunks in flight, taken back in order. When a worker dies
    (out of memory, a crash in native code) the chunks in flight are checked again one at a
    time in a single worker, so the next death names its chunk: that chunk's replies become
    bad rows, the others' rows are kept, and the run carries on at full width."""

    def __init__(self, options: CheckOptions, jobs: int) -> None:
        self.options, self.jobs = options, jobs
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.pool = self._new(jobs)
        self.pending: deque[tuple[Chunk, Future]] = deque()

    def _new(self, width: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(width, mp_context=self.context, initializer=_start_worker,
                                   initargs=(self.options,))

    @property
    def in_flight(self) -> int:
        return len(self.pending)

    def submit(self, chunk: Chunk) -> None:
        self.pending.append((chunk, self.pool.submit(_check_in_worker, chunk)))

    def take(self) -> list[ChunkRows]:
        """The oldest chunk's rows; after a worker died, every chunk in flight's."""
        chunk, future = self.pending.popleft()
        try:
            return [future.result()]
        except BrokenProcessPool:
            redo = [chunk, *(c for c, _ in self.pending)]
            self.pending.clear()
            self.pool.shutdown(wait=True, cancel_futures=True)
            rows = self._one_at_a_time(redo)
            self.pool = self._new(self.jobs)
            return rows
        except Exception as exc:  # a chunk's rows that could not come back (pickling, …)
            return [_lost(chunk, self.options, f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")]

    def _one_at_a_time(self, chunks: list[Chunk]) -> list[ChunkRows]:
        rows: list[ChunkRows] = []
        solo = self._new(1)
        try:
            for chunk in chunks:
                try:
                    rows.append(solo.submit(_check_in_worker, chunk).result())
                except BrokenProcessPool:
                    rows.append(_lost(chunk, self.options, "the worker process stopped while checking it "
                                                           "(out of memory, or a crash)"))
                    solo.shutdown(wait=True, cancel_futures=True)
                    solo = self._new(1)
        finally:
            solo.shutdown(wait=True, cancel_futures=True)
        return rows

    def renew(self) -> None:
        """Fresh workers for the next stretch (nothing in flight): see CHUNKS_PER_WORKER."""
        self.pool.shutdown(wait=True)
        self.pool = self._new(self.jobs)

    def close(self) -> None:
        """Stop the workers; chunks not started are dropped (Ctrl-C: --resume checks them)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _lost(chunk: Chunk, options: CheckOptions, why: str) -> ChunkRows:
    """A chunk no worker could check: each of its replies a bad row, located."""
    rows = check_chunk([], options)
    rows.bad.extend(BadRow(r.location or r.id, f"could not be checked: {why}") for r in chunk)
    return rows


def dask_rows(chunks: Iterable[Chunk], options: CheckOptions, client: Any,
              renew: bool = False) -> Iterator[ChunkRows]:
    """Every chunk checked as a task on the Dask cluster `client` is connected to; the results
    come back in chunk order. Needs replylint (and its extras) installed on the workers. With
    `renew` (a cluster this run started) the workers are restarted by their nannies every
    CHUNKS_PER_WORKER chunks each, as the local engine renews its workers, so their memory
    stays flat; a cluster of the caller's is left as it is."""
    from .dask_plugin import RulesOnWorker  # imports distributed: only for this engine

    client.register_plugin(RulesOnWorker(options), name=RulesOnWorker.name)
    workers = max(1, sum(client.nthreads().values()))
    [shared] = client.scatter([options], broadcast=True, hash=False)
    pending: deque = deque()
    try:
        for number, chunk in enumerate(chunks):
            if renew and number and number % (workers * CHUNKS_PER_WORKER) == 0:  # not after the last chunk
                while pending:
                    yield pending.popleft().result()
                shared = _renewed(client, shared, options)
            pending.append(client.submit(check_chunk, chunk, shared, pure=False))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if pending:
            client.cancel(list(pending))


def _renewed(client: Any, shared: Any, options: CheckOptions) -> Any:
    """Fresh worker processes (nothing in flight), each loading the rules again through the
    plugin; the options, scattered to the old ones, scattered anew."""
    client.cancel([shared])
    client.restart_workers(list(client.scheduler_info()["workers"]))
    [fresh] = client.scatter([options], broadcast=True, hash=False)
    return fresh
