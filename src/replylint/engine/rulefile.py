"""Reading one rule YAML file and validating every field into a `Rule`.

Errors name the file, the line and the key, say what is wrong and what was expected, so a
team writing its own rules never needs to read Python to fix them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

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
from .patternfile import NAME_RE, PatternReader, compile_regex, read_document
from .rewrites import placeholders
from .rulelists import lists_near

CODE_RE = re.compile(r"^[A-Z]{2,6}\d{2,5}$")

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


def load_rule_file(path: Path, lang: str, shared: bool = False,
                   lists: Mapping[str, Patterns | None] | None = None) -> Rule:
    """Parse and validate one rule file; raise RuleFileError naming the line and key.

    `lang` is the language the rule will run in; a `shared` (language-independent) rule
    takes its message, why and summary in that language when the file has them. `lists`
    are the shared lists an `unless: [{list: name}]` entry may name (see rulelists); by
    default those beside the file's family folder and the bundled pack's."""
    data = read_document(path)
    if lists is None:
        lists = lists_near(path)
    return RuleReader(str(path), lang, shared, lists).rule(data)


class RuleReader(PatternReader):
    """Validates a parsed rule document into a `Rule` (the pattern keys come from PatternReader)."""

    # --- top level -------------------------------------------------------------------
    def rule(self, data: Any) -> Rule:
        if not isinstance(data, CommentedMap):
            raise self.fail(data, "rule", "file must hold a mapping", "keys code, name, family, …")
        self.no_unknown(data, TOP_KEYS, "")
        reply_level = "reply" in data
        for key in ("code", "name", "family", "severity", "message", "why", "examples",
                    *(() if reply_level else ("match",))):
            if key not in data:
                raise self.fail(data, key, "missing required key")
        code = self.string(data, "code", "code")
        if not CODE_RE.match(code):
            raise self.fail(data, "code", f"bad code {code!r}", "letters then digits, such as RL201", "code")
        name = self.string(data, "name", "name")
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

    def _match(self, node: Any) -> tuple[Patterns, Anchor]:
        if not isinstance(node, CommentedMap):
            raise self.fail(node, "match", "must be a mapping", "keys says, phrases, tokens, regex, at")
        self.no_unknown(node, MATCH_KEYS, "match.")
        anchor = self._choice(node, "at", Anchor) if "at" in node else Anchor.ANYWHERE
        return self.patterns(node, "match"), anchor

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
        self.no_unknown(node, REPLY_KEYS, "reply.")
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
            add=self.strings(node, "add", "reply.add") if "add" in node else (),
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
                self.no_unknown(item, MOVE_KEYS, f"{shown}.")
                out.append(Move(name="", patterns=self.patterns(item, shown)))
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
            self.no_unknown(item, UNLESS_KEYS, f"{key}.")
            if "example" not in item:
                raise self.fail(item, f"{key}.example", "missing: every exception needs an example it rescues")
            window = self._choice(item, "within", Window) if "within" in item else Window.SENTENCE
            out.append(Unless(
                patterns=self._listed(item, key) if "list" in item else self.patterns(item, key), window=window,
                example=self.string(item, "example", f"{key}.example"),
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
        name = self.string(item, "list", f"{key}.list")
        if name not in self.lists:
            known = ", ".join(sorted(self.lists)) or "none"
            raise self.fail(item, f"{key}.list", f"unknown list {name!r}",
                            f"a file <lang>/_lists/{name}.yaml; lists here: {known}", "list")
        patterns = self.lists[name]
        if patterns is None:
            raise self.fail(item, f"{key}.list", f"list {name!r} could not be loaded (see its own error)",
                            "a valid list file", "list")
        return patterns

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
            self.no_unknown(item, REWRITE_KEYS, f"{key}.")
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
        self.no_unknown(node, EXAMPLE_KEYS, "examples.")
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
                self.no_unknown(item, FLAGGED_KEYS, f"{key}.")
                if "text" not in item:
                    raise self.fail(item, f"{key}.text", "missing")
                text = self.string(item, "text", f"{key}.text")
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
        allowed = self.strings(node, "allowed", "examples.allowed")
        instead = self.strings(node, "instead", "examples.instead") if "instead" in node else ()
        return Examples(flagged=tuple(flagged), allowed=allowed, instead=instead)
