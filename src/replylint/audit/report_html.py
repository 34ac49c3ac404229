"""The audit's report: one self-contained HTML file (`report.html`) that opens offline.

It draws the summary (summary.json, from summary.py) and what report_data.py reads from the
Parquet: trend charts by family, heat maps of groups x families, top phrasings, example replies
with their finding spans marked and customer PII redacted, and a drill-down section per group
value. Nothing in the page loads anything: plotly.js and the styles are inlined
(report_charts.py says why Plotly), so the file can be mailed or archived as it is."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..safewrite import write_atomic
from .model import REPORT_FILE, SUMMARY_FILE
from .report_charts import ChartPage, heat_figure, trend_figure
from .report_data import Example, GroupSection, ReportData, report_data

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
# The summary's tables the page shows (summary.py's keys), with their headings and columns.
SUMMARY_TABLES = (
    ("top_rules", "Top rules", ("rule", "name", "family", "findings", "replies", "per_1000")),
    ("most_worsened", "Most worsened groups (first vs last month)",
     ("group", "value", "first_month", "first_per_1000", "last_month", "last_per_1000", "change")),
    ("most_improved", "Most improved groups (first vs last month)",
     ("group", "value", "first_month", "first_per_1000", "last_month", "last_per_1000", "change")),
)
TEMPLATE_PREVIEW = 160  # characters of a template's example reply
MAX_TABLE_ROWS = 25

STYLE = """
:root { --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa; --accent: #bc4c00; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: white; }
header { background: #fff8f0; border-bottom: 1px solid var(--line); padding: 20px 32px 12px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header nav a { margin-right: 14px; color: var(--accent); text-decoration: none; font-size: 14px; }
main { padding: 8px 32px 48px; max-width: 1200px; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 36px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; min-width: 150px; background: white; }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.reply { white-space: pre-wrap; border: 1px solid var(--line); border-left: 4px solid var(--accent);
         border-radius: 6px; padding: 10px 14px; margin: 6px 0; background: white; font-size: 14px; }
.meta { color: var(--muted); font-size: 13px; }
mark { border-radius: 3px; padding: 0 1px; }
mark.error { background: #ffc9c2; }
mark.warning { background: #ffe7a8; }
mark.info { background: transparent; border-bottom: 2px dotted #8c959f; }
.example { margin-bottom: 14px; }
.chip { display: inline-block; font-size: 12px; border: 1px solid var(--line); border-radius: 10px;
        padding: 0 8px; margin: 2px 4px 2px 0; background: var(--soft); }
details { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 4px 12px; }
details summary { cursor: pointer; font-weight: 600; }
.note { color: var(--muted); font-size: 13px; }
"""


def write_report(out_dir: str | Path, summary: dict[str, Any] | None = None) -> Path:
    """Write `report.html` into the audit folder and return its path. The summary is summary.json
    (or, without one, made now by summary.py); an audit with no replies gets a short valid page."""
    out_dir = Path(out_dir)
    if summary is None:
        summary_path = out_dir / SUMMARY_FILE
        if summary_path.is_file():
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        else:
            from .summary import summarize

            summary = summarize(out_dir, write=False)
    path = out_dir / REPORT_FILE
    write_atomic(path, render_report(summary, report_data(summary, out_dir)).encode("utf-8"))
    return path


def render_report(summary: dict[str, Any], data: ReportData) -> str:
    """The whole page as one string."""
    charts = ChartPage()
    sections = [
        ("overview", "Overview", _overview(data)),
        ("trends", "Trends", _trends(data, charts)),
        ("groups", "Groups × families", _heat_maps(data, charts)),
        ("tables", "Rules, templates, groups", _summary_tables(summary, data)),
        ("phrasings", "Top phrasings", _phrasings(data)),
        ("examples", "Example replies", _examples(data)),
        ("drill-down", "By group", _drill_down(data)),
    ]
    nav = "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title, _ in sections)
    body = "".join(f'<section id="{key}"><h2>{escape(title)}</h2>{content}</section>'
                   for key, title, content in sections)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>replylint audit</title>"
            f"<style>{STYLE}</style></head><body>"
            f"<header><h1>replylint audit</h1><nav>{nav}</nav></header><main>{body}</main></body></html>\n")


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return escape(str(value))


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A list of records as an HTML table: its keys as headings, numbers aligned right."""
    if not rows:
        return '<p class="note">Nothing here.</p>'
    columns = list(columns or dict.fromkeys(k for row in rows for k in row))
    head = "".join(f"<th>{escape(c.replace('_1000', ' 1,000').replace('_', ' '))}</th>" for c in columns)
    lines = []
    for row in rows[:MAX_TABLE_ROWS]:
        cells = []
        for c in columns:
            value = row.get(c, "")
            if isinstance(value, dict | list):
                value = json.dumps(value, ensure_ascii=False)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            cells.append(f'<td class="num">{_number(value)}</td>' if numeric else f"<td>{_number(value)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    more = f'<p class="note">{len(rows) - MAX_TABLE_ROWS:,} more rows in summary.json.</p>' \
        if len(rows) > MAX_TABLE_ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>{more}"


def _overview(data: ReportData) -> str:
    rate = data.findings * 1000 / data.replies if data.replies else 0.0
    cards = [(f"{data.replies:,}", "replies checked"), (f"{data.findings:,}", "findings"),
             (f"{rate:,.1f}", "findings per 1,000 replies"), (f"{data.bad_rows:,}", "bad rows (bad-rows.jsonl)")]
    if data.months:
        cards.append((f"{data.months[0]} – {data.months[-1]}", "months"))
    html = '<div class="cards">' + "".join(f"<div class=\"card\"><b>{escape(v)}</b><span>{escape(k)}</span></div>"
                                           for v, k in cards) + "</div>"
    return html + table(data.families, ["family", "findings", "replies", "per_1000"])


def _trends(data: ReportData, charts: ChartPage) -> str:
    figure = trend_figure(data)
    if figure is None:
        return '<p class="note">No reply has a time (map one with <code>--time</code>): no trend to draw.</p>'
    return charts.fragment(figure)


def _heat_maps(data: ReportData, charts: ChartPage) -> str:
    if not data.groups:
        return '<p class="note">No groups (map some with <code>--by</code>).</p>'
    parts = []
    for group in data.groups:
        figure = heat_figure(data, group)
        if figure is not None:
            parts.append(charts.fragment(figure) + _top_note(data, group))
    return "".join(parts) or '<p class="note">No findings to draw.</p>'


def _top_note(data: ReportData, group: str) -> str:
    """Says when a group has more values than the page shows (summary.json has them all)."""
    shown = len(data.sections.get(group) or []) or len({c["value"] for c in data.heat.get(group, [])})
    total = data.group_sizes.get(group, 0)
    if total <= shown:
        return ""
    return (f'<p class="note">The {shown:,} {escape(group)} values with most replies, of {total:,}; '
            "summary.json and the Parquet files have them all.</p>")


def _summary_tables(summary: dict[str, Any], data: ReportData) -> str:
    parts = []
    for key, title, columns in SUMMARY_TABLES[:1]:
        parts.append(f"<h3>{escape(title)}</h3>{table(summary.get(key) or [], columns)}")
    parts.append(f"<h3>Worst templates (near-identical replies)</h3>{_templates(summary, data)}")
    for key, title, columns in SUMMARY_TABLES[1:]:
        parts.append(f"<h3>{escape(title)}</h3>{table(summary.get(key) or [], columns)}")
    return "".join(parts)


def _templates(summary: dict[str, Any], data: ReportData) -> str:
    """The clusters with most findings per reply, each shown by one of its replies (redacted)."""
    from .redact import redact

    rows = []
    for row in summary.get("worst_templates") or []:
        example = data.replies_by_id.get(row.get("example_reply_id") or "")
        text = " ".join(redact(example.text).split()) if example else row.get("template", "")
        preview = text if len(text) <= TEMPLATE_PREVIEW else text[:TEMPLATE_PREVIEW - 1] + "…"
        rows.append({"example": preview, "replies": row.get("replies", 0), "findings": row.get("findings", 0),
                     "per_reply": row.get("per_reply", 0.0)})
    return table(rows, ["example", "replies", "findings", "per_reply"])


def _phrasings(data: ReportData) -> str:
    from .redact import redact

    rows = [{"rule": f"{r['rule']} {r['name']}", "family": r["family"], "phrasing": redact(r["matched"] or ""),
             "count": r["count"]} for r in data.phrasings]
    return table(rows, ["rule", "family", "phrasing", "count"])


def marked_text(example: Example) -> str:
    """The reply as HTML: customer PII redacted, each finding's span in a `<mark>` (overlapping
    spans split at their edges; a piece takes the loudest severity that covers it)."""
    from .redact import redact_spans

    text, spans = redact_spans(example.text, [(s[0], s[1]) for s in example.spans])
    covered = [(start, end, meta) for (start, end), meta in zip(spans, example.spans, strict=True) if start < end]
    edges = sorted({0, len(text), *(e for start, end, _ in covered for e in (start, end))})
    pieces = []
    for left, right in pairwise(edges):
        piece = escape(text[left:right])
        over = [meta for start, end, meta in covered if start <= left and right <= end]
        if not over:
            pieces.append(piece)
            continue
        loudest = max((m[5] for m in over), key=lambda s: SEVERITY_RANK.get(s, 0))
        title = "; ".join(dict.fromkeys(f"{m[2]} {m[3]} ({m[4]})" for m in over))
        pieces.append(f'<mark class="{escape(loudest)}" title="{escape(title)}">{piece}</mark>')
    return "".join(pieces)


def _example(example: Example) -> str:
    where = [example.location or example.reply_id, example.month,
             *(f"{k}: {v}" for k, v in example.groups.items() if v)]
    chips = "".join(f'<span class="chip">{escape(rule)} {escape(name)}</span>'
                    for rule, name in dict.fromkeys((s[2], s[3]) for s in example.spans))
    return (f'<div class="example"><div class="meta">{escape(" · ".join(w for w in where if w))}</div>'
            f'<div class="reply">{marked_text(example)}</div><div>{chips}</div></div>')


def _examples_of(examples: Iterable[Example]) -> str:
    return "".join(_example(e) for e in examples)


def _examples(data: ReportData) -> str:
    if not data.has_text:
        return '<p class="note">replies.parquet has no text column: no examples to show.</p>'
    if not data.examples:
        return '<p class="note">No findings.</p>'
    note = ('<p class="note">E-mail addresses, phone numbers, order and ticket numbers and names in greetings '
            'are redacted. Hover a marked span for its rule.</p>')
    return note + "".join(f"<h3>{escape(family)}</h3>{_examples_of(examples)}"
                          for family, examples in data.examples.items())


def _section(section: GroupSection) -> str:
    rate = section.findings * 1000 / section.replies if section.replies else 0.0
    label = section.value or "(none)"
    return (f'<details data-group="{escape(section.group)}" data-value="{escape(section.value)}">'
            f"<summary>{escape(section.group)}: {escape(label)} <span class=\"meta\">"
            f"{section.replies:,} replies, {section.findings:,} findings, {rate:,.1f} per 1,000</span></summary>"
            f"{table(section.families, ['family', 'findings', 'per_1000'])}{_examples_of(section.examples)}"
            "</details>")


def _drill_down(data: ReportData) -> str:
    if not data.sections:
        return '<p class="note">No groups (map some with <code>--by</code>).</p>'
    return "".join(f"<h3>By {escape(group)}</h3>" + _top_note(data, group) + "".join(_section(s) for s in sections)
                   for group, sections in data.sections.items())
