"""The audit's sources: every input format read as replies, bad records located exactly (and never
raised), columns mapped, helpdesk exports told apart from tables, times read into ISO 8601, memory
flat on a generated archive, and the archive generator itself (deterministic, its risky share the
truth)."""
from __future__ import annotations

import builtins
import datetime as dt
import gzip
import importlib.util
import json
import sys
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint.audit import sources
from replylint.audit.helpdesk import HELPDESK_GROUPS
from replylint.audit.model import BadRow, Mapping, SourceReply
from replylint.audit.sources import iter_replies
from replylint.audit.timestamps import iso_time

BENCH = Path(__file__).resolve().parents[2] / "bench" / "make_archive.py"
TABLE = Mapping(text="body", by=("agent", "team"), time="created_at", id="ticket_id", context="customer")


def _make_archive():
    spec = importlib.util.spec_from_file_location("make_archive", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_archive"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


make_archive = _make_archive()


def read(paths, mapping=TABLE):
    items = list(iter_replies([str(p) for p in paths], mapping))
    return [i for i in items if isinstance(i, SourceReply)], [i for i in items if isinstance(i, BadRow)]


def where(bad: list[BadRow], path: Path) -> list[str]:
    return [b.location.removeprefix(str(path)) for b in bad]


# --- CSV -------------------------------------------------------------------------------------
def test_csv_rows_are_mapped_and_bad_rows_located_by_their_first_line(tmp_path):
    path = tmp_path / "replies.csv"
    path.write_bytes(
        b"\xef\xbb\xbfticket_id,body,agent,team,created_at,customer,extra\n"      # 1 (with a BOM)
        b'7,"Hi Anna,\nthe answer is no.",ann,billing,2024-03-05 10:00:00,Refund?,x\n'  # 2-3
        b"7,Second reply on the ticket,ann,billing,2024-03-06T09:00:00+01:00,,x\n"  # 4
        b"8,,bob,billing,2024-03-06,Hello,x\n"                                   # 5: no text
        b"9,too,few\n"                                                            # 6
        b"10,caf\xe9 au lait,cy,shipping,2024-04-01,,x\n"                         # 7: not UTF-8
        b'11,"bad"quote,cy,shipping,2024-04-01,,x\n'                               # 8
        b"\n"                                                                     # 9: blank, skipped
        b"12,   ,cy,shipping,2024-04-01,,x\n"                                     # 10: blank text
        b"13,Fine,dee,shipping,1711929600,,x\n")                                  # 11
    replies, bad = read([path])
    assert [(r.id, r.location.removeprefix(str(path))) for r in replies] == [
        ("7", ":2"), ("7#2", ":4"), ("13", ":11")]
    first = replies[0]
    assert first.text == "Hi Anna,\nthe answer is no."
    assert first.groups == {"agent": "ann", "team": "billing"}
    assert first.context == "Refund?"
    assert first.time == "2024-03-05T10:00:00"
    assert replies[1].time == "2024-03-06T08:00:00Z"  # an offset is moved to UTC
    assert replies[2].time == "2024-04-01T00:00:00Z"  # a Unix epoch
    assert where(bad, path) == [":5", ":6", ":7", ":8", ":10"]
    problems = [b.problem for b in bad]
    assert problems[0] == "no text in 'body'"
    assert problems[1] == "3 fields where the header has 7"
    assert "not UTF-8" in problems[2]
    assert problems[3].startswith("not CSV:")
    assert problems[4] == "'body' is blank"
    assert all("\n" not in p for p in problems)


def test_csv_quote_never_closed_is_one_bad_row_not_one_huge_reply(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text('body\nfine\n"never closed\nlost\nlost too\n', encoding="utf-8")
    replies, bad = read([path], Mapping(text="body"))
    assert [r.text for r in replies] == ["fine"]
    assert where(bad, path) == [":3"] and "never closed" in bad[0].problem


def test_csv_missing_mapped_column_is_one_bad_row_for_the_file(tmp_path):
    path = tmp_path / "replies.csv"
    path.write_text("body,agent\nHello,ann\n", encoding="utf-8")
    replies, bad = read([path])
    assert replies == []
    assert where(bad, path) == [":1"]
    assert bad[0].problem.startswith("no column 'team', 'created_at', 'ticket_id', 'customer'")
    assert "columns: body, agent" in bad[0].problem


def test_tsv_and_gzip(tmp_path):
    tsv = tmp_path / "replies.tsv.gz"
    with gzip.open(tsv, "wt", encoding="utf-8") as out:
        out.write("text\tagent\nNo, that is not possible.\tann\n")
    replies, bad = read([tsv], Mapping(by=("agent",)))
    assert bad == [] and [(r.text, r.groups, r.location) for r in replies] == [
        ("No, that is not possible.", {"agent": "ann"}, f"{tsv}:2")]


def test_a_cut_gzip_keeps_what_was_read_and_says_so(tmp_path):
    whole = gzip.compress(b"text\n" + b"".join(b"Reply %d.\n" % n for n in range(2000)))
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    replies, bad = read([path], Mapping())
    assert 0 < len(replies) < 2000
    assert [b.location for b in bad] == [str(path)] and bad[0].problem.startswith("cannot be read (from here on)")


# --- JSONL tables ----------------------------------------------------------------------------
def test_jsonl_rows_and_bad_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_LINE", 200)
    path = tmp_path / "replies.jsonl"
    lines = [
        json.dumps({"body": "Per my last email, no.", "agent": "ann", "meta": {"team": "billing"},
                    "created_at": "2024-05-01T08:00:00Z", "lang": "en"}),  # 1
        "",  # 2: blank
        "{not json",  # 3
        json.dumps([1, 2]),  # 4
        json.dumps({"body": 42}),  # 5
        json.dumps({"body": "x" * 400}),  # 6: longer than MAX_LINE
        json.dumps({"agent": "bob"}),  # 7
        json.dumps({"body": "Fine.", "agent": "bob"}),  # 8
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = Mapping(text="body", by=("agent", "meta.team"), time="created_at", lang="lang")
    replies, bad = read([path], mapping)
    assert [(r.location.removeprefix(str(path)), r.groups) for r in replies] == [
        (":1", {"agent": "ann", "meta.team": "billing"}), (":8", {"agent": "bob", "meta.team": ""})]
    assert replies[0].lang == "en" and replies[0].time == "2024-05-01T08:00:00Z"
    assert replies[0].id == f"{path}:1"  # no id column: the location is the id
    assert where(bad, path) == [":3", ":4", ":5", ":6", ":7"]
    assert bad[0].problem.startswith("not JSON:")
    assert bad[1].problem == "a JSON array, not an object"
    assert bad[2].problem == "'body' holds int, not text"
    assert "longer than" in bad[3].problem
    assert bad[4].problem == "no text in 'body'"


def test_lang_can_be_a_language_code_for_every_reply(tmp_path):
    path = tmp_path / "replies.jsonl"
    path.write_text(json.dumps({"text": "Nein."}) + "\n", encoding="utf-8")
    replies, _ = read([path], Mapping(lang="de"))
    assert replies[0].lang == "de"


# --- Parquet ---------------------------------------------------------------------------------
def test_parquet_rows_across_row_groups_and_bad_rows(tmp_path):
    path = tmp_path / "replies.parquet"
    table = pa.table({
        "body": ["One.", None, "Three.", "", "Five."],
        "agent": ["ann", "bob", None, "cy", "dee"],
        "team": ["a", "a", "b", "b", "b"],
        "created_at": pa.array([dt.datetime(2024, 1, 31, 23, 0), None, dt.datetime(2024, 2, 1, 1, 0),
                                None, dt.datetime(2024, 3, 1)], pa.timestamp("s")),
        "ticket_id": pa.array([1, 2, 3, 3, 3], pa.int64()),
        "customer": ["Q1", "Q2", "Q3", "Q4", None],
    })
    pq.write_table(table, path, row_group_size=2)
    assert pq.ParquetFile(path).num_row_groups == 3
    replies, bad = read([path])
    assert [(r.location.removeprefix(str(path)), r.id, r.groups["agent"], r.time) for r in replies] == [
        (":row 1", "1", "ann", "2024-01-31T23:00:00"), (":row 3", "3", "", "2024-02-01T01:00:00"),
        (":row 5", "3#3", "dee", "2024-03-01T00:00:00")]
    assert where(bad, path) == [":row 2", ":row 4"]


def test_parquet_bad_files_are_bad_rows(tmp_path):
    wrong_type = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"body": [1, 2]}), wrong_type)
    missing = tmp_path / "missing.parquet"
    pq.write_table(pa.table({"text": ["a"]}), missing)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    replies, bad = read([wrong_type, missing, broken], Mapping(text="body"))
    assert replies == []
    assert [b.location for b in bad] == [str(wrong_type), str(missing), str(broken)]
    assert bad[0].problem == "column 'body' is int64, not text"
    assert bad[1].problem.startswith("no column 'body'")
    assert bad[2].problem.startswith("not a Parquet file")


# --- helpdesk exports ------------------------------------------------------------------------
def zendesk_ticket(ticket_id: int = 7) -> dict:
    return {
        "ticket": {"id": ticket_id, "requester_id": 1, "group_id": 9, "via": {"channel": "email"}},
        "users": [{"id": 1, "name": "Cus Tomer", "role": "end-user"}, {"id": 2, "name": "Ann", "role": "agent"},
                  {"id": 3, "name": "Other Customer", "role": "end-user"}],
        "groups": [{"id": 9, "name": "Billing"}],
        "comments": [
            {"id": 101, "author_id": 1, "body": "Where is my order?", "public": True,
             "created_at": "2024-03-01T10:00:00Z"},
            {"id": 102, "author_id": 3, "body": "I'm cc'd and upset.", "public": True},
            {"id": 103, "author_id": 2, "body": "Customer is wrong, obviously.", "public": False},
            {"id": 104, "author_id": 2, "html_body": "<p>Hi,</p><p>It shipped &amp; arrives today.</p>",
             "public": True, "created_at": "2024-03-01T11:00:00Z"},
            "not a comment",
            {"id": 106, "author_id": 2, "body": 12, "public": True},
            {"id": 107, "author_id": 1, "body": "Thanks!", "public": True},
            {"id": 108, "author_id": 2, "body": "You're welcome.", "public": True,
             "created_at": "2024-04-02T09:00:00+02:00"},
        ]}


def test_zendesk_jsonl_agent_public_replies_with_customer_context(tmp_path):
    path = tmp_path / "tickets.jsonl"
    path.write_text(json.dumps(zendesk_ticket()) + "\n" + json.dumps({"text": "a table row"}) + "\n",
                    encoding="utf-8")
    replies, bad = read([path], Mapping())
    ticket = [r for r in replies if "comment" in r.location]
    assert [(r.id, r.location.removeprefix(str(path))) for r in ticket] == [
        ("104", ":ticket 7 comment 4"), ("108", ":ticket 7 comment 8")]
    assert ticket[0].text == "Hi,\n\nIt shipped & arrives today."
    assert ticket[0].context == "Where is my order?\n\nI'm cc'd and upset."
    assert ticket[1].context == "Thanks!"
    assert ticket[0].groups == {"agent": "Ann", "team": "Billing"}
    assert set(ticket[0].groups) == set(HELPDESK_GROUPS)
    assert ticket[0].time == "2024-03-01T11:00:00Z" and ticket[1].time == "2024-04-02T07:00:00Z"
    assert [(b.location.removeprefix(str(path)), b.problem) for b in bad] == [
        (":ticket 7 comment 5", "not an object"), (":ticket 7 comment 6", "its body is not text")]
    assert [r.location.removeprefix(str(path)) for r in replies if "comment" not in r.location] == [":2"]


def test_tickets_without_ids_and_odd_tickets_are_located_by_their_line(tmp_path):
    no_id = zendesk_ticket()
    del no_id["ticket"]["id"]
    for comment in no_id["comments"]:
        if isinstance(comment, dict):
            comment.pop("id")
    odd = zendesk_ticket(9)
    odd["comments"][0]["author_id"] = [1]  # a list where an id belongs
    path = tmp_path / "tickets.jsonl"
    path.write_text(json.dumps(no_id) + "\n" + json.dumps(odd) + "\n", encoding="utf-8")
    replies, bad = read([path], Mapping())
    assert [(r.id, r.location) for r in replies] == [
        (f"{path}:1 comment 4", f"{path}:1 comment 4"), (f"{path}:1 comment 8", f"{path}:1 comment 8")]
    assert [b.location.removeprefix(str(path)) for b in bad] == [":1 comment 5", ":1 comment 6", ":2"]
    assert bad[-1].problem.startswith("not a ticket or row this reader understands")


def test_helpdesk_groups_follow_the_mapping_into_comment_then_ticket(tmp_path):
    path = tmp_path / "tickets.jsonl"
    path.write_text(json.dumps(zendesk_ticket()) + "\n", encoding="utf-8")
    replies, _ = read([path], Mapping(by=("agent", "via.channel", "public")))
    assert replies[0].groups == {"agent": "Ann", "via.channel": "email", "public": "true"}


def test_zendesk_json_document_is_streamed_and_a_truncated_one_located(tmp_path):
    whole = {"tickets": [zendesk_ticket(7), zendesk_ticket(8)], "count": 2}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(whole), encoding="utf-8")
    replies, bad = read([path], Mapping())
    assert [r.location.removeprefix(str(path)) for r in replies] == [
        ":ticket 7 comment 4", ":ticket 7 comment 8", ":ticket 8 comment 4", ":ticket 8 comment 8"]
    assert len(bad) == 4  # two bad comments a ticket
    cut = tmp_path / "cut.json"
    text = json.dumps(whole)
    cut.write_text(text[: text.index('"ticket": {"id": 8')], encoding="utf-8")
    replies, bad = read([cut], Mapping())
    assert len(replies) == 2
    assert bad[-1].location == f"{cut}:item 2" and bad[-1].problem.startswith("not JSON from here on")


def test_json_without_ijson_is_read_whole(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_ijson(name, *args, **kwargs):
        if name == "ijson":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ijson)
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([{"text": "One."}, {"text": None}, zendesk_ticket()]), encoding="utf-8")
    replies, bad = read([path], Mapping())
    assert [r.location.removeprefix(str(path)) for r in replies] == [
        ":item 1", ":ticket 7 comment 4", ":ticket 7 comment 8"]
    assert bad[0].location == f"{path}:item 2"


def test_single_ticket_object_and_a_json_array_of_rows(tmp_path):
    single = tmp_path / "ticket.json"
    single.write_text(json.dumps(zendesk_ticket()), encoding="utf-8")
    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps([{"text": "One."}, "two", {"text": "Three."}]), encoding="utf-8")
    replies, bad = read([single, rows], Mapping())
    assert [r.location.removeprefix(str(tmp_path)) for r in replies] == [
        "/ticket.json:ticket 7 comment 4", "/ticket.json:ticket 7 comment 8",
        "/rows.json:item 1", "/rows.json:item 3"]
    assert [b.location.removeprefix(str(tmp_path)) for b in bad][-1] == "/rows.json:item 2"


def test_help_scout_conversation_threads_in_time_order(tmp_path):
    conversation = {"id": 555, "number": 42, "mailboxId": 3, "_embedded": {"threads": [
        {"id": 4, "type": "message", "body": "<p>Hi Anna,</p><p>We <b>cannot</b> do that.</p>",
         "createdBy": {"id": 9, "type": "user", "first": "Sam", "last": "Lee"}, "createdAt": "2024-02-01T12:00:00Z"},
        {"id": 3, "type": "note", "body": "internal", "createdBy": {"id": 9, "type": "user"},
         "createdAt": "2024-02-01T11:30:00Z"},
        {"id": 2, "type": "lineitem", "createdAt": "2024-02-01T11:00:00Z"},
        {"id": 1, "type": "customer", "body": "Can I get a refund?", "createdBy": {"id": 5, "type": "customer"},
         "createdAt": "2024-02-01T10:00:00Z"},
    ]}}
    path = tmp_path / "helpscout.jsonl"
    path.write_text(json.dumps(conversation) + "\n", encoding="utf-8")
    listed = tmp_path / "helpscout.json"  # the API's list: {"_embedded": {"conversations": [...]}, "page": …}
    listed.write_text(json.dumps({"_embedded": {"conversations": [conversation]}, "page": {"size": 1}}),
                      encoding="utf-8")
    [again], bad = read([listed], Mapping())
    assert bad == [] and again.location == f"{listed}:conversation 42 thread 1"
    replies, bad = read([path], Mapping())
    assert bad == []
    [reply] = replies
    assert reply.location == f"{path}:conversation 42 thread 1"
    assert reply.id == "4" and reply.text == "Hi Anna,\n\nWe cannot do that."
    assert reply.context == "Can I get a refund?"
    assert reply.groups == {"agent": "Sam Lee", "team": "3"}


def test_freshdesk_ticket_description_is_the_first_customer_turn(tmp_path):
    ticket = {"id": 77, "requester_id": 5, "group_id": 12, "description_text": "My card was charged twice.",
              "created_at": "2024-06-01T08:00:00Z", "conversations": [
                  {"id": 1, "incoming": False, "private": True, "user_id": 8, "body_text": "note to self"},
                  {"id": 2, "incoming": False, "private": False, "user_id": 8, "body_text": "That's our policy.",
                   "created_at": "2024-06-01T09:00:00Z"},
                  {"id": 3, "incoming": True, "private": False, "user_id": 5, "body": "<div>Really?</div>"},
                  {"id": 4, "incoming": False, "private": False, "user_id": 8, "body": "<div>Yes.</div>"}]}
    path = tmp_path / "freshdesk.json"
    path.write_text(json.dumps([ticket]), encoding="utf-8")
    replies, bad = read([path], Mapping())
    assert bad == []
    assert [(r.location.removeprefix(str(path)), r.text, r.context) for r in replies] == [
        (":ticket 77 conversation 2", "That's our policy.", "My card was charged twice."),
        (":ticket 77 conversation 4", "Yes.", "Really?")]
    assert replies[0].groups == {"agent": "8", "team": "12"}


_SHAPES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.sampled_from(["ticket", "comments", "author_id", "body", "public", "id",
                                                          "requester_id", "users", "role", "_embedded", "threads",
                                                          "type", "conversations", "incoming", "text", "html_body"]),
                                         inner, max_size=5), max_leaves=20)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(_SHAPES, max_size=4), junk=st.binary(max_size=40))
def test_any_input_gives_replies_and_bad_rows_never_an_exception(tmp_path, records, junk):
    lines = b"\n".join(json.dumps(r).encode() for r in records) + b"\n" + junk
    for name, content in (("f.jsonl", lines), ("f.json", json.dumps(records).encode() + junk),
                          ("f.csv", b"text,a\n" + junk)):
        path = tmp_path / name
        path.write_bytes(content)
        for item in iter_replies([str(path)], Mapping(by=("a",))):
            assert isinstance(item, SourceReply | BadRow)
            if isinstance(item, BadRow):
                assert item.location.startswith(str(path)) and "\n" not in item.problem


# --- paths -----------------------------------------------------------------------------------
def test_paths_folders_missing_and_unknown_files(tmp_path):
    folder = tmp_path / "archive"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "b.jsonl").write_text(json.dumps({"text": "B."}) + "\n", encoding="utf-8")
    (folder / "a.csv").write_text("text\nA.\n", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored in a folder", encoding="utf-8")
    odd = tmp_path / "export.xml"
    odd.write_text("<x/>", encoding="utf-8")
    replies, bad = read([folder, tmp_path / "nope.csv", odd], Mapping())
    assert [r.text for r in replies] == ["B.", "A."]  # 2024/b.jsonl sorts before a.csv
    assert [(b.location, b.problem.split(" ")[0]) for b in bad] == [
        (str(tmp_path / "nope.csv"), "no"), (str(odd), "not")]


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00Z"),
    ("2024-03-05 10:00:00", "2024-03-05T10:00:00"),
    ("2024-03-05T12:00:00+02:00", "2024-03-05T10:00:00Z"),
    ("2024/03/05", "2024-03-05T00:00:00"),
    ("05.03.2024 10:00", "2024-03-05T10:00:00"),
    (1709632800, "2024-03-05T10:00:00Z"),
    (1709632800000, "2024-03-05T10:00:00Z"),
    ("1709632800", "2024-03-05T10:00:00Z"),
    (dt.date(2024, 3, 5), "2024-03-05"),
    ("03/05/2024", None),  # day or month first: not guessed
    ("soon", None), ("", None), (None, None), (True, None), (float("nan"), None),
])
def test_times_are_read_into_iso_8601(value, expected):
    assert iso_time(value) == expected


# --- flat memory and the generator ---------------------------------------------------------
def _peak_while_reading(path: Path, mapping: Mapping) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = sum(1 for item in iter_replies([str(path)], mapping) if isinstance(item, SourceReply))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _as_json_array(jsonl: Path) -> Path:
    """The tickets of a JSONL export as one `{"tickets": [...]}` document, written line by line."""
    path = jsonl.with_suffix(".json")
    with jsonl.open(encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        out.write('{"tickets": [')
        for n, line in enumerate(lines):
            out.write(("," if n else "") + line.strip())
        out.write("]}")
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "zendesk", "zendesk-json"])
def test_memory_stays_flat_as_the_archive_grows(tmp_path, fmt):
    mapping = Mapping(text="body", by=("agent", "team", "macro"), time="created_at", id="reply_id",
                      context="customer_message")
    if fmt.startswith("zendesk"):
        mapping = Mapping(by=("agent", "team", "macro"))
    suffix = "csv" if fmt == "csv" else "jsonl"
    small, large = tmp_path / f"small.{suffix}", tmp_path / f"large.{suffix}"
    make_archive.write_archive(small, make_archive.Plan(500), fmt.removesuffix("-json"))
    make_archive.write_archive(large, make_archive.Plan(4_000), fmt.removesuffix("-json"))
    if fmt == "zendesk-json":  # one JSON document, streamed by ijson
        small, large = _as_json_array(small), _as_json_array(large)
    assert _peak_while_reading(small, mapping)[0] == 500
    count, peak = _peak_while_reading(large, mapping)
    _, small_peak = _peak_while_reading(small, mapping)
    assert count == 4_000
    assert peak < 1024 * 1024, peak  # fixed buffers and one record (ijson's are the largest), not the file
    assert peak < small_peak * 1.5 + 64 * 1024, (peak, small_peak)  # 8x the rows, about the same peak


def test_parquet_is_read_a_batch_at_a_time(tmp_path):
    path = tmp_path / "archive.parquet"
    make_archive.write_archive(path, make_archive.Plan(4_000), "parquet", row_group=250)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == 16
    groups = [meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)]
    mapping = Mapping(text="body", by=("agent",), id="reply_id")
    baseline, peak, count = pa.total_allocated_bytes(), 0, 0
    for item in iter_replies([str(path)], mapping):
        count += isinstance(item, SourceReply)
        peak = max(peak, pa.total_allocated_bytes() - baseline)
    assert count == 4_000
    assert 0 < peak < 4 * max(groups), (peak, groups)  # Arrow holds a row group or two, not the 16


@pytest.mark.parametrize("fmt", make_archive.FORMATS)
def test_generated_archive_is_deterministic_and_reads_back_whole(tmp_path, fmt):
    plan = make_archive.Plan(300, seed=5, risky_share=0.2, agents=6, teams=3, months=4, start="2024-11")
    suffix = {"csv": "csv", "parquet": "parquet"}.get(fmt, "jsonl")
    first, second = tmp_path / f"one.{suffix}", tmp_path / f"two.{suffix}"
    written = make_archive.write_archive(first, plan, fmt)
    make_archive.write_archive(second, plan, fmt)
    assert first.read_bytes() == second.read_bytes()
    assert written.replies == 300 and 0.08 < written.risky / 300 < 0.35
    mapping = (Mapping(by=("agent", "team", "macro")) if fmt == "zendesk" else
               Mapping(text="body", by=("agent", "team", "macro"), time="created_at", id="reply_id",
                       context="customer_message"))
    replies, bad = read([first], mapping)
    assert bad == [] and len(replies) == 300  # internal notes in the Zendesk export are no replies
    assert len({r.id for r in replies}) == 300
    assert {r.time[:7] for r in replies} == {"2024-11", "2024-12", "2025-01", "2025-02"}
    assert len({r.groups["team"] for r in replies}) == 3 and len({r.groups["agent"] for r in replies}) == 6
    assert all(r.context for r in replies)
    risky = sum(any(s in r.text for s in make_archive.RISKY) for r in replies)
    assert risky == written.risky


def test_generator_templates_do_what_they_claim():
    import random

    import replylint

    rng = random.Random(0)
    for name, body in make_archive.MACROS.items():
        text = f"Hi Anna,\n\n{make_archive._fill(rng, body)}\n\nBest,\nSam"
        assert replylint.check(text, context=make_archive._fill(rng, make_archive.CUSTOMER[1])) == [], name
    for sentence in make_archive.RISKY:
        text = f"Hi Anna,\n\n{make_archive._fill(rng, make_archive.MACROS['shipped'])} {sentence}\n\nBest,\nSam"
        assert replylint.check(text, context=make_archive._fill(rng, make_archive.CUSTOMER[0])), sentence


def test_generator_command_line(tmp_path, capsys):
    out = tmp_path / "a.csv"
    assert make_archive.main([str(out), "--replies", "50", "--seed", "2"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["format"] == "csv" and said["replies"] == 50 and said["bytes"] == out.stat().st_size
