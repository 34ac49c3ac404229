"""replylint: flags the phrasings in a customer-service reply that lose customers.

Public API (kept stable; see docs/api.md):

    findings = replylint.check(text, lang="auto", config=None)
    fixed = replylint.fix(text, lang="auto", unsafe=False)
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .config import Config
from .engine import check_text
from .fixing import fix_text
from .model import Finding, Severity, Suggestion

__version__ = "0.1.0"
__all__ = ["Config", "Finding", "Severity", "Suggestion", "__version__", "check", "fix"]


def _config(config: Config | Mapping[str, Any] | None) -> Config:
    if config is None or isinstance(config, Config):
        return config or Config()
    return Config.from_mapping(config, "<config argument>")


def check(text: str, lang: str = "auto", config: Config | Mapping[str, Any] | None = None) -> list[Finding]:
    """Every risky phrasing in `text`, with exact offsets, why, and suggested rewrites."""
    return check_text(text, lang, _config(config))


def fix(text: str, lang: str = "auto", unsafe: bool = False,
        config: Config | Mapping[str, Any] | None = None) -> str:
    """`text` with the safe rewrites applied (all rewrites when `unsafe` is true)."""
    cfg = _config(config)
    return fix_text(text, lambda t: check_text(t, lang, cfg), unsafe)
