"""LEMMA token patterns: a team rule written with one form of a word flags its other forms.

One verb per pack (en, sv, da, nb, fi, ms), each checked through `replylint.check` with a
team rule folder, plus proof that a pack without LEMMA rules never runs the lemmatizer.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import replylint
import replylint.engine.lemmas as lemmas
import replylint.engine.matching as matching
from replylint.engine.config import Config

RULE = """\
code: TM901
name: {name}
family: blunt-no
severity: warning
message: "m"
why: w
match:
  tokens:
    - [{spec}]
examples:
  flagged: ["{flagged}"]
  allowed: ["fine"]
"""

# lang: (the LEMMA value the rule is written with, other forms it must flag, an unrelated word)
CASES = {
    "en": ("refuse", ["We refused it.", "Refusing is easy.", "She refuses."], "We refunded it."),
    "sv": ("vägra", ["Vi vägrade det.", "Vägrade ni?", "Det har vägrats."], "Vi vägde det."),
    "da": ("afvise", ["Vi afviste det.", "Afviser I det?", "Det er afvist."], "Vi afsendte det."),
    "nb": ("avvise", ["Vi avviste det.", "Avviser dere det?", "Det er avvist."], "Vi avsluttet det."),
    "fi": ("kieltäytyä", ["Kieltäydyimme siitä.", "Hän kieltäytyi.", "He kieltäytyivät."], "Hän kielsi sen."),
    "ms": ("hantar", ["Kami akan menghantar.", "Menghantar barang itu.", "Kami menghantarnya esok."],
           "Kami akan mendengar."),
}


def team(tmp_path: Path, lang: str, spec: str, flagged: str, name: str = "team-lemma") -> Config:
    """A team rule folder holding one rule (TM901) for `lang`, and a config selecting it."""
    path = tmp_path / "team" / lang / "blunt-no" / f"{name}.yaml"  # file name = rule name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RULE.format(name=name, spec=spec, flagged=flagged), encoding="utf-8")
    return Config(rule_folders=(str(tmp_path / "team"),), select=("TM901",), lang=lang)


@pytest.fixture(autouse=True)
def fresh_rules():
    matching.compiled_rules.cache_clear()
    yield
    matching.compiled_rules.cache_clear()


def flagged(text: str, lang: str, config: Config) -> list[str]:
    return [f.matched for f in replylint.check(text, lang=lang, config=config) if f.rule == "TM901"]


@pytest.mark.parametrize("lang", sorted(CASES))
def test_one_form_in_the_rule_flags_the_other_forms(tmp_path: Path, lang: str) -> None:
    word, forms, unrelated = CASES[lang]
    config = team(tmp_path, lang, f"{{LEMMA: {word}}}", f"[[{word}]]")
    for text in forms:
        assert len(flagged(text, lang, config)) == 1, f"{lang}: {text!r} not flagged by LEMMA {word}"
    assert flagged(unrelated, lang, config) == [], f"{lang}: {unrelated!r} flagged by LEMMA {word}"


@pytest.mark.parametrize("lang", sorted(CASES))
def test_a_says_slot_flags_the_other_forms_in_every_pack(tmp_path: Path, lang: str) -> None:
    """The same, written as a support lead would: `says: ["{word}"]`."""
    word, forms, unrelated = CASES[lang]
    path = tmp_path / "team" / lang / "blunt-no" / "team-lemma.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RULE.replace("  tokens:\n    - [{spec}]", '  says: ["{{{word}}}"]')
                    .format(name="team-lemma", word=word, flagged=f"[[{word}]]"), encoding="utf-8")
    config = Config(rule_folders=(str(tmp_path / "team"),), select=("TM901",), lang=lang)
    for text in forms:
        assert len(flagged(text, lang, config)) == 1, f"{lang}: {text!r} not flagged by {{{word}}}"
    assert flagged(unrelated, lang, config) == [], f"{lang}: {unrelated!r} flagged by {{{word}}}"


def test_the_flagged_span_is_the_inflected_word_as_written(tmp_path: Path) -> None:
    config = team(tmp_path, "en", "{LEMMA: refuse}, {LOWER: your}", "[[refuse your]]")
    assert flagged("Sadly we Refused your claim.", "en", config) == ["Refused your"]


def test_in_list_and_a_rule_written_with_an_inflected_form(tmp_path: Path) -> None:
    config = team(tmp_path, "en", "{LEMMA: {IN: [refused, declines]}}", "[[refuse]]")
    assert flagged("We declined.", "en", config) == ["declined"]
    assert flagged("We are refusing.", "en", config) == ["refusing"]
    assert flagged("We accepted.", "en", config) == []


def test_not_in_and_regex_on_lemmas(tmp_path: Path) -> None:
    config = team(tmp_path / "a", "en", "{LEMMA: {REGEX: '^re(fuse|ject)$'}}", "[[refuse]]")
    assert flagged("They rejected it and refused the rest.", "en", config) == ["rejected", "refused"]
    config = team(tmp_path / "b", "en", "{LOWER: we}, {LEMMA: {NOT_IN: [refuse]}}", "[[we can]]")
    assert flagged("We refused.", "en", config) == []
    assert flagged("We shipped.", "en", config) == ["We shipped"]


def test_empty_text_with_a_lemma_rule(tmp_path: Path) -> None:
    config = team(tmp_path, "en", "{LEMMA: refuse}", "[[refuse]]")
    assert replylint.check("", lang="en", config=config) == []


def test_a_pack_without_lemma_rules_never_calls_the_lemmatizer(tmp_path: Path, monkeypatch) -> None:
    calls: list[str] = []
    real = lemmas.lemma

    def counting(form: str, lang: str) -> str:
        calls.append(form)
        return real(form, lang)

    monkeypatch.setattr(lemmas, "lemma", counting)
    plain = team(tmp_path / "plain", "en", "{LOWER: refused}", "[[refused]]")
    assert flagged("We refused it.", "en", plain) == ["refused"]
    assert replylint.check("We refused. Your request is denied.", lang="en")  # bundled en pack alone
    assert calls == []
    assert not matching.compiled_rules("en", plain.rule_folders).lemmas
    assert "replylint_lemmas" not in matching.compiled_rules("en", plain.rule_folders).nlp.pipe_names
    lemma_rule = team(tmp_path / "lemma", "en", "{LEMMA: refuse}", "[[refuse]]")
    assert flagged("We refused it.", "en", lemma_rule) == ["refused"]
    assert "refused" in calls  # the counter does see the lemmatizer when a rule uses LEMMA


def test_checking_without_lemma_rules_does_not_even_import_simplemma() -> None:
    code = ("import sys, replylint; replylint.check('We refused, that is our policy.', lang='en'); "
            "print('simplemma' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "False"


def test_the_worked_example_in_rule_format_md_passes_its_own_examples(tmp_path: Path) -> None:
    from replylint.cli.ruletests import rule_failures
    from replylint.engine.rulefile import load_rule_file

    doc = (Path(__file__).parents[1] / "docs" / "rule-format.md").read_text(encoding="utf-8")
    section = doc.split("## 3. Any form of a word", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "{refuse}" in block
    path = tmp_path / "team" / "en" / "cant-do" / "we-refuse.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(block, encoding="utf-8")
    rule = load_rule_file(path, "en")
    count, failures = rule_failures(rule, (str(tmp_path / "team"),))
    assert count == 5 and failures == []
