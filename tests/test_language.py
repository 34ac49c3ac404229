"""Language detection for lang="auto": short replies in every pack language, overrides, fallbacks."""
from __future__ import annotations

import json
from pathlib import Path

import replylint
from replylint.engine.language import declared_language, detect_language

CASES = [json.loads(line) for line in (Path(__file__).parent / "corpus" / "languages.jsonl").open(encoding="utf-8")]
ACCURACY_MIN = 0.95


def test_detects_short_replies_in_every_pack_language() -> None:
    found = [(c["lang"], detect_language(c["text"]), c["text"]) for c in CASES]
    wrong = [case for case in found if case[0] != case[1]]
    assert {c["lang"] for c in CASES} == {"en", "sv", "da", "nb", "fi", "ms"}
    assert 1 - len(wrong) / len(CASES) >= ACCURACY_MIN, wrong


def test_too_little_text_falls_back_to_english() -> None:
    assert detect_language("Hi") == "en" and detect_language("12345 !!") == "en" and detect_language("") == "en"


def test_a_language_without_a_pack_is_named_and_gets_no_findings() -> None:
    text = "Das ist leider nicht möglich, Sie haben Unrecht und das ist unsere Richtlinie."
    assert detect_language(text) == "de"
    assert replylint.check(text) == []


def test_auto_routes_each_reply_to_its_pack() -> None:
    swedish = replylint.check("Hej! Du har fel, fakturan stämmer.")
    assert swedish and {f.lang for f in swedish} == {"sv"} and swedish[0].rule == "RL201"
    assert {f.lang for f in replylint.check("Hi, you are wrong about the fee.")} == {"en"}
    assert replylint.check("Hej! Du har fel, fakturan stämmer.", lang="en") == []


def test_comment_and_config_override_detection() -> None:
    assert declared_language("<!-- replylint: lang=sv -->\nHi") == "sv"
    assert declared_language("{# replylint: lang = FI #}") == "fi" and declared_language("no directive") is None
    text = "<!-- replylint: lang=sv -->\nDu har fel om avgiften."
    assert [f.lang for f in replylint.check(text, format="markdown")] == ["sv"]
    assert replylint.check("Du har fel om avgiften.", config={"lang": "en"}) == []


def test_each_bundle_response_gets_its_own_language() -> None:
    bundle = json.dumps([{"id": 1, "body": "Hej! Du har fel, fakturan stämmer."},
                         {"id": 2, "body": "Hi, you are wrong about the fee."},
                         {"id": 3, "body": "Hei! Olet väärässä, lasku on oikein."}], ensure_ascii=False)
    found = {(f.response, f.lang) for f in replylint.check(bundle, format="json")}
    assert {("1", "sv"), ("2", "en"), ("3", "fi")} <= found


def test_a_close_look_alike_pack_is_checked_too() -> None:
    from replylint.engine.language import detect_languages

    text = "Du husker forkert, vi har aldrig lovet fri fragt."  # Danish ("aldrig"), scored as Norwegian first
    assert detect_languages(text) == ("nb", "da")
    assert replylint.check(text, lang="nb") == []  # the Norwegian pack alone misses it
    found = replylint.check(text)
    assert found and {f.lang for f in found} == {"da"} and found[0].family == "you-are-wrong"
    assert detect_languages("Hej Anna! Tack för att du hörde av dig, vi skickar en ny vara i dag.") == ("sv",)
    assert detect_languages("Hi") == ("en",)


def test_the_stop_word_shortcut_only_settles_clear_cases() -> None:
    from replylint.engine.language import _clear_winner, pack_languages

    packs = pack_languages()
    decided = [(c["lang"], _clear_winner(c["text"][:150].lower(), packs)) for c in CASES]
    assert all(found in (None, lang) for lang, found in decided), decided
    assert sum(found is not None for _, found in decided) >= len(CASES) // 3  # it does settle many
    german = "wir haben es so gemacht, wie sie es wollten, und es ist jetzt in ordnung."
    assert _clear_winner(german, packs) is None and detect_language(german) == "de"
    assert _clear_winner("du husker forkert, vi har aldrig lovet fri fragt.", packs) is None  # da or nb: unclear


def test_the_compact_identifier_ranks_like_py3langid_restricted_the_same_way() -> None:
    # _compact keeps only the restricted table and typed per-state arrays (docs/performance.md,
    # "Language server memory"): the ranking must be exactly py3langid's own.
    import numpy
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from replylint.engine.language import _identifier, pack_languages

    ours = _identifier(pack_languages())
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    reference.set_languages(list(ours.nb_classes))
    reference.nb_ptc = numpy.ascontiguousarray(reference.nb_ptc, dtype=numpy.float32)
    assert ours._full_model[0] is ours.nb_ptc  # the 142-language table is not kept
    for case in CASES:
        sample = case["text"][:150].lower()
        assert ours.rank(sample) == reference.rank(sample), case["text"]
