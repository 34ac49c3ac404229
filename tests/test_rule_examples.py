"""Every rule's examples run as tests: a rule cannot land without proof that it works."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import replylint
from replylint.config import Config
from replylint.examples import parse_marked
from replylint.matching import compiled_rules, match_key
from replylint.model import Family, Rule
from replylint.positions import normalize_quotes
from replylint.ruleset import ANY_LANGUAGE, available_languages, bundled_rules_dir, every_rule, load_rules

RULES_DIR = bundled_rules_dir()
ALL_RULES: list[Rule] = every_rule()  # the language-independent rules run in `xx`


def _id(rule: Rule) -> str:
    return str(Path(rule.path).relative_to(RULES_DIR))


def _cases(kind: str) -> list:
    cases = []
    for rule in ALL_RULES:
        items = {"flagged": rule.examples.flagged, "allowed": rule.examples.allowed,
                 "instead": rule.examples.instead, "unless": rule.unless}[kind]
        cases.extend(pytest.param(rule, item, id=f"{_id(rule)}:{kind}{i}") for i, item in enumerate(items))
    return cases


def _only(rule: Rule) -> Config:
    """Select just this rule, failing first if it did not compile (its examples would pass vacuously)."""
    usable = {r.code for r in compiled_rules(rule.lang).usable}
    assert rule.code in usable, f"{rule.path} did not compile: {compiled_rules(rule.lang).errors}"
    return Config(select=(rule.code,))


def test_bundled_rules_load_without_errors() -> None:
    for lang in [*available_languages(), ANY_LANGUAGE]:
        rules = load_rules(lang)
        assert not rules.errors, "\n".join(map(str, rules.errors))
        assert not compiled_rules(lang).errors, "\n".join(map(str, compiled_rules(lang).errors))


@pytest.mark.parametrize(("rule", "example"), _cases("flagged"))
def test_flagged_example_marks_exact_span(rule: Rule, example) -> None:
    text, spans = parse_marked(example.text)
    found = replylint.check(text, lang=rule.lang, config=_only(rule))
    assert [(f.start, f.end) for f in found] == spans, [f.matched for f in found]
    assert all(f.family == rule.family.value for f in found)


@pytest.mark.parametrize(("rule", "example"), [c for c in _cases("flagged") if c.values[1].fixed is not None])
def test_fixed_example_is_the_first_rewrite_and_is_clean(rule: Rule, example) -> None:
    text, _ = parse_marked(example.text)
    found = replylint.check(text, lang=rule.lang, config=_only(rule))
    edits = sorted((f.suggestions[0] for f in found), key=lambda s: s.start)
    fixed, pos = [], 0
    for s in edits:
        fixed.append(text[pos:s.start] + s.replacement)
        pos = s.end
    fixed.append(text[pos:])
    assert "".join(fixed) == example.fixed
    assert replylint.check(example.fixed, lang=rule.lang, config=_only(rule)) == []


@pytest.mark.parametrize(("rule", "text"), _cases("allowed"))
def test_allowed_example_is_clean_of_the_family(rule: Rule, text: str) -> None:
    _only(rule)
    found = replylint.check(text, lang=rule.lang, config=Config(select=(rule.family.value,)))
    assert found == [], [(f.rule, f.matched) for f in found]


@pytest.mark.parametrize(("rule", "text"), _cases("instead"))
def test_instead_example_gets_no_warning(rule: Rule, text: str) -> None:
    _only(rule)
    found = [f for f in replylint.check(text, lang=rule.lang) if f.severity != "info"]
    assert found == [], [(f.rule, f.matched) for f in found]


@pytest.mark.parametrize(("rule", "exc"), _cases("unless"))
def test_exception_example_is_matched_then_rescued(rule: Rule, exc) -> None:
    _, hits = compiled_rules(rule.lang).run(normalize_quotes(exc.example))
    assert hits.get(match_key(rule.code)), "the rule's patterns must match the exception's example"
    assert replylint.check(exc.example, lang=rule.lang, config=_only(rule)) == []


def test_every_english_family_has_enough_examples() -> None:
    flagged: Counter[str] = Counter()
    allowed: Counter[str] = Counter()
    for rule in load_rules("en").rules:
        flagged[rule.family.value] += len(rule.examples.flagged)
        allowed[rule.family.value] += len(rule.examples.allowed)
    for family in Family:
        if family is Family.STRUCTURE:
            continue
        assert flagged[family.value] >= 8, f"{family.value}: {flagged[family.value]} flagged examples"
        assert allowed[family.value] >= 8, f"{family.value}: {allowed[family.value]} allowed examples"


CORE_FAMILIES = ("blunt-no", "you-are-wrong", "blame", "cant-do", "policy-wall", "deflection", "last-word",
                 "condescension", "commanding")


@pytest.mark.parametrize("lang", [lang for lang in available_languages() if lang != "en"])
def test_every_pack_covers_the_core_families_with_examples(lang: str) -> None:
    flagged: Counter[str] = Counter()
    allowed: Counter[str] = Counter()
    for rule in load_rules(lang).rules:
        flagged[rule.family.value] += len(rule.examples.flagged)
        allowed[rule.family.value] += len(rule.examples.allowed)
    for family in (*CORE_FAMILIES, "shouting"):  # shouting from the language-independent pack
        assert flagged[family] >= 6 and allowed[family] >= 6, (lang, family, flagged[family], allowed[family])
