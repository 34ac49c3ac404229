"""Finding rule folders (bundled and user-supplied) and loading every rule file for a language.

A rule folder is laid out as `<lang>/<family>/<name>.yaml`. The `xx` folder (spaCy's code
for "any language") holds language-independent rules, such as shouting, that run with every
language's own rules and for languages with no pack at all; a pack overrides one of them
with its own tuned rule of the same name and code. Broken files are collected as errors
instead of stopping the load, so one bad team rule never hides all the others.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from replylint.errors import RuleFileError

from . import codetable, rulecache, rulelists
from .model import Patterns, Rule
from .packs import MAX_RULE_BYTES, bundled_rules_dir, unusable
from .rulefile import load_rule_file


@dataclass(frozen=True)
class RuleSet:
    """The rules of one language from a list of folders, plus the errors met loading them."""

    lang: str
    rules: tuple[Rule, ...]
    errors: tuple[RuleFileError, ...] = field(default=())
    # every shared list the language's rules can name, by name (None: a broken list file), the
    # bundled pack's with each folder's own laid over them: the reply score's moves read them
    lists: Mapping[str, Patterns | None] = field(default_factory=dict, hash=False, compare=False)

    def by_key(self, key: str) -> Rule | None:
        """A rule by code or name (case-insensitive for codes)."""
        for rule in self.rules:
            if rule.code.lower() == key.lower() or rule.name == key:
                return rule
        return None


ANY_LANGUAGE = "xx"  # the folder of language-independent rules


def available_languages(extra_dirs: tuple[str, ...] = ()) -> list[str]:
    """Languages that have a rule pack of their own (not counting the language-independent one)."""
    langs = set()
    for root in _roots(extra_dirs):
        try:
            langs.update(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        except (OSError, ValueError):
            continue  # missing or unreadable: reported when its rules are loaded
    langs.discard(ANY_LANGUAGE)
    return sorted(langs)


def every_rule(extra_dirs: tuple[str, ...] = ()) -> list[Rule]:
    """Each rule once: the language-independent ones, then every pack's own (for docs and tests)."""
    rules = list(load_rules(ANY_LANGUAGE, extra_dirs).rules)
    for lang in available_languages(extra_dirs):
        rules.extend(rule for rule in load_rules(lang, extra_dirs).rules if not rule.shared)
    return rules


def has_pack(lang: str, extra_dirs: tuple[str, ...] = ()) -> bool:
    """Whether `lang` has rules beyond the language-independent ones (a few stats, no listing)."""
    return lang != ANY_LANGUAGE and any((root / lang).is_dir() for root in _roots(extra_dirs))


@lru_cache(maxsize=64)
def no_pack_notice(lang: str) -> str:
    """What a reply in a language without a pack is told: a notice, never an error."""
    return (f"no rule pack for language {lang!r}: only the language-independent rules ran "
            f"(packs: {', '.join(available_languages())}; set `lang` to check in one of them)")


def _roots(extra_dirs: tuple[str, ...]) -> list[Path]:
    return [bundled_rules_dir(), *map(Path, extra_dirs)]


def rule_files(root: Path, lang: str) -> list[Path]:
    """The rule files of one language under one rule folder, in load order (a folder whose
    name starts with `_`, such as `_lists`, holds data for rules, not a family)."""
    return sorted(p for p in (root / lang).glob("*/*.yaml") if not p.parent.name.startswith("_"))


def rules_digest(lang: str, extra_dirs: tuple[str, ...] = ()) -> str:
    """A hash of every rule and list file of `lang` ("auto": of every language), names and
    bytes, and of this replylint and Python."""
    from replylint._version import __version__

    langs = [*(available_languages(extra_dirs) if lang == "auto" else [lang]), ANY_LANGUAGE]
    digest = hashlib.sha256(f"{__version__}\x1f{sys.version}\x1f{lang}".encode())
    for root in _roots(extra_dirs):
        digest.update(f"\x1e{root.resolve()}".encode())
        for each in langs:
            for path in [*rule_files(root, each), *rulelists.list_files(root, each)] if root.is_dir() else ():
                digest.update(f"\x1f{path.relative_to(root)}\x1f".encode() + _rule_bytes(path))
    digest.update(b"\x1e" + _rule_bytes(codetable.table_path(bundled_rules_dir())))  # the checks' data
    return digest.hexdigest()





def _rule_bytes(path: Path) -> bytes:
    """A rule file's bytes for the digest, or why it cannot be read (so a fix changes the digest)."""
    problem = unusable(path)
    if problem is None:
        try:
            with path.open("rb") as handle:
                return handle.read(MAX_RULE_BYTES + 1)
        except OSError as exc:
            problem = f"cannot be read: {exc.strerror}"
    return b"\x00" + problem.encode()


def _rule_cache_file(digest: str) -> Path | None:
    """Where a parsed rule set is kept between processes; None when caching is turned off."""
    home = rulecache.cache_home()
    return None if home is None else home / "rules" / f"{digest}.rules"


@lru_cache(maxsize=32)
def load_rules(lang: str, extra_dirs: tuple[str, ...] = ()) -> RuleSet:
    """Every rule of `lang` from the bundled folder and `extra_dirs`, validated.

    Parsing ~100 YAML files costs about a second, so the parsed set is kept in the user's
    cache folder, keyed by a hash of the rule files' bytes (and the replylint and Python
    versions): any edit to a rule file, or a new or deleted one, means a fresh parse. The
    cache holds signed JSON data (see rulecache): a planted or altered file is ignored.
    """
    digest = rules_digest(lang, extra_dirs)
    cached = _rule_cache_file(digest)
    key = rulecache.secret_key() if cached is not None else None
    if cached is not None and key is not None:
        stored = rulecache.load(cached, key)
        if stored is not None:
            return RuleSet(lang=lang, rules=stored[0], errors=stored[1], lists=stored[2])
    ruleset = _parse_rules(lang, extra_dirs)
    ruleset = replace(ruleset, lists=rulelists.pack_lists(lang, extra_dirs) if lang != ANY_LANGUAGE else {})
    # a file edited while it was parsed (an editor saving, another process writing) would leave the
    # new rules stored under the old bytes' name, served whenever those bytes come back: store only
    # when the files still hash to what was parsed
    if cached is not None and key is not None and rules_digest(lang, extra_dirs) == digest:
        rulecache.store(cached, key, ruleset.rules, ruleset.errors, ruleset.lists)
    return ruleset


def _parse_rules(lang: str, extra_dirs: tuple[str, ...]) -> RuleSet:
    """The language-independent rules, then `lang`'s own; a pack's rule replaces the
    language-independent rule of the same name (which must have the same code)."""
    shared, shared_errors = _parse_folder(ANY_LANGUAGE, lang, extra_dirs, shared=True)
    if lang == ANY_LANGUAGE:
        return _code_checked(lang, shared, shared_errors)
    own, errors = _parse_folder(lang, lang, extra_dirs, shared=False)
    by_name = {rule.name: rule for rule in shared}
    by_code = {rule.code: rule for rule in shared}
    overridden: set[str] = set()
    kept_own: list[Rule] = []
    for rule in own:
        twin = by_name.get(rule.name) or by_code.get(rule.code)
        if twin is not None and (twin.name, twin.code) != (rule.name, rule.code):
            errors.append(RuleFileError(rule.path, 1, "code" if twin.name == rule.name else "name",
                                        f"{rule.name} ({rule.code}) clashes with the language-independent "
                                        f"{twin.name} ({twin.code}) in {twin.path}",
                                        "the same name and code, to replace it, or new ones"))
            continue
        if twin is not None:
            overridden.add(twin.name)
        kept_own.append(rule)
    rules = [rule for rule in shared if rule.name not in overridden] + kept_own
    return _code_checked(lang, rules, [*shared_errors, *errors])


def _code_checked(lang: str, rules: list[Rule], errors: list[RuleFileError]) -> RuleSet:
    """The rule set without the rules that break the code table (codetable), each reported."""
    kept, problems = codetable.check_rules(rules, bundled_rules_dir())
    return RuleSet(lang=lang, rules=tuple(kept), errors=(*errors, *problems))


def _parse_folder(folder: str, lang: str, extra_dirs: tuple[str, ...], shared: bool
                  ) -> tuple[list[Rule], list[RuleFileError]]:
    """Every rule under `<root>/<folder>/` of each rule folder, loaded to run in `lang`."""
    rules: list[Rule] = []
    errors: list[RuleFileError] = []
    seen: dict[str, str] = {}
    bundled = bundled_rules_dir()
    bundled_lists, bundled_list_errors = rulelists.load_lists(bundled, folder)
    for root in _roots(extra_dirs):
        if not root.is_dir():
            if not shared or folder == lang:  # reported once per load
                errors.append(RuleFileError(str(root), 1, "rules", "rule folder does not exist",
                                            "a folder laid out as <lang>/<family>/<name>.yaml"))
            continue
        own_lists, list_errors = ((bundled_lists, bundled_list_errors) if root == bundled
                                  else rulelists.load_lists(root, folder))
        errors.extend(list_errors)  # a broken list file is reported once, rules naming it say so
        lists = rulelists.patterns_of({**bundled_lists, **own_lists})  # a folder's own lists first
        for path in rule_files(root, folder):
            try:
                problem = unusable(path)
                if problem is not None:
                    raise RuleFileError(str(path), 1, "file", problem, "a rule file of at most 1 MB")
                rule = load_rule_file(path, lang, shared=shared, lists=lists)
                if rule.family.value != path.parent.name:
                    raise RuleFileError(str(path), 1, "family",
                                        f"{rule.family.value!r} does not match its folder {path.parent.name!r}",
                                        f"the file under rules/{folder}/{rule.family.value}/")
                for key in (rule.code, rule.name):
                    if key in seen:
                        raise RuleFileError(str(path), 1, "code" if key == rule.code else "name",
                                            f"{key!r} is already used by {seen[key]}", "a unique value")
                    seen[key] = str(path)
            except RuleFileError as exc:
                errors.append(exc)
                continue
            rules.append(rule)
    return rules, errors
