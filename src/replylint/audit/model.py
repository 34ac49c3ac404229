"""The records an audit passes between its stages, and the Parquet tables it writes.

sources.py yields `SourceReply` and `BadRow`; the run checks each reply and writes one row per
reply to `replies.parquet` and one row per finding to `findings.parquet` (schemas below);
summary.py reads those with DuckDB; report_html.py draws the summary."""
from __future__ import annotations

from dataclasses import dataclass, field

REPLIES_FILE = "replies.parquet"
FINDINGS_FILE = "findings.parquet"
SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.html"
BAD_ROWS_FILE = "bad-rows.jsonl"


@dataclass(frozen=True, slots=True)
class Mapping:
    """Which columns / fields of a table hold what (`--text body --by agent,team --time created_at
    --id ticket_id --context customer_message`). Helpdesk exports have their own fixed mapping."""

    text: str = "text"
    by: tuple[str, ...] = ()
    time: str | None = None
    id: str | None = None
    context: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class SourceReply:
    """One sent agent reply: its id, text, the customer's message before it (or ""), its group
    values (agent, team, macro, … as named by `Mapping.by` or the export), when it was sent
    (ISO 8601 string or None), and where it is (`file:line` or `file:row N`) for messages."""

    id: str
    text: str
    context: str = ""
    groups: dict[str, str] = field(default_factory=dict)
    time: str | None = None
    location: str = ""
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row or record that could not be read as a reply: where, and why (one line)."""

    location: str
    problem: str


# Parquet columns (pyarrow types named as strings); group columns are added per run as
# `group_<name>` strings. `month` is "YYYY-MM" from the time, or "" when unknown.
REPLY_COLUMNS = {
    "reply_id": "string", "location": "string", "time": "string", "month": "string",
    "lang": "string", "words": "int32", "findings": "int32", "template": "string",
    # the reply as checked: report_html.py shows example replies with the finding spans
    # (`start`/`end` index this text) marked and PII redacted; SQL can read it too
    "text": "string",
}
FINDING_COLUMNS = {
    "reply_id": "string", "time": "string", "month": "string", "rule": "string", "name": "string",
    "family": "string", "severity": "string", "start": "int32", "end": "int32", "line": "int32",
    "column": "int32", "matched": "string", "message": "string",
}
GROUP_PREFIX = "group_"
