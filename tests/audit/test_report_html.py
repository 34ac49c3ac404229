"""The audit's HTML report: one file that loads nothing, its numbers, its marked and redacted
examples, and the page itself in headless Chromium (Debian's /usr/bin/chromium, driven over the
DevTools protocol on a pipe: `--remote-debugging-pipe`, no websocket library or Node needed):
the Plotly charts draw their SVG, no network request is made, no script error is thrown, and a
screenshot is saved (REPLYLINT_AUDIT_DOCS_IMAGES=1 also copies it to docs/images/audit-report.png).

The audit folder is built here, not by the run: a few dozen replies checked with
`replylint.check` and written in the model's Parquet schema, so these tests hold the report to
the contract in model.py whatever the run does."""
from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import replylint
from replylint.audit.model import (
    FINDING_COLUMNS,
    FINDINGS_FILE,
    GROUP_PREFIX,
    REPLIES_FILE,
    REPLY_COLUMNS,
    REPORT_FILE,
    SUMMARY_FILE,
)
from replylint.audit.report_data import Example, report_data
from replylint.audit.report_html import marked_text, write_report
from replylint.audit.summary import summarize

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
DOCS_IMAGE = ROOT / "docs" / "images" / "audit-report.png"

AGENTS = {"Mika": "Billing", "Sara": "Billing", "Jonas": "Shipping", "Lena": "Shipping"}
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]
CUSTOMERS = ["Maria", "Tom", "Priya", "Ahmed"]
PII = ["maria.lopez@example.com", "+1 415-555-0134", "#4821937", "Maria"]
RISKY = [
    ("blunt", "Hi {name},\n\nNo, you are wrong about the late fee. As per our policy, refunds take 5 days.\n\n"
              "Best,\n{agent}"),
    ("policy", "Hi {name},\n\nAs per our policy we cannot refund order #4821937. Please be advised that "
               "this is final.\n\nRegards,\n{agent}"),
    ("contact", "Hi {name},\n\nYou should have read the terms. Call us on +1 415-555-0134 or write to "
                "maria.lopez@example.com if you must.\n\n{agent}"),
]
KIND = ("kind", "Hi {name},\n\nThank you for waiting. I have refunded the fee and you will see it within five "
                "days. Is there anything else I can help with?\n\nBest,\n{agent}")


def _replies() -> list[dict[str, Any]]:
    """48 replies: 4 agents x 4 months x 3; Billing gets fewer risky ones as the months pass."""
    out = []
    for m, month in enumerate(MONTHS):
        for a, (agent, team) in enumerate(AGENTS.items()):
            for k in range(3):
                risky = (k + a + (m if team == "Billing" else 0)) % 3 != 2 and not (team == "Billing" and m >= 2 and k)
                macro, template = RISKY[(a + k + m) % 3] if risky else KIND
                n = len(out)
                out.append({"reply_id": f"t{n:03d}", "location": f"archive.jsonl:{n + 1}",
                            "time": f"{month}-{10 + k:02d}T09:00:00Z", "month": month, "agent": agent,
                            "team": team, "macro": macro,
                            "text": template.format(name=CUSTOMERS[n % 4], agent=agent)})
    return out


def build_audit(folder: Path) -> dict[str, Any]:
    """Check the replies and write them as the run would; return the counts the tests compare."""
    groups = ("agent", "team", "macro")
    replies = {c: [] for c in [*REPLY_COLUMNS, *(GROUP_PREFIX + g for g in groups)]}
    findings = {c: [] for c in [*FINDING_COLUMNS, *(GROUP_PREFIX + g for g in groups)]}
    counts: dict[str, Any] = {"replies": 0, "findings": 0, "by_agent_family": {}, "agent_replies": {},
                              "by_month": {}}
    for reply in _replies():
        found = replylint.check(reply["text"], lang="en")
        row = {**reply, "lang": "en", "words": len(reply["text"].split()), "findings": len(found),
               "template": reply["macro"], **{GROUP_PREFIX + g: reply[g] for g in groups}}
        for name, values in replies.items():
            values.append(row.get(name))
        for f in found:
            frow = {**row, "rule": f.rule, "name": f.name, "family": f.family, "severity": str(f.severity),
                    "start": f.start, "end": f.end, "line": f.line, "column": f.column, "matched": f.matched,
                    "message": f.message}
            for name, values in findings.items():
                values.append(frow.get(name))
            counts["by_month"][reply["month"]] = counts["by_month"].get(reply["month"], 0) + 1
            key = (reply["agent"], f.family)
            counts["by_agent_family"][key] = counts["by_agent_family"].get(key, 0) + 1
        counts["replies"] += 1
        counts["findings"] += len(found)
        counts["agent_replies"][reply["agent"]] = counts["agent_replies"].get(reply["agent"], 0) + 1
    types = {"string": pa.string(), "int32": pa.int32()}

    def schema(base: dict[str, str]) -> Any:
        return pa.schema([(c, types[t]) for c, t in base.items()] + [(GROUP_PREFIX + g, pa.string()) for g in groups])

    pq.write_table(pa.Table.from_pydict(replies, schema=schema(REPLY_COLUMNS)), folder / REPLIES_FILE)
    pq.write_table(pa.Table.from_pydict(findings, schema=schema(FINDING_COLUMNS)), folder / FINDINGS_FILE)
    (folder / "bad-rows.jsonl").write_text('{"location": "archive.jsonl:7", "problem": "not JSON"}\n',
                                           encoding="utf-8")
    summarize(folder, min_month_replies=3, min_template_replies=3)  # writes summary.json, as a run does
    return counts


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Path]:
    folder = tmp_path_factory.mktemp("audit")
    counts = build_audit(folder)
    return folder, counts, write_report(folder)


class _Refs(HTMLParser):
    """Every attribute that makes a browser fetch something, and every tag name."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"src", "href", "srcset", "poster", "data", "action", "background"} and value:
                self.refs.append((tag, name, value))


def test_the_report_is_one_file_that_refers_to_nothing_outside(audit: tuple[Path, dict, Path]) -> None:
    folder, _, report = audit
    assert report == folder / REPORT_FILE and report.is_file()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [REPLIES_FILE, FINDINGS_FILE, SUMMARY_FILE, REPORT_FILE, "bad-rows.jsonl"])
    html = report.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(html)
    assert "script" in parser.tags and "style" in parser.tags
    assert "link" not in parser.tags and "iframe" not in parser.tags and "img" not in parser.tags
    outside = [r for r in parser.refs if not r[2].startswith("#")]
    assert outside == [], f"the report refers to files or sites: {outside}"
    assert not re.search(r"<script[^>]*\ssrc=", html)
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js itself is in the page


def test_the_numbers_are_the_parquet_s(audit: tuple[Path, dict, Path]) -> None:
    folder, counts, _ = audit
    data = report_data(json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8")), folder)
    assert (data.replies, data.findings, data.bad_rows) == (counts["replies"], counts["findings"], 1)
    assert data.groups == ["agent", "team", "macro"] and data.months == MONTHS
    heat = {(c["value"], c["family"]): c["per_1000"] for c in data.heat["agent"]}
    for (agent, family), n in counts["by_agent_family"].items():
        assert heat[(agent, family)] == round(n * 1000 / counts["agent_replies"][agent], 2)
    assert all(rate == 0.0 for key, rate in heat.items() if key not in counts["by_agent_family"])
    assert len(heat) == len(AGENTS) * len(data.families)  # every agent x every family, zeros too
    for month in MONTHS:  # 12 replies a month
        points = [p for p in data.trend if p["month"] == month]
        assert sum(p["findings"] for p in points) == counts["by_month"][month]
        assert all(p["per_1000"] == round(p["findings"] * 1000 / 12, 2) for p in points)
    assert data.phrasings and all(p["count"] >= 1 for p in data.phrasings)
    assert {s.value for s in data.sections["team"]} == {"Billing", "Shipping"}


def test_the_summary_and_the_drill_down_are_in_the_page(audit: tuple[Path, dict, Path]) -> None:
    _, counts, report = audit
    html = report.read_text(encoding="utf-8")
    assert "declared-wrong" in html and "Most improved groups" in html
    for agent in AGENTS:
        assert f'data-group="agent" data-value="{agent}"' in html
    assert html.count("<details") == len(AGENTS) + 2 + 4  # agents, teams, macros (3 risky + kind)
    assert f"<b>{counts['replies']:,}</b>" in html and "<b>1</b><span>bad rows" in html


def test_examples_are_redacted_and_marked(audit: tuple[Path, dict, Path]) -> None:
    _, _, report = audit
    html = report.read_text(encoding="utf-8")
    examples = html[html.index('<section id="examples">'):]
    for secret in PII:
        assert secret not in examples, f"{secret!r} is shown in an example"
    assert re.search(r'<mark class="error" title="[^"]*RL201[^"]*">you are wrong</mark>', examples)
    assert '<mark class="warning" title="RL505' in examples


def test_a_span_stays_on_its_words_when_redaction_changes_the_length() -> None:
    text = "Hi Anna,\n\nWrite to anna.berg@example.com. No, you are wrong."
    start = text.index("you are wrong")
    example = Example("r1", "", text, ((start, start + 13, "RL201", "declared-wrong", "you-are-wrong", "error"),))
    html = marked_text(example)
    assert "Anna" not in html and "anna.berg@example.com" not in html
    assert re.search(r'<mark class="error" title="RL201 declared-wrong \(you-are-wrong\)">you are wrong</mark>\.$',
                     html)


def test_overlapping_spans_split_and_take_the_loudest_severity() -> None:
    text = "No, thanks for nothing."
    example = Example("r1", "", text, ((0, 23, "RL001", "refusal", "structure", "info"),
                                       (0, 3, "RL101", "flat-no", "blunt-no", "warning")))
    assert marked_text(example) == (
        '<mark class="warning" title="RL001 refusal (structure); RL101 flat-no (blunt-no)">No,</mark>'
        '<mark class="info" title="RL001 refusal (structure)"> thanks for nothing.</mark>')


def test_text_from_the_archive_is_escaped_wherever_it_lands(tmp_path: Path) -> None:
    """Reply texts, group values and matched phrasings come from the archive: none may add markup."""
    hostile = "</script><script>alert(1)</script>"
    text = f"No, you are wrong. <b>{hostile}</b> & more"
    example = Example("r1", "", text, ((4, 17, "RL201", "declared-wrong", "you-are-wrong", "error"),))
    assert "<b>" not in marked_text(example) and "&lt;/script&gt;" in marked_text(example)
    summary = {"totals": {"replies": 2, "findings": 1, "months": ["2026-01"], "groups": ["agent"]},
               "families": [{"family": "blame", "findings": 1, "replies": 1, "per_1000": 500.0}],
               "trend": [{"month": "2026-01", "family": "blame", "findings": 1, "per_1000": 500.0}],
               "groups": {"agent": [{"value": hostile, "replies": 2, "findings": 1, "per_1000": 500.0}]},
               "heatmap": {"agent": [{"value": hostile, "family": "blame", "replies": 2, "findings": 1,
                                      "per_1000": 500.0}]},
               "top_rules": [{"rule": "RL301", "name": hostile, "family": "blame", "findings": 1}],
               "top_phrasings": [{"rule": "RL301", "name": "x", "family": "blame", "matched": hostile, "count": 1}]}
    report = write_report(tmp_path, summary)
    html = report.read_text(encoding="utf-8")
    assert hostile not in html and "alert(1)" in html  # there, but only as text
    parser = _Refs()
    parser.feed(html)
    charts = 2  # the trend and the agent heat map
    assert parser.tags.count("script") == 2 + charts  # plotly's config and plotly.js once, a newPlot per chart


def test_a_group_with_more_values_than_shown_says_so(tmp_path: Path) -> None:
    values = [{"value": f"agent-{i:02d}", "replies": 100 - i, "findings": 1, "per_1000": 10.0} for i in range(30)]
    summary = {"totals": {"replies": sum(v["replies"] for v in values), "findings": 30, "groups": ["agent"]},
               "families": [{"family": "blame", "findings": 30, "replies": 30, "per_1000": 10.0}],
               "groups": {"agent": values},
               "heatmap": {"agent": [{**v, "family": "blame"} for v in values]}}
    html = write_report(tmp_path, summary).read_text(encoding="utf-8")
    assert "The 20 agent values with most replies, of 30" in html
    assert "agent-19 (81)" in html and "agent-20" not in html


def test_an_empty_audit_gets_a_short_valid_report(tmp_path: Path) -> None:
    report = write_report(tmp_path)
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "Plotly" not in html and "<b>0</b><span>replies checked" in html


# Headless Chromium over the DevTools protocol --------------------------------------------------

class DevTools:
    """Chromium's DevTools protocol on a pipe (fd 3 in, fd 4 out, NUL-separated JSON)."""

    def __init__(self, profile: Path) -> None:
        to_browser_r, self._out = os.pipe()
        self._in, from_browser_w = os.pipe()

        def fds() -> None:
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
             "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)  # its own group: nothing outlives the test
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._next:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read(timeout)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._in], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"no message from chromium within {timeout} s")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        with contextlib.suppress(OSError, TimeoutError, EOFError, AssertionError):
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self._in)
        os.close(self._out)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
def test_the_report_renders_offline_in_headless_chromium(audit: tuple[Path, dict, Path], tmp_path: Path) -> None:
    _, _, report = audit
    browser = DevTools(tmp_path / "profile")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page.enable", "Network.enable", "Runtime.enable"):
            browser.send(domain, session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1280, "height": 1500, "deviceScaleFactor": 1, "mobile": False}, session=session)
        browser.send("Page.navigate", {"url": report.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired", timeout=60)

        def evaluate(expression: str) -> Any:
            return browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                                session=session)["result"].get("value")

        charts = evaluate("document.querySelectorAll('.js-plotly-plot').length")
        deadline = time.monotonic() + 30
        while evaluate("document.querySelectorAll('.js-plotly-plot .main-svg').length") < 2 * charts:
            assert time.monotonic() < deadline, "the charts did not draw within 30 s"
            time.sleep(0.2)
        assert charts == 4  # the trend and one heat map per group column
        assert evaluate("document.querySelectorAll('.js-plotly-plot .heatmaplayer .hm, "
                        ".js-plotly-plot image').length") >= 3
        assert evaluate("document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length") >= 3
        text = evaluate("document.body.innerText")
        examples = text[text.index("Example replies"):]
        assert all(secret not in examples for secret in PII)
        assert evaluate("document.querySelectorAll('#examples mark').length") >= 5
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
        png = base64.b64decode(shot["data"])
        errors = [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
        requests = [e["params"]["request"]["url"] for e in browser.events
                    if e.get("method") == "Network.requestWillBeSent"]
    finally:
        browser.close()
    assert errors == [], f"the page threw: {errors}"
    # The heat maps are drawn as data: images, made in the page; anything else is a load from outside.
    loaded = [url for url in requests if not url.startswith(("data:", "blob:"))]
    assert loaded == [report.as_uri()], f"the page loaded more than itself: {loaded}"
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    (tmp_path / "audit-report.png").write_bytes(png)
    if os.environ.get("REPLYLINT_AUDIT_DOCS_IMAGES") == "1":
        shutil.copy(tmp_path / "audit-report.png", DOCS_IMAGE)
