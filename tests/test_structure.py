"""Reply-level coaching checks (the structure family, issue 15): each of the five checks in every
pack is present, absent and rescued on whole replies; findings point at the sentence that
triggered them (or the last sentence) and offer a sentence to insert; short replies are left
alone; the family is quiet by default and its flood limits hold on real replies."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from ruamel.yaml import YAML

import replylint
import replylint.engine.rulecache as rulecache
from replylint.engine.config import Config
from replylint.engine.model import Family, PointAt, Severity
from replylint.engine.replychecks import check_reply, reply_rules
from replylint.engine.rulefile import REPLY_KEYS, load_rule_file
from replylint.engine.ruleset import available_languages, load_rules
from replylint.engine.schema import RULE_SCHEMA
from replylint.errors import RuleFileError

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "sv", "da", "nb", "fi", "ms")
CHECKS = {"RL001": "refusal-without-alternative", "RL002": "policy-without-reason",
          "RL003": "bad-news-without-acknowledgement", "RL004": "no-check-back", "RL005": "negative-framing"}
# the checks that read the customer's message too (thread context: tests/test_thread_context.py)
CONTEXT_CHECKS = {"RL006": "upset-without-acknowledgement", "RL007": "unanswered-question"}
STRUCTURE = Config(select=("structure",))
# lang -> (bad: every check fires; good: the five steps, none fires; absent: no move that triggers a check)
REPLIES = {
    "en": (
        "Unfortunately we cannot refund opened items, as stated in our policy. Gift cards are not refundable either. "
        "We are unable to extend the voucher. Please return the headphones to the shop where you bought them.",
        "I'm sorry the headphones didn't work out, and I understand how disappointing that is. We can't refund opened "
        "items because the seal protects the next customer, but what I can do is exchange them for another pair. "
        "Would that work for you?",
        "Thank you for the lovely review of our café. The whole team was delighted to read it, and the chef was "
        "especially happy that you enjoyed the lemon cake on Sunday afternoon.",
    ),
    "sv": (
        "Vi kan tyvärr inte återbetala öppnade varor, enligt vår policy. Presentkort är inte heller "
        "återbetalningsbara. Det går inte att förlänga kupongen. "
        "Lämna tillbaka hörlurarna i den butik där du köpte dem.",
        "Jag beklagar att hörlurarna inte fungerade, och jag förstår hur tråkigt det är. Vi kan inte "
        "återbetala öppnade varor eftersom förseglingen skyddar nästa kund, men det jag kan göra är att byta dem "
        "mot ett annat par. Passar det dig?",
        "Tack för det fina omdömet om vårt kafé. Hela personalen blev glad när vi läste det, och kocken var särskilt "
        "nöjd med att du tyckte om citronkakan på söndagseftermiddagen.",
    ),
    "da": (
        "Vi kan desværre ikke refundere åbnede varer ifølge vores politik. Gavekort er heller ikke refunderbare. "
        "Det er ikke muligt at forlænge kuponen. Aflever høretelefonerne i den butik, hvor du købte dem.",
        "Jeg beklager, at høretelefonerne ikke virkede, og jeg forstår godt, hvor ærgerligt det er. Vi kan ikke "
        "refundere åbnede varer, fordi forseglingen beskytter den næste kunde, men hvad jeg kan gøre er at bytte dem "
        "til et andet par. Passer det for dig?",
        "Tak for den flotte anmeldelse af vores café. Hele holdet blev glade, da vi læste den, og kokken var især glad "
        "for, at du nød citronkagen søndag eftermiddag sammen med din familie.",
    ),
    "nb": (
        "Vi kan dessverre ikke refundere åpnede varer ifølge retningslinjene våre. Gavekort er heller ikke "
        "refunderbare. Det er ikke mulig å forlenge kupongen. Lever hodetelefonene i butikken der du kjøpte dem.",
        "Jeg beklager at hodetelefonene ikke fungerte, og jeg forstår godt hvor kjedelig det er. Vi kan ikke "
        "refundere åpnede varer fordi forseglingen beskytter neste kunde, men det jeg kan gjøre er å bytte dem mot et "
        "annet par. Passer det for deg?",
        "Takk for den fine anmeldelsen av kafeen vår. Hele gjengen ble glad da vi leste den, og kokken var særlig "
        "fornøyd med at du likte sitronkaken søndag ettermiddag sammen med familien din.",
    ),
    "fi": (
        "Käytäntömme mukaan emme valitettavasti voi hyvittää avattuja tuotteita. Lahjakortteja ei myöskään hyvitetä. "
        "Kupongin voimassaolon pidentäminen ei ole mahdollista. Palauta kuulokkeet myymälään, josta ostit ne.",
        "Pahoittelen, etteivät kuulokkeet toimineet, ja ymmärrän hyvin, kuinka harmillista se on. Emme voi hyvittää "
        "avattuja tuotteita, koska sinetti suojaa seuraavaa asiakasta, mutta sen sijaan voin vaihtaa ne toisiin. "
        "Sopiiko tämä sinulle?",
        "Kiitos ihanasta arvostelusta kahvilastamme. Koko tiimi ilahtui lukiessaan sen, ja kokki oli erityisen "
        "iloinen siitä, että sitruunakakku maistui sinulle sunnuntai-iltapäivänä koko perheen kanssa.",
    ),
    "ms": (
        "Mengikut polisi kami, kami tidak dapat memulangkan wang bagi barang yang telah dibuka. Kad hadiah juga tidak "
        "layak untuk bayaran balik. Baucar itu tidak boleh dilanjutkan. Sila pulangkan fon kepala itu ke kedai "
        "tempat anda membelinya.",
        "Kami memohon maaf kerana fon kepala itu tidak berfungsi, dan saya faham betapa mengecewakan perkara ini. "
        "Kami tidak dapat memulangkan wang bagi barang yang telah dibuka kerana pelekatnya melindungi pelanggan "
        "seterusnya, tetapi apa yang saya boleh lakukan ialah menukarnya dengan pasangan lain. Adakah ini membantu?",
        "Terima kasih atas ulasan yang indah tentang kafe kami. Seluruh pasukan gembira membacanya, dan tukang masak "
        "sangat gembira kerana anda menikmati kek lemon pada petang Ahad bersama keluarga anda.",
    ),
}


def structure(text: str, lang: str, config: Config = STRUCTURE) -> list[replylint.Finding]:
    return replylint.check(text, lang=lang, config=config)


def codes(text: str, lang: str) -> list[str]:
    return sorted(f.rule for f in structure(text, lang))


def test_every_pack_has_the_five_checks() -> None:
    assert set(LANGS) <= set(available_languages())
    for lang in LANGS:
        rules = {rule.code: rule for rule in reply_rules(lang)}
        assert {code: rule.name for code, rule in rules.items()} == CHECKS | CONTEXT_CHECKS, lang
        for rule in rules.values():
            assert rule.family is Family.STRUCTURE and rule.severity is Severity.INFO
            assert rule.reply is not None and rule.reply.add, rule.path
        assert rules["RL004"].reply.point_at is PointAt.LAST_LINE
        assert rules["RL005"].reply.share == 0.5 and rules["RL005"].reply.min_sentences == 3


# --- present / absent / rescued, every check in every language --------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", sorted(CHECKS))
def test_present_the_bad_reply_gets_the_check_at_a_sentence(lang: str, code: str) -> None:
    bad = REPLIES[lang][0]
    found = [f for f in structure(bad, lang) if f.rule == code]
    assert len(found) == 1, (lang, code, [f.rule for f in structure(bad, lang)])
    finding = found[0]
    assert finding.name == CHECKS[code] and finding.family == "structure" and finding.severity == "info"
    assert finding.matched == bad[finding.start:finding.end] and finding.matched.strip() == finding.matched
    assert finding.matched[-1] in ".!?" and "{" not in finding.message and finding.why
    if code == "RL004":  # the reply's last sentence
        assert bad.rstrip().endswith(finding.matched)
    elif code == "RL002":  # the sentence citing the policy
        assert finding.start == 0 or "polic" in finding.matched.lower() or lang != "en"
    [suggestion] = finding.suggestions
    assert suggestion.start == suggestion.end == finding.end and not suggestion.safe
    assert suggestion.replacement.startswith(" ") and len(suggestion.replacement) > 5


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", sorted(CHECKS))
def test_rescued_inserting_the_offered_sentence_answers_the_check(lang: str, code: str) -> None:
    bad = REPLIES[lang][0]
    [finding] = [f for f in structure(bad, lang) if f.rule == code]
    s = finding.suggestions[0]
    rescued = bad[:s.start] + s.replacement + bad[s.end:]
    after = [f for f in structure(rescued, lang) if f.rule == code]
    if code == "RL005":  # one sentence does not change a share of can'ts: offered once, not again
        assert all(not f.suggestions for f in after)
    else:
        assert after == [], (lang, code, rescued)


@pytest.mark.parametrize("lang", LANGS)
def test_rescued_the_five_step_reply_passes_every_check(lang: str) -> None:
    assert codes(REPLIES[lang][1], lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_absent_a_reply_without_the_moves_gets_nothing(lang: str) -> None:
    assert codes(REPLIES[lang][2], lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_quiet_on_short_replies(lang: str) -> None:
    """Under a paragraph (min-words, min-sentences) the checks do not run: a one-line "No." is
    the phrase rules' business."""
    bad = REPLIES[lang][0]
    first = bad.split(". ")[0] + "."
    assert codes(first, lang) == []
    assert check_reply(first, lang) == []


# --- where findings point, and how the suggestions apply ----------------------------------------

def test_the_check_back_goes_before_the_sign_off_and_a_closing_thanks() -> None:
    text = ("Hi Anna,\n\nI've refunded the shipping cost to your card, and a new pair of headphones went out this "
            "morning by express post. The tracking number is in the confirmation email we sent you.\n\nThank you.\n\n"
            "Kind regards,\nBob")
    [finding] = [f for f in structure(text, "en") if f.rule == "RL004"]
    assert finding.matched == "The tracking number is in the confirmation email we sent you."
    assert (finding.line, finding.column) == (3, 115)
    fixed = replylint.fix(text, lang="en", unsafe=True, config=Config(select=("RL004",)))
    assert fixed == text.replace("sent you.", "sent you. Does that work for you?")


def test_fix_inserts_each_offered_sentence_once() -> None:
    bad = REPLIES["en"][0]
    fixed = replylint.fix(bad, lang="en", unsafe=True, config=STRUCTURE)
    for rule in reply_rules("en"):
        if not rule.reply.context:  # the context checks stay silent without the customer's message
            assert fixed.count(rule.reply.add[0]) == 1, rule.code
    assert codes(fixed, "en") == ["RL005"]  # still three can'ts in six sentences: rewrite, not insert
    assert replylint.fix(bad, lang="en", config=STRUCTURE) == bad  # never applied unasked


def test_a_sentence_without_a_full_stop_gets_one_before_the_insertion() -> None:
    text = ("Thanks for the photos of the damaged box. We will send a replacement by express post today and the "
            "courier will take the damaged one back when they deliver it\n\nBest,\nJo")
    [finding] = [f for f in structure(text, "en") if f.rule == "RL004"]
    assert finding.matched.endswith("deliver it")
    assert finding.suggestions[0].replacement == ". Does that work for you?"


def test_each_response_of_a_bundle_is_one_reply() -> None:
    bad, good, _ = REPLIES["en"]
    bundle = json.dumps({"macros": [{"title": "Refund", "actions": [{"field": "comment_value", "value": bad}]},
                                    {"title": "Kind", "actions": [{"field": "comment_value", "value": good}]}]},
                        indent=2)
    found = replylint.check(bundle, lang="en", config=STRUCTURE, format="json")
    assert sorted(f.rule for f in found) == sorted(CHECKS)
    assert {f.response for f in found} == {"Refund"}
    for f in found:
        assert bundle[f.start:f.end] == f.matched and f.matched in bad
        assert all(s.start == s.end for s in f.suggestions)


def test_an_html_reply_is_checked_as_one_reply_at_file_offsets() -> None:
    bad = REPLIES["en"][0]
    html = "<p>" + bad.replace(" Please", "</p>\n<p>Please") + "</p>"
    found = replylint.check(html, lang="en", config=STRUCTURE, format="html")
    assert sorted(f.rule for f in found) == sorted(CHECKS)
    assert all(html[f.start:f.end] == f.matched for f in found)


# --- configuration: quiet by default, tunable per code ------------------------------------------

def test_default_severity_is_info_and_configurable_per_code() -> None:
    bad = REPLIES["en"][0]
    assert {f.severity for f in replylint.check(bad, lang="en") if f.family == "structure"} == {"info"}
    loud = replylint.check(bad, lang="en", config={"severity": {"RL003": "warning", "no-check-back": "error"}})
    by_code = {f.rule: f.severity for f in loud if f.family == "structure"}
    assert by_code == {"RL001": "info", "RL002": "info", "RL003": "warning", "RL004": "error", "RL005": "info"}
    assert not [f for f in replylint.check(bad, lang="en", config={"ignore": ["structure"]}) if f.family == "structure"]
    assert [f.rule for f in replylint.check(bad, lang="en", config={"select": ["RL002"]})] == ["RL002"]


def test_the_detected_language_runs_its_own_checks() -> None:
    for lang in LANGS:
        found = {f.rule for f in replylint.check(REPLIES[lang][0], config=STRUCTURE) if f.lang == lang}
        assert found == set(CHECKS), lang


# --- flood limits (issue 15 item 4), bounded --------------------------------------------------

def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rates(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """(share of replies with a structure finding at warning or above, share with any), default config."""
    packs = set(available_languages())
    loud = any_ = 0
    for lang, text in pairs:
        found = [f for f in replylint.check(text, lang=lang if lang in packs else "auto") if f.family == "structure"]
        any_ += bool(found)
        loud += any(f.severity != "info" for f in found)
    return loud / len(pairs), any_ / len(pairs)


def test_flood_limit_on_the_clean_real_replies_and_the_instead_examples() -> None:
    pairs = [(row["lang"], row["text"]) for path in sorted((ROOT / "corpus" / "real").glob("??.jsonl"))
             for row in _rows(path) if not row.get("expect")]
    pairs += [(rule.lang, text) for lang in LANGS for rule in load_rules(lang).rules if not rule.shared
              for text in rule.examples.instead]
    assert len(pairs) > 1000
    loud, any_ = _rates(pairs)
    assert loud <= 0.02  # the limit; 0 by default (info)
    assert any_ <= 0.02  # measured 0.8%: even raised to warning the family stays under the limit


UNLABELED = ROOT.parent / "shared" / "corpus" / "real-unlabeled-dev.jsonl"


@pytest.mark.skipif(not UNLABELED.exists(), reason="the shared unlabelled corpus is not beside the checkout")
def test_flood_limit_on_real_unlabeled_replies() -> None:
    pairs = [(row["lang"], row["text"]) for row in _rows(UNLABELED)]
    loud, any_ = _rates(pairs)
    assert loud <= 0.05
    assert any_ <= 0.03  # measured 1.5% at info


# --- the rule block: loader, schema, cache -------------------------------------------------------

SCHEMA = json.loads(RULE_SCHEMA.read_text(encoding="utf-8"))
VALIDATORS = (Draft202012Validator(SCHEMA), Draft7Validator(SCHEMA))
YAML_SAFE = YAML(typ="safe", pure=True)
GOOD_RULE = """\
code: TM001
name: no-thanks
family: structure
severity: info
message: "“{match}” refuses, and the reply never thanks the customer."
why: Thank the customer for writing.
reply:
  when: [move-refusal]
  missing: [move-acknowledgement, {says: ["(cheers|ta) (mate|love)"]}]
  min-words: 10
  min-sentences: 2
  point-at: trigger
  add: ["Thanks for writing to us."]
examples:
  flagged:
    - text: "[[We cannot refund opened items.]] The seal on the box was broken when it came back."
      fixed: "We cannot refund opened items. Thanks for writing to us. The seal on the box was broken when it came
        back."
  allowed: ["Cheers mate. We cannot refund opened items, the seal on the box was broken when it came back."]
"""


def write_rule(tmp_path: Path, text: str, family: str = "structure") -> Path:
    path = tmp_path / "team" / "en" / family / "no-thanks.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_team_reply_rule_loads_validates_and_runs(tmp_path: Path) -> None:
    path = write_rule(tmp_path, GOOD_RULE)
    assert all(v.is_valid(YAML_SAFE.load(GOOD_RULE)) for v in VALIDATORS)
    rule = load_rule_file(path, "en")
    assert rule.reply is not None and [m.name for m in rule.reply.missing] == ["move-acknowledgement", ""]
    assert rule.reply.min_words == 10 and not rule.match
    config = Config(rule_folders=(str(tmp_path / "team"),), select=("TM001",))
    text = "We cannot refund opened items. The seal on the box was broken when it came back."
    [finding] = replylint.check(text, lang="en", config=config)
    assert finding.matched == "We cannot refund opened items." and finding.suggestions[0].replacement == (
        " Thanks for writing to us.")
    assert replylint.check("Cheers mate. " + text, lang="en", config=config) == []


BROKEN = {
    "reply outside the structure family": (GOOD_RULE.replace("family: structure", "family: blame"), "blame"),
    "reply and match": (GOOD_RULE.replace("reply:\n", "match:\n  says: [no]\nreply:\n"), "structure"),
    "unknown move list": (GOOD_RULE.replace("[move-refusal]", "[move-refusals]"), "structure"),
    "neither missing nor share": (GOOD_RULE.replace(
        '  missing: [move-acknowledgement, {says: ["(cheers|ta) (mate|love)"]}]\n', ""), "structure"),
    "share above one": (GOOD_RULE.replace("  min-words: 10\n", "  share: 1.5\n  min-words: 10\n"), "structure"),
    "unknown reply key": (GOOD_RULE.replace("  min-words: 10\n", "  min-word: 10\n"), "structure"),
    "bad point-at": (GOOD_RULE.replace("point-at: trigger", "point-at: middle"), "structure"),
    "add but no fixed": ("\n".join(line for line in GOOD_RULE.splitlines()
                                    if "fixed:" not in line and not line.startswith("        back.")), "structure"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_reply_block_is_one_clear_error(tmp_path: Path, case: str) -> None:
    text, family = BROKEN[case]
    path = write_rule(tmp_path, text, family)
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path, "en")
    assert str(caught.value).startswith(str(path) + ":")
    if case not in ("unknown move list", "add but no fixed", "reply outside the structure family"):
        assert not any(v.is_valid(YAML_SAFE.load(text)) for v in VALIDATORS), case


def test_the_schema_knows_the_reply_keys() -> None:
    assert set(SCHEMA["properties"]["reply"]["properties"]) == REPLY_KEYS
    assert SCHEMA["properties"]["reply"]["properties"]["point-at"]["enum"] == [p.value for p in PointAt]


def test_reply_rules_survive_the_rule_cache() -> None:
    for rule in reply_rules("sv"):
        assert rulecache._rule(json.loads(json.dumps(rulecache._rule_data(rule)))) == rule
