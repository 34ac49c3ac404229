"""Shared lists: patterns kept once in `rules/<lang>/_lists/<name>.yaml`, used by name.

Several rules of a pack cancel on the same signs (an alternative offered, a colleague named);
copying those patterns into every rule file let the copies drift apart. A list file holds the
patterns once, with its own examples, and a rule refers to it:

    unless:
      - list: alternative-offered
        within: nearby
        example: "We can't refund it, but I can send a voucher."

A rule finds lists in the `_lists` folder of its own language folder first, then in the bundled
one of the same language, so a team's lists never change how the bundled rules behave. Lists are
resolved at load time: the parsed rule holds the list's patterns, like an inline exception.

A list may take in other lists of its folder whole (`includes: [offer-made]`), so a narrow list
that some rules use alone is also part of a broader one without copying its patterns.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from replylint.errors import RuleFileError

from .model import Patterns
from .packs import bundled_rules_dir, unusable
from .patternfile import NAME_RE, PatternReader, read_document

LIST_FOLDER = "_lists"  # beside the family folders; the leading `_` marks it as not a family
LIST_KEYS = {"description", "says", "phrases", "tokens", "regex", "includes", "examples"}
LIST_EXAMPLE_KEYS = {"matched", "not-matched"}


@dataclass(frozen=True)
class SharedList:
    """One list file: its patterns, what it is for, and the texts it must (not) match."""

    name: str
    path: str
    description: str
    patterns: Patterns
    matched: tuple[str, ...]
    not_matched: tuple[str, ...]
    includes: tuple[str, ...] = ()


def list_files(root: Path, lang: str) -> list[Path]:
    """The list files of one language folder under one rule folder, in name order."""
    return sorted((root / lang / LIST_FOLDER).glob("*.yaml"))


def load_list(path: Path, lang: str) -> SharedList:
    """Parse and validate one list file; raise RuleFileError naming the line and key."""
    shown = str(path)
    data = read_document(path)
    reader = PatternReader(shown, lang)
    if not isinstance(data, CommentedMap):
        raise reader.fail(data, "list", "file must hold a mapping", "keys description, regex/phrases/tokens, examples")
    if not NAME_RE.match(path.stem):
        raise RuleFileError(shown, 1, "file", f"bad list name {path.stem!r}", "lower-case words joined by '-'")
    reader.no_unknown(data, LIST_KEYS, "")
    for key in ("description", "examples"):
        if key not in data:
            raise reader.fail(data, key, "missing required key")
    description = " ".join(reader.string(data, "description", "description").split())
    includes = reader.strings(data, "includes", "includes") if "includes" in data else ()
    own_patterns = set(data) & {"says", "phrases", "tokens", "regex"}
    patterns = reader.patterns(data, "") if own_patterns or not includes else Patterns()
    examples = data["examples"]
    if not isinstance(examples, CommentedMap):
        raise reader.fail(data, "examples", "must be a mapping", "keys matched, not-matched", "examples")
    reader.no_unknown(examples, LIST_EXAMPLE_KEYS, "examples.")
    if "matched" not in examples:
        raise reader.fail(examples, "examples.matched", "missing: a list needs texts it must match")
    matched = reader.strings(examples, "matched", "examples.matched")
    not_matched = (reader.strings(examples, "not-matched", "examples.not-matched")
                   if "not-matched" in examples else ())
    return SharedList(name=path.stem, path=shown, description=description, patterns=patterns,
                      matched=matched, not_matched=not_matched, includes=includes)


def with_includes(lists: dict[str, SharedList | None]) -> tuple[dict[str, SharedList | None], list[RuleFileError]]:
    """Each list's patterns with those of the lists it includes (of the same folder, at any depth);
    a list that includes a missing or broken list, or itself, is broken."""
    errors: list[RuleFileError] = []
    done: dict[str, SharedList | None] = {}

    def resolve(name: str, path: tuple[str, ...]) -> SharedList | None:
        if name in done:
            return done[name]
        shared = lists.get(name)
        if shared is None or not shared.includes:
            done[name] = shared
            return shared
        patterns = shared.patterns
        for included in shared.includes:
            problem = ("includes itself" if included == name or included in path
                       else None if included in lists else f"includes unknown list {included!r}")
            inner = None if problem else resolve(included, (*path, name))
            if inner is None:
                problem = problem or f"includes list {included!r}, which could not be loaded"
                errors.append(RuleFileError(shared.path, 1, "includes", problem,
                                            "names of other lists in the same _lists folder"))
                done[name] = None
                return None
            patterns = _joined(patterns, inner.patterns)
        done[name] = replace(shared, patterns=patterns)
        return done[name]

    for name in lists:
        resolve(name, ())
    return done, errors


def _joined(first: Patterns, second: Patterns) -> Patterns:
    return Patterns(phrases=first.phrases + second.phrases, tokens=first.tokens + second.tokens,
                    regex=first.regex + second.regex, says=first.says + second.says)


def load_lists(root: Path, lang: str) -> tuple[dict[str, SharedList | None], list[RuleFileError]]:
    """Every list of `root/lang/_lists`: name -> list (None if broken), and the errors met."""
    lists: dict[str, SharedList | None] = {}
    errors: list[RuleFileError] = []
    for path in list_files(root, lang):
        try:
            problem = unusable(path)
            if problem is not None:
                raise RuleFileError(str(path), 1, "file", problem, "a list file of at most 1 MB")
            lists[path.stem] = load_list(path, lang)
        except RuleFileError as exc:
            lists[path.stem] = None
            errors.append(exc)
    lists, broken = with_includes(lists)
    return lists, errors + broken


def lists_near(rule_path: Path) -> dict[str, Patterns | None]:
    """The lists a rule file at `<root>/<lang>/<family>/<name>.yaml` can name, when it is loaded
    on its own: its folder's `_lists`, then the bundled pack's (see load_rule_file)."""
    lang_dir = rule_path.parent.parent
    own = _stamped(lang_dir.parent, lang_dir.name)
    bundled = bundled_rules_dir()
    shipped = _stamped(bundled, lang_dir.name) if bundled.resolve() != lang_dir.parent.resolve() else {}
    return patterns_of({**shipped, **own})


def pack_lists(lang: str, extra_dirs: tuple[str, ...] = ()) -> dict[str, Patterns | None]:
    """Every list a language's rules can name: the bundled pack's, with each rule folder's own
    lists laid over them (the reply score reads its moves from here)."""
    bundled = bundled_rules_dir()
    lists = dict(_stamped(bundled, lang))
    for folder in extra_dirs:
        root = Path(folder)
        if root.is_dir() and root.resolve() != bundled.resolve():
            lists.update(_stamped(root, lang))
    return patterns_of(lists)


def _stamped(root: Path, lang: str) -> dict[str, SharedList | None]:
    """load_lists, parsed again only when a list file changes (many rules name one list)."""
    stamp = []
    for path in list_files(root, lang):
        try:
            info = path.stat()
            stamp.append((path.name, info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((path.name, 0, -1))
    return _load_stamped(root, lang, tuple(stamp))


@lru_cache(maxsize=64)
def _load_stamped(root: Path, lang: str, stamp: tuple) -> dict[str, SharedList | None]:
    return load_lists(root, lang)[0]


def patterns_of(lists: Mapping[str, SharedList | None]) -> dict[str, Patterns | None]:
    """What a rule file needs to resolve `list:` entries: each list's patterns by name."""
    return {name: (None if each is None else each.patterns) for name, each in lists.items()}
