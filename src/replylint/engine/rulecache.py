"""The parsed-rule cache on disk: plain JSON data, signed with a per-user secret key.

The cache folder may be shared or restored from a CI cache, so its files are untrusted:
they are JSON (loading them runs no code, unlike a pickle) and carry an HMAC-SHA256 made
with a 32-byte key that only this user can read (`~/.config/replylint/cache.key`, mode
0600, kept outside the cache folder). A file with a bad or missing signature, or one made
for other rule files, is ignored and the rules are parsed again; without a usable key
nothing is cached.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from replylint.errors import RuleFileError

from . import phrases as phrase_language
from . import prefilter
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

# 2: with the phrases' translations; 3: and their start words; 4: thread context;
# 5: focus-first context, the shared lists
MAGIC = b"replylint-rules-6 "
KEY_BYTES = 32
MAX_CACHE_BYTES = 64_000_000


def cache_home() -> Path | None:
    """replylint's folder in the user's cache (`$REPLYLINT_CACHE_DIR`, else `$XDG_CACHE_HOME`,
    else `~/.cache`), shared by the parsed rules and the language identifier's tables; None when
    `REPLYLINT_NO_RULE_CACHE` turns caching off."""
    if os.environ.get("REPLYLINT_NO_RULE_CACHE"):
        return None
    base = os.environ.get("REPLYLINT_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "replylint"


def key_file() -> Path:
    """The secret key's home: the user's config folder, never the (shareable) cache folder."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "replylint" / "cache.key"


def secret_key() -> bytes | None:
    """This user's key, created on first use; None when it cannot be made or is not private."""
    path = key_file()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return _create_key(path)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        private = stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077
        if not private or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            return None
        key = handle.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _create_key(path: Path) -> bytes | None:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return None  # another process made it just now: no cache this once
    except OSError:
        return None
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _sign(key: bytes, name: str, payload: bytes) -> bytes:
    return hmac.new(key, name.encode() + b"\0" + payload, hashlib.sha256).hexdigest().encode()


def load(path: Path, key: bytes) -> tuple[tuple[Rule, ...], tuple[RuleFileError, ...],
                                          dict[str, Patterns | None]] | None:
    """The rules, errors and shared lists stored at `path`, or None when missing, unsigned or altered."""
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_CACHE_BYTES:
                return None
            blob = handle.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    header, _, payload = blob.partition(b"\n")
    if not header.startswith(MAGIC):
        return None
    if not hmac.compare_digest(header[len(MAGIC):], _sign(key, path.stem, payload)):
        return None
    try:
        data = json.loads(payload)
        rules = tuple(_rule(item) for item in data["rules"])
        errors = tuple(RuleFileError(*item) for item in data["errors"])
        translations = {source: _translation(item) for source, item in data["phrases"].items()}
        lists = {name: None if item is None else _patterns(item) for name, item in data["lists"].items()}
        gates = {source: _gate(item) for source, item in data["regex_gates"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    phrase_language.remember(translations)
    prefilter.remember(gates)
    return rules, errors, lists


def store(path: Path, key: bytes, rules: tuple[Rule, ...], errors: tuple[RuleFileError, ...],
          lists: Mapping[str, Patterns | None] | None = None) -> None:
    """Write the rules (and the shared lists they can name) to `path` atomically (temp file,
    then rename); errors are ignored."""
    data = {"rules": [_rule_data(rule) for rule in rules], "errors": [list(e._init_args) for e in errors],
            "phrases": _translations_data(rules), "regex_gates": _regex_gates_data(rules),
            "lists": {name: None if p is None else _patterns_data(p) for name, p in (lists or {}).items()}}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + _sign(key, path.stem, payload) + b"\n" + payload)
        temporary.replace(path)
    except OSError:
        pass  # no cache folder: every start parses, nothing else changes


# --- Rule <-> JSON ---------------------------------------------------------------------
def _translations_data(rules: tuple[Rule, ...]) -> dict[str, list]:
    """Every `says` phrase's translation (a phrase that does not translate is left out: the
    compile step reports it as the rule's error)."""
    out: dict[str, list] = {}
    for rule in rules:
        moves = (*rule.reply.when, *rule.reply.missing) if rule.reply is not None else ()
        for patterns in (rule.match, *(e.patterns for e in rule.unless), *(m.patterns for m in moves)):
            for source in patterns.says:
                if source in out:
                    continue
                try:
                    t = phrase_language.translate(source)
                except phrase_language.PhraseError:
                    continue
                out[source] = [t.lemma, t.regex, None if t.gate is None else [sorted(g) for g in t.gate],
                               None if t.starts is None else sorted(t.starts)]
    return out


def _regex_gates_data(rules: tuple[Rule, ...]) -> dict[str, list | None]:
    """The literal gate of every raw `regex:` pattern (prefilter.required_literal_sets)."""
    out: dict[str, list | None] = {}
    for rule in rules:
        for patterns in (rule.match, *(e.patterns for e in rule.unless)):
            for source in patterns.regex:
                if source not in out:
                    gate = prefilter.required_literal_sets(source)
                    out[source] = None if gate is None else [sorted(g) for g in gate]
    return out


def _gate(item: list | None) -> prefilter.Gates | None:
    if item is None:
        return None
    if not isinstance(item, list) or not all(isinstance(g, list) for g in item):
        raise TypeError("bad regex gate")
    return tuple(frozenset(str(w) for w in words) for words in item)


def _translation(item: list) -> phrase_language.Translation:
    lemma, regex, gate, starts = item
    if not isinstance(lemma, bool) or not (regex is None or isinstance(regex, str)):
        raise TypeError("bad phrase translation")
    sets = None if gate is None else tuple(frozenset(str(w) for w in words) for words in gate)
    return phrase_language.Translation(lemma=lemma, regex=regex, gate=sets,
                                       starts=None if starts is None else frozenset(map(str, starts)))


def _patterns_data(p: Patterns) -> dict[str, Any]:
    return {"phrases": p.phrases, "tokens": p.tokens, "regex": p.regex, "says": p.says}


def _rule_data(r: Rule) -> dict[str, Any]:
    return {
        "code": r.code, "name": r.name, "family": r.family.value, "severity": r.severity.value, "lang": r.lang,
        "message": r.message, "why": r.why, "match": _patterns_data(r.match), "anchor": r.anchor.value,
        "unless": [{"patterns": _patterns_data(e.patterns), "window": e.window.value, "example": e.example,
                    "line": e.line, "context": _moves_data(e.context)} for e in r.unless],
        "rewrites": [[w.replace, w.safe] for w in r.rewrites],
        "examples": {"flagged": [[f.text, f.fixed] for f in r.examples.flagged],
                     "allowed": r.examples.allowed, "instead": r.examples.instead},
        "path": r.path, "summary": r.summary, "shared": r.shared,
        "reply": None if r.reply is None else _reply_data(r.reply),
    }


def _moves_data(items: tuple[Move, ...]) -> list:
    return [[m.name, _patterns_data(m.patterns)] for m in items]


def _moves(items: list) -> tuple[Move, ...]:
    return tuple(Move(name=name, patterns=_patterns(p)) for name, p in items)


def _reply_data(c: ReplyCheck) -> dict[str, Any]:
    moves = _moves_data
    return {"when": moves(c.when), "missing": moves(c.missing), "share": c.share, "min_words": c.min_words,
            "min_sentences": c.min_sentences, "point_at": c.point_at.value, "add": c.add,
            "context": moves(c.context), "unanswered": moves(c.unanswered),
            "answered_context": moves(c.answered_context), "answered_by": moves(c.answered_by)}


def _reply(d: dict[str, Any] | None) -> ReplyCheck | None:
    if d is None:
        return None
    return ReplyCheck(when=_moves(d["when"]), missing=_moves(d["missing"]), share=d["share"],
                      min_words=d["min_words"], min_sentences=d["min_sentences"], point_at=PointAt(d["point_at"]),
                      add=tuple(d["add"]), context=_moves(d.get("context", [])),
                      unanswered=_moves(d.get("unanswered", [])),
                      answered_context=_moves(d.get("answered_context", [])),
                      answered_by=_moves(d.get("answered_by", [])))


def _patterns(d: dict[str, Any]) -> Patterns:
    return Patterns(phrases=tuple(d["phrases"]), tokens=tuple(tuple(dict(s) for s in p) for p in d["tokens"]),
                    regex=tuple(d["regex"]), says=tuple(d.get("says", ())))


def _rule(d: dict[str, Any]) -> Rule:
    ex = d["examples"]
    return Rule(
        code=d["code"], name=d["name"], family=Family(d["family"]), severity=Severity(d["severity"]),
        lang=d["lang"], message=d["message"], why=d["why"], match=_patterns(d["match"]),
        anchor=Anchor(d["anchor"]),
        unless=tuple(Unless(patterns=_patterns(e["patterns"]), window=Window(e["window"]),
                                example=e["example"], line=e["line"], context=_moves(e.get("context", [])))
                     for e in d["unless"]),
        rewrites=tuple(Rewrite(replace=replace, safe=safe) for replace, safe in d["rewrites"]),
        examples=Examples(flagged=tuple(FlaggedExample(text=t, fixed=f) for t, f in ex["flagged"]),
                          allowed=tuple(ex["allowed"]), instead=tuple(ex["instead"])),
        path=d["path"], summary=d["summary"], shared=d["shared"], reply=_reply(d.get("reply")),
    )
