"""Which language a reply is written in, for `lang="auto"`.

py3langid (a naive-Bayes byte n-gram model, offline, 4.6 MB) ranks its 97 languages in
one pass over the first few sentences. A confident answer outside replylint's packs is
returned as is: that language has no rule pack, and the caller runs only what applies to
every language. Accuracy on short replies is measured in docs/languages.md.
"""
from __future__ import annotations

from functools import cache

import regex

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


SAMPLE_CHARS = 600  # a few sentences name the language; more only costs time


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, default: str = DEFAULT_LANG) -> str:
    """The language code of `text` (one of the rule packs when it is close to one).

    One scoring pass ranks all of the detector's languages: a confident answer outside our
    packs is kept (that language simply has no rules); otherwise the best-ranked pack wins,
    which settles look-alikes such as Danish and Norwegian, or Malay and Indonesian.
    """
    sample = text[:SAMPLE_CHARS]
    if len(_LETTERS.findall(sample)) < 2:
        return default  # a greeting or a number says nothing about the language
    packs = pack_languages()
    ranked = [(ALIASES.get(label, label), p) for label, p in _identifier().rank(sample)]
    best, probability = ranked[0]
    if best in packs or probability >= CONFIDENT:
        return best
    return next((label for label, _ in ranked if label in packs), default)


def declared_language(source: str) -> str | None:
    """A `replylint: lang=sv` comment in a file (in any comment syntax), if there is one."""
    found = _DIRECTIVE.search(source)
    return found.group("lang").lower() if found else None
