"""Lemmas for `LEMMA` token patterns: a word in all its forms (refused, refusing -> refuse).

simplemma's dictionaries (inside its wheel, no download) cover all six packs. They are read
with simplemma's low-memory backend (the compressed stream searched in place, not one Python
dict per language): the same lemmas, a sixth of the memory (Finnish 340 -> 46 MB) and less
than half the load time. Still, nothing here runs, and simplemma is not even imported, unless
a pack's compiled rules use LEMMA.
Lemmas are lower case, computed from the lower-cased word, so "Refused" at the start of a
sentence and "refused" get the same lemma; a rule's own LEMMA values go through the same
function (uses_lemma / lemma_spec), so a rule may name any form of the word.
"""
from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

# replylint language code -> simplemma's (the same for the six packs: Bokmål is nb, Malay ms).
SIMPLEMMA_CODES = {"en": "en", "sv": "sv", "da": "da", "nb": "nb", "no": "nb", "fi": "fi", "ms": "ms"}
# Malay: simplemma strips an enclitic (-nya, -ku, -mu) or maps a prefixed form (meN-), one
# step per call; a second call takes "mendengarnya" -> "mendengar" -> "dengar".
_TWO_STEPS = {"ms"}


@cache
def simplemma_code(lang: str) -> str | None:
    """simplemma's code for `lang`, or None when it has no dictionary for it."""
    code = SIMPLEMMA_CODES.get(lang, lang)
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    return code if code in SUPPORTED_LANGUAGES else None


@lru_cache(maxsize=200_000)
def lemma(form: str, lang: str) -> str:
    """The lower-case lemma of one word form; the lower-cased form itself when unknown."""
    lowered = form.lower()
    code = simplemma_code(lang)
    if code is None or not any(ch.isalpha() for ch in lowered):
        return lowered
    import simplemma

    out = simplemma.lemmatize(lowered, lang=code, low_memory=True).lower()
    if code in _TWO_STEPS and out != lowered:
        out = simplemma.lemmatize(out, lang=code, low_memory=True).lower()
    return out


def set_lemmas(doc: Doc, lang: str) -> Doc:
    """Fill `Token.lemma_` for every token of `doc`, looking each distinct word up once."""
    if not len(doc):
        return doc
    import numpy
    from spacy.attrs import LEMMA, ORTH

    strings = doc.vocab.strings
    orths = doc.to_array(ORTH)
    seen: dict[int, int] = {}
    out = numpy.empty(len(orths), dtype="uint64")
    for i, orth in enumerate(orths.tolist()):
        found = seen.get(orth)
        if found is None:
            found = seen[orth] = strings.add(lemma(strings[orth], lang))
        out[i] = found
    doc.from_array([LEMMA], out)
    return doc


def uses_lemma(specs: Any) -> bool:
    """True when any token spec in a list of token patterns tests LEMMA."""
    return any("LEMMA" in spec for pattern in specs for spec in pattern)


def lemma_spec(spec: dict, lang: str) -> dict:
    """`spec` with its LEMMA text values turned into lemmas, as the text's words will be."""
    value = spec.get("LEMMA")
    if value is None:
        return spec
    if isinstance(value, str):
        value = lemma(value, lang)
    elif isinstance(value, dict):
        value = {op: ([lemma(v, lang) for v in arg] if op in {"IN", "NOT_IN"} else arg)
                 for op, arg in value.items()}
    return {**spec, "LEMMA": value}
