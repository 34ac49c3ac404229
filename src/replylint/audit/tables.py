"""The audit's output files: replies.parquet and findings.parquet written in row groups as chunks
come back (flat memory whatever the archive's size), and bad-rows.jsonl.

Each Parquet file is written beside its final name (`*.parquet.partial`) and moved into place when
the writer closes, normally or on Ctrl-C, so the file under the final name is always a whole
Parquet file. `--resume` copies the rows already written into the new file (row group by row
group), notes which replies they cover, and the run carries on after them."""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checker import ChunkRows
from .model import BAD_ROWS_FILE, FINDING_COLUMNS, FINDINGS_FILE, GROUP_PREFIX, REPLIES_FILE, REPLY_COLUMNS, BadRow

ROW_GROUP_ROWS = 20_000  # rows buffered before a row group is written: tens of MB at most, whatever the size


def arrow_schema(base: dict[str, str], groups: tuple[str, ...]) -> Any:
    import pyarrow as pa

    types = {**base, **{GROUP_PREFIX + g: "string" for g in groups}}
    return pa.schema([(name, pa.type_for_alias(kind)) for name, kind in types.items()])


def written_groups(out_dir: Path) -> tuple[str, ...] | None:
    """The group columns of the replies.parquet already in `out_dir` (None when there is none):
    a resumed run keeps them."""
    path = out_dir / REPLIES_FILE
    if not path.is_file():
        return None
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    return tuple(n[len(GROUP_PREFIX):] for n in names if n.startswith(GROUP_PREFIX))


class _TableFile:
    """One Parquet file written in row groups under a temporary name, moved into place on close."""

    def __init__(self, path: Path, schema: Any) -> None:
        import pyarrow.parquet as pq

        self.path, self.schema = path, schema
        self.partial = path.with_name(path.name + ".partial")
        self.writer = pq.ParquetWriter(self.partial, schema, compression="zstd")
        self.buffer: dict[str, list] = {name: [] for name in schema.names}
        self.buffered = 0
        self.rows = 0

    def add(self, rows: dict[str, list]) -> None:
        count = len(next(iter(rows.values()), []))
        for name, values in self.buffer.items():
            values.extend(rows.get(name) or [None] * count)
        self.buffered += count
        if self.buffered >= ROW_GROUP_ROWS:
            self.flush()

    def copy(self, batch: Any) -> None:
        """Rows already written by an earlier run (a pyarrow RecordBatch or Table), as they are."""
        import pyarrow as pa

        self.flush()
        table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
        self.writer.write_table(table.select(self.schema.names).cast(self.schema))
        self.rows += table.num_rows

    def flush(self) -> None:
        if not self.buffered:
            return
        import pyarrow as pa

        self.writer.write_table(pa.Table.from_pydict(self.buffer, schema=self.schema))
        self.rows += self.buffered
        self.buffer = {name: [] for name in self.schema.names}
        self.buffered = 0

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.writer.close()
            os.replace(self.partial, self.path)


@dataclass
class Resumed:
    """What an earlier run already wrote: how often each reply id was checked (ids may repeat in
    an archive: the first N occurrences are skipped), and where its bad rows were."""

    seen: Counter = field(default_factory=Counter)
    bad_locations: set[str] = field(default_factory=set)
    replies: int = 0
    findings: int = 0


class AuditTables:
    """The two Parquet files and the bad-row log of one run; `close` leaves them valid."""

    def __init__(self, out_dir: Path, groups: tuple[str, ...], resume: bool = False) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir, self.groups = out_dir, groups
        self.resumed = Resumed()
        old_replies, old_findings = out_dir / REPLIES_FILE, out_dir / FINDINGS_FILE
        resuming = resume and old_replies.is_file()
        self.replies = _TableFile(old_replies, arrow_schema(REPLY_COLUMNS, groups))
        self.findings = _TableFile(old_findings, arrow_schema(FINDING_COLUMNS, groups))
        self.bad_rows = 0
        try:
            if resuming:
                self._copy_earlier(old_replies, old_findings)
            self.bad_path = out_dir / BAD_ROWS_FILE
            if resuming and self.bad_path.is_file():
                self.resumed.bad_locations = _bad_locations(self.bad_path)
                self.bad_rows = len(self.resumed.bad_locations)
            self.bad_file = self.bad_path.open("a" if resuming else "w", encoding="utf-8")
        except BaseException:
            self._abandon()
            raise

    def _copy_earlier(self, old_replies: Path, old_findings: Path) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        ids: set[str] = set()
        for batch in pq.ParquetFile(old_replies).iter_batches(batch_size=ROW_GROUP_ROWS):
            self.replies.copy(batch)
            for reply_id in batch.column("reply_id").to_pylist():
                self.resumed.seen[reply_id] += 1
                ids.add(reply_id)
        self.resumed.replies = self.replies.rows
        if old_findings.is_file():
            wanted = pa.array(sorted(ids), pa.string())
            for batch in pq.ParquetFile(old_findings).iter_batches(batch_size=ROW_GROUP_ROWS):
                # findings of a reply whose row was never written (Ctrl-C between the two) are dropped:
                # that reply is checked again
                self.findings.copy(batch.filter(pc.is_in(batch.column("reply_id"), value_set=wanted)))
        self.resumed.findings = self.findings.rows

    def add(self, rows: ChunkRows) -> None:
        """A chunk's rows: findings first, so a reply row is never written without its findings."""
        self.findings.add(rows.findings)
        self.replies.add(rows.replies)
        for bad in rows.bad:
            self.add_bad(bad)

    def add_bad(self, bad: BadRow) -> None:
        if bad.location in self.resumed.bad_locations:
            return  # reported by the run this one resumes
        self.bad_file.write(json.dumps({"location": bad.location, "problem": bad.problem}, ensure_ascii=False) + "\n")
        self.bad_rows += 1

    @property
    def written(self) -> int:
        """Replies written so far, including a resumed run's."""
        return self.replies.rows + self.replies.buffered

    def close(self) -> None:
        """Flush and close every file; each is valid afterwards, whatever interrupted the run."""
        try:
            self.findings.close()
        finally:
            try:
                self.replies.close()
            finally:
                self.bad_file.close()

    def _abandon(self) -> None:
        for table in (self.replies, self.findings):
            table.writer.close()
            table.partial.unlink(missing_ok=True)


def _bad_locations(path: Path) -> set[str]:
    locations: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                locations.add(json.loads(line)["location"])
            except (ValueError, KeyError, TypeError):
                continue
    return locations
