"""The reply score (scoring.py, docs/coaching.md#the-reply-score): the arithmetic on small
replies with exact numbers, every pack's moves, bundles, thread context, and the CLI's
score line, JSON and SARIF fields and `--min-score` exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirunner import replylint as run_cli

import replylint
from replylint.engine.packs import bundled_rules_dir
from replylint.engine.rulelists import LIST_FOLDER
from replylint.engine.scoring import DEDUCTIONS, SCORE_LISTS, STEP_POINTS, deductions_for, judge_steps

STRUCTURE_ONLY = {"select": ["structure"]}  # no phrase finding: the total is the steps' sum
REFUSAL = "Unfortunately we cannot refund opened items. The seal on the box was broken."
GOOD = ("I'm sorry the headphones didn't work out, and I understand how disappointing that is. We can't refund "
        "opened items because the seal protects the next customer, but what I can do is exchange them for another "
        "pair. Would that work for you?")


def steps_of(score: replylint.ReplyScore) -> dict[str, tuple[int, str]]:
    return {s.name: (s.points, s.status) for s in score.steps}


# --- the arithmetic --------------------------------------------------------------------------

def test_a_step_that_is_not_needed_costs_nothing() -> None:
    steps = judge_steps(frozenset())
    assert [(s.name, s.points, s.out_of, s.status) for s in steps] == [
        ("acknowledge", 25, 25, "not-needed"), ("clarify", 25, 25, "not-needed"),
        ("resolve", 25, 25, "not-needed"), ("check-back", 25, 25, "not-needed")]


@pytest.mark.parametrize(("moves", "expected"), [
    # bad news alone: nothing acknowledged, nothing offered, nothing asked
    ({"move-refusal"}, {"acknowledge": "missing", "clarify": "missing", "resolve": "missing",
                        "check-back": "not-needed"}),
    # a resolution makes clarifying unnecessary, and asks for a check-back
    ({"move-bad-news", "move-resolution"}, {"acknowledge": "missing", "clarify": "not-needed", "resolve": "made",
                                            "check-back": "missing"}),
    # an alternative (not a resolution the customer must act on) needs no check-back
    ({"move-refusal", "move-alternative", "move-acknowledgement"},
     {"acknowledge": "made", "clarify": "not-needed", "resolve": "made", "check-back": "not-needed"}),
    # nothing to offer yet, but a question to find out more
    ({"move-refusal", "move-clarify"}, {"acknowledge": "missing", "clarify": "made", "resolve": "missing",
                                        "check-back": "not-needed"}),
    # a move made where the step is not needed still counts as made
    ({"move-acknowledgement", "move-check-back"}, {"acknowledge": "made", "clarify": "not-needed",
                                                   "resolve": "not-needed", "check-back": "made"}),
])
def test_steps_from_moves(moves: set[str], expected: dict[str, str]) -> None:
    steps = judge_steps(frozenset(moves))
    assert {s.name: s.status for s in steps} == expected
    assert all(s.points == (0 if s.status == "missing" else STEP_POINTS) for s in steps)


def test_an_upset_customer_makes_acknowledgement_needed() -> None:
    [calm, upset] = (judge_steps(frozenset(), frozenset(customer))[0] for customer in ((), {"context-upset"}))
    assert (calm.points, calm.status) == (25, "not-needed") and (upset.points, upset.status) == (0, "missing")


def test_deductions_by_severity_and_never_for_structure_findings() -> None:
    assert DEDUCTIONS == {"error": 15, "warning": 10, "info": 2}
    findings = replylint.check("You are wrong about the fee. " + REFUSAL + " That is our policy.", lang="en")
    taken = deductions_for(findings)
    assert [d.rule for d in taken] == [f.rule for f in findings if f.family != "structure"]
    assert all(d.points == DEDUCTIONS[d.severity] for d in taken) and taken


def test_exact_total_of_a_bare_refusal() -> None:
    [score] = replylint.score(REFUSAL, lang="en", config=STRUCTURE_ONLY)
    assert steps_of(score) == {"acknowledge": (0, "missing"), "clarify": (0, "missing"), "resolve": (0, "missing"),
                               "check-back": (25, "not-needed")}
    assert score.deductions == () and score.total == 25
    assert score.summary() == ("score 25/100: acknowledge 0/25 (missing), clarify 0/25 (missing), "
                               "resolve 0/25 (missing), check back 25/25 (not needed)")


def test_exact_total_with_a_deduction_and_a_severity_override() -> None:
    text = "You are wrong about the fee. It was refunded to your card this morning."
    [score] = replylint.score(text, lang="en", config={"select": ["RL201"]})
    assert score.total == 100 - 15 and [(d.rule, d.severity, d.points) for d in score.deductions] == [
        ("RL201", "error", 15)]
    assert score.summary().endswith("; findings -15 (RL201 error -15)")
    [quiet] = replylint.score(text, lang="en", config={"select": ["RL201"], "severity": {"RL201": "info"}})
    assert quiet.total == 100 - 2


def test_a_suppressed_finding_takes_nothing() -> None:
    text = "<!-- replylint-disable-next-line RL201 -->\nYou are wrong about the fee.\n"
    [score] = replylint.score(text, lang="en", format="markdown", config={"select": ["RL201"]})
    assert score.deductions == () and score.total == 100


def test_the_total_never_goes_below_zero() -> None:
    text = "No. You are wrong. You are wrong again. You should have read the terms. That's our policy. Calm down."
    [score] = replylint.score(text, lang="en")
    assert sum(s.points for s in score.steps) - sum(d.points for d in score.deductions) < 0
    assert score.total == 0


def test_the_five_step_reply_scores_full_marks() -> None:
    [score] = replylint.score(GOOD, lang="en")
    assert score.total == 100 and {s.status for s in score.steps} == {"made", "not-needed"}
    assert steps_of(score)["acknowledge"] == (25, "made") and steps_of(score)["check-back"] == (25, "made")


# --- every pack ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "sv", "da", "nb", "fi", "ms"])
def test_every_pack_has_the_scores_lists(lang: str) -> None:
    folder = bundled_rules_dir() / lang / LIST_FOLDER
    assert all((folder / f"{name}.yaml").is_file() for name in SCORE_LISTS if name != "apology-owned")


REFUSALS = {  # (a bare refusal, a clarifying question that is neither an acknowledgement nor a request)
    "en": (REFUSAL, "Could you describe how the box looked when it arrived?"),
    "sv": ("Vi kan tyvärr inte återbetala öppnade varor. Förseglingen på kartongen var bruten.",
           "Menar du att kartongen redan var öppen när den kom?"),
    "da": ("Vi kan desværre ikke refundere åbnede varer. Forseglingen på æsken var brudt.",
           "Mener du, at æsken allerede var åben, da den kom?"),
    "nb": ("Vi kan dessverre ikke refundere åpnede varer. Forseglingen på esken var brutt.",
           "Mener du at esken allerede var åpen da den kom?"),
    "fi": ("Emme valitettavasti voi hyvittää avattuja tuotteita. Pakkauksen sinetti oli rikki.",
           "Tarkoitatko, että paketti oli jo auki, kun se saapui?"),
    "ms": ("Kami tidak dapat memulangkan wang bagi barang yang telah dibuka. Pelekat pada kotak itu telah koyak.",
           "Adakah anda maksudkan kotak itu sudah terbuka semasa tiba?"),
}


@pytest.mark.parametrize("lang", sorted(REFUSALS))
def test_each_pack_scores_a_refusal_and_credits_a_clarifying_question(lang: str) -> None:
    refusal, question = REFUSALS[lang]
    [bare] = replylint.score(refusal, lang=lang, config=STRUCTURE_ONLY)
    assert bare.total == 25 and bare.lang == lang
    [asked] = replylint.score(f"{refusal} {question}", lang=lang, config=STRUCTURE_ONLY)
    assert steps_of(asked) == {"acknowledge": (0, "missing"), "clarify": (25, "made"), "resolve": (0, "missing"),
                               "check-back": (25, "made")}  # a question invites a reply: a check-back too
    assert asked.total == 50


def test_the_coaching_examples_score_full_marks_in_every_pack() -> None:
    """The table of docs/coaching.md: the same good reply in each language."""
    rows = [line.split("|")[1:3] for line in
            (Path(__file__).resolve().parents[1] / "docs" / "coaching.md").read_text(encoding="utf-8").splitlines()
            if line.startswith(("| en |", "| sv |", "| da |", "| nb |", "| fi |", "| ms |"))]
    assert len(rows) == 6
    for lang, reply in rows:
        [score] = replylint.score(reply.strip(), lang=lang.strip(), config=STRUCTURE_ONLY)
        assert score.total == 100, (lang, score.summary())


# --- replies: bundles, context, no pack, no words ------------------------------------------------

def test_each_response_of_a_bundle_has_its_own_score_where_it_is() -> None:
    bundle = json.dumps([{"id": "refund-no", "body": REFUSAL}, {"id": "exchange", "body": GOOD}], indent=2)
    scores = replylint.score(bundle, format="json", config=STRUCTURE_ONLY)
    assert [(s.response, s.total) for s in scores] == [("refund-no", 25), ("exchange", 100)]
    for score, body in zip(scores, (REFUSAL, GOOD), strict=True):
        assert bundle[score.start:score.end] == body.replace('"', '\\"')
        assert score.line == bundle[:score.start].count("\n") + 1


def test_thread_context_an_upset_customer_expects_an_acknowledgement() -> None:
    reply = "Your replacement kettle was sent this morning by tracked post. You will get the tracking number by email."
    upset = "This is the third time I have written about my broken kettle and nobody has answered. Unacceptable."
    [alone] = replylint.score(reply, lang="en", config=STRUCTURE_ONLY)
    [answered] = replylint.score(reply, lang="en", config=STRUCTURE_ONLY, context=upset)
    assert alone.total == 100 and answered.total == 75
    assert steps_of(answered)["acknowledge"] == (0, "missing")


def test_no_score_without_words_or_without_a_rule_pack() -> None:
    assert replylint.score("   \n") == []
    assert replylint.score("Wir können geöffnete Artikel leider nicht erstatten.", lang="de") == []


# --- the command line --------------------------------------------------------------------------

@pytest.fixture
def replies(tmp_path: Path) -> Path:
    (tmp_path / "refusal.txt").write_text(REFUSAL + "\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD + "\n", encoding="utf-8")
    return tmp_path


def test_the_text_format_has_one_score_line_per_reply(replies: Path) -> None:
    done = run_cli("check", "--select", "structure", "--lang", "en", "refusal.txt", "good.txt", cwd=replies)
    lines = [line for line in done.stdout.splitlines() if ": score " in line]
    assert lines == ["refusal.txt:1:1: score 25/100: acknowledge 0/25 (missing), clarify 0/25 (missing), "
                     "resolve 0/25 (missing), check back 25/25 (not needed)",
                     "good.txt:1:1: score 100/100: acknowledge 25/25, clarify 25/25 (not needed), resolve 25/25, "
                     "check back 25/25"]
    quiet = run_cli("check", "-q", "--select", "structure", "--lang", "en", "--min-score", "50", ".", cwd=replies)
    assert [line for line in quiet.stdout.splitlines() if ": score " in line] == [lines[0]]  # only the low one


def test_json_and_sarif_carry_the_scores(replies: Path) -> None:
    document = json.loads(run_cli("check", "--format", "json", "--lang", "en", "refusal.txt", cwd=replies).stdout)
    [reply] = document["replies"]
    [expected] = replylint.score(REFUSAL + "\n", lang="en")
    assert reply["path"] == "refusal.txt" and reply["total"] == expected.total
    assert [s["name"] for s in reply["steps"]] == ["acknowledge", "clarify", "resolve", "check-back"]
    sarif = json.loads(run_cli("check", "--format", "sarif", "--lang", "en", "refusal.txt", cwd=replies).stdout)
    [run] = sarif["runs"]
    [bag] = run["properties"]["replyScores"]
    assert bag["total"] == expected.total and bag["summary"] == expected.summary()
    assert all(r["properties"]["replyScore"] == expected.total for r in run["results"])


@pytest.mark.parametrize(("args", "code"), [
    ((), 0),  # structure findings are info: the run passes
    (("--min-score", "25"), 0),  # 25 is not below 25
    (("--min-score", "26"), 1),
    (("--min-score", "26", "--exit-zero"), 0),
    (("--min-score", "101"), 2),
    (("--min-score", "high"), 2),
])
def test_min_score_exit_codes(replies: Path, args: tuple[str, ...], code: int) -> None:
    done = run_cli("check", "--select", "structure", "--lang", "en", *args, ".", cwd=replies)
    assert done.returncode == code, done.stdout + done.stderr
    if code == 1:
        assert "replylint: 1 reply scores below the minimum score 26; lowest 25/100 at refusal.txt:1:1" in done.stderr


def test_min_score_from_the_config_and_a_bad_value_named(replies: Path) -> None:
    (replies / ".replylint.toml").write_text("min-score = 60\nselect = [\"structure\"]\nlang = \"en\"\n")
    assert run_cli("check", ".", cwd=replies).returncode == 1
    assert run_cli("check", "--min-score", "0", ".", cwd=replies).returncode == 0  # the command line wins
    (replies / ".replylint.toml").write_text("min-score = \"high\"\n")
    done = run_cli("check", ".", cwd=replies)
    assert done.returncode == 2
    assert "min-score: must be a whole number from 0 to 100, got 'high'" in done.stderr
    assert ".replylint.toml" in done.stderr


def test_the_worked_example_in_the_docs_adds_up() -> None:
    """docs/coaching.md's worked example: the reply and the score line shown for it."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "coaching.md").read_text(encoding="utf-8")
    example = text.split("### A worked example", 1)[1]
    reply, shown = (block.split("```", 1)[0] for block in example.split("```text\n")[1:3])
    [score_line] = [line for line in shown.splitlines() if ": score " in line]
    [score] = replylint.score(reply)
    assert score_line == f"jacket.txt:{score.line}:{score.column}: {score.summary()}"
    assert f"= **{score.total}**" in example


def test_scores_survive_the_result_cache(replies: Path) -> None:
    args = ("check", "--format", "json", "--lang", "en", "--cache-dir", "cache", "refusal.txt", "good.txt")
    first = json.loads(run_cli(*args, cwd=replies).stdout)["replies"]
    assert any((replies / "cache").rglob("*.json"))
    again = json.loads(run_cli(*args, cwd=replies).stdout)["replies"]
    assert again == first and [r["total"] for r in first] == [s.total for s in (
        *replylint.score(REFUSAL + "\n", lang="en"), *replylint.score(GOOD + "\n", lang="en"))]


def test_a_baselined_finding_takes_nothing_from_the_score() -> None:
    """A baseline accepts a finding for now: it leaves the output and its deduction leaves the
    score (the other finding's deduction stays)."""
    from collections import Counter

    from replylint.cli.baseline import apply_baseline, baseline_key
    from replylint.cli.results import FileResult

    text = "You're wrong about the fee. Calm down, please."
    findings, _, scores = replylint.check_with_scores(text, lang="en")
    assert len(findings) >= 2 and len(scores) == 1
    first, rest = findings[0], findings[1:]
    before = scores[0]
    outcome = apply_baseline([FileResult("r.txt", text, findings, scores=scores)], Counter([baseline_key(first)]))
    after = outcome.results[0].scores[0]
    assert outcome.results[0].findings == rest
    assert first.rule not in {d.rule for d in after.deductions}
    assert {d.rule for d in after.deductions} == {f.rule for f in rest}
    assert after.total == min(100, before.total + DEDUCTIONS[replylint.Severity(first.severity)])
