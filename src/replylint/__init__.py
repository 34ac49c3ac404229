"""replylint: flags the phrasings in a customer-service reply that lose customers.

Public API (kept stable; see docs/api.md):

    findings = replylint.check(text, lang="auto", config=None)
    fixed = replylint.fix(text, lang="auto", unsafe=False)
    scores = replylint.score(text, lang="auto", config=None)   # one ReplyScore per reply
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from replylint.engine.config import Config
from replylint.engine.model import Finding, Severity, Suggestion
from replylint.engine.scoring import Deduction, ReplyScore, StepScore

if TYPE_CHECKING:
    from replylint.engine.paragraph_cache import ParagraphCache
    from replylint.inputs.document_check import DocumentResult

# The engine, the readers and the rule loader are imported by the functions that use them:
# `import replylint` (and `replylint --version`) stays quick.

from ._version import __version__

_log = logging.getLogger("replylint")
__all__ = ["Config", "Deduction", "Finding", "ReplyScore", "Severity", "StepScore", "Suggestion", "__version__",
           "check", "fix", "score"]


def _text(text: object, caller: str) -> str:
    """`text` if it is a str; otherwise a TypeError saying what was expected."""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(f"replylint.{caller}: text must be str, not {type(text).__name__}; "
                        "decode it first (e.g. data.decode('utf-8'))")
    raise TypeError(f"replylint.{caller}: text must be str, not {type(text).__name__}")


def _str(value: object, name: str, caller: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"replylint.{caller}: {name} must be str, not {type(value).__name__}")
    return value


def _path(path: object, caller: str) -> str | None:
    if path is None or isinstance(path, str):
        return path
    if isinstance(path, os.PathLike):
        return os.fspath(path)  # type: ignore[return-value]
    raise TypeError(f"replylint.{caller}: path must be str, os.PathLike or None, not {type(path).__name__}")


def _config(config: object, lang: str, caller: str) -> Config:
    """The config to check with; its select / ignore / severity keys must name known rules
    (in `lang`, or in any pack when the language is detected per reply)."""
    if config is None:
        cfg = Config()
    elif isinstance(config, Config):
        cfg = config
    elif isinstance(config, Mapping):
        cfg = Config.from_mapping(config, "<config argument>")
    else:
        raise TypeError(f"replylint.{caller}: config must be a replylint.Config, a mapping or None, "
                        f"not {type(config).__name__}")
    from replylint.engine.checking import check_selectors
    from replylint.engine.ruleset import ANY_LANGUAGE, available_languages

    if cfg.names_rules:  # listing the packs costs a short reply's detection twice over
        chosen = lang if lang != "auto" else cfg.lang or "auto"
        langs = (chosen,) if chosen != "auto" else (*available_languages(cfg.rule_folders), ANY_LANGUAGE)
        check_selectors(cfg, tuple(langs))
    return cfg


def check(text: str, lang: str = "auto", config: Config | Mapping[str, Any] | None = None, *,
          format: str = "text", path: str | None = None, context: str | None = None) -> list[Finding]:
    """Every risky phrasing in `text`, with exact offsets, why, and suggested rewrites.

    `format` is how to read `text`: "text" (an e-mail-style reply: quoted lines and
    signatures are skipped), "markdown", "html", or a bundle format ("json", "yaml", "csv").
    `path`, when given, is where the text lives, for the config's per-glob `bundle-fields`.
    Findings listed in the config's ignore file (`config.ignored`) are left out. A reply in
    a language without a rule pack gets the language-independent rules only, and a notice
    is logged (INFO, logger "replylint").

    `context` is the customer's message the reply answers (thread context, see
    docs/coaching.md): a "No, …" answering their yes/no question with a plain fact is then
    fine, an upset message makes an acknowledgement expected, and a question the reply never
    takes up is reported. Without it, the quoted part of an e-mail reply or a ticket export's
    customer turns serve; `context=""` checks every reply alone.

    Raises TypeError when `text` is not a str (bytes must be decoded first), and ConfigError
    for a config that cannot be used, such as a `select` key that names no rule.
    """
    findings, notices = _check(text, lang, config, format, path, "check", context)
    for notice in notices:
        _log.info("replylint: %s", notice)
    return findings


def check_with_notices(text: str, lang: str = "auto", config: Config | Mapping[str, Any] | None = None, *,
                       format: str = "text", path: str | None = None,
                       context: str | None = None) -> tuple[list[Finding], list[str]]:
    """`check`, plus its notices (such as "no rule pack for language 'de'") for a host to show."""
    return _check(text, lang, config, format, path, "check_with_notices", context)


def score(text: str, lang: str = "auto", config: Config | Mapping[str, Any] | None = None, *,
          format: str = "text", path: str | None = None, context: str | None = None) -> list[ReplyScore]:
    """The score of each reply in `text` (0–100 by step, less its findings; docs/coaching.md):
    one for a plain reply, one per response of a bundle. A reply with no words, or in a language
    without a rule pack, has none. Arguments as for `check`, with the same errors."""
    return _checked(text, lang, config, format, path, "score", context).scores


def check_with_scores(text: str, lang: str = "auto", config: Config | Mapping[str, Any] | None = None, *,
                      format: str = "text", path: str | None = None, context: str | None = None,
                      cache: ParagraphCache | None = None) -> tuple[list[Finding], list[str], list[ReplyScore]]:
    """`check_with_notices` plus each reply's score, from one run (for a host that shows both).
    `cache` (a `replylint.workspace.ParagraphCache`, one per document) keeps each piece of the
    text matched, so the next call matches only what changed; the results are the same."""
    result = _checked(text, lang, config, format, path, "check_with_scores", context, cache)
    return result.findings, result.notices, result.scores


def _check(text: object, lang: object, config: object, format: object, path: object,
           caller: str, context: object = None) -> tuple[list[Finding], list[str]]:
    result = _checked(text, lang, config, format, path, caller, context)
    return result.findings, result.notices


def _checked(text: object, lang: object, config: object, format: object, path: object,
             caller: str, context: object = None, cache: ParagraphCache | None = None) -> DocumentResult:
    """Arguments checked at the boundary, so a wrong type fails here with a clear message."""
    text = _text(text, caller)
    lang = _str(lang, "lang", caller)
    cfg = _config(config, lang, caller)
    from replylint.inputs.document_check import check_document
    from replylint.inputs.formats import read_document
    from replylint.inputs.options import read_options

    options = read_options(cfg, _path(path, caller))
    thread = None if context is None else _str(context, "context", caller)
    if cache is not None:
        from replylint.engine.paragraph_cache import ParagraphCache

        if not isinstance(cache, ParagraphCache):
            raise TypeError(f"replylint.{caller}: cache must be a replylint.workspace.ParagraphCache, "
                            f"not {type(cache).__name__}")
    wants_scores = caller in ("score", "check_with_scores")
    return check_document(read_document(text, _str(format, "format", caller), options), lang, cfg, thread,
                          scores=wants_scores, cache=cache)


def fix(text: str, lang: str = "auto", unsafe: bool = False,
        config: Config | Mapping[str, Any] | None = None, *, format: str = "text") -> str:
    """`text` with the safe rewrites applied (all rewrites when `unsafe` is true); the same
    TypeError / ConfigError as `check` for arguments it cannot use."""
    text = _text(text, "fix")
    lang = _str(lang, "lang", "fix")
    format = _str(format, "format", "fix")
    cfg = _config(config, lang, "fix")
    from replylint.engine.fixing import fix_text

    return fix_text(text, lambda t: check(t, lang, cfg, format=format), unsafe)
