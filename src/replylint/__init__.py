"""replylint: flags the phrasings in a customer-service reply that lose customers.

Public API (kept stable; see docs/api.md):

    findings = replylint.check(text, lang="auto", config=None)
    fixed = replylint.fix(text, lang="auto", unsafe=False)
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from .config import Config
from .documents.readers import read_document
from .fixing import fix_text
from .lint import check_document
from .model import Finding, Severity, Suggestion

__version__ = "0.1.0"
_log = logging.getLogger("replylint")
__all__ = ["Config", "Finding", "Severity", "Suggestion", "__version__", "check", "fix"]


def _config(config: Config | Mapping[str, Any] | None) -> Config:
    if config is None or isinstance(config, Config):
        return config or Config()
    return Config.from_mapping(config, "<config argument>")


def check(text: str, lang: str = "auto", config: Config | Mapping[str, Any] | None = None, *,
          format: str = "text", path: str | None = None) -> list[Finding]:
    """Every risky phrasing in `text`, with exact offsets, why, and suggested rewrites.

    `format` is how to read `text`: "text" (an e-mail-style reply: quoted lines and
    signatures are skipped), "markdown", "html", or a bundle format ("json", "yaml", "csv").
    `path`, when given, is where the text lives, for the config's per-glob `bundle-fields`.
    Findings listed in the config's ignore file (`config.ignored`) are left out. A reply in
    a language without a rule pack gets the language-independent rules only, and a notice
    is logged (INFO, logger "replylint").
    """
    findings, notices = check_with_notices(text, lang, config, format=format, path=path)
    for notice in notices:
        _log.info("replylint: %s", notice)
    return findings


def check_with_notices(text: str, lang: str = "auto", config: Config | Mapping[str, Any] | None = None, *,
                       format: str = "text", path: str | None = None) -> tuple[list[Finding], list[str]]:
    """`check`, plus its notices (such as "no rule pack for language 'de'") for a host to show."""
    cfg = _config(config)
    result = check_document(read_document(text, format, cfg.read_options(path)), lang, cfg)
    return result.findings, result.notices


def fix(text: str, lang: str = "auto", unsafe: bool = False,
        config: Config | Mapping[str, Any] | None = None, *, format: str = "text") -> str:
    """`text` with the safe rewrites applied (all rewrites when `unsafe` is true)."""
    cfg = _config(config)
    return fix_text(text, lambda t: check(t, lang, cfg, format=format), unsafe)
