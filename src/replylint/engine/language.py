"""Which language a reply is written in, for `lang="auto"`.

py3langid (a naive-Bayes byte n-gram model, offline, 4.6 MB), restricted to our packs and
the languages support teams meet most, ranks them in one pass over the first sentences.
A confident answer outside replylint's packs is returned as is: that language has no rule
pack, and the caller runs only what applies to every language. Accuracy on short replies
is measured in docs/languages.md.
"""
from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from .config import Config

DEFAULT_LANG = "en"
ALIASES = {"no": "nb", "nn": "nb", "id": "ms"}  # detector labels folded into our pack names
CONFIDENT = 0.9  # below this, an answer outside our packs falls back to the restricted pass
_LETTERS = regex.compile(r"\p{L}{2,}")
_DIRECTIVE = regex.compile(r"replylint:\s*lang\s*=\s*(?P<lang>[a-z]{2,3})\b", regex.IGNORECASE)


@cache
def pack_languages() -> tuple[str, ...]:
    """The bundled rule packs (read once per process)."""
    from .ruleset import available_languages

    return tuple(available_languages())


SAMPLE_CHARS = 150  # a greeting and a sentence name the language as well as 300 characters did
# (same accuracy on every test set from 80 characters up); each byte more costs a walk step
# Besides the packs, the languages support teams most often meet, so that a German or
# Spanish reply is named as such (and gets no rules) rather than forced into a pack.
OTHER_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "pl", "et", "lv", "lt", "is", "ru", "tr", "tl", "vi", "zh",
                   "ja", "ko", "ar")


@cache
def _identifier(packs: tuple[str, ...]):
    """py3langid restricted to our packs (and their aliases) plus OTHER_LANGUAGES: fewer
    columns to score, and no exotic near-misses for short texts. Its tables come memory-mapped
    from the user's cache folder when they can (langid_tables.py): unpacking the model costs
    0.65 s and 60 MB in each process, a mapped copy neither."""
    from pathlib import Path

    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from . import langid_tables

    wanted = sorted({*packs, *(k for k, v in ALIASES.items() if v in packs), *OTHER_LANGUAGES})
    model = Path(MODEL_FILE) if Path(MODEL_FILE).is_absolute() else Path(MODEL_DIR) / MODEL_FILE
    place = langid_tables.folder(langid_tables.digest_of(model, wanted))
    key = langid_tables.key() if place is not None else None
    tables = langid_tables.load(place, key) if place is not None and key is not None else None
    if tables is None:
        built = _restricted(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True), wanted)
        if place is not None and key is not None:
            langid_tables.store(place, key, built)
            tables = langid_tables.load(place, key)
        if tables is None:  # no cache folder or key, or it could not be written
            return _compact(built)
    return _compact(LanguageIdentifier(
        tables["ptc"], tables["pc"], tables["classes"], memoryview(tables["nextmove"]), memoryview(tables["output"]),
        norm_probs=True, tk_row=memoryview(tables["row"])))


def _restricted(identifier, wanted: list[str]):
    """The unpacked model restricted to `wanted`, its score table as float32."""
    import numpy

    identifier.set_languages(sorted(set(wanted) & set(identifier.labels)))
    # The model ships as float16, which numpy multiplies without BLAS: float32 scores the
    # same in about three quarters of the time, for 5 MB more memory once per process.
    identifier.nb_ptc = numpy.ascontiguousarray(identifier.nb_ptc, dtype=numpy.float32)
    return identifier


def _compact(identifier):
    """The same identifier, holding less: the full 142-language table it keeps for a later
    `set_languages` (28 MB) becomes the restricted one, and its two per-state Python lists
    (105,000 ints each) become typed arrays, indexed as fast. Scores are unchanged."""
    from array import array

    identifier._full_model = identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes
    identifier._rowbase = array("I", identifier._rowbase)
    identifier.tk_output = array("i", identifier.tk_output)
    return identifier


def detect_language(text: str, default: str = DEFAULT_LANG) -> str:
    """The language code of `text` (one of the rule packs when it is close to one)."""
    return detect_languages(text, default)[0]


def detect_languages(text: str, default: str = DEFAULT_LANG) -> tuple[str, ...]:
    """The language of `text`, then a look-alike pack worth checking too, if any.

    One scoring pass ranks all of the detector's languages, with the labels folded into
    one pack (Norwegian `no` + `nn`) summed: a confident answer outside our packs is kept
    (that language simply has no rules); otherwise the best-ranked pack wins. When a second
    pack scores close behind (a short Danish sentence is often also good Norwegian), it is
    returned as well, so both packs' rules can run.
    """
    sample = text[:SAMPLE_CHARS].lower()  # a shouted reply is scored like a calm one
    if len(_LETTERS.findall(sample)) < 2:
        return (default,)  # a greeting or a number says nothing about the language
    return _detect_sample(sample, default)


LOOK_ALIKE = 0.25  # a runner-up pack at least this probable is checked as well
# The stop-word shortcut: enough of the words are one pack's common words, and clearly
# more than any other pack's (measured: 61% of 726 labelled replies decided, none wrongly).
CLEAR_SHARE, CLEAR_MARGIN, CLEAR_MIN_WORDS = 0.3, 0.6, 3
_WORDS = regex.compile(r"\p{L}+(?:'\p{L}+)?")


@cache
def _stop_words(packs: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """spaCy's stop-word list of each pack that has one (a set in a small module; loading
    them does not build any tokenizer)."""
    import importlib

    lists = {}
    for lang in packs:
        try:
            lists[lang] = frozenset(importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
        except (ImportError, AttributeError):
            continue
    return lists


def _clear_winner(sample: str, packs: tuple[str, ...]) -> str | None:
    """The pack whose common words fill the sample, when no other pack comes close.

    The byte n-gram model walks a 40 MB table, which costs a short reply about a third of
    its check time; most replies are settled for a few microseconds by counting their
    function words, and only the unclear ones (look-alikes, other languages) go on.
    """
    words = _WORDS.findall(sample)
    if len(words) < CLEAR_MIN_WORDS:
        return None
    hits = sorted(((sum(word in common for word in words), lang) for lang, common in _stop_words(packs).items()),
                  reverse=True)
    if len(hits) < 2:
        return None
    (best, lang), (runner_up, _) = hits[0], hits[1]
    if best >= CLEAR_MIN_WORDS and best >= CLEAR_SHARE * len(words) and runner_up <= CLEAR_MARGIN * best:
        return lang
    return None


@lru_cache(maxsize=256)
def _detect_sample(sample: str, default: str) -> tuple[str, ...]:
    """Detection by opening: an editor re-checks a reply on every keystroke, and its first
    150 characters rarely change while the agent types further down."""
    packs = pack_languages()
    clear = _clear_winner(sample, packs)
    if clear is not None:
        return (clear,)
    merged: dict[str, float] = {}
    for label, probability in _identifier(packs).rank(sample):
        lang = ALIASES.get(label, label)
        merged[lang] = merged.get(lang, 0.0) + probability
    ranked = sorted(merged.items(), key=lambda item: item[1], reverse=True)
    best, probability = ranked[0]
    if best not in packs and probability >= CONFIDENT:
        return (best,)
    in_packs = [(lang, p) for lang, p in ranked if lang in packs]
    if not in_packs:
        return (default,)
    if len(in_packs) > 1 and in_packs[1][1] >= LOOK_ALIKE:
        return in_packs[0][0], in_packs[1][0]
    return (in_packs[0][0],)


def declared_language(source: str) -> str | None:
    """A `replylint: lang=sv` comment in a file (in any comment syntax), if there is one."""
    found = _DIRECTIVE.search(source)
    return found.group("lang").lower() if found else None


def resolve_lang(lang: str, config: Config, text: str | None = None) -> str:
    """The language to check in: explicit argument, then config, then detected from `text`
    when given, else English."""
    return resolve_langs(lang, config, text)[0]


def resolve_langs(lang: str, config: Config, text: str | None = None) -> tuple[str, ...]:
    """`resolve_lang`, plus a look-alike pack to check as well when detection is unsure
    between two (Danish or Norwegian, say)."""
    if lang and lang != "auto":
        return (lang,)
    if config.lang and config.lang != "auto":
        return (config.lang,)
    return detect_languages(text) if text is not None else (DEFAULT_LANG,)
