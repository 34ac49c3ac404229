"""Every rule's examples run as tests: a rule cannot land without proof that it works."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from replylint.cli.ruletests import (
    allowed_problem,
    compile_problem,
    fixed_problem,
    flagged_problem,
    instead_problem,
    unless_problem,
)
from replylint.engine.matching import compiled_rules
from replylint.engine.model import Family, Rule
from replylint.engine.packs import bundled_rules_dir
from replylint.engine.ruleset import ANY_LANGUAGE, available_languages, every_rule, load_rules

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


def _compiled(rule: Rule) -> None:
    """Fail first if the rule did not compile (its examples would pass vacuously)."""
    problem = compile_problem(rule)
    assert problem is None, str(problem)


def test_bundled_rules_load_without_errors() -> None:
    for lang in [*available_languages(), ANY_LANGUAGE]:
        rules = load_rules(lang)
        assert not rules.errors, "\n".join(map(str, rules.errors))
        assert not compiled_rules(lang).errors, "\n".join(map(str, compiled_rules(lang).errors))


# Each check below is replylint.cli.ruletests', the one `replylint rules --test` runs for teams.

@pytest.mark.parametrize(("rule", "example"), _cases("flagged"))
def test_flagged_example_marks_exact_span(rule: Rule, example) -> None:
    _compiled(rule)
    problem = flagged_problem(rule, example)
    assert problem is None, problem


@pytest.mark.parametrize(("rule", "example"), [c for c in _cases("flagged") if c.values[1].fixed is not None])
def test_fixed_example_is_the_first_rewrite_and_is_clean(rule: Rule, example) -> None:
    _compiled(rule)
    problem = fixed_problem(rule, example)
    assert problem is None, problem


@pytest.mark.parametrize(("rule", "text"), _cases("allowed"))
def test_allowed_example_is_clean_of_the_family(rule: Rule, text: str) -> None:
    _compiled(rule)
    problem = allowed_problem(rule, text)
    assert problem is None, problem


@pytest.mark.parametrize(("rule", "text"), _cases("instead"))
def test_instead_example_gets_no_warning(rule: Rule, text: str) -> None:
    _compiled(rule)
    problem = instead_problem(rule, text)
    assert problem is None, problem


@pytest.mark.parametrize(("rule", "exc"), _cases("unless"))
def test_exception_example_is_matched_then_rescued(rule: Rule, exc) -> None:
    _compiled(rule)
    problem = unless_problem(rule, exc)
    assert problem is None, problem


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
                 "condescension", "commanding", "non-apology", "hostility", "threat", "dismissive", "sarcasm")


@pytest.mark.parametrize("lang", [lang for lang in available_languages() if lang != "en"])
def test_every_pack_covers_the_core_families_with_examples(lang: str) -> None:
    flagged: Counter[str] = Counter()
    allowed: Counter[str] = Counter()
    for rule in load_rules(lang).rules:
        flagged[rule.family.value] += len(rule.examples.flagged)
        allowed[rule.family.value] += len(rule.examples.allowed)
    for family in (*CORE_FAMILIES, "shouting"):  # shouting from the language-independent pack
        assert flagged[family] >= 6 and allowed[family] >= 6, (lang, family, flagged[family], allowed[family])
