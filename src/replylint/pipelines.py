"""spaCy blank pipelines per language: tokenizer, sentencizer and line-break sentence starts.

Built once per language per process and reused: building a pipeline costs far more than
checking a reply.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

MAX_CHARS = 50_000_000


@Language.component("replylint_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: greetings, list items and e-mail lines end there.

    All starts are written in one `from_array` call: setting `Token.is_sent_start` one token
    at a time re-scans the whole doc on every call, which is quadratic on long texts.
    """
    if "\n" not in doc.text:
        return doc
    starts = doc.to_array([SENT_START])
    changed = False
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if starts[i] != 1 and ((prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_):
            starts[i] = 1
            changed = True
    if changed:
        doc.from_array([SENT_START], starts)
    return doc


@Language.factory("replylint_lemmas", default_config={"lang": "en"})
def make_lemmas(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    """Fill every token's lemma with replylint's lemmatizer (lemmas.py) for pack `lang`."""
    from .lemmas import set_lemmas

    return partial(set_lemmas, lang=lang)


@cache
def pipeline(lang: str, lemmas: bool = False) -> Language:
    """A blank pipeline for `lang` (multilingual `xx` when spaCy has no such language).

    With `lemmas`, a separate pipeline that also fills `Token.lemma_`: only packs whose rules
    use LEMMA get it, so the others never pay for (or load) the lemmatizer.
    """
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError, OSError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("replylint_line_breaks")
    if lemmas:
        nlp.add_pipe("replylint_lemmas", config={"lang": lang})
    nlp.max_length = MAX_CHARS
    return nlp
