"""spaCy blank pipelines per language: tokenizer, sentencizer and line-break sentence starts.

Built once per language per process and reused: building a pipeline costs far more than
checking a reply. spaCy itself is imported on the first build, not with this module, so
commands that never tokenize (`--version`, `rules`, `--help`) start without it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MAX_CHARS = 50_000_000
_NEWLINE = re.compile("\n")


def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: greetings, list items and e-mail lines end there.

    All starts are written in one `from_array` call, found from the tokens' character offsets:
    setting `Token.is_sent_start` one token at a time re-scans the whole doc on every call,
    and a Python loop over the tokens costs more than the tokenizer.
    """
    text = doc.text
    if "\n" not in text:
        return doc
    import numpy
    from spacy.attrs import IDX, SENT_START

    starts = doc.to_array([SENT_START])
    offsets = doc.to_array([IDX])
    breaks = numpy.array([m.start() for m in _NEWLINE.finditer(text)])
    after = numpy.searchsorted(offsets, breaks, side="right")  # the first token past each line break
    after = after[(after > 0) & (after < len(doc))]
    if len(after) and (starts[after] != 1).any():
        starts[after] = 1
        doc.from_array([SENT_START], starts)
    return doc


def make_lemmas(nlp: Language, name: str, lang: str) -> Callable[[Doc], Doc]:
    """Fill every token's lemma with replylint's lemmatizer (lemmas.py) for pack `lang`."""
    from .lemmas import set_lemmas

    return partial(set_lemmas, lang=lang)


@cache
def _registered() -> None:
    """Register replylint's pipeline components with spaCy, once, on the first build."""
    from spacy.language import Language

    Language.component("replylint_line_breaks", func=line_breaks)
    Language.factory("replylint_lemmas", default_config={"lang": "en"}, func=make_lemmas)


@cache
def pipeline(lang: str, lemmas: bool = False) -> Language:
    """A blank pipeline for `lang` (multilingual `xx` when spaCy has no such language).

    With `lemmas`, a separate pipeline that also fills `Token.lemma_`: only packs whose rules
    use LEMMA get it, so the others never pay for (or load) the lemmatizer.
    """
    import spacy

    _registered()
    try:
        nlp = _lean(lang) or spacy.blank(lang)
    except (ImportError, KeyError, ValueError, OSError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("replylint_line_breaks")
    if lemmas:
        nlp.add_pipe("replylint_lemmas", config={"lang": lang})
    nlp.max_length = MAX_CHARS
    return nlp


# Languages whose spaCy tokenizer keeps thousands of hyphenated words whole ("kanak-kanak",
# in Title and UPPER case too): each becomes a special case with its own lexemes, which costs
# the Malay pipeline 1.5 s and 30 MB to build. The rules read the text, not those tokens; a
# hyphenated word splits at its hyphen like any other (findings measured equal on every Malay
# text in the repository, docs/performance.md). Abbreviations ("Bhd.", "dll.") stay whole.
LEAN_HYPHENS = {"ms", "id"}


def _lean(lang: str) -> Language | None:
    """spaCy's `lang` without its hyphenated special cases, for LEAN_HYPHENS; None otherwise."""
    if lang not in LEAN_HYPHENS:
        return None
    from spacy.util import get_lang_class

    base = get_lang_class(lang)
    defaults = type("LeanDefaults", (base.Defaults,), {
        "tokenizer_exceptions": {k: v for k, v in base.Defaults.tokenizer_exceptions.items() if "-" not in k}})
    return type(f"Lean{base.__name__}", (base,), {"Defaults": defaults})()


_last: dict[int, tuple[str, Doc]] = {}


def tokenized(nlp: Language, text: str) -> Doc:
    """`nlp(text)`, reusing the Doc of the same pipeline's last call when the text is the same:
    the reply-level checks read the reply the rules have just read."""
    last = _last.get(id(nlp))
    if last is not None and last[0] == text:
        return last[1]
    doc = nlp(text)
    _last[id(nlp)] = (text, doc)
    return doc
