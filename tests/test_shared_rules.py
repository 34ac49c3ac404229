"""The language-independent pack (rules/xx): runs with every language, in the reply's own
words, is replaced by a pack's tuned rule of the same name, and a language with no pack
gets it plus a notice, never an error."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from clirunner import replylint as run_cli

import replylint
from replylint.engine.rulefile import load_rule_file
from replylint.engine.ruleset import ANY_LANGUAGE, available_languages, every_rule, has_pack, load_rules
from replylint.errors import RuleFileError
from replylint.workspace import check_with_notices

SHOUTED = {
    "sv": "Hej! DU HAR LÄST FAKTURAN FEL!!",
    "da": "Hej! DU HAR IKKE LÆST VILKÅRENE!!",
    "nb": "Hei! DU MÅ LESE VILKÅRENE FØRST!!",
    "fi": "Hei! ET OLE LUKENUT OHJEITA!!",
    "ms": "Helo! ANDA TIDAK MEMBACA SYARAT KAMI!!",
}


def test_xx_is_not_a_pack_but_its_rules_load_once_for_docs() -> None:
    assert ANY_LANGUAGE not in available_languages() and not has_pack(ANY_LANGUAGE)
    assert has_pack("sv") and not has_pack("de")
    shared = [r for r in every_rule() if r.shared]
    assert {r.name for r in shared} == {r.name for r in load_rules(ANY_LANGUAGE).rules} >= {"caps-run",
                                                                                             "repeated-marks"}


@pytest.mark.parametrize("lang", sorted(SHOUTED))
def test_every_pack_gets_shouting_in_its_own_language(lang: str) -> None:
    found = replylint.check(SHOUTED[lang])
    assert {f.name for f in found if f.family == "shouting"} == {"caps-run", "repeated-marks"}, found
    english = {r.code: r.message for r in load_rules("en").rules}
    for finding in found:
        assert finding.lang == lang
        if finding.family != "shouting":
            continue  # the shouted words may also be, say, blame
        template = load_rules(lang).by_key(finding.rule)
        # the shared rule in this language, or the pack's own rule of that name, which replaces it
        assert template is not None and template.lang == lang
        assert template.shared or Path(template.path).parent.parent.name == lang
        assert finding.message == template.message.replace("{match}", finding.matched)
        if finding.rule == "RL031":
            assert template.message != english["RL031"]  # translated, not the English fallback


def test_a_pack_replaces_a_shared_rule_of_the_same_name() -> None:
    english = load_rules("en")
    caps_run = english.by_key("caps-run")
    assert caps_run is not None and not caps_run.shared and "/en/" in caps_run.path
    assert [r.name for r in english.rules].count("caps-run") == 1
    assert english.by_key("repeated-marks").shared  # type: ignore[union-attr]


def test_a_language_without_a_pack_gets_the_shared_rules_and_a_notice(caplog: pytest.LogCaptureFixture) -> None:
    text = "Hallo Frau Schmidt, SIE MÜSSEN DAS FORMULAR AUSFÜLLEN!! Sonst können wir nicht helfen."
    with caplog.at_level(logging.INFO, logger="replylint"):
        found = replylint.check(text)
    assert {f.name for f in found} == {"caps-run", "repeated-marks"} and {f.lang for f in found} == {"de"}
    assert "Großbuchstaben" in found[0].message  # a German text, with an English fallback for the rest
    assert any("no rule pack for language 'de'" in r.getMessage() for r in caplog.records)
    findings, notices = check_with_notices(text)
    assert findings == found and len(notices) == 1 and "'de'" in notices[0]
    assert check_with_notices("Hi, thanks for writing, the parcel is on its way.")[1] == []


def test_cli_prints_the_notice_and_json_carries_it(tmp_path: Path) -> None:
    (tmp_path / "de.txt").write_text("Vielen Dank für Ihre Geduld!! Das Paket ist unterwegs.\n", encoding="utf-8")
    (tmp_path / "sv.txt").write_text("Tack för ditt tålamod! Paketet är på väg.\n", encoding="utf-8")
    done = run_cli("check", ".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # a finding, not an error
    notices = [line for line in done.stderr.splitlines() if "notice" in line]
    assert len(notices) == 1 and "de.txt" in notices[0] and "'de'" in notices[0], done.stderr
    assert "error" not in done.stderr
    report = json.loads(run_cli("check", ".", "--format", "json", "-q", cwd=tmp_path).stdout)
    assert [n["message"].split(":")[0] for n in report["notices"]] == ["de.txt"]
    assert report["errors"] == [] and report["findings"][0]["rule"] == "RL031"


def test_translated_texts_need_an_english_fallback(tmp_path: Path) -> None:
    source = (Path(__file__).resolve().parents[1] / "rules" / "xx" / "shouting" / "repeated-marks.yaml")
    broken = tmp_path / "repeated-marks.yaml"
    english = '  en: "“{match}” sounds'
    broken.write_text(source.read_text(encoding="utf-8").replace(english, english.replace("en:", "xy:")),
                      encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"message\.en: missing"):
        load_rule_file(broken, "sv", shared=True)
    assert load_rule_file(source, "nb", shared=True).why.startswith("Flere utropstegn")
    assert load_rule_file(source, "pt", shared=True).why.startswith("Stacked")


def test_a_team_rule_clashing_with_a_shared_one_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "rules" / "sv" / "shouting"
    folder.mkdir(parents=True)
    source = Path(__file__).resolve().parents[1] / "rules" / "xx" / "shouting" / "repeated-marks.yaml"
    (folder / "repeated-marks.yaml").write_text(source.read_text(encoding="utf-8").replace("RL031", "RL931"),
                                                encoding="utf-8")
    loaded = load_rules("sv", (str(tmp_path / "rules"),))
    assert any("clashes with the language-independent" in str(e) for e in loaded.errors)
    assert [r.code for r in loaded.rules if r.name == "repeated-marks"] == ["RL031"]
