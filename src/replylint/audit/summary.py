"""The audit's summary: DuckDB over replies.parquet and findings.parquet, as a plain dict (JSON
as it is) written to summary.json, for `--format json`, the terminal tables and the report.

Rates are findings per 1,000 replies of the same cell: a family's rate for agent "ana" in
2024-03 divides by the replies ana sent in 2024-03, whether or not they had findings. DuckDB reads
the Parquet files column by column and aggregates out of core, so a summary of millions of
replies needs no more memory than one of a thousand. Keys (docs/audit.md#summaryjson):

    totals          replies, findings, replies_with_findings, per_1000, bad_rows, months, groups, families
    families        family, findings, replies (with one), per_1000                  (most findings first)
    months          month, replies, findings, per_1000                               (replies with a time)
    trend           month, family, findings, per_1000                               (every month x family seen)
    groups          {group: [value, replies, findings, per_1000]}                   (most replies first)
    heatmap         {group: [value, family, replies, findings, per_1000]}           (cells with findings)
    rates           group, value, month, family, replies, findings, per_1000        (family x group x month)
    top_rules       rule, name, family, findings, replies, per_1000
    top_phrasings   rule, name, family, matched (lower-cased), count                (a few per top rule)
    worst_templates template, replies, findings, per_reply, example_reply_id        (clusters of min size)
    most_improved   group, value, first_month, first_replies, first_per_1000, last_month, last_replies,
                        last_per_1000, change             (first vs last month with data; largest fall first)
    most_worsened   the same columns, largest rise first
    version         1: the layout of this dict
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from replylint.safewrite import write_atomic

from .model import (
    BAD_ROWS_FILE,
    FINDING_COLUMNS,
    FINDINGS_FILE,
    GROUP_PREFIX,
    REPLIES_FILE,
    REPLY_COLUMNS,
    SUMMARY_FILE,
)
from .tables import arrow_schema, written_groups

TOP = 10
PHRASINGS_PER_RULE = 5
MIN_TEMPLATE_REPLIES = 5  # a "template" sent fewer times is not a template
MIN_MONTH_REPLIES = 20  # a month with fewer replies from a group says too little about it
SUMMARY_VERSION = 1
DUCKDB_MEMORY = "384MB"  # DuckDB spills to disk past this: the summary's memory stays flat too
DUCKDB_CONFIG = {"memory_limit": DUCKDB_MEMORY, "threads": 2}  # the summary's and the report's queries


def summarize(out_dir: str | Path, *, top: int = TOP, min_template_replies: int = MIN_TEMPLATE_REPLIES,
              min_month_replies: int = MIN_MONTH_REPLIES, write: bool = True) -> dict[str, Any]:
    """The summary of the audit in `out_dir` (see the module docstring for its keys); written to
    summary.json there unless `write` is false."""
    import duckdb

    out = Path(out_dir)
    con = duckdb.connect(config=DUCKDB_CONFIG)
    try:
        groups = _views(con, out)
        summary = _summary(con, groups, top, min_template_replies, min_month_replies)
    finally:
        con.close()
    summary["totals"]["bad_rows"] = _count_lines(out / BAD_ROWS_FILE)
    if write:
        write_atomic(out / SUMMARY_FILE, (json.dumps(summary, indent=1, ensure_ascii=False) + "\n").encode())
    return summary


def _views(con: Any, out: Path) -> list[str]:
    """`replies` and `findings` views over the Parquet files (empty tables when absent); the group names."""
    groups = list(written_groups(out) or ())
    for view, name, base in (("replies", REPLIES_FILE, REPLY_COLUMNS), ("findings", FINDINGS_FILE, FINDING_COLUMNS)):
        path = out / name
        if path.is_file():
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet({_quoted(path)})")
        else:
            empty = arrow_schema(base, tuple(groups)).empty_table()
            con.register(f"{view}_empty", empty)
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM {view}_empty")
    return groups


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _rows(con: Any, sql: str, params: list | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _rate(findings: int, replies: int) -> float:
    return round(findings * 1000 / replies, 2) if replies else 0.0


def _column(group: str) -> str:
    return '"' + (GROUP_PREFIX + group).replace('"', '""') + '"'


def _rated(rows: list[dict[str, Any]], replies: int | None = None) -> list[dict[str, Any]]:
    """`rows` with their findings per 1,000 replies (of the row's own `replies` unless `replies` is
    given) and a group value of NULL as ""."""
    for row in rows:
        if "value" in row:
            row["value"] = row["value"] or ""
        row["per_1000"] = _rate(row["findings"], row["replies"] if replies is None else replies)
    return rows


def _summary(con: Any, groups: list[str], top: int, min_template: int, min_month: int) -> dict[str, Any]:
    [totals] = _rows(con, "SELECT count(*) AS replies, coalesce(sum(findings), 0)::BIGINT AS findings, "
                          "count(*) FILTER (WHERE findings > 0) AS replies_with_findings FROM replies")
    replies = totals["replies"]
    families = _rows(con, "SELECT family, count(*) AS findings, count(DISTINCT reply_id) AS replies FROM findings "
                          "GROUP BY family ORDER BY findings DESC, family")
    _rated(families, replies)
    months = _rated(_rows(con, "SELECT month, count(*) AS replies, sum(findings)::BIGINT AS findings FROM replies "
                               "WHERE month <> '' GROUP BY month ORDER BY month"))
    totals.update(per_1000=_rate(totals["findings"], replies), months=[m["month"] for m in months], groups=groups,
                  families=[f["family"] for f in families])
    return {"version": SUMMARY_VERSION, "totals": totals, "families": families, "months": months,
            "trend": _trend(con, months, families), "groups": {g: _group_totals(con, g) for g in groups},
            "heatmap": {g: _heatmap(con, g) for g in groups}, "rates": [r for g in groups for r in _rates(con, g)],
            "top_rules": _top_rules(con, replies, top), "top_phrasings": _phrasings(con, top),
            "worst_templates": _worst_templates(con, top, min_template),
            **_movers(con, groups, top, min_month)}


def _trend(con: Any, months: list[dict], families: list[dict]) -> list[dict[str, Any]]:
    counts = {(r["month"], r["family"]): r["findings"] for r in _rows(
        con, "SELECT month, family, count(*) AS findings FROM findings WHERE month <> '' GROUP BY month, family")}
    return [{"month": m["month"], "family": f["family"], "findings": counts.get((m["month"], f["family"]), 0),
             "per_1000": _rate(counts.get((m["month"], f["family"]), 0), m["replies"])}
            for m in months for f in families]


def _group_totals(con: Any, group: str) -> list[dict[str, Any]]:
    return _rated(_rows(con, f"SELECT {_column(group)} AS value, count(*) AS replies, sum(findings)::BIGINT "
                             "AS findings FROM replies GROUP BY value ORDER BY replies DESC, value"))


def _heatmap(con: Any, group: str) -> list[dict[str, Any]]:
    col = _column(group)
    rows = _rows(con, f"""
        WITH r AS (SELECT {col} AS value, count(*) AS replies FROM replies GROUP BY value),
             f AS (SELECT {col} AS value, family, count(*) AS findings FROM findings GROUP BY value, family)
        SELECT f.value, f.family, r.replies, f.findings FROM f JOIN r ON r.value IS NOT DISTINCT FROM f.value
        ORDER BY r.replies DESC, f.value, f.findings DESC, f.family""")
    return _rated(rows)


def _rates(con: Any, group: str) -> list[dict[str, Any]]:
    col = _column(group)
    rows = _rows(con, f"""
        WITH r AS (SELECT {col} AS value, month, count(*) AS replies FROM replies WHERE month <> ''
                   GROUP BY value, month),
             f AS (SELECT {col} AS value, month, family, count(*) AS findings FROM findings WHERE month <> ''
                   GROUP BY value, month, family)
        SELECT f.value, f.month, f.family, r.replies, f.findings
        FROM f JOIN r ON r.value IS NOT DISTINCT FROM f.value AND r.month = f.month
        ORDER BY f.value, f.month, f.family""")
    return [{"group": group, "value": row["value"] or "", "month": row["month"], "family": row["family"],
             "replies": row["replies"], "findings": row["findings"],
             "per_1000": _rate(row["findings"], row["replies"])} for row in rows]


def _top_rules(con: Any, replies: int, top: int) -> list[dict[str, Any]]:
    rows = _rows(con, "SELECT rule, any_value(name) AS name, any_value(family) AS family, count(*) AS findings, "
                      "count(DISTINCT reply_id) AS replies FROM findings GROUP BY rule "
                      "ORDER BY findings DESC, rule LIMIT ?", [top])
    return _rated(rows, replies)


def _phrasings(con: Any, top: int) -> list[dict[str, Any]]:
    return _rows(con, """
        WITH rules AS (SELECT rule, count(*) AS n FROM findings GROUP BY rule ORDER BY n DESC, rule LIMIT ?),
             p AS (SELECT f.rule, any_value(f.name) AS name, any_value(f.family) AS family,
                          lower(f.matched) AS matched, count(*) AS count, any_value(rules.n) AS n
                   FROM findings f JOIN rules USING (rule) GROUP BY f.rule, lower(f.matched)),
             ranked AS (SELECT *, row_number() OVER (PARTITION BY rule ORDER BY count DESC, matched) AS k FROM p)
        SELECT rule, name, family, matched, count FROM ranked WHERE k <= ?
        ORDER BY n DESC, rule, count DESC, matched""", [top, PHRASINGS_PER_RULE])


def _worst_templates(con: Any, top: int, min_size: int) -> list[dict[str, Any]]:
    rows = _rows(con, """
        SELECT template, count(*) AS replies, sum(findings)::BIGINT AS findings, min(reply_id) AS example_reply_id
        FROM replies GROUP BY template HAVING count(*) >= ? AND sum(findings) > 0
        ORDER BY sum(findings) / count(*) DESC, replies DESC, template LIMIT ?""", [min_size, top])
    return [{"template": r["template"], "replies": r["replies"], "findings": r["findings"],
             "per_reply": round(r["findings"] / r["replies"], 3), "example_reply_id": r["example_reply_id"]}
            for r in rows]


def _movers(con: Any, groups: list[str], top: int, min_month: int) -> dict[str, list[dict[str, Any]]]:
    """Each group value's rate in its first and its last month with at least `min_month` replies."""
    moves: list[dict[str, Any]] = []
    for group in groups:
        rows = _rows(con, f"""
            WITH m AS (SELECT {_column(group)} AS value, month, count(*) AS replies, sum(findings)::BIGINT AS findings
                       FROM replies WHERE month <> '' GROUP BY value, month HAVING count(*) >= ?),
                 ends AS (SELECT value, min(month) AS first, max(month) AS last FROM m GROUP BY value
                          HAVING min(month) < max(month))
            SELECT ends.value, a.month AS first_month, a.replies AS first_replies, a.findings AS first_findings,
                   b.month AS last_month, b.replies AS last_replies, b.findings AS last_findings
            FROM ends JOIN m a ON a.value IS NOT DISTINCT FROM ends.value AND a.month = ends.first
                      JOIN m b ON b.value IS NOT DISTINCT FROM ends.value AND b.month = ends.last""", [min_month])
        for r in rows:
            first, last = _rate(r["first_findings"], r["first_replies"]), _rate(r["last_findings"], r["last_replies"])
            moves.append({"group": group, "value": r["value"] or "", "first_month": r["first_month"],
                          "first_replies": r["first_replies"], "first_per_1000": first,
                          "last_month": r["last_month"], "last_replies": r["last_replies"],
                          "last_per_1000": last, "change": round(last - first, 2)})
    improved = sorted((m for m in moves if m["change"] < 0), key=lambda m: (m["change"], m["group"], m["value"]))
    worsened = sorted((m for m in moves if m["change"] > 0), key=lambda m: (-m["change"], m["group"], m["value"]))
    return {"most_improved": improved[:top], "most_worsened": worsened[:top]}


def _count_lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open("rb") as lines:
        return sum(1 for line in lines if line.strip())
