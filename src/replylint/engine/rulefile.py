"""Reading one rule YAML file and validating every field into a `Rule`.

Errors name the file, the line and the key, say what is wrong and what was expected, so a
team writing its own rules never needs to read Python to fix them.
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
from .marked_text import parse_marked
from .model import (
    Anchor,
    Examples,
    Family,
    FlaggedExample,
    Move,
    Patterns,
    PointAt,
    ReplyCheck,
    Rewrite,
    Rule,
    Severity,
    Unless,
    Window,
)
from .rewrites import placeholders

CODE_RE = re.compile(r"^[A-Z]{2,6}\d{2,5}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")

TOP_KEYS = {"code", "name", "family", "severity", "summary", "message", "why", "match",
            "unless", "rewrites", "examples", "reply"}
MATCH_KEYS = {"says", "phrases", "tokens", "regex", "at"}
UNLESS_KEYS = {"says", "phrases", "tokens", "regex", "list", "within", "example", "context"}
REWRITE_KEYS = {"replace", "safe"}
EXAMPLE_KEYS = {"flagged", "allowed", "instead"}
FLAGGED_KEYS = {"text", "fixed"}
REPLY_KEYS = {"when", "missing", "share", "min-words", "min-sentences", "point-at", "add", "context",
              "unanswered", "answered"}
ANSWERED_KEYS = {"context", "by"}
MOVE_KEYS = {"says", "phrases", "tokens", "regex"}

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


def load_rule_file(path: Path, lang: str, shared: bool = False,
                   lists: Mapping[str, Patterns | None] | None = None) -> Rule:
    """Parse and validate one rule file; raise RuleFileError naming the line and key.

    `lang` is the language the rule will run in; a `shared` (language-independent) rule
    takes its message, why and summary in that language when the file has them. `lists`
    are the shared lists an `unless: [{list: name}]` entry may name (see rulelists); by
    default those beside the file's family folder and the bundled pack's."""
    data = read_document(path)
    if lists is None:
        from .rulelists import lists_near  # rulelists builds on this module

        lists = lists_near(path)
    return _Reader(str(path), lang, shared, lists).rule(data)


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


class _Reader:
    """Validates a parsed rule document, keeping the file name for error messages."""

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

    # --- top level -------------------------------------------------------------------
    def rule(self, data: Any) -> Rule:
        if not isinstance(data, CommentedMap):
            raise self.fail(data, "rule", "file must hold a mapping", "keys code, name, family, …")
        self._no_unknown(data, TOP_KEYS, "")
        reply_level = "reply" in data
        for key in ("code", "name", "family", "severity", "message", "why", "examples",
                    *(() if reply_level else ("match",))):
            if key not in data:
                raise self.fail(data, key, "missing required key")
        code = self._string(data, "code", "code")
        if not CODE_RE.match(code):
            raise self.fail(data, "code", f"bad code {code!r}", "letters then digits, such as RL201", "code")
        name = self._string(data, "name", "name")
        if not NAME_RE.match(name):
            raise self.fail(data, "name", f"bad name {name!r}", "lower-case words joined by '-'", "name")
        family = self._choice(data, "family", Family)
        severity = self._choice(data, "severity", Severity)
        reply = self._reply(data, family) if reply_level else None
        if reply is None:
            match, anchor = self._match(data["match"])
        else:
            match, anchor = Patterns(), Anchor.ANYWHERE
        rewrites = self._rewrites(data.get("rewrites"), data)
        self._check_placeholders(data, match, rewrites)
        unless = self._unless(data.get("unless"), data)
        examples = self._examples(data["examples"], data, bool(rewrites) or bool(reply and reply.add))
        return Rule(
            code=code, name=name, family=family, severity=severity, lang=self.lang,
            message=self._localized(data, "message"),
            why=" ".join(self._localized(data, "why").split()),
            summary=self._localized(data, "summary") if "summary" in data else "",
            match=match, anchor=anchor, unless=unless, rewrites=rewrites,
            examples=examples, path=self.path, shared=self.shared, reply=reply,
        )

    # --- helpers ---------------------------------------------------------------------
    def _no_unknown(self, node: CommentedMap, allowed: set[str], prefix: str) -> None:
        for key in node:
            if key not in allowed:
                raise self.fail(node, f"{prefix}{key}", "unknown key", "one of " + ", ".join(sorted(allowed)), key)

    def _string(self, node: Any, key: Any, shown: str) -> str:
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
            return self._string(node, key, key)
        for lang in value:
            if not isinstance(lang, str) or not LANG_RE.match(lang):
                raise self.fail(value, f"{key}.{lang}", f"bad language code {lang!r}",
                                "a language code such as en, sv or ms", lang)
            self._string(value, lang, f"{key}.{lang}")
        if "en" not in value:
            raise self.fail(node, f"{key}.en", "missing: a translated text needs an English fallback",
                            "an `en:` entry", key)
        return value[self.lang] if self.lang in value else value["en"]

    def _choice(self, node: CommentedMap, key: str, enum: type) -> Any:
        value = self._string(node, key, key)
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

    def _strings(self, node: Any, key: Any, shown: str) -> tuple[str, ...]:
        items = self._list(node, key, shown)
        return tuple(self._string(items, i, f"{shown}[{i}]") for i in range(len(items)))

    # --- match / unless --------------------------------------------------------------
    def _patterns(self, node: CommentedMap, prefix: str) -> Patterns:
        dot = f"{prefix}." if prefix else ""  # a list file has its patterns at the top
        phrases = self._strings(node, "phrases", f"{dot}phrases") if "phrases" in node else ()
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
            source = self._string(items, i, f"{shown}[{i}]")
            try:
                out.append(phrases.check(source, plain))
            except phrases.PhraseError as exc:
                raise self.fail(items, f"{shown}[{i}]", f"bad phrase {source!r}: {exc}",
                                "words, (a|b), [optional], *, word*, #, ^, !word, <flagged>, {word}, {list:name}",
                                i) from None
        return tuple(out)

    def _match(self, node: Any) -> tuple[Patterns, Anchor]:
        if not isinstance(node, CommentedMap):
            raise self.fail(node, "match", "must be a mapping", "keys says, phrases, tokens, regex, at")
        self._no_unknown(node, MATCH_KEYS, "match.")
        anchor = self._choice(node, "at", Anchor) if "at" in node else Anchor.ANYWHERE
        return self._patterns(node, "match"), anchor

    # --- reply-level rules -------------------------------------------------------------
    def _reply(self, data: CommentedMap, family: Family) -> ReplyCheck:
        """A `reply:` block: the moves that trigger the rule, those whose absence it reports,
        how long a reply must be, where the finding points and what sentence to add."""
        node = data["reply"]
        if family is not Family.STRUCTURE:
            raise self.fail(data, "reply", f"a reply-level rule belongs to the structure family, not {family.value!r}",
                            "family: structure", "reply")
        for key in ("match", "unless", "rewrites"):
            if key in data:
                raise self.fail(data, key, f"a reply-level rule takes no `{key}`",
                                "`reply:` with when / missing moves, and `add:` for the sentence to insert", key)
        if not isinstance(node, CommentedMap):
            raise self.fail(data, "reply", "must be a mapping", "keys " + ", ".join(sorted(REPLY_KEYS)), "reply")
        self._no_unknown(node, REPLY_KEYS, "reply.")
        if "when" not in node and "context" not in node:
            raise self.fail(node, "reply.when", "missing: the moves that make the rule apply "
                            "(`when` in the reply, or `context` in the customer's message)")
        if "missing" not in node and "share" not in node and "unanswered" not in node:
            raise self.fail(node, "reply.missing", "missing: say which moves the reply must make (`missing`), "
                            "what share of its sentences may make a `when` move (`share`), "
                            "or that the customer's questions must be answered (`unanswered`)")
        if "unanswered" in node and "context" not in node:
            raise self.fail(node, "reply.unanswered", "needs `context`: the moves that make a sentence of the "
                            "customer's message a question", "context: [context-question]", "unanswered")
        share = None
        if "share" in node:
            share = node["share"]
            if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
                raise self.fail(node, "reply.share", f"must be a number above 0 and at most 1, got {share!r}",
                                "a share such as 0.5", "share")
            share = float(share)
        return ReplyCheck(
            when=self._moves(node, "when") if "when" in node else (),
            missing=self._moves(node, "missing") if "missing" in node else (),
            share=share,
            min_words=self._count(node, "min-words", 25),
            min_sentences=self._count(node, "min-sentences", 2),
            point_at=self._choice(node, "point-at", PointAt) if "point-at" in node else PointAt.TRIGGER,
            add=self._strings(node, "add", "reply.add") if "add" in node else (),
            context=self._moves(node, "context") if "context" in node else (),
            unanswered=self._moves(node, "unanswered") if "unanswered" in node else (),
            **self._answered(node),
        )

    def _answered(self, node: CommentedMap) -> dict[str, tuple[Move, ...]]:
        """`answered: {context: [...], by: [...]}`: a sentence making a `by` move answers the
        customer (when their message makes a `context` move) and triggers nothing."""
        if "answered" not in node:
            return {}
        item = node["answered"]
        if not isinstance(item, CommentedMap) or set(item) != ANSWERED_KEYS:
            raise self.fail(node, "reply.answered", "must be a mapping with `context` and `by`",
                            "answered: {context: [context-yes-no-question], by: [answer-plain-no]}", "answered")
        return {"answered_context": self._moves(item, "context", "reply.answered."),
                "answered_by": self._moves(item, "by", "reply.answered.")}

    def _count(self, node: CommentedMap, key: str, default: int) -> int:
        if key not in node:
            return default
        value = node[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(node, f"reply.{key}", f"must be a whole number of at least 0, got {value!r}",
                            "a number such as 25", key)
        return value

    def _moves(self, node: CommentedMap, key: str, prefix: str = "reply.") -> tuple[Move, ...]:
        """Each entry names a shared list (`move-refusal`) or holds patterns of its own (`{says: [...]}`);
        one list may be named alone (`context: context-yes-no-question`)."""
        alone = isinstance(node.get(key), str)
        items: Any = [node[key]] if alone else self._list(node, key, f"{prefix}{key}")
        out = []
        for i, item in enumerate(items):
            shown = f"{prefix}{key}" if alone else f"{prefix}{key}[{i}]"
            where, at = (node, key) if alone else (items, i)
            if isinstance(item, str):
                if item not in self.lists:
                    known = ", ".join(sorted(self.lists)) or "none"
                    raise self.fail(where, shown, f"unknown list {item!r}",
                                    f"a file <lang>/_lists/{item}.yaml; lists here: {known}", at)
                patterns = self.lists[item]
                if patterns is None:
                    raise self.fail(where, shown, f"list {item!r} could not be loaded (see its own error)",
                                    "a valid list file", at)
                out.append(Move(name=item, patterns=patterns))
            elif isinstance(item, CommentedMap):
                self._no_unknown(item, MOVE_KEYS, f"{shown}.")
                out.append(Move(name="", patterns=self._patterns(item, shown)))
            else:
                raise self.fail(where, shown, "must be a list name or a mapping of patterns",
                                "move-refusal, or {says: [\"...\"]}", at)
        return tuple(out)

    def _unless(self, node: Any, parent: CommentedMap) -> tuple[Unless, ...]:
        if node is None:
            return ()
        if not isinstance(node, CommentedSeq):
            raise self.fail(parent, "unless", "must be a list of exceptions", "a YAML list", "unless")
        out = []
        for i, item in enumerate(node):
            key = f"unless[{i}]"
            if not isinstance(item, CommentedMap):
                raise self.fail(node, key, "must be a mapping", "keys within, phrases/tokens/regex, example", i)
            self._no_unknown(item, UNLESS_KEYS, f"{key}.")
            if "example" not in item:
                raise self.fail(item, f"{key}.example", "missing: every exception needs an example it rescues")
            window = self._choice(item, "within", Window) if "within" in item else Window.SENTENCE
            out.append(Unless(
                patterns=self._listed(item, key) if "list" in item else self._patterns(item, key), window=window,
                example=self._string(item, "example", f"{key}.example"),
                line=self._line(node, i),
                context=self._moves(item, "context", f"{key}.") if "context" in item else (),
            ))
        return tuple(out)

    def _listed(self, item: CommentedMap, key: str) -> Patterns:
        """The patterns of the shared list an exception names (`list: alternative-offered`)."""
        inline = [k for k in ("says", "phrases", "tokens", "regex") if k in item]
        if inline:
            raise self.fail(item, f"{key}.{inline[0]}", "cannot be combined with `list`",
                            "either `list: name` or phrases/tokens/regex in one exception", inline[0])
        name = self._string(item, "list", f"{key}.list")
        if name not in self.lists:
            known = ", ".join(sorted(self.lists)) or "none"
            raise self.fail(item, f"{key}.list", f"unknown list {name!r}",
                            f"a file <lang>/_lists/{name}.yaml; lists here: {known}", "list")
        patterns = self.lists[name]
        if patterns is None:
            raise self.fail(item, f"{key}.list", f"list {name!r} could not be loaded (see its own error)",
                            "a valid list file", "list")
        return patterns

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
                    out[op] = list(self._strings(value, op, f"{shown}.{op}"))
                elif op == "REGEX":
                    out[op] = self._string(value, op, f"{shown}.{op}")
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
            return {op: list(self._strings(arg, op, f"{shown}.{op}")) for op in arg}
        return self._string(value, "FUZZY", shown)

    def _regexes(self, node: CommentedMap, shown: str) -> tuple[str, ...]:
        items = self._list(node, "regex", shown)
        out = []
        for i in range(len(items)):
            source = self._string(items, i, f"{shown}[{i}]")
            self._compile(items, i, f"{shown}[{i}]")
            out.append(source)
        return tuple(out)

    def _compile(self, node: Any, key: Any, shown: str) -> None:
        try:
            compile_regex(node[key])
        except regex.error as exc:
            raise self.fail(node, shown, f"invalid regular expression: {exc}", "a `regex` module pattern",
                            key) from None

    # --- rewrites / examples ---------------------------------------------------------
    def _rewrites(self, node: Any, parent: CommentedMap) -> tuple[Rewrite, ...]:
        if node is None:
            return ()
        if not isinstance(node, CommentedSeq):
            raise self.fail(parent, "rewrites", "must be a list", "a list of {replace, safe}", "rewrites")
        out = []
        for i, item in enumerate(node):
            key = f"rewrites[{i}]"
            if not isinstance(item, CommentedMap):
                raise self.fail(node, key, "must be a mapping", "{replace: ..., safe: false}", i)
            self._no_unknown(item, REWRITE_KEYS, f"{key}.")
            if "replace" not in item or not isinstance(item["replace"], str):
                raise self.fail(item, f"{key}.replace", "missing or not a string", "a quoted string (may be \"\")")
            safe = item.get("safe", False)
            if not isinstance(safe, bool):
                raise self.fail(item, f"{key}.safe", f"must be true or false, got {safe!r}", "a boolean", "safe")
            out.append(Rewrite(replace=item["replace"], safe=safe))
        return tuple(out)

    def _check_placeholders(self, data: CommentedMap, match: Patterns, rewrites: tuple[Rewrite, ...]) -> None:
        known = {"match"}.union(*(compile_regex(source).groupindex for source in match.regex))
        for i, rewrite in enumerate(rewrites):
            unknown = placeholders(rewrite.replace) - known
            if unknown:
                raise self.fail(data["rewrites"], f"rewrites[{i}].replace",
                                f"unknown placeholder {{{sorted(unknown)[0]}}}",
                                "{match} or a named group of a match regex: " + ", ".join(sorted(known)), i)

    def _examples(self, node: Any, parent: CommentedMap, has_rewrites: bool) -> Examples:
        if not isinstance(node, CommentedMap):
            raise self.fail(parent, "examples", "must be a mapping", "keys flagged, allowed, instead", "examples")
        self._no_unknown(node, EXAMPLE_KEYS, "examples.")
        for key in ("flagged", "allowed"):
            if key not in node:
                raise self.fail(node, f"examples.{key}", "missing: every rule needs flagged and allowed examples")
        flagged_node = self._list(node, "flagged", "examples.flagged")
        flagged = []
        for i, item in enumerate(flagged_node):
            key = f"examples.flagged[{i}]"
            if isinstance(item, str):
                text, fixed = item, None
            elif isinstance(item, CommentedMap):
                self._no_unknown(item, FLAGGED_KEYS, f"{key}.")
                if "text" not in item:
                    raise self.fail(item, f"{key}.text", "missing")
                text = self._string(item, "text", f"{key}.text")
                fixed = item.get("fixed")
                if fixed is not None and not isinstance(fixed, str):
                    raise self.fail(item, f"{key}.fixed", "must be a string", "the text after the first rewrite")
            else:
                raise self.fail(flagged_node, key, "must be a string or {text, fixed}", "a marked sentence", i)
            if not parse_marked(text)[1]:
                raise self.fail(flagged_node, key, "no flagged span marked", "the flagged part as [[...]]", i)
            if has_rewrites and fixed is None:
                raise self.fail(flagged_node, f"{key}.fixed", "missing: the rule has rewrites, so say the "
                                "text after applying the first one", "fixed: \"...\"", i)
            flagged.append(FlaggedExample(text=text, fixed=fixed))
        allowed = self._strings(node, "allowed", "examples.allowed")
        instead = self._strings(node, "instead", "examples.instead") if "instead" in node else ()
        return Examples(flagged=tuple(flagged), allowed=allowed, instead=instead)
