"""Thread context: the customer's message changes the judgement (docs/coaching.md#thread-context).

A "No, …" answering the customer's yes/no question with a plain fact is quiet; an upset
customer makes an acknowledgement expected (RL006); a question the reply never takes up is
reported (RL007). The message comes from `context=`, `--context FILE`, an e-mail's quoted
part or a ticket export's customer turns. Without it every reply is judged as before.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirunner import replylint as run_cli

import replylint
from replylint.engine.packs import bundled_rules_dir
from replylint.engine.rulefile import load_rule_file
from replylint.engine.rulelists import load_lists
from replylint.errors import RuleFileError

FIXTURES = Path(__file__).parent / "fixtures" / "tickets"
EXAMPLES = Path(__file__).parent.parent / "examples"

# (question the customer asked, a plain-fact "no" that flat-no flags when read alone)
YES_NO = {
    "en": ("Hi, do you have a shop in Manchester?", "No, our nearest shop is in Leeds."),
    "sv": ("Hej, har ni en butik i Malmö?", "Nej, vår närmaste butik ligger i Lund."),
    "da": ("Hej, har I en butik i Odense?", "Nej, vores nærmeste butik ligger i Vejle."),
    "nb": ("Hei, har dere en butikk i Bergen?", "Nei, vår nærmeste butikk ligger i Stavanger."),
    "fi": ("Hei, onko teillä myymälää Tampereella?", "Ei, lähin myymälämme on Hämeenlinnassa."),
    "ms": ("Hai, adakah anda mempunyai kedai di Ipoh?", "Tidak, kedai terdekat kami di Taiping."),
}
# a "no" that refuses stays a flat no, question or not
REFUSING = {
    "en": "No, we cannot refund opened items.",
    "sv": "Nej, vi kan tyvärr inte återbetala öppnade varor.",
    "da": "Nej, vi kan desværre ikke refundere åbnede varer.",
    "nb": "Nei, vi kan dessverre ikke refundere åpnede varer.",
    "fi": "Ei, emme valitettavasti voi hyvittää avattuja tuotteita.",
    "ms": "Tidak, kami tidak dapat memulangkan wang bagi barang yang telah dibuka.",
}
# (an upset customer, a reply of facts only, the same reply opening with an acknowledgement)
UPSET = {
    "en": ("This is the third time I have written about my broken kettle and nobody has answered. Unacceptable.",
           "Your replacement kettle was sent this morning by tracked post. The courier will collect the broken one "
           "when they deliver the new kettle, so there is no need to pack it.",
           "I'm sorry you had to write three times. "),
    "sv": ("Det är tredje gången jag skriver om min trasiga vattenkokare och ingen har svarat. Oacceptabelt.",
           "Din nya vattenkokare skickades i morse med spårbar post. Budet hämtar den trasiga när de levererar den "
           "nya, så du behöver inte packa ner den.",
           "Jag beklagar verkligen att du har behövt skriva tre gånger. "),
    "da": ("Det er tredje gang, jeg skriver om min ødelagte elkedel, og ingen har svaret. Uacceptabelt.",
           "Din nye elkedel blev sendt i morges med sporbar post. Budet henter den ødelagte, når de leverer den "
           "nye, så du behøver ikke at pakke den ned.",
           "Jeg beklager virkelig, at du har måttet skrive tre gange. "),
    "nb": ("Dette er tredje gang jeg skriver om den ødelagte vannkokeren min, og ingen har svart. Uakseptabelt.",
           "Den nye vannkokeren din ble sendt i morges med sporbar post. Budet henter den ødelagte når de leverer "
           "den nye, så du trenger ikke å pakke den ned.",
           "Jeg beklager virkelig at du har måttet skrive tre ganger. "),
    "fi": ("Kirjoitan jo kolmannen kerran rikkinäisestä vedenkeittimestä, eikä kukaan ole vastannut. "
           "Tämä on kohtuutonta.",
           "Uusi vedenkeittimesi lähti tänä aamuna seurattavana lähetyksenä. Kuriiri noutaa rikkinäisen laitteen "
           "tuodessaan uuden, joten sitä ei tarvitse pakata.",
           "Pahoittelen kovasti, että olet joutunut kirjoittamaan kolme kertaa. "),
    "ms": ("Ini kali ketiga saya menulis tentang cerek saya yang rosak dan tiada siapa membalas. "
           "Ini tidak boleh diterima.",
           "Cerek baharu anda telah dihantar pagi tadi melalui pos berdaftar. Kurier akan mengambil cerek yang rosak "
           "semasa menghantar cerek baharu, jadi anda tidak perlu membungkusnya.",
           "Kami memohon maaf kerana anda terpaksa menulis sebanyak tiga kali. "),
}
# (two questions, a reply taking up only the first, the words that answer the second)
QUESTIONS = {
    "en": ("Can I swap the blue kettle for the red one? And when will the refund for the toaster arrive?",
           "Thanks for getting in touch. I have swapped your blue kettle for the red one, and the courier will bring "
           "it on Friday. There is nothing you need to send back.",
           " The refund for the toaster reached your card today."),
    "sv": ("Kan jag byta den blå vattenkokaren mot den röda? Och när kommer återbetalningen för brödrosten?",
           "Tack för att du hörde av dig. Jag har bytt din blå vattenkokare mot den röda, och budet kommer med den "
           "på fredag. Du behöver inte skicka tillbaka något.",
           " Återbetalningen för brödrosten gick till ditt kort i dag."),
    "da": ("Kan jeg bytte den blå elkedel til den røde? Og hvornår kommer refusionen for brødristeren?",
           "Tak fordi du skrev. Jeg har byttet din blå elkedel til den røde, og budet kommer med den på fredag. "
           "Du behøver ikke at sende noget tilbage.",
           " Refusionen for brødristeren gik til dit kort i dag."),
    "nb": ("Kan jeg bytte den blå vannkokeren mot den røde? Og når kommer refusjonen for brødristeren?",
           "Takk for at du tok kontakt. Jeg har byttet den blå vannkokeren din mot den røde, og budet kommer med den "
           "på fredag. Du trenger ikke å sende noe tilbake.",
           " Refusjonen for brødristeren gikk til kortet ditt i dag."),
    "fi": ("Voinko vaihtaa sinisen vedenkeittimen punaiseen? Ja milloin leivänpaahtimen hyvitys tulee?",
           "Kiitos yhteydenotosta vedenkeittimen vuoksi. Vaihdoin sinisen vedenkeittimesi punaiseen, ja kuriiri "
           "tuo sen perjantaina. "
           "Sinun ei tarvitse lähettää mitään takaisin.",
           " Leivänpaahtimen hyvitys maksettiin kortillesi tänään."),
    "ms": ("Bolehkah saya menukar cerek biru kepada yang merah? Dan bilakah bayaran balik untuk pembakar roti akan "
           "masuk?",
           "Terima kasih kerana menghubungi kami. Saya telah menukar cerek biru anda kepada yang merah, dan kurier "
           "akan menghantarnya pada hari Jumaat. Anda tidak perlu memulangkan apa-apa.",
           " Bayaran balik untuk pembakar roti telah dibuat ke kad anda hari ini."),
}


def rules(found: list[replylint.Finding]) -> list[str]:
    return [f.rule for f in found]


# --- a plain-fact "no" answering a yes/no question ---------------------------------------
@pytest.mark.parametrize("lang", sorted(YES_NO))
def test_a_no_answering_a_yes_no_question_with_a_fact_is_quiet(lang: str) -> None:
    question, reply = YES_NO[lang]
    assert rules(replylint.check(reply, lang=lang)) == ["RL101"]  # read alone: a flat no, as before
    assert rules(replylint.check(reply, lang=lang, context=question)) == []


def test_no_its_free_after_a_yes_no_question_is_quiet() -> None:
    for reply in ("No, it's free.", "No, delivery is free.", "No, we don't charge for delivery."):
        alone = replylint.check(reply, lang="en")
        assert rules(replylint.check(reply, lang="en", context="Do you charge for delivery?")) == []
        # without context, exactly what the rules said before thread context existed
        assert replylint.check(reply, lang="en", context="") == alone
    assert rules(replylint.check("No, delivery is free.", lang="en")) == ["RL101"]


@pytest.mark.parametrize("lang", sorted(REFUSING))
def test_a_refusing_no_stays_flagged_after_a_yes_no_question(lang: str) -> None:
    question, _ = YES_NO[lang]
    assert "RL101" in rules(replylint.check(REFUSING[lang], lang=lang, context=question))


def test_the_question_must_be_a_yes_no_one() -> None:
    _, reply = YES_NO["en"]
    for context in ("Where is your nearest shop?", "I would like to visit a shop.", ""):
        assert rules(replylint.check(reply, lang="en", context=context)) == ["RL101"]


def test_the_answer_is_no_refusal_for_the_reply_level_checks_either() -> None:
    reply = ("No, our nearest shop is in Leeds, about an hour from Manchester by train. The Leeds shop is open every "
             "day from nine to six and has the full range of kettles on display.")
    config = {"select": ["structure"]}
    assert {"RL001", "RL003"} <= set(rules(replylint.check(reply, lang="en", config=config)))
    assert rules(replylint.check(reply, lang="en", config=config, context=YES_NO["en"][0])) == []


# --- an upset customer ----------------------------------------------------------------
@pytest.mark.parametrize("lang", sorted(UPSET))
def test_an_upset_customer_makes_an_acknowledgement_expected(lang: str) -> None:
    upset, reply, acknowledgement = UPSET[lang]
    [finding] = replylint.check(reply, lang=lang, config={"select": ["RL006"]}, context=upset)
    assert finding.name == "upset-without-acknowledgement" and finding.severity == "info"
    first = reply.split(". ")[0] + "."
    assert finding.start == 0 and finding.matched == first  # the reply's first sentence
    assert finding.suggestions and finding.suggestions[0].start == finding.suggestions[0].end == len(first)
    # acknowledged: quiet; alone, or after a calm message: quiet, as before
    assert replylint.check(acknowledgement + reply, lang=lang, config={"select": ["RL006"]}, context=upset) == []
    assert replylint.check(reply, lang=lang, config={"select": ["RL006"]}) == []
    calm = QUESTIONS[lang][0].split("?")[0] + "?"
    assert replylint.check(reply, lang=lang, config={"select": ["RL006"]}, context=calm) == []


# --- a question the reply never takes up ----------------------------------------------
@pytest.mark.parametrize("lang", sorted(QUESTIONS))
def test_an_unanswered_question_is_reported(lang: str) -> None:
    questions, reply, answer = QUESTIONS[lang]
    [finding] = replylint.check(reply, lang=lang, config={"select": ["RL007"]}, context=questions)
    second = questions[questions.index("?") + 1:].strip()
    assert finding.name == "unanswered-question" and second[:40] in finding.message
    assert finding.matched == reply.rsplit(". ", 1)[1]  # the reply's last sentence
    assert second in finding.suggestions[0].replacement  # the sentence offered quotes the question
    assert replylint.check(reply + answer, lang=lang, config={"select": ["RL007"]}, context=questions) == []
    assert replylint.check(reply, lang=lang, config={"select": ["RL007"]}) == []


def test_a_word_shared_by_chance_does_not_answer_a_question() -> None:
    """Half of a question's topic words must be taken up: "order" alone does not answer where the parcel is."""
    reply = ("Thanks for your message. We take payment by card or bank transfer when you place the order, and both "
             "options are shown at checkout before you confirm it.")
    question = "Where is the parcel I ordered two weeks ago?"
    [finding] = replylint.check(reply, lang="en", config={"select": ["RL007"]}, context=question)
    assert "parcel I ordered" in finding.message


# --- without context, as before ---------------------------------------------------------
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.md")), ids=lambda p: p.name)
def test_without_context_nothing_changes(path: Path) -> None:
    """A reply with no quoted part is judged alone: `context=""` and no context agree, and the
    context checks never report."""
    text = path.read_text(encoding="utf-8")
    fmt = "markdown" if path.suffix == ".md" else "text"
    found = replylint.check(text, format=fmt)
    assert replylint.check(text, format=fmt, context="") == found
    assert not {"RL006", "RL007"} & set(rules(found))


# --- where the customer's message comes from ----------------------------------------------
def test_the_quoted_part_of_an_email_reply_is_the_context() -> None:
    reply = "No, our nearest shop is in Leeds.\n\nOn Mon, 30 Nov 2026, Ann <ann@example.com> wrote:\n> Do you have a " \
            "shop in Manchester?\n"
    assert rules(replylint.check(reply, lang="en")) == []
    inline = "> Do you have a shop in Manchester?\n\nNo, our nearest shop is in Leeds.\n"
    assert rules(replylint.check(inline, lang="en")) == []
    assert rules(replylint.check(inline, lang="en", context="")) == ["RL101"]  # context="" reads the reply alone


def test_html_and_markdown_quotes_are_context_too() -> None:
    html = ("<p>No, our nearest shop is in Leeds.</p>"
            "<div class=\"gmail_quote\"><blockquote>Do you have a shop in Manchester?</blockquote></div>")
    assert rules(replylint.check(html, lang="en", format="html")) == []
    markdown = "> Do you have a shop in Manchester?\n\nNo, our nearest shop is in Leeds.\n"
    assert rules(replylint.check(markdown, lang="en", format="markdown")) == []


# --- ticket exports ---------------------------------------------------------------------
def _position(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(each) + 1 for each in lines[:line - 1]) + column - 1


TICKETS = {
    # fixture: [(rule, line, column, response, the text found there)]
    "zendesk-ticket.json": [
        ("RL007", 31, 101, "ticket 4521, comment 90003", "The Leeds shop is open every day from nine to six"),
        ("RL006", 47, 16, "ticket 4521, comment 90005", "Your refund of 49 pounds for the toaster"),
    ],
    "helpscout-conversation.json": [
        ("RL006", 17, 35, "conversation 349, thread 3003", "Your replacement kettle was sent this morning"),
    ],
    "freshdesk-ticket.json": [
        ("RL007", 26, 147, "ticket 77, conversation 5002", "Once the payment clears, the order goes straight"),
        ("RL006", 52, 21, "ticket 77, conversation 5004", "Your parcel left our warehouse on Monday"),
    ],
}


@pytest.mark.parametrize("name", sorted(TICKETS))
def test_ticket_exports_check_agent_replies_against_the_customer_turns(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    found = replylint.check(text, lang="en", format="json")
    assert [(f.rule, f.line, f.column, f.response) for f in found] == [r[:4] for r in TICKETS[name]]
    for finding, (*_, words) in zip(found, TICKETS[name], strict=True):
        assert text[finding.start:finding.end] == finding.matched and finding.matched.startswith(words)
        assert _position(text, finding.line, finding.column) == finding.start
        if finding.rule == "RL007":  # the question quoted is the customer's turn, written before the reply
            question = finding.message.split("“", 1)[1].split("”", 1)[0].rstrip("…")
            assert -1 < text.find(question) < finding.start


def test_ticket_exports_never_check_customer_turns_or_internal_notes() -> None:
    """The customer's "No, that is not good enough!" and the agents' private notes ("No. She is
    wrong…") are in the files; nothing is reported there."""
    for name in TICKETS:
        text = (FIXTURES / name).read_text(encoding="utf-8")
        data = json.loads(text)
        found = replylint.check(text, lang="en", format="json")
        assert all(f.response for f in found)
        for needle in ("No, that is not good enough", "No. She is wrong", "No. Tell her calm down",
                       "No, you need to be wrong"):
            at = text.find(needle)
            assert at < 0 or not any(f.start <= at < f.end or at <= f.start < at + len(needle) for f in found)
        assert data  # the fixture is real JSON


def test_a_ticket_reply_alone_is_flagged_where_its_thread_makes_it_fine() -> None:
    """The same agent reply as a plain file gets flat-no: the ticket's question is what quiets it."""
    data = json.loads((FIXTURES / "zendesk-ticket.json").read_text(encoding="utf-8"))
    reply = data["comments"][2]["body"]
    assert "RL101" in rules(replylint.check(reply, lang="en"))
    assert "RL101" not in rules(replylint.check((FIXTURES / "zendesk-ticket.json").read_text(encoding="utf-8"),
                                                lang="en", format="json"))


def test_help_scout_threads_are_put_in_time_order() -> None:
    """The API lists threads newest first; the reply to the parking question is read after it."""
    text = (FIXTURES / "helpscout-conversation.json").read_text(encoding="utf-8")
    found = replylint.check(text, lang="en", format="json")
    assert not any(f.rule == "RL101" for f in found)  # "No, parking … is free" answers "do I have to pay…?"


# --- the command line -------------------------------------------------------------------
def test_cli_context_file(tmp_path: Path) -> None:
    (tmp_path / "reply.txt").write_text("Hi Ann,\n\nNo, our nearest shop is in Leeds.\n", encoding="utf-8")
    (tmp_path / "customer.txt").write_text("Hi,\nDo you have a shop in Manchester?\nAnn\n", encoding="utf-8")
    alone = run_cli("check", "--format", "concise", "reply.txt", cwd=tmp_path)
    assert alone.returncode == 1 and "reply.txt:3:1: RL101" in alone.stdout
    answered = run_cli("check", "--format", "concise", "--context", "customer.txt", "reply.txt", cwd=tmp_path)
    assert answered.returncode == 0, answered.stdout + answered.stderr
    assert "RL101" not in answered.stdout


def test_cli_context_html_file_is_read_as_html(tmp_path: Path) -> None:
    (tmp_path / "reply.txt").write_text("No, our nearest shop is in Leeds.\n", encoding="utf-8")
    (tmp_path / "customer.html").write_text("<p>Do you have a <b>shop</b> in Manchester?</p>", encoding="utf-8")
    result = run_cli("check", "--format", "concise", "--context", "customer.html", "reply.txt", cwd=tmp_path)
    assert result.returncode == 0 and "RL101" not in result.stdout


@pytest.mark.parametrize("make, problem", [
    (lambda d: "missing.txt", "--context missing.txt: no such file or folder"),
    (lambda d: (d / "folder").mkdir() or "folder", "--context folder: is a folder"),
    (lambda d: (d / "binary.txt").write_bytes(b"\x00\x01\x02abc") and "binary.txt",
     "--context binary.txt: binary file"),
])
def test_cli_bad_context_file_is_one_line_error(tmp_path: Path, make, problem: str) -> None:
    (tmp_path / "reply.txt").write_text("No, our nearest shop is in Leeds.\n", encoding="utf-8")
    name = make(tmp_path)
    result = run_cli("check", "--context", name, "reply.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"replylint: error: {problem}")
    assert "Traceback" not in result.stderr and result.stdout == ""


# --- the rule language ------------------------------------------------------------------
def _rule(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "en" / "structure"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "team.yaml"
    path.write_text(body, encoding="utf-8")
    return path


EXAMPLES_BLOCK = "examples:\n  flagged:\n    - text: \"[[x.]]\"\n  allowed: [\"y\"]\n"
HEAD = """code: TM001
name: team-check
family: structure
severity: info
message: "m {question}"
why: w
"""


def _lists() -> dict:
    found, _ = load_lists(bundled_rules_dir(), "en")
    return {name: (shared.patterns if shared else None) for name, shared in found.items()}


def test_a_context_rule_needs_no_when(tmp_path: Path) -> None:
    lists = _lists()
    path = _rule(tmp_path, HEAD + "reply:\n  context: context-upset\n  missing: [move-acknowledgement]\n"
                 + EXAMPLES_BLOCK)
    rule = load_rule_file(path, "en", lists=lists)
    assert rule.reply is not None and rule.reply.when == () and rule.reply.context[0].name == "context-upset"


@pytest.mark.parametrize("reply, problem", [
    ("  unanswered: [context-common-words]\n  missing: [move-acknowledgement]\n  when: [move-refusal]\n",
     "needs `context`"),
    ("  context: [no-such-list]\n  missing: [move-acknowledgement]\n", "unknown list 'no-such-list'"),
    ("  when: [move-refusal]\n  missing: [move-acknowledgement]\n  answered: [answer-plain-no]\n",
     "must be a mapping with `context` and `by`"),
    ("  missing: [move-acknowledgement]\n", "missing: the moves that make the rule apply"),
])
def test_bad_context_keys_are_rule_file_errors(tmp_path: Path, reply: str, problem: str) -> None:
    lists = _lists()
    path = _rule(tmp_path, HEAD + "reply:\n" + reply + EXAMPLES_BLOCK)
    with pytest.raises(RuleFileError, match=problem):
        load_rule_file(path, "en", lists=lists)
