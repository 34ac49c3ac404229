"""What the HTML report draws: the summary's numbers (summary.py, one source for every figure)
reshaped for charts and sections, plus a small sample of example replies that this module reads
from replies.parquet and findings.parquet with DuckDB.

The summary has no reply texts, so the examples are the only rows read here: for each of the most
frequent families, and for each drill-down group value, the short replies with the most findings,
a handful each whatever the archive's size (every query is bounded by a top-N per partition)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import FINDINGS_FILE, GROUP_PREFIX, REPLIES_FILE
from .summary import DUCKDB_CONFIG

TOP_GROUP_VALUES = 20  # per group: the heat map's rows and the drill-down's sections
EXAMPLES_PER_FAMILY = 2
EXAMPLE_FAMILIES = 8
EXAMPLES_PER_GROUP = 2
LONGEST_EXAMPLE = 2_000  # characters: longer replies are not picked as examples
CANDIDATES = 4 * EXAMPLES_PER_FAMILY  # per family, so each family can show replies no other family shows

Span = tuple[int, int, str, str, str, str]  # start, end, rule, name, family, severity


@dataclass(frozen=True, slots=True)
class Example:
    """One reply to show: its text and the spans of its findings, offsets into `text`."""

    reply_id: str
    location: str
    text: str
    spans: tuple[Span, ...]
    groups: dict[str, str] = field(default_factory=dict)
    month: str = ""


@dataclass(frozen=True, slots=True)
class GroupSection:
    """One group value's drill-down: its reply count, findings per family, and examples."""

    group: str
    value: str
    replies: int
    findings: int
    families: list[dict[str, Any]]  # {family, findings, per_1000}
    examples: list[Example]


@dataclass(slots=True)
class ReportData:
    """Everything the page draws, as plain values."""

    replies: int = 0
    findings: int = 0
    bad_rows: int = 0
    families: list[dict[str, Any]] = field(default_factory=list)  # {family, findings, replies, per_1000}
    months: list[str] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)  # {month, family, findings, per_1000}
    groups: list[str] = field(default_factory=list)
    group_sizes: dict[str, int] = field(default_factory=dict)  # group -> its number of values (all, not the top)
    heat: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # group -> {value, family, replies, per_1000}
    phrasings: list[dict[str, Any]] = field(default_factory=list)  # {rule, name, family, matched, count}
    examples: dict[str, list[Example]] = field(default_factory=dict)  # family -> examples
    sections: dict[str, list[GroupSection]] = field(default_factory=dict)  # group -> sections
    replies_by_id: dict[str, Example] = field(default_factory=dict)  # every example read, and the templates'
    has_text: bool = False  # replies.parquet has the reply texts (examples need them)


def report_data(summary: dict[str, Any], out_dir: Path) -> ReportData:
    """The summary's numbers arranged for the page, and examples read from the audit in `out_dir`."""
    totals = summary.get("totals") or {}
    data = ReportData(replies=totals.get("replies", 0), findings=totals.get("findings", 0),
                      bad_rows=totals.get("bad_rows", 0), families=list(summary.get("families") or []),
                      months=list(totals.get("months") or []), trend=list(summary.get("trend") or []),
                      groups=list(totals.get("groups") or []), phrasings=list(summary.get("top_phrasings") or []))
    every_value = {g: (summary.get("groups") or {}).get(g, []) for g in data.groups}
    data.group_sizes = {g: len(values) for g, values in every_value.items()}
    top_values = {g: values[:TOP_GROUP_VALUES] for g, values in every_value.items()}
    family_names = [f["family"] for f in data.families]
    cells_by_group = {g: (summary.get("heatmap") or {}).get(g, []) for g in data.groups}
    for group, values in top_values.items():
        rates = {(c["value"], c["family"]): c for c in cells_by_group[group]}
        data.heat[group] = [{"value": v["value"], "family": f, "replies": v["replies"],
                             "per_1000": rates[(v["value"], f)]["per_1000"] if (v["value"], f) in rates else 0.0}
                            for v in values for f in family_names]
    if (out_dir / REPLIES_FILE).is_file() and (out_dir / FINDINGS_FILE).is_file():
        template_ids = [t["example_reply_id"] for t in summary.get("worst_templates") or []
                        if t.get("example_reply_id")]
        _read_examples(out_dir, data, top_values, cells_by_group, template_ids)
    return data


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _column(group: str) -> str:
    return '"' + (GROUP_PREFIX + group).replace('"', '""') + '"'


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _read_examples(out_dir: Path, data: ReportData, top_values: dict[str, list[dict[str, Any]]],
                   cells_by_group: dict[str, list[dict[str, Any]]], template_ids: list[str]) -> None:
    import duckdb  # lazily: `replylint check` never pays for it

    con = duckdb.connect(config=DUCKDB_CONFIG)  # bounded, as the summary's: flat memory on any archive
    try:
        con.execute(f"CREATE VIEW replies AS SELECT * FROM read_parquet({_quoted(out_dir / REPLIES_FILE)})")
        con.execute(f"CREATE VIEW findings AS SELECT * FROM read_parquet({_quoted(out_dir / FINDINGS_FILE)})")
        data.has_text = "text" in {r["column_name"] for r in _rows(con, "DESCRIBE replies")}
        # Short replies only; the view is what every example query picks from.
        con.execute("CREATE VIEW short AS SELECT reply_id FROM replies WHERE length(coalesce(text, '')) <= "
                    f"{LONGEST_EXAMPLE}" if data.has_text else "CREATE VIEW short AS SELECT reply_id FROM replies")
        by_family = _rows(con, """
            WITH per AS (SELECT family, reply_id, count(*) AS n FROM findings SEMI JOIN short USING (reply_id)
                         GROUP BY family, reply_id),
                 fams AS (SELECT family, sum(n) AS total FROM per GROUP BY family ORDER BY total DESC, family LIMIT ?)
            SELECT per.family, per.reply_id, fams.total, per.n FROM per JOIN fams USING (family)
            QUALIFY row_number() OVER (PARTITION BY per.family ORDER BY per.n DESC, per.reply_id) <= ?
            ORDER BY fams.total DESC, per.family, per.n DESC, per.reply_id""", [EXAMPLE_FAMILIES, CANDIDATES])
        by_family = _distinct_picks(by_family)
        by_value = {g: _group_picks(con, g, [v["value"] for v in top_values[g]]) for g in data.groups}
        wanted = {r["reply_id"] for r in by_family} | {i for picks in by_value.values() for ids in picks.values()
                                                      for i in ids} | set(template_ids)
        loaded = _load(con, sorted(wanted), data.groups) if data.has_text else {}
    finally:
        con.close()
    data.replies_by_id = loaded
    for row in by_family:
        if row["reply_id"] in loaded:
            data.examples.setdefault(row["family"], []).append(loaded[row["reply_id"]])
    for group, values in top_values.items():
        cells = cells_by_group[group]
        data.sections[group] = [
            GroupSection(group, v["value"], v["replies"], v["findings"],
                         [{"family": c["family"], "findings": c["findings"], "per_1000": c["per_1000"]}
                          for c in cells if c["value"] == v["value"]],
                         [loaded[i] for i in by_value[group].get(v["value"], []) if i in loaded])
            for v in values]


def _distinct_picks(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each family's examples, skipping a reply an earlier family already shows (one reply often
    has findings of three families; the page shows it once when it can)."""
    shown: set[str] = set()
    picked: list[dict[str, Any]] = []
    count: dict[str, int] = {}
    for row in candidates:
        if row["reply_id"] in shown or count.get(row["family"], 0) >= EXAMPLES_PER_FAMILY:
            continue
        shown.add(row["reply_id"])
        count[row["family"]] = count.get(row["family"], 0) + 1
        picked.append(row)
    return picked


def _group_picks(con: Any, group: str, values: list[str]) -> dict[str, list[str]]:
    """For each of the shown values of a group, its short replies with the most findings (ids)."""
    picks: dict[str, list[str]] = {}
    for row in _rows(con, f"""
            WITH per AS (SELECT coalesce({_column(group)}, '') AS value, reply_id, count(*) AS n FROM findings
                         SEMI JOIN short USING (reply_id)
                         WHERE list_contains(?, coalesce({_column(group)}, '')) GROUP BY value, reply_id)
            SELECT value, reply_id FROM per
            QUALIFY row_number() OVER (PARTITION BY value ORDER BY n DESC, reply_id) <= ?
            ORDER BY value, n DESC, reply_id""", [values, EXAMPLES_PER_GROUP]):
        picks.setdefault(row["value"], []).append(row["reply_id"])
    return picks


def _load(con: Any, reply_ids: list[str], groups: list[str]) -> dict[str, Example]:
    """The texts and spans of a few replies, by id. Spans that do not fit the text are dropped."""
    if not reply_ids:
        return {}
    picks = "".join(f", any_value({_column(g)}) AS {_column(g)}" for g in groups)
    texts = _rows(con, "SELECT reply_id, any_value(text) AS text, any_value(location) AS location, "
                       f"any_value(month) AS month{picks} FROM replies WHERE list_contains(?, reply_id) "
                       "GROUP BY reply_id", [reply_ids])
    spans: dict[str, list[Span]] = {}
    for row in _rows(con, 'SELECT reply_id, start, "end", rule, name, family, severity FROM findings '
                          'WHERE list_contains(?, reply_id) ORDER BY reply_id, start, "end", rule', [reply_ids]):
        spans.setdefault(row["reply_id"], []).append(
            (row["start"], row["end"], row["rule"], row["name"], row["family"], row["severity"]))
    found = {}
    for row in texts:
        text = row["text"] or ""
        kept = tuple(s for s in spans.get(row["reply_id"], []) if 0 <= s[0] < s[1] <= len(text))
        found[row["reply_id"]] = Example(row["reply_id"], row["location"] or "", text, kept,
                                         {g: row[GROUP_PREFIX + g] or "" for g in groups}, row["month"] or "")
    return found
