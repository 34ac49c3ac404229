"""The phrase language (`says:`): each construct flags what it should and not what it shouldn't,
in `match` and in `unless`, through team rule folders; a malformed phrase is one clear rule-file
error naming file, line and problem; the signed rule cache round-trips `says`; and the engine
compiles a phrase to a gated regex or, with a `{word}` slot, to lemma token patterns."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import replylint
import replylint.engine.matching as matching
import replylint.engine.phrases as phrases
import replylint.engine.rulecache as rulecache
from replylint.engine.config import Config
from replylint.engine.prefilter import required_literals
from replylint.engine.rulefile import load_rule_file
from replylint.errors import RuleFileError

RULE = """\
code: TM130
name: {name}
family: last-word
severity: warning
message: "m"
why: w
match:
  says:
{says}
{unless}examples:
  flagged: ["{flagged}"]
  allowed: ["fine"]
"""


def says_block(items: list[str]) -> str:
    return "\n".join(f"    - \"{item}\"" for item in items)


def team(tmp_path: Path, says: list[str], flagged: str, unless: str = "", lists: dict[str, str] | None = None,
         name: str = "team-phrase") -> tuple[Config, Path]:
    """A team folder with one en rule TM130 (and optional list files), and a config selecting it."""
    root = tmp_path / "team"
    path = root / "en" / "last-word" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RULE.format(name=name, says=says_block(says), flagged=flagged, unless=unless), encoding="utf-8")
    for list_name, text in (lists or {}).items():
        (root / "en" / "_lists").mkdir(parents=True, exist_ok=True)
        (root / "en" / "_lists" / f"{list_name}.yaml").write_text(text, encoding="utf-8")
    return Config(rule_folders=(str(root),), select=("TM130",), lang="en"), path


@pytest.fixture(autouse=True)
def fresh_rules():
    matching.compiled_rules.cache_clear()
    yield
    matching.compiled_rules.cache_clear()


def flagged(text: str, config: Config) -> list[str]:
    return [f.matched for f in replylint.check(text, lang="en", config=config) if f.rule == "TM130"]


# --- each construct ------------------------------------------------------------------------------

CASES = [
    # phrase, texts it flags (with the flagged words), texts it must leave alone
    ("(we|I) (will|'ll) not discuss * further",
     {"We will not discuss this further.": "We will not discuss this further",
      "I'll not discuss it further, sorry.": "I'll not discuss it further",
      "we   will not DISCUSS the matter further": None},
     ["We will not discuss further.", "We will not discuss this matter further.", "They will not discuss it further."]),
    ("we will not discuss *2 further",
     {"We will not discuss this matter further.": "We will not discuss this matter further",
      "We will not discuss it further.": "We will not discuss it further"},
     ["We will not discuss this whole matter further.", "We will not discuss further."]),
    ("you [really] should have known",
     {"You should have known.": "You should have known",
      "You really should have known.": "You really should have known"},
     ["You really, really should have called.", "You should've known."]),
    ("[please] rest assured",
     {"Please rest assured, it is fixed.": "Please rest assured", "Rest assured it is fixed.": "Rest assured"},
     ["The rest is assured.", "Unrest assured nobody."]),
    ("that's (our|the) policy",
     {"That’s our policy.": "That’s our policy", "that's the policy": "that's the policy"},
     ["That is our policy.", "That's our new policy."]),
    ("{refuse} your (request|claim)",
     {"We refused your claim.": "refused your claim", "Refusing your request was hard.": "Refusing your request",
      "He refuses your request.": "refuses your request"},
     ["We refunded your claim.", "We refused the claim."]),
    ("refund* (is|are) not *able",
     {"Refunds are not payable.": "Refunds are not payable", "A refund is not available.": "refund is not available"},
     ["Refunds are not possible.", "The prefund is not payable."]),
    ("within # (day|days)",
     {"Write within 14 days.": "within 14 days", "within 1.5 days": "within 1.5 days"},
     ["within two days", "within days"]),
    ("^ no, (we|I) (can't|cannot)",
     {"No, we can't.": "No, we can't", "Thanks. No, I cannot.": "No, I cannot", "- No, we can't": "No, we can't"},
     ["I said no, we can't.", "Thanks no, we can't."]),
    ("!(if|unless) we can't help",
     {"Sadly we can't help.": "we can't help", "We can't help.": "We can't help"},
     ["If we can't help, we'll refund you.", "Unless we can't help you."]),
    ("there is no refund !(fee|charge)",
     {"There is no refund.": "There is no refund", "There is no refund, sorry.": "There is no refund"},
     ["There is no refund fee.", "There is no refund charge to pay."]),
    ("we can't help !(*)",
     {"We can't help.": "We can't help", "Sorry, we can't help!": "we can't help"},
     ["We can't help with that."]),
    ("^ no!",
     {"No! We won't.": "No!", "Sorry. No!!": "No!"},
     ["No, we won't.", "I said no!"]),
    ("no thanks $",
     {"Well, no thanks": "no thanks", "No thanks  \nBye": "No thanks"},
     ["No thanks, I'm fine."]),
    (", as I said",
     {"It ships Monday, as I said.": ", as I said", "It ships Monday , as I said.": ", as I said"},
     ["As I said, it ships Monday."]),
    ("<you need to understand> , that",
     {"You need to understand, that it takes time.": "You need to understand"},
     ["You need to understand the terms."]),
    ("no quibble",
     {"No quibble, no fee.": "No quibble"},
     ["Our no-quibble guarantee.", "A no quibble-free deal.", "A pre-no quibble."]),
    ("ref no #",
     {"Under ref no 1-158871682607.": "ref no 1"},
     []),
    ("[*3] then we (close|closed) it",
     {"You wrote twice, then we closed it.": "You wrote twice, then we closed it"},
     []),
    ("(my|our) [*] department",
     {"Our billing, department": None, "Our billing department.": "Our billing department",
      "Our billing, department is": None},
     ["Our, department is closed."]),
    ("(offer|deal) (is|are) <no longer available>",
     {"The offer is no longer available.": "no longer available"},
     ["The item is no longer available.", "No longer available."]),
    ("we will not discuss *12 further",
     {"We will not discuss this, or anything, further.": "We will not discuss this, or anything, further"},
     ["We will not discuss this. Or anything further."]),
    ("^ <you people>",
     {"You people never read. ": "You people", "Hey. You people again.": "You people"},
     ["Thank you people!", "Oh, you people."]),
    ("^ [well|oh][,] <you people>",
     {"Well, you people again.": "you people", "you people.": "you people"},
     ["Thank you people.", "Wellyou people."]),
    ("we {decline} * (request|claim)",
     {"We declined your request.": "We declined your request", "we are declining the claim": None},
     ["We declined.", "We declined it."]),
]


@pytest.mark.parametrize(("phrase", "hits", "misses"), CASES, ids=[c[0] for c in CASES])
def test_each_construct_flags_what_it_should(tmp_path: Path, phrase: str, hits: dict, misses: list[str]) -> None:
    first = next(span for span in hits.values() if span)
    config, _ = team(tmp_path, [phrase], first.join(("[[", "]]")).replace("’", "'"))
    for text, span in hits.items():
        if span is None:
            continue
        assert flagged(text, config) == [span], f"{phrase!r} on {text!r}"
    for text in misses:
        assert flagged(text, config) == [], f"{phrase!r} flagged {text!r}"


def test_the_second_participle_form_needs_a_second_form(tmp_path: Path) -> None:
    """`we {decline} * (request|claim)` on "we are declining the claim": `*` is one word, so
    "are" between "we" and the slot breaks the phrase; a `[*]` or `[are]` says so."""
    config, _ = team(tmp_path, ["we [are] {decline} * (request|claim)"], "[[we declined the claim]]")
    assert flagged("we are declining the claim", config) == ["we are declining the claim"]
    assert flagged("We declined the claim.", config) == ["We declined the claim"]


def test_spaces_are_folded_but_a_line_break_ends_the_phrase(tmp_path: Path) -> None:
    config, _ = team(tmp_path, ["no further discussion"], "[[no further discussion]]")
    assert flagged("There will be no  further\tdiscussion.", config) == ["no  further\tdiscussion"]
    spaced = "A\u00a0 run: no \u2009 further  \t discussion, sorry"
    assert flagged(spaced, config) == ["no \u2009 further  \t discussion"]
    assert flagged("There will be no further\ndiscussion.", config) == []


def test_a_list_inside_a_phrase(tmp_path: Path) -> None:
    modal = ("description: Modal verbs of blame.\nphrases: [should, must, \"ought to\"]\n"
             "examples:\n  matched: ['you should']\n")
    config, path = team(tmp_path, ["you {list:modal-verbs} have known"], "[[you should have known]]",
                        lists={"modal-verbs": modal})
    assert flagged("You ought to have known.", config) == ["You ought to have known"]
    assert flagged("You must have known.", config) == ["You must have known"]
    assert flagged("You might have known.", config) == []
    rule = load_rule_file(path, "en")
    assert rule.match.says == ("you (should|must|ought to) have known",)  # spliced in at load


def test_a_list_of_regexes_cannot_go_inside_a_phrase(tmp_path: Path) -> None:
    regex_list = "description: d\nregex: ['(?i)should']\nexamples:\n  matched: ['should']\n"
    _, path = team(tmp_path, ["you {list:modal-verbs} have known"], "[[you should have known]]",
                   lists={"modal-verbs": regex_list})
    with pytest.raises(RuleFileError, match=r"team-phrase.yaml:9: match.says\[0\]: bad phrase .*list "
                       r"'modal-verbs' holds regex or token patterns"):
        load_rule_file(path, "en")


UNLESS = """\
unless:
  - within: sentence
    says: ["but (I|we) can *2 (today|tomorrow)"]
    example: "We will not discuss this further, but we can call you tomorrow."
"""


def test_says_in_an_unless_entry_rescues_a_match(tmp_path: Path) -> None:
    config, _ = team(tmp_path, ["(we|I) will not discuss * further"], "[[We will not discuss this further]]",
                     unless=UNLESS)
    assert flagged("We will not discuss this further, but we can call you tomorrow.", config) == []
    assert flagged("We will not discuss this further, but we can call you.", config) == \
        ["We will not discuss this further"]


# --- malformed phrases: one clear error ------------------------------------------------------------

BROKEN = [
    ("(we|I will not discuss it", "the '(' at character 1 is never closed (missing ')')"),
    ("we will not) discuss it", "')' at character 12 closes nothing"),
    ("(we||I) will not discuss it", "empty alternative in (…)"),
    ("sorry you('re| are) upset", "the space at character 15 starts an alternative of a group glued to the word"),
    ("we will [] discuss it", "empty alternative in […]"),
    ("we will (not] discuss it", "']' at character 13 does not match the open '(' at character 9"),
    ("you {list:modal-verb} have known", "unknown list 'modal-verb' in {list:modal-verb} (lists here: "),
    ("{refuse your claim", "the '{' at character 1 is never closed"),
    ("{refuse it} your claim", "{refuse it} is not a slot"),
    ("[please] *", "the phrase has no fixed word"),
    ("we will <not discuss", "mark the flagged words once"),
    ("we (will <not) discuss> it", "outside any ( ) or [ ]"),
    ("we will not ! discuss", "'!' at character 13 must be followed by a word"),
    ("we will ^ not discuss", "'^' (start of a sentence) can only begin the phrase"),
    ("we will not refund*3", "a word count goes on a '*' of its own"),
    ("we will not discuss *13 further", "'*13' stands for 1 to 12 words"),
]


@pytest.mark.parametrize(("phrase", "problem"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_malformed_phrase_is_one_error_naming_file_line_and_problem(tmp_path: Path, phrase: str,
                                                                       problem: str) -> None:
    _, path = team(tmp_path, ["we will not discuss it", phrase], "[[we will not discuss it]]")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path, "en")
    message = str(caught.value)
    assert message.startswith(f"{path}:10: match.says[1]: bad phrase {phrase!r}: "), message
    assert problem in message
    assert "\n" not in message


def test_the_cli_reports_a_malformed_phrase_once_and_exits_2(tmp_path: Path) -> None:
    from clirunner import replylint as run_cli

    _, path = team(tmp_path, ["(we|I will not discuss it"], "[[we will not discuss it]]")
    result = run_cli("rules", "--test", str(tmp_path / "team"), cwd=tmp_path)
    assert result.returncode == 2, result
    assert result.stderr.count("never closed") == 1, result.stderr
    assert f"{path}:9: match.says[0]" in result.stderr


# --- compilation and the rule cache --------------------------------------------------------------

def test_a_plain_phrase_is_one_gated_regex_and_a_slot_phrase_is_token_patterns() -> None:
    plain = phrases.to_regex("(we|I) (will|'ll) not discuss * further")
    assert required_literals(plain) == frozenset({" not discuss "})  # words stay apart by one space
    assert not phrases.uses_lemma("(we|I) (will|'ll) not discuss * further")
    assert phrases.uses_lemma("{refuse} your (request|claim)")
    assert phrases.to_tokens("{refuse} your [own] (request|claim)", str.split) == [
        [{"LEMMA": "refuse"}, {"LOWER": "your"}, {"LOWER": "own"}, {"LOWER": "request"}],
        [{"LEMMA": "refuse"}, {"LOWER": "your"}, {"LOWER": "own"}, {"LOWER": "claim"}],
        [{"LEMMA": "refuse"}, {"LOWER": "your"}, {"LOWER": "request"}],
        [{"LEMMA": "refuse"}, {"LOWER": "your"}, {"LOWER": "claim"}],
    ]


def test_says_round_trips_through_the_signed_rule_cache(tmp_path: Path) -> None:
    _, path = team(tmp_path, ["(we|I) will not discuss * further", "{refuse} your claim"],
                   "[[we will not discuss it further]]", unless=UNLESS)
    rule = load_rule_file(path, "en")
    assert rule.match.says and rule.unless[0].patterns.says
    cached = tmp_path / "cache" / "rules.json"
    rulecache.store(cached, b"k" * 32, (rule,), ())
    loaded = rulecache.load(cached, b"k" * 32)
    assert loaded is not None
    assert loaded[0] == (rule,)
    assert loaded[0][0].match.says == ("(we|I) will not discuss * further", "{refuse} your claim")


def test_the_rule_cache_keeps_each_raw_regexs_gate(tmp_path: Path, monkeypatch) -> None:
    """Parsing the bundled raw regexes for their gates cost every start-up about 0.1 s."""
    import replylint.engine.prefilter as prefilter
    from replylint.engine.model import Patterns

    source = r"(?i)\bthe \w+ courier is responsible\b"
    _, path = team(tmp_path, ["we cannot help"], "[[we cannot help]]")
    base = load_rule_file(path, "en")
    rule = dataclasses.replace(base, match=Patterns(regex=(source,)))
    cached = tmp_path / "cache" / "rules.json"
    rulecache.store(cached, b"k" * 32, (rule,), ())
    expected = prefilter.required_literal_sets(source)
    assert expected is not None and len(expected) >= 2
    monkeypatch.setattr(prefilter, "_remembered", {})
    monkeypatch.setattr(prefilter, "_literal_sets", lambda source: pytest.fail("parsed again"))
    assert rulecache.load(cached, b"k" * 32) is not None
    assert prefilter.required_literal_sets(source) == expected


# --- the worked example in docs/rule-format.md ---------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "rule-format.md"


def test_the_documented_worked_example_does_what_the_doc_says(tmp_path: Path) -> None:
    section = DOC.read_text(encoding="utf-8").split("## 1. A phrase with slots", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "team" / "en" / "last-word" / "no-further-discussion.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(example, encoding="utf-8")
    config = Config(rule_folders=(str(tmp_path / "team"),), select=("TM101",), lang="en")

    def hits(text: str) -> list[str]:
        return [f.matched for f in replylint.check(text, lang="en", config=config) if f.rule == "TM101"]

    for text in ("We will not discuss this further.", "I'll not discuss it further.",
                 "we will NOT discuss that further."):
        assert hits(text) == [text.rstrip(".")], text
    assert hits("We will not discuss the matter further.") == []  # `*` is one word
    assert hits("We will discuss it further.") == []
    assert hits("Thanks. This case is closed.") == ["This case is closed"]
    assert hits("This case is closed until you reply.") == []
    from clirunner import replylint as run_cli

    result = run_cli("rules", "--test", str(tmp_path / "team"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_affixes_and_numbers_work_in_lemma_phrases_and_zero_width_marks_are_refused() -> None:
    assert phrases.to_tokens("{refuse} # refund*", str.split) == [
        [{"LEMMA": "refuse"}, {"LIKE_NUM": True}, {"LOWER": {"REGEX": "^refund[\\w'’-]*$"}}]]
    for phrase in ("!(if) {refuse} it", "^ {refuse} it", "we <{refuse}> it"):
        with pytest.raises(phrases.PhraseError, match="cannot use '!', '\\^', '\\$' or '<…>'"):
            phrases.check(phrase)


def test_the_gate_of_a_phrase_with_context_and_negation_reads_its_words() -> None:
    gate = phrases.gate_sets("!(if) (offer|deal) is <no longer available !(soon)>")
    assert gate == (frozenset({"available"}), frozenset({"longer"}), frozenset({"offer", "deal"}))


def test_the_documented_shared_list_example_does_what_the_doc_says(tmp_path: Path) -> None:
    section = DOC.read_text(encoding="utf-8").split("## 2. A shared exception list", 1)[1].split("\n## ", 1)[0]
    listed, rule = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:3]]
    root = tmp_path / "team" / "en"
    (root / "_lists").mkdir(parents=True)
    (root / "cant-do").mkdir()
    (root / "_lists" / "good-news.yaml").write_text(listed, encoding="utf-8")
    (root / "cant-do" / "no-refund.yaml").write_text(rule, encoding="utf-8")
    config = Config(rule_folders=(str(tmp_path / "team"),), select=("TM102",), lang="en")

    def hits(text: str) -> list[str]:
        return [f.matched for f in replylint.check(text, lang="en", config=config) if f.rule == "TM102"]

    assert hits("Sorry, we can't refund your order.") == ["we can't refund your order"]
    assert hits("We can't refund it, but we can send a new one.") == []
    assert hits("We can't refund it. But we will not resend it either.") == ["We can't refund it"]
    from clirunner import replylint as run_cli

    result = run_cli("rules", "--test", str(tmp_path / "team"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_word_starting_with_an_apostrophe_joins_the_word_before(tmp_path: Path) -> None:
    config, _ = team(tmp_path, ["(we|I) 'll not discuss it"], "[[we'll not discuss it]]")
    assert flagged("Sorry, we'll not discuss it.", config) == ["we'll not discuss it"]
    assert flagged("Sorry, I ’ll not discuss it.", config) == ["I ’ll not discuss it"]


@pytest.mark.parametrize(("phrase", "starts", "texts"), [
    ("!(if|whether|when) * [*12] <, (don't|didn't) (you|we)> ?",
     None,  # the flagged words begin with a mark: scanned, but from the comma, not from every word
     {"You wanted the blue one, didn't you? We sent it, didn't we?": [", didn't you", ", didn't we"],
      "Fine, don't you think?": [], ", don't you?": []}),
    ("*, <[please] make sure it (doesn't|does not) happen again>",
     frozenset({"please", "make"}),  # tried only where the flagged words can begin
     {"Noted, please make sure it doesn't happen again.": ["please make sure it doesn't happen again"],
      "Please make sure it does not happen again.": [], "So, make sure it does not happen again": [
          "make sure it does not happen again"]}),
])
def test_context_that_may_begin_anywhere_is_looked_for_behind_the_flagged_words(
        phrase: str, starts: frozenset[str] | None, texts: dict[str, list[str]]) -> None:
    """A phrase whose context before `<…>` may begin with any word compiles focus-first (a
    lookbehind, not `…\\K`), so it is not tried from every word with every gap; it flags the
    same words as the context-first form it replaced."""
    regex_source = phrases.to_regex(phrase)
    assert regex_source.startswith("(?i)(?<=") and "\\K" not in regex_source
    assert phrases.start_words(phrase) == starts
    compiled = matching.compile_regex(regex_source)
    for text, expected in texts.items():
        spaced = phrases.Spaced(text)
        found = [text[spaced.original(m.start()):spaced.original(m.end())] for m in compiled.finditer(spaced.text)]
        assert found == expected, text


def test_context_that_begins_with_words_still_starts_the_match() -> None:
    """Context words that a match must begin with keep the context-first form: the regex is
    tried only where they begin a word."""
    phrase = "(well|look) <you (should|must) read the manual>"
    assert "\\K" in phrases.to_regex(phrase)
    assert phrases.start_words(phrase) == frozenset({"well", "look"})


def test_an_opening_quote_starts_a_word_but_an_apostrophe_inside_one_does_not() -> None:
    from replylint.engine.phrases import starts_inside_word

    assert starts_inside_word("we'll", 3)  # "ll" of "we'll"
    assert starts_inside_word("pre-paid", 4)  # "paid" of "pre-paid"
    assert not starts_inside_word("He said 'bugger off'", 9)  # a quotation opens
    assert not starts_inside_word("'Bugger off'", 1)
    assert not starts_inside_word("said ’no’", 6)
    found = [f.rule for f in replylint.check("He said 'bugger off' to me.", lang="en")]
    assert found, "a phrase right after an opening single quote is found"
