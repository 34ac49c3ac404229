"""Inline suppressions: `replylint-disable` / `-enable` / `-disable-next-line` comments.

Written as HTML / Markdown comments (`<!-- replylint-disable RL101 -->`), Liquid comment
tags (`{% comment %}replylint-disable blame{% endcomment %}`) or Jinja comments
(`{# replylint-enable #}`). The `replylint: disable=RULE` spelling is accepted too (docs/inputs.md).
Rules are codes, names or families; none means every rule.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

_DIRECTIVE = regex.compile(
    r"(?:<!--|\{%-?\s*comment\s*-?%\}|\{\#)\s*"
    r"replylint(?:-|:\s*)(?P<verb>disable-next-line|disable|enable)\b[=\s]*(?P<rules>[\w\s,.-]*?)\s*"
    r"(?:-->|\{%-?\s*endcomment\s*-?%\}|\#\})",
    regex.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Suppression:
    """Findings of `rules` (None: all) starting in source [start, end) are suppressed."""

    start: int
    end: int
    rules: frozenset[str] | None = None

    def covers(self, offset: int, code: str, name: str, family: str) -> bool:
        if not self.start <= offset < self.end:
            return False
        return self.rules is None or bool({code.lower(), name, family} & self.rules)


def _rules(text: str) -> frozenset[str] | None:
    names = [r.strip().lower() for r in regex.split(r"[\s,]+", text) if r.strip()]
    return frozenset(names) or None


def find_suppressions(source: str) -> tuple[Suppression, ...]:
    """Every suppression directive in a source text, as offset ranges."""
    found: list[Suppression] = []
    open_regions: list[tuple[int, frozenset[str] | None]] = []
    for m in _DIRECTIVE.finditer(source):
        verb, rules = m.group("verb").lower(), _rules(m.group("rules"))
        if verb == "disable-next-line":
            line_end = source.find("\n", m.end())
            if line_end < 0:
                continue
            next_end = source.find("\n", line_end + 1)
            found.append(Suppression(line_end + 1, len(source) if next_end < 0 else next_end, rules))
        elif verb == "disable":
            open_regions.append((m.end(), rules))
        else:
            remaining = []
            for start, region_rules in open_regions:
                if rules is None or region_rules == rules or (region_rules and region_rules <= rules):
                    found.append(Suppression(start, m.start(), region_rules))
                else:
                    remaining.append((start, region_rules))
            open_regions = remaining
    found.extend(Suppression(start, len(source), rules) for start, rules in open_regions)
    return tuple(found)


def is_suppressed(suppressions: tuple[Suppression, ...], offset: int, code: str, name: str, family: str) -> bool:
    return any(s.covers(offset, code, name, family) for s in suppressions)
