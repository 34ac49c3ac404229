"""Tone-model hits as findings: their own code per family, the model's confidence in the
message, the family's why text, no rewrite; never where a rule of the same family already
flagged an overlapping span. Called by the engine; knows nothing of the CLI or any editor.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from ..model import Finding, Severity
from ..selection import configured_severity, wanted
from ..spans import overlap
from . import LANGS, finding_name
from .classifier import SentenceScore, bundled_model

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..config import Config
    from ..normalize import Folded
    from ..positions import LineIndex

SEVERITY = Severity.WARNING  # any family: the model is a second opinion, never louder than a warning
MESSAGE = "The tone model is {percent}% sure this reads as {family} (a model finding, not a rule; no rewrite)."


@cache
def model_codes() -> dict[str, str]:
    """family -> the code of the model's findings in that family (rules/codes.yaml `model:`)."""
    from ..codetable import load_table, table_path
    from ..packs import bundled_rules_dir

    return dict(load_table(table_path(bundled_rules_dir())).model)


@cache
def family_why(lang: str, family: str) -> str:
    """The why text of the family's first rule (lowest code) in the pack, else in English."""
    from ..ruleset import load_rules

    for pack in (lang, "en"):
        rules = sorted((r for r in load_rules(pack).rules if r.family.value == family), key=lambda r: r.code)
        if rules:
            return rules[0].why
    return ""


def tone_findings(doc: Doc, lang: str, config: Config, folded: Folded, lines: LineIndex,
                  rule_findings: Sequence[Finding], allowed: Sequence[tuple[int, int]] = ()) -> list[Finding]:
    """Findings for the sentences of `doc` (the engine's doc of the folded text) that the
    bundled model puts in a family, minus those a same-family rule finding overlaps."""
    if lang not in LANGS:
        return []  # trained on the six packs' languages only
    model = bundled_model()
    if model is None:
        return []
    codes = model_codes()
    out = []
    for hit in model.sentences(doc):
        code, name = codes.get(hit.family), finding_name(hit.family)
        if code is None:
            continue
        if not wanted(config, code, name, hit.family):
            continue
        if any(s <= hit.start and hit.end <= e for s, e in allowed):
            continue
        finding = _finding(hit, code, name, lang, config, folded, lines)
        if not any(hit.family in _families(f) and overlap(f, finding) for f in rule_findings):
            out.append(finding)
    return out


def _families(finding: Finding) -> set[str]:
    """A rule finding's family, and those of the findings merged into it ("RL015 legalese" in `also`)."""
    return {finding.family, *(entry.rsplit(" ", 1)[-1] for entry in finding.also)}


def _finding(hit: SentenceScore, code: str, name: str, lang: str, config: Config, folded: Folded,
             lines: LineIndex) -> Finding:
    shown = folded.text
    start, end = hit.start, hit.end
    while end > start and shown[end - 1].isspace():
        end -= 1
    while start < end and shown[start].isspace():
        start += 1
    start, end = folded.span(start, end)
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    severity = configured_severity(config, code, name, hit.family, SEVERITY)
    return Finding(
        rule=code, name=name, family=hit.family, severity=severity.value,
        message=MESSAGE.format(percent=round(100 * hit.score), family=hit.family),
        why=family_why(lang, hit.family), start=start, end=end, line=line, column=column, suggestions=[],
        matched=folded.original[start:end], end_line=end_line, end_column=end_column, lang=lang,
    )


def selector_keys() -> set[str]:
    """The model's codes and names, for `select` / `ignore` / `severity` keys (lower-case codes)."""
    codes = model_codes()
    return {code.lower() for code in codes.values()} | {finding_name(family) for family in codes}
