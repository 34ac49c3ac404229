"""Checking a chunk of replies: each through `replylint.check`, into rows of the two Parquet
tables (model.REPLY_COLUMNS, model.FINDING_COLUMNS, plus one `group_<name>` column per group).

This is what runs in a worker process (local engine) or on a Dask worker: plain data in, plain
data out, rules loaded once per process (the engine caches them; `warm_up` loads them before the
first chunk). A reply the engine fails on becomes a BadRow; it never ends the run."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import replylint
from replylint.engine.config import Config
from replylint.engine.language import resolve_lang

from .model import FINDING_COLUMNS, GROUP_PREFIX, REPLY_COLUMNS, BadRow, SourceReply
from .templates import template_of

_MONTH = re.compile(r"^(\d{4})-(\d{2})")


@dataclass(frozen=True)
class CheckOptions:
    """What every chunk is checked with; plain data, sent once to each worker."""

    config: Config = field(default_factory=Config)
    lang: str = "auto"  # a reply's own lang (SourceReply.lang) wins
    groups: tuple[str, ...] = ()  # the group names that get a column, in column order


@dataclass
class ChunkRows:
    """A chunk's rows, column by column (what pyarrow.Table.from_pydict takes), and its bad rows."""

    replies: dict[str, list]
    findings: dict[str, list]
    bad: list[BadRow] = field(default_factory=list)

    @property
    def checked(self) -> int:
        return len(self.replies["reply_id"])


def columns(base: dict[str, str], groups: tuple[str, ...]) -> list[str]:
    """A table's column names: the model's, then one per group."""
    return [*base, *(GROUP_PREFIX + g for g in groups)]


def month_of(time: str | None) -> str:
    """"YYYY-MM" of an ISO 8601 time, "" when there is none or it is not ISO 8601."""
    found = _MONTH.match(time or "")
    return f"{found.group(1)}-{found.group(2)}" if found and 1 <= int(found.group(2)) <= 12 else ""


def warm_up(options: CheckOptions) -> None:
    """Load spaCy and the likely pack's rules now, in this process: a forked or Dask worker then
    checks its first chunk as fast as its last."""
    lang = options.lang if options.lang != "auto" else "en"
    replylint.check("Thank you for your message.", lang=lang, config=options.config, context="")


def check_chunk(replies: list[SourceReply], options: CheckOptions) -> ChunkRows:
    """Every reply of the chunk checked, in order; a reply the engine fails on is a BadRow."""
    rows = ChunkRows({c: [] for c in columns(REPLY_COLUMNS, options.groups)},
                     {c: [] for c in columns(FINDING_COLUMNS, options.groups)})
    for reply in replies:
        try:
            lang = resolve_lang(reply.lang or options.lang, options.config, reply.text)
            findings = replylint.check(reply.text, lang=lang, config=options.config, context=reply.context)
        except Exception as exc:  # one reply's failure must not end the run
            detail = " ".join(str(exc).split())[:200]
            rows.bad.append(BadRow(reply.location or reply.id, f"could not be checked: {type(exc).__name__}: {detail}"))
            continue
        _add(rows, reply, lang, findings, options.groups)
    return rows


def _add(rows: ChunkRows, reply: SourceReply, lang: str, findings: list[replylint.Finding],
         groups: tuple[str, ...]) -> None:
    """One reply's row and its findings' rows; a column this module does not fill (one added to
    the model later) gets nulls rather than shifting the others."""
    month = month_of(reply.time)
    shared = {"reply_id": reply.id, "time": reply.time or "", "month": month,
              **{GROUP_PREFIX + g: reply.groups.get(g, "") for g in groups}}
    _append(rows.replies, {**shared, "location": reply.location, "lang": lang, "words": len(reply.text.split()),
                           "findings": len(findings), "template": template_of(reply.text), "text": reply.text})
    for finding in findings:
        _append(rows.findings, {**shared, "rule": finding.rule, "name": finding.name, "family": finding.family,
                                "severity": str(finding.severity), "start": finding.start, "end": finding.end,
                                "line": finding.line, "column": finding.column, "matched": finding.matched,
                                "message": finding.message})


def _append(table: dict[str, list], row: dict[str, object]) -> None:
    for name, values in table.items():
        values.append(row.get(name))
