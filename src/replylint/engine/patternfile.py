"""Reading the YAML that rule files and shared-list files have in common: the file itself
(bounded, errors naming the line), and the pattern keys both use (`says`, `phrases`, `tokens`,
`regex`), so the rule reader and the list loader both build on it without importing each other.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import regex
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from replylint.errors import RuleFileError
from replylint.limits import LimitError, bounded_yaml

from . import phrases
from .model import Patterns

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")

# Token attributes a blank spaCy pipeline can fill, plus LEMMA, which replylint's own
# lemmatizer fills (lemmas.py) when a pack's rules use it. POS, TAG, DEP, MORPH and ENT_*
# need trained components that replylint does not ship, so a pattern using them would
# silently never match: they are rejected at load time.
TOKEN_ATTRS = {"ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "LENGTH", "SHAPE", "PREFIX", "SUFFIX",
               "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE",
               "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_SENT_START", "LIKE_NUM", "LIKE_URL",
               "LIKE_EMAIL", "OP"}
TAGGER_ATTRS = {"POS", "TAG", "DEP", "MORPH", "ENT_TYPE", "ENT_IOB", "ENT_ID",
                "ENT_KB_ID", "SENT_START", "HEAD"}
TOKEN_OPS = {"!", "?", "+", "*", "{", "}"}
TOKEN_VALUE_KEYS = {"IN", "NOT_IN", "REGEX", "FUZZY", "INTERSECTS", "IS_SUBSET",
                    "IS_SUPERSET", "==", "!=", ">=", "<=", ">", "<"}

_yaml = bounded_yaml("rt")  # YAML 1.2: a bare `no` stays the string "no"; depth and aliases capped


@cache
def compile_regex(source: str) -> regex.Pattern:
    """Compile a rule regex once per process: loading validates it, matching reuses it."""
    return regex.compile(source)


def read_document(path: Path) -> Any:
    """A rule or list file's YAML; RuleFileError naming the line when it is not valid YAML."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(shown, 1, "file", f"cannot be read: {exc}") from None
    try:
        data = _yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleFileError(shown, line, "yaml", f"not valid YAML: {problem}") from None
    except LimitError as exc:
        raise RuleFileError(shown, exc.line or 1, "yaml", str(exc)) from None
    return data


class PatternReader:
    """Validates parsed YAML keeping the file name for error messages: the keys and patterns
    that rule files and list files share (RuleReader in rulefile.py adds the rule's own)."""

    def __init__(self, path: str, lang: str, shared: bool = False,
                 lists: Mapping[str, Patterns | None] | None = None) -> None:
        self.path = path
        self.lang = lang
        self.shared = shared
        self.lists = lists or {}

    def fail(self, node: Any, key: str, problem: str, expected: str = "", item: Any = None) -> RuleFileError:
        return RuleFileError(self.path, self._line(node, item), key, problem, expected)

    @staticmethod
    def _line(node: Any, item: Any = None) -> int:
        try:
            if item is not None and isinstance(node, CommentedMap) and item in node:
                return node.lc.key(item)[0] + 1
            if item is not None and isinstance(node, CommentedSeq) and isinstance(item, int):
                return node.lc.item(item)[0] + 1
            return node.lc.line + 1
        except (AttributeError, KeyError, IndexError, TypeError):
            return 1

    # --- helpers ---------------------------------------------------------------------
    def no_unknown(self, node: CommentedMap, allowed: set[str], prefix: str) -> None:
        for key in node:
            if key not in allowed:
                raise self.fail(node, f"{prefix}{key}", "unknown key", "one of " + ", ".join(sorted(allowed)), key)

    def string(self, node: Any, key: Any, shown: str) -> str:
        value = node[key]
        if not isinstance(value, str):
            hint = " (YAML read it as a boolean: quote it, e.g. \"no\")" if isinstance(value, bool) else ""
            raise self.fail(node, shown, f"must be a string, got {type(value).__name__} {value!r}{hint}",
                            "a quoted string", key)
        if not value.strip():
            raise self.fail(node, shown, "must not be empty", "a non-empty string", key)
        return value

    def _localized(self, node: CommentedMap, key: str) -> str:
        """A text key: one string, or (for language-independent rules) a mapping from
        language code to string, with `en` as the fallback for languages not listed."""
        value = node[key]
        if not isinstance(value, CommentedMap):
            return self.string(node, key, key)
        for lang in value:
            if not isinstance(lang, str) or not LANG_RE.match(lang):
                raise self.fail(value, f"{key}.{lang}", f"bad language code {lang!r}",
                                "a language code such as en, sv or ms", lang)
            self.string(value, lang, f"{key}.{lang}")
        if "en" not in value:
            raise self.fail(node, f"{key}.en", "missing: a translated text needs an English fallback",
                            "an `en:` entry", key)
        return value[self.lang] if self.lang in value else value["en"]

    def _choice(self, node: CommentedMap, key: str, enum: type) -> Any:
        value = self.string(node, key, key)
        try:
            return enum(value)
        except ValueError:
            raise self.fail(node, key, f"unknown value {value!r}",
                            "one of " + ", ".join(e.value for e in enum), key) from None

    def _list(self, node: Any, key: Any, shown: str) -> CommentedSeq:
        value = node[key]
        if not isinstance(value, CommentedSeq) or not value:
            raise self.fail(node, shown, "must be a non-empty list", "a YAML list", key)
        return value

    def strings(self, node: Any, key: Any, shown: str) -> tuple[str, ...]:
        items = self._list(node, key, shown)
        return tuple(self.string(items, i, f"{shown}[{i}]") for i in range(len(items)))

    # --- match / unless --------------------------------------------------------------
    def patterns(self, node: CommentedMap, prefix: str) -> Patterns:
        dot = f"{prefix}." if prefix else ""  # a list file has its patterns at the top
        phrases = self.strings(node, "phrases", f"{dot}phrases") if "phrases" in node else ()
        tokens = self._tokens(node, f"{dot}tokens") if "tokens" in node else ()
        regex = self._regexes(node, f"{dot}regex") if "regex" in node else ()
        says = self._says(node, f"{dot}says") if "says" in node else ()
        patterns = Patterns(phrases=phrases, tokens=tokens, regex=regex, says=says)
        if not patterns:
            raise self.fail(node, prefix or "patterns", "no patterns", "at least one of says, phrases, tokens, regex")
        return patterns

    def _says(self, node: CommentedMap, shown: str) -> tuple[str, ...]:
        """`says:` phrases (phrases.py), checked, with `{list:name}` spliced in from the lists."""
        items = self._list(node, "says", shown)
        plain = {name: ((*p.phrases, *p.says) if p is not None and not (p.tokens or p.regex) else None)
                 for name, p in self.lists.items()}
        out = []
        for i in range(len(items)):
            source = self.string(items, i, f"{shown}[{i}]")
            try:
                out.append(phrases.check(source, plain))
            except phrases.PhraseError as exc:
                raise self.fail(items, f"{shown}[{i}]", f"bad phrase {source!r}: {exc}",
                                "words, (a|b), [optional], *, word*, #, ^, !word, <flagged>, {word}, {list:name}",
                                i) from None
        return tuple(out)

    def _tokens(self, node: CommentedMap, shown: str) -> tuple[tuple[dict, ...], ...]:
        patterns = self._list(node, "tokens", shown)
        out = []
        for i, pattern in enumerate(patterns):
            where = f"{shown}[{i}]"
            if not isinstance(pattern, CommentedSeq) or not pattern:
                raise self.fail(patterns, where, "must be a non-empty list of token specs",
                                "[{LOWER: ...}, ...]", i)
            out.append(tuple(self._token_spec(pattern, j, f"{where}[{j}]") for j in range(len(pattern))))
        return tuple(out)

    def _token_spec(self, seq: CommentedSeq, index: int, shown: str) -> dict:
        spec = seq[index]
        if not isinstance(spec, CommentedMap):
            raise self.fail(seq, shown, "must be a mapping of token attributes", "{LOWER: \"no\"}", index)
        plain: dict[str, Any] = {}
        for attr in spec:
            if attr in TAGGER_ATTRS:
                raise self.fail(spec, f"{shown}.{attr}",
                                f"attribute {attr} needs a trained tagger or parser; replylint uses blank pipelines",
                                "LOWER, NORM, ORTH, REGEX values, IS_* flags", attr)
            if attr not in TOKEN_ATTRS:
                raise self.fail(spec, f"{shown}.{attr}", f"unknown attribute {attr!r}",
                                "one of " + ", ".join(sorted(TOKEN_ATTRS)), attr)
            plain[attr] = self._token_value(spec, attr, f"{shown}.{attr}")
        return plain

    def _token_value(self, spec: CommentedMap, attr: str, shown: str) -> Any:
        value = spec[attr]
        if attr == "OP":
            if value not in TOKEN_OPS:
                raise self.fail(spec, shown, f"bad operator {value!r}", "one of ! ? + * or {n,m}", attr)
            return value
        if attr.startswith(("IS_", "LIKE_")):
            if not isinstance(value, bool):
                raise self.fail(spec, shown, f"must be true or false, got {value!r}", "a boolean", attr)
            return value
        if attr == "LENGTH":
            if isinstance(value, bool) or not isinstance(value, (int, CommentedMap)):
                raise self.fail(spec, shown, f"must be a number, got {value!r}", "an integer", attr)
            return self._length_ops(value, shown) if isinstance(value, CommentedMap) else value
        if isinstance(value, str):
            return value
        if isinstance(value, CommentedMap):
            out: dict[str, Any] = {}
            for op in value:
                if op not in TOKEN_VALUE_KEYS:
                    raise self.fail(value, f"{shown}.{op}", f"unknown operator {op!r}",
                                    "one of " + ", ".join(sorted(TOKEN_VALUE_KEYS)), op)
                if op in {"IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS"}:
                    out[op] = list(self.strings(value, op, f"{shown}.{op}"))
                elif op == "REGEX":
                    out[op] = self.string(value, op, f"{shown}.{op}")
                    self._compile(value, op, f"{shown}.{op}")
                elif op == "FUZZY":
                    out[op] = self._fuzzy(value, f"{shown}.{op}")
                else:  # a comparison: spaCy would compare string ids, or fail while matching
                    raise self.fail(value, f"{shown}.{op}", f"{op!r} compares numbers; it applies to LENGTH only",
                                    "IN, NOT_IN, REGEX or FUZZY", op)
            return out
        hint = " (YAML read it as a boolean: quote it)" if isinstance(value, bool) else ""
        raise self.fail(spec, shown, f"must be a string or operator mapping, got {value!r}{hint}",
                        "a quoted string or {IN: [...]}", attr)

    def _length_ops(self, value: CommentedMap, shown: str) -> dict[str, Any]:
        """LENGTH as a mapping: comparisons with a number, or IN / NOT_IN a list of numbers."""
        out: dict[str, Any] = {}
        for op, arg in value.items():
            items = arg if op in {"IN", "NOT_IN"} and isinstance(arg, list) else [arg]
            if op not in {"IN", "NOT_IN", "==", "!=", ">=", "<=", ">", "<"} or not all(
                    isinstance(n, int) and not isinstance(n, bool) for n in items):
                raise self.fail(value, f"{shown}.{op}", f"not a number test: {op!r}",
                                "{>=: 3}, {IN: [1, 2]} and the like", op)
            out[op] = list(arg) if isinstance(arg, list) else arg
        return out

    def _fuzzy(self, value: CommentedMap, shown: str) -> Any:
        """FUZZY takes a string, or IN / NOT_IN a list of strings (never a nested REGEX)."""
        arg = value["FUZZY"]
        if isinstance(arg, CommentedMap):
            for op in arg:
                if op not in {"IN", "NOT_IN"}:
                    raise self.fail(arg, f"{shown}.{op}", f"unknown operator {op!r} inside FUZZY", "IN or NOT_IN", op)
            return {op: list(self.strings(arg, op, f"{shown}.{op}")) for op in arg}
        return self.string(value, "FUZZY", shown)

    def _regexes(self, node: CommentedMap, shown: str) -> tuple[str, ...]:
        items = self._list(node, "regex", shown)
        out = []
        for i in range(len(items)):
            source = self.string(items, i, f"{shown}[{i}]")
            self._compile(items, i, f"{shown}[{i}]")
            out.append(source)
        return tuple(out)

    def _compile(self, node: Any, key: Any, shown: str) -> None:
        try:
            compile_regex(node[key])
        except regex.error as exc:
            raise self.fail(node, shown, f"invalid regular expression: {exc}", "a `regex` module pattern",
                            key) from None
