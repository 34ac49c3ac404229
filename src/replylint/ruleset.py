"""Finding rule folders (bundled and user-supplied) and loading every rule file for a language.

A rule folder is laid out as `<lang>/<family>/<name>.yaml`. Broken files are collected as
errors instead of stopping the load, so one bad team rule never hides all the others.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import RuleFileError
from .model import Rule
from .rulefile import load_rule_file


def bundled_rules_dir() -> Path:
    """The rule data shipped with replylint: inside the wheel, or `rules/` in a source checkout."""
    packaged = Path(__file__).with_name("rules")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


@dataclass(frozen=True)
class RuleSet:
    """The rules of one language from a list of folders, plus the errors met loading them."""

    lang: str
    rules: tuple[Rule, ...]
    errors: tuple[RuleFileError, ...] = field(default=())

    def by_key(self, key: str) -> Rule | None:
        """A rule by code or name (case-insensitive for codes)."""
        for rule in self.rules:
            if rule.code.lower() == key.lower() or rule.name == key:
                return rule
        return None


def available_languages(extra_dirs: tuple[str, ...] = ()) -> list[str]:
    """Languages that have at least one rule folder."""
    langs = set()
    for root in (bundled_rules_dir(), *map(Path, extra_dirs)):
        if root.is_dir():
            langs.update(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return sorted(langs)


@lru_cache(maxsize=32)
def load_rules(lang: str, extra_dirs: tuple[str, ...] = ()) -> RuleSet:
    """Load and validate every rule of `lang` from the bundled folder and `extra_dirs`."""
    rules: list[Rule] = []
    errors: list[RuleFileError] = []
    seen: dict[str, str] = {}
    roots = [bundled_rules_dir(), *map(Path, extra_dirs)]
    for root in roots:
        if not root.is_dir():
            errors.append(RuleFileError(str(root), 1, "rules", "rule folder does not exist",
                                        "a folder laid out as <lang>/<family>/<name>.yaml"))
            continue
        for path in sorted((root / lang).glob("*/*.yaml")):
            try:
                rule = load_rule_file(path, lang)
                if rule.family.value != path.parent.name:
                    raise RuleFileError(str(path), 1, "family",
                                        f"{rule.family.value!r} does not match its folder {path.parent.name!r}",
                                        f"the file under rules/{lang}/{rule.family.value}/")
                for key in (rule.code, rule.name):
                    if key in seen:
                        raise RuleFileError(str(path), 1, "code" if key == rule.code else "name",
                                            f"{key!r} is already used by {seen[key]}", "a unique value")
                    seen[key] = str(path)
            except RuleFileError as exc:
                errors.append(exc)
                continue
            rules.append(rule)
    return RuleSet(lang=lang, rules=tuple(rules), errors=tuple(errors))
