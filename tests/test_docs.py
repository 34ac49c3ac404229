"""The generated rule reference in docs/rules must match the rule data."""
from __future__ import annotations

from pathlib import Path

from replylint.engine.ruledocs import REGENERATE, generate
from replylint.engine.ruleset import every_rule, load_rules

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_rule_docs_are_up_to_date() -> None:
    rules = every_rule()
    expected = generate(rules)
    actual = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")} if DOCS.is_dir() else {}
    stale = sorted(n for n in expected if actual.get(n) != expected[n])
    extra = sorted(set(actual) - set(expected))
    assert not stale and not extra, f"docs/rules is stale ({stale + extra}); regenerate with `{REGENERATE}`"


def test_every_rule_page_has_the_fixed_headings() -> None:
    for name, text in generate(list(load_rules("en").rules)).items():
        if name == "index.md":
            continue
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
            assert heading in text, f"{name} lacks {heading}"
