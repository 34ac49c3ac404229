"""The report's charts as Plotly figures, each rendered to an HTML fragment.

Plotly because one library call inlines the whole of plotly.js into the page
(`include_plotlyjs=True`): the report is one file that opens offline, from an e-mail attachment
or a shared drive, with zoom, hover values and legend toggles, and no CDN or server. Its figures
are plain JSON in the page, so a test (or a reader) can see the numbers behind every chart.
plotly.js is inlined once, with the first chart; the others reuse it."""
from __future__ import annotations

from typing import Any

from .report_data import ReportData

CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


class ChartPage:
    """Renders figures to fragments, inlining plotly.js into the first one only."""

    def __init__(self) -> None:
        self._inlined = False
        self._count = 0

    def fragment(self, figure: Any) -> str:
        import plotly.io as pio  # lazily: only a report needs it

        self._count += 1
        html = pio.to_html(figure, full_html=False, include_plotlyjs=not self._inlined, config=CONFIG,
                           div_id=f"chart-{self._count}")
        self._inlined = True
        return html


def _layout(figure: Any, title: str, height: int) -> Any:
    figure.update_layout(title={"text": title, "x": 0, "font": {"size": 16}}, height=height,
                         margin={"l": 10, "r": 10, "t": 50, "b": 10}, font={"family": FONT},
                         paper_bgcolor="white", plot_bgcolor="white", legend={"title": {"text": ""}})
    return figure


def trend_figure(data: ReportData) -> Any | None:
    """Findings per 1,000 replies for each family, month by month (None without dated replies)."""
    import plotly.graph_objects as go

    if not data.months or not data.trend:
        return None
    figure = go.Figure()
    for family in (f["family"] for f in data.families):
        points = [p for p in data.trend if p["family"] == family]
        figure.add_trace(go.Scatter(
            x=[p["month"] for p in points], y=[p["per_1000"] for p in points], name=family,
            mode="lines+markers", customdata=[p["findings"] for p in points],
            hovertemplate=f"{family}<br>%{{x}}: %{{y}} per 1,000 replies (%{{customdata}} findings)<extra></extra>"))
    figure.update_xaxes(type="category", title="month", gridcolor="#eee")
    figure.update_yaxes(title="findings per 1,000 replies", rangemode="tozero", gridcolor="#eee")
    return _layout(figure, "Findings per 1,000 replies by family, month by month", 420)


def heat_figure(data: ReportData, group: str) -> Any | None:
    """One group's most frequent values x families, findings per 1,000 of the value's replies."""
    import plotly.graph_objects as go

    cells = data.heat.get(group, [])
    if not cells:
        return None
    families = [f["family"] for f in data.families]
    values = list(dict.fromkeys(c["value"] for c in cells))
    rate = {(c["value"], c["family"]): c["per_1000"] for c in cells}
    replies = {c["value"]: c["replies"] for c in cells}
    figure = go.Figure(go.Heatmap(
        z=[[rate.get((v, f), 0.0) for f in families] for v in values], x=families,
        y=[f"{v or '(none)'} ({replies[v]:,})" for v in values], colorscale="OrRd",
        hovertemplate=f"{group} %{{y}}<br>%{{x}}: %{{z}} per 1,000 replies<extra></extra>",
        colorbar={"title": {"text": "per 1,000"}}))
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(type="category", tickangle=-30)
    return _layout(figure, f"{group} × family: findings per 1,000 replies", 160 + 28 * len(values))
