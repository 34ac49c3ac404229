"""Public helpers for tools that host replylint over a workspace: editors, bots, CI wrappers.

The language server uses only this module and `replylint` itself. Everything here is a
thin, stable front over the engine's modules:

- `load_workspace_config(start, explicit=None)`: the config for files under `start`
  (nearest `.replylint.toml` / `pyproject.toml`, plus the ignore file's fingerprints).
- `add_to_config_list(path, key, value)`: edit a config file's list (`ignore`, `allow`, …).
- `add_ignore_entry(path, fingerprint, rule, note)`: record an ignored finding.
- `rule_info(key, lang, config)`: a rule's why, examples and doc link, for hovers;
  `rule_markdown(key, lang, config)`: its whole reference page.
- `detect_format(path, text)`: which reader a file needs.
- `check_with_notices(text, lang, config, format=, path=)`: `replylint.check` plus its
  notices (a reply in a language that has no rule pack), for a host to show.
- `check_with_scores(text, lang, config, format=, path=, cache=)`: the same plus each reply's
  `ReplyScore` (docs/coaching.md#the-reply-score), from one run.
- `ParagraphCache()`: one per open document, passed as `cache=`: the next check matches only
  the paragraphs and sentences that changed (docs/language-server.md#incremental-runs).
- `is_model_finding(name)`: whether a finding came from the trained tone model, not a rule.
- `CONFIG_FILES`, `IGNORE_FILE`: the names of the config files (nearest first) and of the
  ignore file, for a host that watches them.
- `ReplylintError`: the base of replylint's one-line errors (config, rule file, input,
  write, document), for a host to tell them from its own bugs.
- `DocumentError`: a document that cannot be read as its format (a bundle that does not
  parse, one past the nesting limits); a `ValueError` too. `NotABundle` is one: a JSON /
  YAML / CSV file that parses but holds no canned responses.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from replylint import check_with_notices, check_with_scores
from replylint.editor.config_edit import LIST_KEYS, add_to_config_list
from replylint.editor.ignore_entries import add_ignore_entry
from replylint.engine.config import CONFIG_FILES, Config, find_config_file, load_workspace_config
from replylint.engine.ignorefile import IGNORE_FILE, read_ignore_file
from replylint.engine.language import resolve_lang
from replylint.engine.marked_text import parse_marked
from replylint.engine.model import Rule
from replylint.engine.paragraph_cache import ParagraphCache
from replylint.engine.ruledocs import doc_url, render_rule
from replylint.engine.ruleset import load_rules
from replylint.engine.tone import is_model_finding
from replylint.errors import ConfigError, DocumentError, ReplylintError
from replylint.inputs.bundles.segments import NotABundle
from replylint.inputs.formats import FORMATS, detect_format

__all__ = ["CONFIG_FILES", "FORMATS", "IGNORE_FILE", "LIST_KEYS", "ConfigError", "DocumentError", "NotABundle",
           "ParagraphCache", "ReplylintError",
           "RuleInfo",
           "add_ignore_entry", "add_to_config_list", "check_with_notices", "check_with_scores", "detect_format",
           "find_config_file",
           "ignore_file_path", "is_model_finding",
           "load_workspace_config",
           "read_ignore_file", "rule_info", "rule_markdown"]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a reader of a finding wants to know about its rule."""

    code: str
    name: str
    family: str
    severity: str
    summary: str
    why: str
    doc_url: str
    flagged: tuple[str, ...]  # example sentences the rule flags (plain text)
    instead: tuple[str, ...]  # better wordings


def _rule(key: str, lang: str, config: Config | None) -> Rule | None:
    config = config or Config()
    return load_rules(resolve_lang(lang, config), config.rule_folders).by_key(key)


@lru_cache(maxsize=1024)
def _info(lang: str, folders: tuple[str, ...], code: str) -> RuleInfo:
    """Built once per rule: the language server asks for it for every finding on every run."""
    rule = load_rules(lang, folders).by_key(code)
    assert rule is not None
    return RuleInfo(rule.code, rule.name, rule.family.value, rule.severity.value,
                    rule.headline, rule.why, doc_url(rule),
                    tuple(parse_marked(ex.text)[0] for ex in rule.examples.flagged), rule.examples.instead)


def rule_info(key: str, lang: str = "auto", config: Config | None = None) -> RuleInfo | None:
    """The rule with code or name `key` in `lang` (bundled rules plus the config's folders)."""
    rule = _rule(key, lang, config)
    return _info(rule.lang, (config or Config()).rule_folders, rule.code) if rule else None


def rule_markdown(key: str, lang: str = "auto", config: Config | None = None) -> str | None:
    """The rule's full reference page (what, why, examples, fix safety) as Markdown."""
    rule = _rule(key, lang, config)
    return render_rule(rule) if rule else None


def ignore_file_path(config: Config, config_path: Path | None, root: Path) -> Path:
    """Where the ignore file for a workspace lives: beside its config file, else at `root`."""
    return (config_path.parent if config_path else root) / config.ignore_file
