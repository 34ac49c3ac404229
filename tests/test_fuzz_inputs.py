"""Fuzzing the readers, the bundles and the engine with hypothesis: random bytes, random
nesting, random YAML aliases and random Unicode (lone surrogates, NBSP, zero-width).

Whatever the input, no exception escapes a run: each file ends as findings or as its own
one-line error, in bounded time and memory, and the good file beside it is still reported.
"""
from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import replylint
from replylint.cli.results import FileResult
from replylint.cli.runner import Job, Settings, check_all
from replylint.engine.config import Config
from replylint.errors import InputError, ReplylintError

RISKY = "No, you're wrong about the fee."
PROSE_FORMATS = ("text", "markdown", "html")
BUNDLE_FORMATS = ("json", "yaml", "csv")
SECONDS_PER_INPUT = 10.0
PEAK_BYTES_PER_INPUT = 200 * 1024 * 1024

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Characters that have broken text linters before: lone surrogates, no-break and other spaces,
# zero-width marks, line and paragraph separators, bidi controls, BOMs, NULs and control codes.
ODD = ["\ud800", "\udfff", "\u00a0", "\u202f", "\u2009", "\u200b", "\u200d", "\ufeff", "\u2028", "\u2029",
       "\u202e", "\x00", "\x1b[31m", "\r", "\t", "  "]
odd_text = st.lists(st.one_of(st.sampled_from(ODD), st.text(max_size=12),
                              st.sampled_from(["No,", "you're", "wrong", "policy", "> ", "-- \n", "**", "<b>"])),
                    max_size=40).map("".join)


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Load spaCy and every reader once, so the budgets below time the input, not start-up."""
    for fmt in PROSE_FORMATS:
        replylint.check(RISKY, lang="en", format=fmt)
    replylint.check(json.dumps([{"body": RISKY}]), lang="en", format="json")
    replylint.check(f"- body: {RISKY}", lang="en", format="yaml")
    replylint.check(f"body\n{RISKY}\n", lang="en", format="csv")


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _bounded(run):
    """Run `run()`, asserting it ends within the time budget of one input and raises the
    process's peak memory by less than the memory budget."""
    peak_before = _peak_bytes()
    began = time.perf_counter()
    try:
        return run()
    finally:
        elapsed = time.perf_counter() - began
        grown = _peak_bytes() - peak_before
        assert elapsed < SECONDS_PER_INPUT, f"took {elapsed:.1f} s"
        assert grown < PEAK_BYTES_PER_INPUT, f"peak memory grew by {grown / 1e6:.0f} MB"


def _check_any(text: str, fmt: str) -> list:
    """The API on any text: prose formats always give findings; a bundle format may refuse
    a text that is not a bundle, with a clear ValueError or replylint error, never anything else."""
    try:
        return replylint.check(text, lang="en", format=fmt)
    except (ValueError, ReplylintError):
        if fmt in PROSE_FORMATS:
            raise
        return []


@FUZZ
@given(text=odd_text, fmt=st.sampled_from(PROSE_FORMATS + BUNDLE_FORMATS))
def test_check_takes_any_unicode(text: str, fmt: str) -> None:
    findings = _bounded(lambda: _check_any(text, fmt))
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(text)


@FUZZ
@given(prefix=odd_text, suffix=odd_text)
def test_risky_phrase_is_found_whatever_surrounds_it(prefix: str, suffix: str) -> None:
    text = f"{prefix}\n\n{RISKY}\n\n{suffix}"
    found = _bounded(lambda: replylint.check(text, lang="en"))
    assert any(text[f.start:f.end].startswith("No") for f in found) or "> " in prefix or "-- \n" in prefix


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.just(RISKY)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["body", "title", "id", "text", "x", "lang"]), inner,
                                            max_size=4)),
    max_leaves=30)


@FUZZ
@given(data=json_values)
def test_json_and_yaml_bundles_of_any_shape(data: object) -> None:
    as_json = json.dumps(data)
    _bounded(lambda: _check_any(as_json, "json"))
    _bounded(lambda: _check_any(as_json, "yaml"))  # JSON is YAML too


@FUZZ
@given(depth=st.integers(min_value=1, max_value=3000), opener=st.sampled_from(["[", "{\"a\":", "- ", "{a: "]))
def test_any_nesting_depth(depth: int, opener: str) -> None:
    closer = {"[": "]", "{\"a\":": "}", "- ": "", "{a: ": "}"}[opener]
    if opener == "- ":  # block sequences nest by indentation
        text = "".join("  " * i + "- \n" for i in range(depth)) + "  " * depth + f"- body: \"{RISKY}\"\n"
    else:
        text = opener * depth + json.dumps({"body": RISKY}) + closer * depth
    for fmt in ("json", "yaml"):
        _bounded(lambda fmt=fmt: _check_any(text, fmt))


@st.composite
def alias_bundles(draw: st.DrawFn) -> str:
    """A YAML bundle whose anchors refer to earlier ones (up to a billion-laughs bomb),
    sometimes to themselves."""
    levels = draw(st.integers(min_value=1, max_value=12))
    fan = draw(st.integers(min_value=1, max_value=10))
    lines = [f"a0: &a0 {{title: t, body: \"{RISKY}\"}}"]
    for level in range(1, levels):
        refs = ", ".join(f"*a{level - 1}" for _ in range(fan))
        lines.append(f"a{level}: &a{level} [{refs}]")
    if draw(st.booleans()):
        lines.append(f"self: &s [*s, {{title: x, body: \"{RISKY}\"}}]")
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=alias_bundles())
def test_yaml_aliases_are_bounded(text: str) -> None:
    findings = _bounded(lambda: _check_any(text, "yaml"))
    assert len(findings) < 1000, "a reply reached through aliases is counted once"


def _run_beside_good_file(folder: Path, name: str, data: bytes) -> list:
    good = folder / "good.txt"
    good.write_text(RISKY, encoding="utf-8")
    odd = folder / name
    odd.write_bytes(data)
    jobs = [Job(str(odd), True), Job(str(good), True)]
    outcomes = _bounded(lambda: list(check_all(jobs, Settings(Config(), "en"))))
    assert isinstance(outcomes[0], FileResult | InputError | None)
    assert isinstance(outcomes[1], FileResult) and outcomes[1].findings, "the good file is still reported"
    if isinstance(outcomes[0], InputError):
        assert "\n" not in str(outcomes[0]) and str(odd) in str(outcomes[0])
    return outcomes


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html", ".json", ".yaml", ".csv"]))
def test_random_bytes_in_any_reader(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    _run_beside_good_file(tmp_path_factory.mktemp("bytes"), f"odd{suffix}", data)


@FUZZ
@given(text=odd_text, suffix=st.sampled_from([".txt", ".md", ".html", ".json", ".yaml", ".csv"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1"]))
def test_random_unicode_in_any_encoding(tmp_path_factory: pytest.TempPathFactory, text: str, suffix: str,
                                        encoding: str) -> None:
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    _run_beside_good_file(tmp_path_factory.mktemp("unicode"), f"odd{suffix}", data)
