"""An archive's sent replies, streamed: every input file read record by record, so memory stays
flat whatever its size, and every record that is not a reply reported where it is, never raised.

Formats, by file name (`.gz` allowed on the text ones):
- tables: `.csv` / `.tsv` (by line), `.jsonl` / `.ndjson` (by line), `.parquet` (by row group),
  columns named by `Mapping` (`--text body --by agent,team --time created_at --id ticket_id`);
- helpdesk exports (helpdesk.py): Zendesk tickets with comments, Help Scout conversations and
  Freshdesk tickets, one per JSONL line or as the items of a JSON array (`[...]`,
  `{"tickets": [...]}`), told from table rows by their shape.
A `.json` file is streamed with ijson when it is installed (the `audit` extra); without it, or
for a single JSON object that holds no list of records, the file is read whole, up to
`limits.MAX_BYTES`.

Locations: `file:LINE` (the line a CSV record or JSONL line starts on), `file:row N` (Parquet,
1-based), `file:item N` (a JSON array's records), `file:ticket ID comment N` (helpdesk exports).
A ticket without an id is located by its record: `file:LINE comment N`, `file:item N comment N`.
Reply ids: the `Mapping.id` column (consecutive repeats, as in one row per reply of a ticket,
numbered `ID#2`, `ID#3`), the message's id in a helpdesk export, else the location.
"""
from __future__ import annotations

import csv
import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..limits import MAX_BYTES
from .helpdesk import cell, dig, reply_lang, ticket_replies
from .model import BadRow, Mapping, SourceReply
from .timestamps import iso_time

Record = SourceReply | BadRow
MAX_LINE = 16 * 1024 * 1024  # one JSONL / CSV line; longer ones are reported and skipped, not held
_BATCH_ROWS = 2048  # Parquet rows decoded at a time
_TABLE_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
_CONTAINER_KEYS = ("tickets", "conversations", "results", "data", "records", "rows", "items", "replies")


def iter_replies(paths: Iterable[str | Path], mapping: Mapping) -> Iterator[Record]:
    """Every reply in `paths` (files, or folders searched for the formats above) in file order,
    with a `BadRow` for each record, file or path that cannot be read as one."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _kind(p) is not None)
            for file in files:
                yield from _read_file(file, str(file), mapping)
        elif not path.exists():
            yield BadRow(str(path), "no such file or folder")
        else:
            yield from _read_file(path, str(path), mapping)


def _kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".parquet":
        return "parquet"
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return _TABLE_SUFFIXES.get(suffixes[-1]) if suffixes else None


def _read_file(path: Path, shown: str, mapping: Mapping) -> Iterator[Record]:
    kind = _kind(path)
    readers: dict[str, Callable[[Path, str, Mapping], Iterator[Record]]] = {
        "csv": _csv_records, "jsonl": _jsonl_records, "json": _json_records, "parquet": _parquet_records}
    if kind is None:
        yield BadRow(shown, "not a .csv, .tsv, .jsonl, .ndjson, .json or .parquet file (by its name)")
        return
    try:
        yield from readers[kind](path, shown, mapping)
    except (OSError, EOFError, zlib.error) as error:  # unreadable, or a .gz cut short or corrupt
        yield BadRow(shown, f"cannot be read (from here on): {getattr(error, 'strerror', None) or _one_line(error)}")


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


# --- a table row to a reply -------------------------------------------------------------------
class _Ids:
    """Reply ids from an id column: consecutive repeats (one row per reply of a ticket) get `#2`,
    `#3`, so ids stay unique for `--resume` without remembering every id seen."""

    def __init__(self) -> None:
        self.last, self.count = "", 0

    def __call__(self, value: str) -> str:
        self.count = self.count + 1 if value == self.last else 1
        self.last = value
        return value if self.count == 1 else f"{value}#{self.count}"


def _row_reply(get: Callable[[str], Any], location: str, mapping: Mapping, ids: _Ids) -> Record:
    """One table row as a reply, or why it is not one. Bad rows take their id number too, so ids
    stay put when a bad row is mended and the archive audited again with `--resume`."""
    own_id = cell(get(mapping.id)) if mapping.id else ""
    reply_id = ids(own_id) if own_id else location
    text = get(mapping.text)
    if text is None or text == "":
        return BadRow(location, f"no text in '{mapping.text}'")
    if not isinstance(text, str):
        return BadRow(location, f"'{mapping.text}' holds {type(text).__name__}, not text")
    if not text.strip():
        return BadRow(location, f"'{mapping.text}' is blank")
    return SourceReply(
        id=reply_id, text=text,
        context=cell(get(mapping.context)) if mapping.context else "",
        groups={name: cell(get(name)) for name in mapping.by},
        time=iso_time(get(mapping.time)) if mapping.time else None, location=location,
        lang=reply_lang({mapping.lang: get(mapping.lang)} if mapping.lang else {}, mapping))


def _missing_columns(columns: Iterable[str], mapping: Mapping) -> str | None:
    """The problem with a table whose header lacks a mapped column (the text, a group, the time,
    id or context): a typo would otherwise leave every reply ungrouped or undated, silently."""
    have = list(columns)
    wanted = [mapping.text, *mapping.by, *(c for c in (mapping.time, mapping.id, mapping.context) if c)]
    missing = [c for c in dict.fromkeys(wanted) if c not in have]
    if not missing:
        return None
    shown = ", ".join(have[:20]) + (", …" if len(have) > 20 else "")
    return f"no column {', '.join(repr(c) for c in missing)} (columns: {shown or 'none'})"


# --- lines of a text file, bounded -------------------------------------------------------------
def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for every line; None for a line over MAX_LINE, skipped in chunks so
    memory never holds more than one bounded line."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


# --- JSONL ---------------------------------------------------------------------------------
def _jsonl_records(path: Path, shown: str, mapping: Mapping) -> Iterator[Record]:
    ids = _Ids()
    with _open(path) as stream:
        for number, line in _lines(stream):
            location = f"{shown}:{number}"
            if line is None:
                yield BadRow(location, f"line longer than {MAX_LINE // (1024 * 1024)} MB")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError as error:
                yield BadRow(location, f"not UTF-8 text (byte {error.start + 1})")
                continue
            except RecursionError:
                yield BadRow(location, "not JSON this reader takes: nested too deep")
                continue
            except ValueError as error:
                column = getattr(error, "colno", "?")
                yield BadRow(location, f"not JSON: {getattr(error, 'msg', error)} (column {column})")
                continue
            yield from _record(record, location, shown, mapping, ids)


def _record(record: Any, location: str, shown: str, mapping: Mapping, ids: _Ids) -> Iterator[Record]:
    """A parsed JSON record: a helpdesk ticket's replies, or a table row."""
    if not isinstance(record, dict):
        yield BadRow(location, f"a JSON {_json_kind(record)}, not an object")
        return
    try:  # a ticket's replies are few: made in full, so a record that breaks is one bad row
        replies = ticket_replies(record, shown, mapping, location)
        found = list(replies) if replies is not None else [
            _row_reply(lambda name: dig(record, name), location, mapping, ids)]
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        found = [BadRow(location, f"not a ticket or row this reader understands ({_one_line(error)})")]
    yield from found


def _json_kind(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


# --- JSON documents ---------------------------------------------------------------------------
def _json_records(path: Path, shown: str, mapping: Mapping) -> Iterator[Record]:
    try:
        import ijson
    except ImportError:
        yield from _json_whole(path, shown, mapping, "ijson is not installed (pip install 'replylint[audit]')")
        return
    prefix = _records_prefix(path, ijson)
    if prefix is None:
        yield from _json_whole(path, shown, mapping, "it is a single object with no list of records")
        return
    ids, number = _Ids(), 0
    with _open(path) as stream:
        try:
            for number, record in enumerate(ijson.items(stream, prefix, use_float=True), 1):
                yield from _record(record, f"{shown}:item {number}", shown, mapping, ids)
        except ijson.JSONError as error:
            problem = " ".join(str(error).split())[:200]
            yield BadRow(f"{shown}:item {number + 1}", f"not JSON from here on: {problem}")


def _records_prefix(path: Path, ijson: Any) -> str | None:
    """Where a JSON document keeps its records: `item` for a top-level array, `tickets.item` for
    `{"tickets": [...]}` or `{"_embedded": {"conversations": [...]}}` (the other container keys
    too); None for one object holding none (a single ticket). Reads up to the first such list."""
    with _open(path) as stream:
        try:
            for prefix, event, _ in ijson.parse(stream):
                if event == "start_array" and (prefix == "" or prefix.rsplit(".", 1)[-1] in _CONTAINER_KEYS):
                    return "item" if prefix == "" else f"{prefix}.item"
        except ijson.JSONError:
            return "item"  # let the streaming pass report where it breaks
    return None


def _json_whole(path: Path, shown: str, mapping: Mapping, why: str) -> Iterator[Record]:
    """A JSON document read whole: fine for one ticket, refused past MAX_BYTES."""
    with _open(path) as stream:
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        yield BadRow(shown, f"larger than {MAX_BYTES // (1024 * 1024)} MB and cannot be streamed: {why}; "
                            "write it as JSONL, one record a line")
        return
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        yield BadRow(shown, f"not UTF-8 text (byte {error.start + 1})")
        return
    except ValueError as error:
        yield BadRow(f"{shown}:{getattr(error, 'lineno', '?')}", f"not JSON: {getattr(error, 'msg', error)}")
        return
    except RecursionError:
        yield BadRow(shown, "not JSON this reader takes: nested too deep")
        return
    ids = _Ids()
    records = document
    if isinstance(document, dict):
        inner = next((document[k] for k in _CONTAINER_KEYS if isinstance(document.get(k), list)), None)
        records = inner if inner is not None else [document]
    if not isinstance(records, list):
        yield BadRow(shown, f"a JSON {_json_kind(records)}, not an object or a list of records")
        return
    for number, record in enumerate(records, 1):
        yield from _record(record, f"{shown}:item {number}", shown, mapping, ids)


# --- CSV ------------------------------------------------------------------------------------
class _TextLines:
    """A binary file's lines as text for `csv`, remembering which were not UTF-8 or too long,
    so the record that holds them is reported instead of checked with replacement characters."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._lines = _lines(stream)
        self.bad: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        for number, line in self._lines:
            if line is None:
                self.bad[number] = f"line {number} is longer than {MAX_LINE // (1024 * 1024)} MB"
                yield "\n"
                continue
            try:
                yield line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                self.bad[number] = f"line {number} is not UTF-8 text (byte {error.start + 1})"
                yield line.decode("utf-8", errors="replace")

    def problem(self, first: int, last: int) -> str | None:
        """The first problem on lines first..last, forgetting those before `last`."""
        found = next((self.bad[n] for n in sorted(self.bad) if first <= n <= last), None)
        for n in [n for n in self.bad if n <= last]:
            del self.bad[n]
        return found


def _csv_records(path: Path, shown: str, mapping: Mapping) -> Iterator[Record]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE))  # process-wide; only ever raised
    delimiter = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    with _open(path) as stream:
        lines = _TextLines(stream)
        reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)  # strict: bad quoting is reported
        try:
            header = next(reader)
        except StopIteration:
            yield BadRow(f"{shown}:1", "empty: no header line")
            return
        except csv.Error as error:
            yield BadRow(f"{shown}:1", f"no readable header: {error}")
            return
        problem = _missing_columns(header, mapping)
        if problem:
            yield BadRow(f"{shown}:1", problem)
            return
        columns = {name: i for i, name in reversed(list(enumerate(header)))}
        ids = _Ids()
        while True:
            first = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                said = str(error)
                if said == "unexpected end of data":
                    said = "a quoted field opens here and is never closed (the rest of the file is inside it)"
                yield BadRow(f"{shown}:{first}", f"not CSV: {said}")
                continue
            location = f"{shown}:{first}"
            if (problem := lines.problem(first, reader.line_num)) is not None:
                yield BadRow(location, problem)
            elif not row:
                continue  # a blank line
            elif len(row) != len(header):
                yield BadRow(location, f"{len(row)} fields where the header has {len(header)}")
            else:
                yield _row_reply(lambda name, row=row: row[columns[name]] if name in columns else None,
                                 location, mapping, ids)


# --- Parquet ----------------------------------------------------------------------------------
def _parquet_records(path: Path, shown: str, mapping: Mapping) -> Iterator[Record]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        yield BadRow(shown, f"not a Parquet file: {_one_line(error)}")
        return
    schema = table.schema_arrow
    problem = _missing_columns(schema.names, mapping)
    text_type = schema.field(mapping.text).type if problem is None else None
    if text_type is not None and not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)):
        problem = f"column '{mapping.text}' is {text_type}, not text"
    if problem:
        yield BadRow(shown, problem)
        return
    wanted = [mapping.text, *mapping.by, *(c for c in (mapping.time, mapping.id, mapping.context) if c)]
    if mapping.lang in schema.names:
        wanted.append(mapping.lang)
    ids, row = _Ids(), 0
    try:
        for group in range(table.num_row_groups):  # one row group at a time: no read-ahead of the rest
            for batch in table.iter_batches(batch_size=_BATCH_ROWS, row_groups=[group],
                                            columns=list(dict.fromkeys(wanted))):
                values = {name: batch.column(name).to_pylist() for name in batch.schema.names}
                for i in range(batch.num_rows):
                    row += 1
                    yield _row_reply(lambda name, i=i, values=values: values[name][i] if name in values else None,
                                     f"{shown}:row {row}", mapping, ids)
    except (pa.ArrowException, OSError) as error:
        yield BadRow(f"{shown}:row {row + 1}", f"unreadable from here on: {_one_line(error)}")


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:200]

