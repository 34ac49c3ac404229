"""Engine mechanics: offsets, apostrophes, sentences, windows, anchors, rewrites, config filters."""
from __future__ import annotations

from pathlib import Path

import replylint
from replylint.engine.config import Config
from replylint.engine.marked_text import parse_marked

RULE = """\
code: TT{n}
name: {name}
family: {family}
severity: warning
message: "m {{match}}"
why: w
match:
{match}
{extra}
examples:
  flagged: [{{text: "{flagged}", fixed: "{fixed}"}}]
  allowed: ["fine"]
"""


def team_rules(tmp_path: Path, **rules: dict) -> Config:
    """Write rules into a team folder and return a config that selects only them."""
    for i, (name, spec) in enumerate(rules.items()):
        family = spec.get("family", "cant-do")
        path = tmp_path / "en" / family / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(RULE.format(n=100 + i, name=name, family=family, match=spec["match"],
                                    extra=spec.get("extra", ""), flagged=spec.get("flagged", "[[x]]"),
                                    fixed=spec.get("fixed", "")),
                        encoding="utf-8")
    return Config(rule_folders=(str(tmp_path),), select=tuple(rules))


def test_offsets_line_and_column_are_exact() -> None:
    text = "Hi Sam,\n\nThanks for writing.\nI think you’re wrong about the bill."
    found = [f for f in replylint.check(text) if f.family == "you-are-wrong"]
    assert found, "expected a you-are-wrong finding"
    f = found[0]
    assert text[f.start:f.end] == f.matched
    assert (f.line, f.column) == (4, text.splitlines()[3].index(f.matched) + 1)


def test_straight_and_curly_apostrophes_behave_the_same() -> None:
    straight = replylint.check("You're wrong about the fee.")
    curly = replylint.check("You’re wrong about the fee.")
    assert [(f.rule, f.start, f.end) for f in straight] == [(f.rule, f.start, f.end) for f in curly]
    assert straight


def test_exception_windows(tmp_path: Path) -> None:
    config = team_rules(tmp_path, **{
        "same-sentence": {"match": '  phrases: ["we cannot"]',
                          "extra": 'unless:\n  - within: sentence\n    phrases: ["but we can"]\n    example: "x"'},
        "next-sentence": {"match": '  phrases: ["we will not"]',
                          "extra": 'unless:\n  - within: next-sentence\n    phrases: ["instead"]\n    example: "x"'},
    })
    assert replylint.check("We cannot do that, but we can do this.", config=config) == []
    assert len(replylint.check("We cannot do that. But we can do this.", config=config)) == 1
    assert replylint.check("We will not do that. Instead, here is a voucher.", config=config) == []
    assert len(replylint.check("We will not do that. Sorry. Instead, a voucher.", config=config)) == 1


def test_later_and_reply_windows(tmp_path: Path) -> None:
    """`later` sees an offer anywhere after the match; `reply` sees one anywhere at all."""
    config = team_rules(tmp_path, **{
        "later": {"match": '  phrases: ["we cannot"]',
                  "extra": 'unless:\n  - within: later\n    phrases: ["we do have"]\n    example: "x"'},
        "anywhere": {"match": '  phrases: ["we will not"]',
                     "extra": 'unless:\n  - within: reply\n    phrases: ["instead"]\n    example: "x"'},
    })
    assert replylint.check("We cannot do that. Sorry. Thanks. We do have tea.", config=config) == []
    assert len(replylint.check("We do have tea. Sorry. We cannot do that.", config=config)) == 1
    assert replylint.check("Instead, a voucher. Sorry. Thanks. We will not do that.", config=config) == []
    assert len(replylint.check("A voucher. Sorry. We will not do that.", config=config)) == 1


def test_sentence_start_anchor_and_line_breaks(tmp_path: Path) -> None:
    config = team_rules(tmp_path, opener={"match": '  at: sentence-start\n  phrases: ["nope"]'})
    assert len(replylint.check("Hi Sam,\nNope, that expired.", config=config)) == 1
    assert replylint.check("I said nope to the idea.", config=config) == []


def test_regex_named_groups_fill_rewrites(tmp_path: Path) -> None:
    config = team_rules(tmp_path, order={
        "match": "  regex: ['(?i)\\byou\\s+must\\s+(?P<verb>\\w+)']",
        "extra": 'rewrites:\n  - replace: "could you {verb}"\n    safe: false',
        "flagged": "[[You must resend]] it."}.copy())
    text = "You must resend it."
    (f,) = replylint.check(text, config=config)
    assert f.suggestions[0].replacement == "Could you resend"
    assert replylint.fix(text, unsafe=True, config=config) == "Could you resend it."
    assert replylint.fix(text, config=config) == text  # unsafe rewrites need unsafe=True


def test_safe_deletion_recapitalises(tmp_path: Path) -> None:
    config = team_rules(tmp_path, obviously={
        "match": "  regex: ['(?i)\\bobviously,?']",
        "extra": 'rewrites:\n  - replace: ""\n    safe: true', "flagged": "[[Obviously,]] x"})
    assert replylint.fix("Obviously, the button is on top.", config=config) == "The button is on top."
    assert replylint.fix("It is obviously on top.", config=config) == "It is on top."


def test_config_select_ignore_severity_and_allow() -> None:
    text = "You're wrong about the fee."
    assert replylint.check(text, config={"ignore": ["you-are-wrong"]}) == []
    assert all(f.family == "you-are-wrong" for f in replylint.check(text, config={"select": ["you-are-wrong"]}))
    (f, *_) = replylint.check(text, config={"select": ["RL201"], "severity": {"RL201": "info"}})
    assert f.severity == "info"
    assert replylint.check(text, config={"select": ["RL201"], "allow": ["you’re wrong about the fee"]}) == []


def test_findings_point_at_their_text_in_every_example() -> None:
    text, _ = parse_marked("Hi,\n\nÅsa here 😀. [[You're wrong]], sadly.\n")
    for f in replylint.check(text):
        assert text[f.start:f.end] == f.matched
        line = text.splitlines()[f.line - 1]
        assert line[f.column - 1:].startswith(f.matched)


def test_unknown_language_gives_no_error_and_no_english_findings() -> None:
    assert replylint.check("You're wrong.", lang="zz") == []


def test_user_regex_timeout_does_not_hang(tmp_path: Path, monkeypatch) -> None:
    import replylint.engine.matching as matching

    monkeypatch.setattr(matching, "REGEX_TIMEOUT_SECONDS", 0.05)
    matching.compiled_rules.cache_clear()
    config = team_rules(tmp_path, slow={"match": "  regex: ['(a+)+b']"})
    assert replylint.check("a" * 40 + "c", config=config) == []
    matching.compiled_rules.cache_clear()


def test_overlapping_findings_of_one_family_are_reported_once() -> None:
    found = replylint.check("You'll have to contact the courier yourself.")
    families = [f.family for f in found]
    assert len(families) == len(set(families)), [(f.rule, f.matched) for f in found]
    assert "deflection" in families


def test_two_families_on_one_span_become_one_finding_naming_both() -> None:
    text = "As per our policy, refunds take ten days."
    found = replylint.check(text, lang="en")
    assert [(f.family, f.matched, f.also) for f in found] == [("policy-wall", "As per our policy", ["RL015 legalese"])]
    assert "legalese" in found[0].message


def test_merged_finding_takes_the_louder_severity_and_content_families_stay_apart() -> None:
    text = "Please be advised that we cannot refund opened items."
    merged = [f for f in replylint.check(text, lang="en") if f.also]
    assert all(f.family != "legalese" and f.severity in {"warning", "error"} for f in merged)
    found = replylint.check("I already told you the store closes at five.", lang="en")
    assert {f.family for f in found} >= {"condescension"} and all(not f.also for f in found)
    caps = replylint.check("AS PER OUR POLICY WE CANNOT HELP YOU WITH THIS ONE.", lang="en")
    assert "shouting" in {f.family for f in caps} and len({f.family for f in caps}) >= 2


def test_an_offer_on_the_next_line_rescues_a_refusal() -> None:
    """A line break is not a sentence of its own: next-sentence windows see the next line."""
    assert replylint.check("We can't refund it.\nWhat I can do is send you a voucher.", lang="en") == []
    assert [f.family for f in replylint.check("We can't refund it.\nThanks.", lang="en")] == ["cant-do"]
