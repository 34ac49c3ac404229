"""The blank pipelines: Malay without spaCy's hyphenated special cases (engine/pipelines.py)."""
from __future__ import annotations

import replylint
from replylint.engine.pipelines import LEAN_HYPHENS, pipeline


def test_malay_splits_hyphenated_words_but_keeps_abbreviations_whole() -> None:
    assert "ms" in LEAN_HYPHENS
    words = [t.text for t in pipeline("ms")("Kanak-kanak itu di Sdn. Bhd. baik-baik sahaja.")]
    assert words[:3] == ["Kanak", "-", "kanak"]
    assert "Bhd." in words  # an abbreviation is still one token, so it ends no sentence
    assert len(pipeline("ms").tokenizer.rules) < 3_000  # spaCy's own has about 9,400


def test_malay_rules_find_the_same_with_hyphenated_words_in_the_reply() -> None:
    text = "Kanak-kanak tidak dibenarkan masuk. Itu polisi kami, harap maklum."
    found = {f.family for f in replylint.check(text, lang="ms")}
    assert "policy-wall" in found


def test_other_languages_use_spacys_pipeline_as_it_is() -> None:
    import spacy

    assert "ms" not in {"en", "sv", "da", "nb", "fi"} & LEAN_HYPHENS
    assert len(pipeline("en").tokenizer.rules) == len(spacy.blank("en").tokenizer.rules)
