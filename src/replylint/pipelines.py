"""spaCy blank pipelines per language: tokenizer, sentencizer and line-break sentence starts.

Built once per language per process and reused: building a pipeline costs far more than
checking a reply.
"""
from __future__ import annotations

from functools import cache

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


@cache
def pipeline(lang: str) -> Language:
    """A blank pipeline for `lang` (multilingual `xx` when spaCy has no such language)."""
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError, OSError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("replylint_line_breaks")
    nlp.max_length = MAX_CHARS
    return nlp
