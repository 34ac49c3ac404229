"""spaCy blank pipelines per language: tokenizer, sentencizer and line-break sentence starts.

Built once per language per process and reused: building a pipeline costs far more than
checking a reply.
"""
from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MAX_CHARS = 50_000_000


@Language.component("replylint_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: greetings, list items and e-mail lines end there."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if (prev.is_space and "\n" in prev.text) or "\n" in prev.whitespace_:
            doc[i].is_sent_start = True
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
