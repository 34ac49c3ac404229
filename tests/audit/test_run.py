"""The audit run: the same Parquet from one process, local workers and a Dask LocalCluster; bad
rows located, never fatal; Ctrl-C leaves whole files; --resume carries on without duplicates."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")
import pyarrow.parquet as pq

from replylint.audit.model import BAD_ROWS_FILE, FINDINGS_FILE, REPLIES_FILE, BadRow, Mapping, SourceReply
from replylint.audit.run import audit_replies
from replylint.audit.templates import normalized, template_of

TEXTS = (
    "Hi Anna, no. You are wrong, as I already told you.",
    "Thanks for waiting! Your refund for order #{n} is on its way.",
    "Per our policy we cannot refund order #{n}.",
    "Hello Bob,\nI'm sorry for the trouble. I've fixed it for you.\n\nMaria",
    "Calm down. You should have read the manual.",
)


def replies(count: int, bad_every: int = 0) -> Iterator[SourceReply | BadRow]:
    """`count` replies over three agents and three months; every `bad_every`-th row is a BadRow."""
    for i in range(count):
        where = f"archive.jsonl:{i + 1}"
        if bad_every and i % bad_every == bad_every - 1:
            yield BadRow(where, "no text column 'body'")
            continue
        yield SourceReply(f"t{i // 2}-{i % 2}", TEXTS[i % len(TEXTS)].format(n=1000 + i),
                          groups={"agent": f"agent{i % 3}", "team": "north" if i % 2 else "south"},
                          time=f"2024-{1 + i % 3:02d}-{1 + i % 27:02d}T09:30:00Z", location=where)


def interrupted_after(items: Iterator, count: int) -> Iterator:
    """A source that the user stops with Ctrl-C after `count` items."""
    for number, item in enumerate(items):
        if number == count:
            raise KeyboardInterrupt
        yield item


def tables(out: Path) -> tuple[list[dict], list[dict]]:
    return pq.read_table(out / REPLIES_FILE).to_pylist(), pq.read_table(out / FINDINGS_FILE).to_pylist()


def run(items, out: Path, **options):
    options.setdefault("report", False)
    options.setdefault("progress", False)
    options.setdefault("chunk_size", 16)
    return audit_replies(items, out, Mapping(by=("agent", "team")), **options)


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    result = run(replies(120, bad_every=25), out)
    assert (result.replies, result.checked, result.bad_rows, result.interrupted) == (116, 116, 4, False)
    return out


def test_rows_findings_and_groups_are_written(one_process: Path) -> None:
    reply_rows, finding_rows = tables(one_process)
    assert [r["reply_id"] for r in reply_rows[:3]] == ["t0-0", "t0-1", "t1-0"]
    first = reply_rows[0]
    assert first["location"] == "archive.jsonl:1" and first["month"] == "2024-01" and first["lang"] == "en"
    assert first["group_agent"] == "agent0" and first["group_team"] == "south"
    assert first["findings"] == sum(1 for f in finding_rows if f["reply_id"] == "t0-0") >= 2
    wrong = next(f for f in finding_rows if f["reply_id"] == "t0-0" and f["family"] == "you-are-wrong")
    assert first["text"][wrong["start"]:wrong["end"]] == wrong["matched"] == "You are wrong"
    assert wrong["group_agent"] == "agent0" and wrong["month"] == "2024-01"
    assert sum(r["findings"] for r in reply_rows) == len(finding_rows)
    clean = next(r for r in reply_rows if r["text"].startswith("Thanks for waiting"))
    assert clean["findings"] == 0


def test_bad_rows_are_located_one_line_each(one_process: Path) -> None:
    lines = (one_process / BAD_ROWS_FILE).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["location"] for line in lines] == [f"archive.jsonl:{n}" for n in (25, 50, 75, 100)]
    assert json.loads(lines[0])["problem"] == "no text column 'body'"


def test_near_identical_replies_share_a_template(one_process: Path) -> None:
    reply_rows, _ = tables(one_process)
    refunds = {r["template"] for r in reply_rows if r["text"].startswith("Thanks for waiting")}
    assert len(refunds) == 1  # order numbers differ
    assert len({r["template"] for r in reply_rows}) == len(TEXTS)
    assert normalized("Hi Anna,\nOrder #A-12 ships 3 May.\n\nThanks,\nMaria Lopez") == \
        normalized("hello Bob!  Order #B-999 ships 14 june.\n\nThanks,\nJo") .replace("hello", "hi")
    assert template_of("Hi Anna, no.") != template_of("Hi Anna, yes.")


def test_local_workers_give_the_same_parquet(one_process: Path, tmp_path: Path) -> None:
    result = run(replies(120, bad_every=25), tmp_path, jobs=2)
    assert result.replies == 116
    for name in (REPLIES_FILE, FINDINGS_FILE):
        assert pq.read_table(tmp_path / name).equals(pq.read_table(one_process / name)), name
    assert (tmp_path / BAD_ROWS_FILE).read_bytes() == (one_process / BAD_ROWS_FILE).read_bytes()


def test_renewed_local_workers_give_the_same_parquet(one_process: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers replaced every chunk (CHUNKS_PER_WORKER, for flat memory) change no row."""
    from replylint.audit import engines

    renewals = []
    real_renew = engines._LocalPool.renew
    monkeypatch.setattr(engines, "CHUNKS_PER_WORKER", 1)
    monkeypatch.setattr(engines._LocalPool, "renew", lambda pool: (renewals.append(1), real_renew(pool)))
    run(replies(120, bad_every=25), tmp_path, jobs=2)
    assert len(renewals) >= 3
    for name in (REPLIES_FILE, FINDINGS_FILE):
        assert pq.read_table(tmp_path / name).equals(pq.read_table(one_process / name)), name


def test_dask_local_cluster_gives_the_same_parquet(one_process: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    import dask

    # forked workers start with this process's rules loaded: a quick test (spawned ones load them again)
    fork = {"distributed.worker.multiprocessing-method": "fork"}
    with dask.config.set(fork), distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") \
            as cluster, distributed.Client(cluster) as client:
        result = run(replies(120, bad_every=25), tmp_path / "client", engine="dask", client=client)
        assert len(client.scheduler_info()["workers"]) == 2
        # --scheduler tcp://…: the run connects a client of its own, and closes it
        by_address = run(replies(120, bad_every=25), tmp_path / "address", engine="dask",
                         scheduler=cluster.scheduler_address)
    assert (result.replies, result.bad_rows) == (by_address.replies, by_address.bad_rows) == (116, 4)
    for name in (REPLIES_FILE, FINDINGS_FILE):
        for out in ("client", "address"):
            assert pq.read_table(tmp_path / out / name).equals(pq.read_table(one_process / name)), (out, name)


def test_dask_own_local_cluster_keeps_short_logs_and_renews_its_workers(one_process: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    import dask

    from replylint.audit import engines

    made, restarts = [], []
    real_cluster, real_restart = distributed.LocalCluster, distributed.Client.restart_workers

    def recorded(*args, **kwargs):
        made.append(real_cluster(*args, **kwargs))
        return made[-1]

    def restart(client, workers, **kwargs):
        restarts.append(len(workers))
        return real_restart(client, workers, **kwargs)

    monkeypatch.setattr(distributed, "LocalCluster", recorded)
    monkeypatch.setattr(distributed.Client, "restart_workers", restart)
    monkeypatch.setattr(engines, "CHUNKS_PER_WORKER", 1)
    with dask.config.set({"distributed.worker.multiprocessing-method": "fork"}):  # quick: see above
        result = run(replies(120, bad_every=25), tmp_path, engine="dask", jobs=2)
    assert (result.replies, result.bad_rows) == (116, 4)
    for name in (REPLIES_FILE, FINDINGS_FILE):
        assert pq.read_table(tmp_path / name).equals(pq.read_table(one_process / name)), name
    # a compute-task message carries its chunk: Dask's debugging logs must not keep 1,000 of them
    scheduler = made[0].scheduler
    assert scheduler.transition_log.maxlen == engines.DASK_LOG_LENGTH
    assert {s.recent_message_log.maxlen for s in scheduler.stream_comms.values()} <= {engines.DASK_LOG_LENGTH}
    assert restarts == [2, 2, 2]  # 8 chunks, both workers renewed every 2 (not after the last)
    assert dask.config.get("distributed.admin.low-level-log-length") != engines.DASK_LOG_LENGTH  # set back


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_leaves_valid_files_and_resume_finishes_the_run(one_process: Path, tmp_path: Path, jobs: int) -> None:
    # small chunks: with two workers, 6 chunks are in flight (lost on Ctrl-C, checked again on resume)
    stopped = run(interrupted_after(replies(120, bad_every=25), 70), tmp_path, jobs=jobs, chunk_size=4)
    assert stopped.interrupted
    reply_rows, finding_rows = tables(tmp_path)  # whole Parquet files: they read back
    assert 0 < len(reply_rows) <= 70 - 2 and len(reply_rows) == stopped.replies
    assert {f["reply_id"] for f in finding_rows} <= {r["reply_id"] for r in reply_rows}
    assert stopped.summary is not None and stopped.summary["totals"]["replies"] == len(reply_rows)
    assert not list(tmp_path.glob("*.partial"))

    resumed = run(replies(120, bad_every=25), tmp_path, jobs=jobs, resume=True, chunk_size=4)
    assert not resumed.interrupted
    assert resumed.skipped == len(reply_rows) and resumed.checked == 116 - len(reply_rows)
    for name in (REPLIES_FILE, FINDINGS_FILE):
        assert pq.read_table(tmp_path / name).equals(pq.read_table(one_process / name)), name
    assert (tmp_path / BAD_ROWS_FILE).read_bytes() == (one_process / BAD_ROWS_FILE).read_bytes()


def test_resume_drops_findings_of_a_reply_whose_row_was_never_written(tmp_path: Path) -> None:
    run(replies(10), tmp_path)
    reply_table = pq.read_table(tmp_path / REPLIES_FILE)
    pq.write_table(reply_table.slice(0, 5), tmp_path / REPLIES_FILE)  # as if stopped between the two writes
    run(replies(10), tmp_path, resume=True)
    reply_rows, finding_rows = tables(tmp_path)
    assert [r["reply_id"] for r in reply_rows] == [r["reply_id"] for r in reply_table.to_pylist()]
    assert len(finding_rows) == sum(r["findings"] for r in reply_rows)


def test_resume_counts_repeated_ids(tmp_path: Path) -> None:
    same = [SourceReply("ticket-1", text, location=f"a.csv:{n}") for n, text in enumerate(TEXTS[:4], start=2)]
    run(iter(same[:3]), tmp_path)
    result = run(iter(same), tmp_path, resume=True)
    assert (result.skipped, result.checked, result.replies) == (3, 1, 4)
    assert [r["location"] for r in tables(tmp_path)[0]] == ["a.csv:2", "a.csv:3", "a.csv:4", "a.csv:5"]


def test_a_reply_the_engine_fails_on_is_a_bad_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import replylint

    real = replylint.check

    def check(text: str, *args, **kwargs):
        if "boom" in text:
            raise ValueError("the engine\nfell over")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(replylint, "check", check)
    items = [SourceReply("1", "No."), SourceReply("2", "boom", location="x.csv:3"), SourceReply("3", "Calm down.")]
    result = run(iter(items), tmp_path)
    assert (result.replies, result.bad_rows) == (2, 1)
    [line] = (tmp_path / BAD_ROWS_FILE).read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {"location": "x.csv:3",
                                "problem": "could not be checked: ValueError: the engine fell over"}


def test_groups_come_from_the_replies_without_a_mapping(tmp_path: Path) -> None:
    items = [SourceReply("1", "No.", groups={"agent": "ana", "macro": "refund"}),
             SourceReply("2", "Calm down.", groups={"agent": "bo"})]
    audit_replies(items, tmp_path, report=False, progress=False)
    rows, _ = tables(tmp_path)
    assert [(r["group_agent"], r["group_macro"]) for r in rows] == [("ana", "refund"), ("bo", "")]


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_a_worker_that_dies_costs_only_its_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import replylint

    real = replylint.check

    def check(text: str, *args, **kwargs):
        if text == "die":
            os._exit(3)  # as a crash in native code would; the forked workers inherit this patch
        return real(text, *args, **kwargs)

    monkeypatch.setattr(replylint, "check", check)
    items = [SourceReply(str(n), "die" if n == 5 else "No.", location=f"x.csv:{n}") for n in range(12)]
    result = run(iter(items), tmp_path, jobs=2, chunk_size=4)
    assert (result.replies, result.bad_rows, result.interrupted) == (8, 4, False)
    assert [r["reply_id"] for r in tables(tmp_path)[0]] == ["0", "1", "2", "3", "8", "9", "10", "11"]
    lines = [json.loads(line) for line in (tmp_path / BAD_ROWS_FILE).read_text(encoding="utf-8").splitlines()]
    assert [b["location"] for b in lines] == ["x.csv:4", "x.csv:5", "x.csv:6", "x.csv:7"]
    assert "worker process stopped" in lines[0]["problem"]
