"""The phrase language of `says:` patterns: wording a support lead can read and write.

    "(we|I) (will|'ll) not discuss * further"    alternatives, one any word
    "{refuse} your [original] (request|claim)"    any form of a word, an optional word
    "you {list:modal-verbs} have known"          a shared list's phrases as alternatives
    "refund* (is|are) not (possible|available)"  a word by its start (`refund*`) or end (`*able`)
    "within # days"                              any number
    "^ no, (we|I) (can't|cannot)"                only at the start of a sentence or line
    "no thanks $"                                only at the end of a line or the text
    "<as I said> , that"                         a word of marks only (, : —) may be glued to the last
    "!(if|unless) we can't help"                 not after "if" / "unless" (`!` first: before)
    "there is no refund !(fee|charge)"           not followed by "fee" / "charge" ("no!": a plain "!")
    "(offer|deal) (is|are) <no longer available>"  only the words in <…> are flagged

Words match case-insensitively, as written ("won't" does not match "will not": write both),
with either apostrophe (’ or '); any run of spaces or tabs between words matches one space,
never a line break. A phrase compiles one of two ways, chosen per phrase:

- with a `{word}` slot: spaCy Matcher token patterns, since a lemma is a per-token attribute
  only the tokenized text has (the phrase's alternatives are expanded into plain sequences);
- without one: one regex, whose literal gate (prefilter) skips it in most texts for free and
  whose alternatives stay one pattern however many there are.

`parse` checks a phrase and names the problem in plain words (PhraseError); the rule loader
turns that into a rule-file error with file and line.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

SPECIAL = set("()[]{}|*!<>")
MAX_SEQUENCES = 512  # expansions of one token-mode phrase; more is a sign to split it
MAX_WILD = 12
_SLOT_WORD = re.compile(r"^[^\W\d_][\w'’-]*$")
_LIST_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SEP = " "  # phrases run over `Spaced` text: each run of blanks (not line breaks) is one space
BLANKS = {ord(ch): " " for ch in map(chr, range(0x3000 + 1)) if ch.isspace() and ch != "\n"}
WILD_WORD = r"[^\s.!?,;:]+"  # a wildcard's word: no sentence end, no comma (it may stand between words)
START = r"(?:(?<![\w'’]|[^\W\d_]-)|(?![\w'’]))"  # not inside a word, nor after "pre-" of "pre-paid"
END = r"(?!\w|-[^\W\d_])"  # not inside a word, nor before "-quibble" of "no-quibble"
PAUSE = r"[,;:]?"  # a comma may follow a wildcard's word: "this, or anything, further"
NUMBER = r"\d+(?:[.,:]\d+)*"
SENTENCE_START = r"(?<=(?:^|\n|[.!?…][\"'”’)]* +|[:;] +) *(?:[>*•–-] *)*)"


class PhraseError(ValueError):
    """A malformed phrase; the message says what is wrong in plain words."""


@dataclass(frozen=True)
class Word:
    text: str
    spaced: bool = True  # a space before it (False: glued to what precedes, as in "e-(mail|post)")


@dataclass(frozen=True)
class Lemma:
    word: str
    spaced: bool = True


@dataclass(frozen=True)
class Number:
    spaced: bool = True


@dataclass(frozen=True)
class Start:
    """`^`: the phrase starts a sentence or a line."""

    spaced: bool = True


@dataclass(frozen=True)
class End:
    """`$` last: nothing but spaces follows the phrase on its line."""

    spaced: bool = True


@dataclass(frozen=True)
class Not:
    """`!word` / `!(a|b)`: the next words are not these (first in a phrase: the words before)."""

    group: Group
    spaced: bool = True


@dataclass(frozen=True)
class Wild:
    most: int  # one to `most` words
    spaced: bool = True


@dataclass(frozen=True)
class Group:
    branches: tuple[tuple[object, ...], ...]
    optional: bool = False
    spaced: bool = True


Item = Word | Lemma | Wild | Group | Number | Start | End | Not


def normalize(source: str) -> str:
    """Curly apostrophes straightened and blanks folded, as texts are before matching."""
    return " ".join(source.replace("’", "'").replace("‘", "'").split())


# --- parsing ---------------------------------------------------------------------------
class _Parser:
    def __init__(self, source: str, lists: Mapping[str, tuple[str, ...] | None] | None) -> None:
        self.text = normalize(source)
        self.pos = 0
        self.lists = lists
        self.negating = False  # inside `!(…)`, whose words always stand apart from the word before

    def parse(self, context: bool = False) -> Group:
        """The parsed words; a context part (before `<` or after `>`) may lack a fixed word,
        as in `^ <you people>`, since the flagged part carries the phrase's gate."""
        if not self.text:
            raise PhraseError("the phrase is empty")
        top = self.branches(closer=None)
        if self.pos < len(self.text):
            raise PhraseError(f"'{self.text[self.pos]}' at character {self.pos + 1} closes nothing")
        if not context and not any(_fixed(branch) for branch in top.branches):
            raise PhraseError("the phrase has no fixed word: every word in it is optional or a wildcard")
        return top

    def branches(self, closer: str | None, optional: bool = False, spaced: bool = True) -> Group:
        opened = self.pos
        branches: list[tuple[Item, ...]] = []
        current: list[Item] = []
        space = True
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == " ":
                if not spaced and not current and not self.negating:
                    raise PhraseError(f"the space at character {self.pos + 1} starts an alternative of a group "
                                      "glued to the word before it, which would glue that word on too: "
                                      "write whole words, as in (you're|you are), not you('re| are)")
                space = True
                self.pos += 1
                continue
            if ch in ")]":
                if ch != closer:
                    raise PhraseError(f"'{ch}' at character {self.pos + 1} closes nothing"
                                      if closer is None else
                                      f"'{ch}' at character {self.pos + 1} does not match the open "
                                      f"'{'(' if closer == ')' else '['}' at character {opened}")
                self.pos += 1
                branches.append(self._branch(current, closer))
                return Group(tuple(branches), optional, spaced)
            if ch == "|":
                branches.append(self._branch(current, closer))
                current = []
                space = True
                self.pos += 1
                continue
            current.append(self.item((space and bool(current)) or (not current and spaced)))
            space = False
        if closer is not None:
            raise PhraseError(f"the '{'(' if closer == ')' else '['}' at character {opened} is never closed "
                              f"(missing '{closer}')")
        branches.append(self._branch(current, closer))
        return Group(tuple(branches), optional, spaced)

    def _branch(self, items: list[Item], closer: str | None) -> tuple[Item, ...]:
        if not items:
            where = "in (…)" if closer == ")" else "in […]" if closer == "]" else "in the phrase"
            raise PhraseError(f"empty alternative {where}: nothing between '|' or a bracket")
        return tuple(items)

    def item(self, spaced: bool) -> Item:
        ch = self.text[self.pos]
        if ch == "(":
            self.pos += 1
            return self.branches(")", False, spaced)
        if ch == "[":
            self.pos += 1
            return self.branches("]", True, spaced)
        if ch == "{":
            return self.slot(spaced)
        if ch == "}":
            raise PhraseError(f"'}}' at character {self.pos + 1} closes nothing")
        if ch == "*" and not _affix_at(self.text, self.pos):
            return self.wild(spaced)
        if ch == "#":
            self.pos += 1
            return Number(spaced)
        if ch == "$" and self.pos == len(self.text) - 1 and self.pos:
            self.pos += 1
            return End(spaced)
        if ch == "^":
            if self.pos != 0:
                raise PhraseError(f"'^' at character {self.pos + 1}: '^' (start of a sentence) can only "
                                  "begin the phrase")
            self.pos += 1
            return Start(spaced)
        if ch == "!":
            return self.negation(spaced)
        if ch in "<>":
            raise PhraseError(f"'{ch}' at character {self.pos + 1}: mark the flagged words once, as "
                              "'words <flagged words> words', outside any ( ) or [ ]")
        end = self.pos
        while end < len(self.text) and self.text[end] != " " and (
                self.text[end] not in SPECIAL or (self.text[end] == "*" and _affix_at(self.text, end))
                or (self.text[end] == "!" and end > self.pos)):  # "no!": a mark inside a word is a letter
            end += 1
        word = self.text[self.pos:end]
        self.pos = end
        if "**" in word or re.search(r"\*\d", word):
            raise PhraseError(f"{word!r}: a '*' inside a word stands for any letters (refund*, *able); "
                              "a word count goes on a '*' of its own (*3)")
        return Word(word, spaced)

    def wild(self, spaced: bool) -> Item:
        """`*` or `*N`: one to N words of any kind."""
        m = re.compile(r"\*(\d*)").match(self.text, self.pos)
        assert m is not None
        self.pos = m.end()
        most = int(m.group(1) or 1)
        if not 1 <= most <= MAX_WILD:
            raise PhraseError(f"'*{m.group(1)}' stands for 1 to {MAX_WILD} words")
        return Wild(most, spaced)

    def negation(self, spaced: bool) -> Item:
        """`!word` or `!(a|b)`: a word that must not stand here."""
        self.pos += 1
        if self.pos >= len(self.text) or self.text[self.pos] in " )]|!*#^<>":
            raise PhraseError(f"'!' at character {self.pos} must be followed by a word or a (…) group")
        self.negating = True
        try:
            negated = self.item(False)
        finally:
            self.negating = False
        if isinstance(negated, Word):
            negated = Group(((negated,),))
        if not isinstance(negated, Group) or negated.optional or _has_slot(negated):
            raise PhraseError(f"'!' at character {self.pos}: write !word or !(word|other words); "
                              "not [ ], * or a {slot}")
        return Not(negated, spaced)

    def slot(self, spaced: bool) -> Item:
        close = self.text.find("}", self.pos)
        if close < 0:
            raise PhraseError(f"the '{{' at character {self.pos + 1} is never closed (missing '}}')")
        inside = self.text[self.pos + 1:close].strip()
        self.pos = close + 1
        if inside.startswith("list:"):
            return self.listed(inside[5:].strip(), spaced)
        if not _SLOT_WORD.match(inside):
            raise PhraseError(f"{{{inside}}} is not a slot: write one word, {{refuse}} (any form of it), "
                              "or {list:name}")
        return Lemma(inside.lower(), spaced)

    def listed(self, name: str, spaced: bool) -> Item:
        if not _LIST_NAME.match(name):
            raise PhraseError(f"{{list:{name}}}: a list name is lower-case words joined by '-'")
        if self.lists is None:
            raise PhraseError(f"{{list:{name}}}: no shared lists are available here")
        if name not in self.lists:
            known = ", ".join(sorted(self.lists)) or "none"
            raise PhraseError(f"unknown list {name!r} in {{list:{name}}} (lists here: {known})")
        phrases = self.lists[name]
        if phrases is None:
            raise PhraseError(f"list {name!r} holds regex or token patterns (or is broken); inside a phrase "
                              "only a list of plain `phrases` can be used")
        branches: list[tuple[Item, ...]] = []
        for phrase in phrases:
            text = normalize(phrase)
            if not text or "^" in text or "<" in text or text.startswith("!") or "{" in text:
                raise PhraseError(f"list {name!r} has the phrase {phrase!r}, which cannot go inside a phrase "
                                  "(it is empty, or uses ^, <…>, a leading ! or a {{slot}})")
            branches.extend(_Parser(text, None).parse().branches)
        return Group(tuple(branches), False, spaced)


def _affix_at(text: str, pos: int) -> bool:
    """A `*` that is part of a word (refund*, *able), not a wildcard of whole words (*, *3)."""
    after = text[pos + 1:pos + 2]
    before = text[pos - 1:pos] if pos else ""
    return bool(re.match(r"[^\W\d_]", after)) or (bool(re.match(r"\w", before)) and before not in SPECIAL)


def _has_slot(group: Group) -> bool:
    return any(isinstance(i, Lemma) or (isinstance(i, Group) and _has_slot(i))
               for b in group.branches for i in b)


def _fixed(items: tuple[object, ...]) -> bool:
    """Whether a branch always holds a word or slot (not only optional parts and wildcards)."""
    for item in items:
        if isinstance(item, (Word, Lemma, Number)):
            return True
        if isinstance(item, Group) and not item.optional and all(_fixed(b) for b in item.branches):
            return True
    return False


@dataclass(frozen=True)
class Phrase:
    """A parsed phrase: the flagged words, and the words that must stand before / after them
    without being flagged (`before <flagged> after`)."""

    focus: Group
    before: Group | None = None
    after: Group | None = None

    def parts(self) -> tuple[Group, ...]:
        return tuple(g for g in (self.before, self.focus, self.after) if g is not None)


def _focus_split(text: str) -> tuple[str | None, str, str | None]:
    """The phrase split at its `<` and `>` marks (outside brackets), or whole when it has none."""
    marks = [i for i, ch in enumerate(text) if ch in "<>"]
    if not marks:
        return None, text, None
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch in "<>" and depth:
            raise PhraseError(f"'{ch}' at character {i + 1}: mark the flagged words outside any ( ) or [ ]")
    if len(marks) != 2 or text[marks[0]] != "<" or text[marks[1]] != ">":
        raise PhraseError("mark the flagged words once, as 'words <flagged words> words' (one '<', then one '>')")
    start, end = marks
    before, focus, after = text[:start].strip(), text[start + 1:end].strip(), text[end + 1:].strip()
    if not focus:
        raise PhraseError("nothing between '<' and '>': put the flagged words inside")
    if not before and not after:
        raise PhraseError("'<…>' marks the flagged part of a longer phrase; here it is the whole phrase")
    return before or None, focus, after or None


def parse(source: str, lists: Mapping[str, tuple[str, ...] | None] | None = None) -> Phrase:
    """The phrase as a tree; PhraseError naming the problem when it is malformed.

    `lists` maps list names to their plain phrases (None: the list has other patterns)."""
    before, focus, after = _focus_split(normalize(source))
    if ("^" in focus and before is not None) or (after is not None and "^" in after):
        raise PhraseError("'^' (start of a sentence) can only begin the phrase")
    parsed = Phrase(_Parser(focus, lists).parse(),
                    None if before is None else _Parser(before, lists).parse(context=True),
                    None if after is None else _Parser(after, lists).parse(context=True))
    return parsed


def resolve(source: str, lists: Mapping[str, tuple[str, ...] | None] | None = None) -> str:
    """The phrase checked, with each `{list:name}` replaced by the list's phrases as `(a|b|c)`,
    so the stored phrase no longer depends on the list files."""
    parse(source, lists)

    def splice(m: re.Match) -> str:
        phrases = (lists or {})[m.group(1).strip()] or ()
        return "(" + "|".join(normalize(p) for p in phrases) + ")"

    return normalize(re.sub(r"\{\s*list:\s*([^}]*)\}", splice, normalize(source)))


def uses_lemma(source: str) -> bool:
    """A phrase with a `{word}` slot: it runs as token patterns with lemmas."""
    known = _remembered.get(source)
    if known is not None:
        return known.lemma
    return any(_has_slot(part) for part in _parsed(source).parts())


_NOT_MARK = re.compile(r"!(?=[(\[{<\w])")  # compiled once: reach() runs for every phrase at each start


def reach(source: str) -> str:
    """How far a phrase's match, context and lookarounds included, may run: within one
    sentence ("sentence"), or, for a phrase holding a sentence mark or `$`, within one line
    ("line"). No phrase crosses a line break: its spaces and wildcards never match one."""
    marks = _NOT_MARK.sub("", source)  # a `!` that starts a "not" part is no mark
    return "line" if any(ch in marks for ch in ".!?…$") else "sentence"


_TRAILING = " \"'”’)]>"


def within_sentence(source: str) -> bool:
    """Whether a phrase's match and lookarounds stay inside one sentence: its reach is a
    sentence, or its only sentence marks end it ("…, don't you?"), after its last word. Such a
    phrase finds the same in a text cut after a sentence's end mark (paragraph_cache.py)."""
    if reach(source) == "sentence":
        return True
    body = _NOT_MARK.sub("", source).rstrip(_TRAILING).rstrip(".!?…").rstrip(_TRAILING)
    return not any(ch in body for ch in ".!?…$")


# --- translations kept between processes ---------------------------------------------------
@dataclass(frozen=True, slots=True)
class Translation:
    """What a phrase compiles to, as plain data: parsing and translating the bundled phrases
    costs seconds, so the rule cache keeps this beside the rules (see rulecache)."""

    lemma: bool
    regex: str | None  # None for a phrase with a `{word}` slot (token patterns, built per run)
    gate: tuple[frozenset[str], ...] | None
    starts: frozenset[str] | None = None  # see start_words


_remembered: dict[str, Translation] = {}


def translate(source: str) -> Translation:
    """A phrase's translation, worked out once and remembered (the compile step after a
    cache miss then reuses it); raises PhraseError."""
    known = _remembered.get(source)
    if known is None:
        lemma = uses_lemma(source)
        known = _remembered[source] = Translation(lemma=lemma, regex=None if lemma else to_regex(source),
                                                  gate=None if lemma else gate_sets(source),
                                                  starts=None if lemma else start_words(source))
    return known


def remember(translations: Mapping[str, Translation]) -> None:
    """Take translations worked out by an earlier process (read from the signed rule cache)."""
    _remembered.update(translations)


@cache
def _parsed(source: str) -> Phrase:
    return parse(source)  # resolved phrases hold no `{list:…}` any more


# --- regex mode --------------------------------------------------------------------------
class Spaced:
    """The text phrase regexes run over: every blank but a line break (tab, no-break space, …)
    read as a space, and each run of them as one, so a phrase's words are plain strings the
    regex engine finds with its fast literal search; `original` maps offsets back."""

    __slots__ = ("_cuts", "text")

    def __init__(self, source: str) -> None:
        blank = source.translate(BLANKS)
        self._cuts: list[tuple[int, int]] = []  # (offset in `text` after a squeezed run, chars removed so far)
        if "  " not in blank:
            self.text = blank
            return
        parts, removed, last = [], 0, 0
        for m in _RUNS.finditer(blank):
            parts.append(blank[last:m.start() + 1])
            removed += m.end() - m.start() - 1
            last = m.end()
            self._cuts.append((m.start() + 1 - (removed - (m.end() - m.start() - 1)), removed))
        parts.append(blank[last:])
        self.text = "".join(parts)

    def original(self, offset: int) -> int:
        """The offset in the source text of `offset` in `text`."""
        if not self._cuts:
            return offset
        shift = 0
        for at, removed in self._cuts:  # few runs per text: a scan beats bisect's setup
            if offset < at:
                break
            shift = removed
        return offset + shift


_RUNS = re.compile(" {2,}")


def starts_inside_word(text: str, start: int) -> bool:
    """A match that begins after an apostrophe inside a word ("we'll" -> "ll") or after "pre-"
    of "pre-paid": checked after matching, since a lookbehind before a phrase's first word
    would cost the regex engine its fast literal search. An apostrophe after a blank or a mark
    opens a quotation ("He said 'bugger off'"): the word after it starts a word."""
    if start < 2 or not text[start:start + 1].isalnum():
        return False
    before = text[start - 1]
    return (before in "'’" and text[start - 2].isalnum()) or (before == "-" and text[start - 2].isalpha())


def _literal(word: str) -> str:
    return "".join("['’]" if ch == "'" else r"[\w'’-]*" if ch == "*" else re.escape(ch) for ch in word)


def _punctuation(item: object) -> bool:
    """A word made of marks only (`,` `:` `—`): it may follow the word before with or without a space."""
    return isinstance(item, Word) and not re.search(r"[\w*]", item.text)


def _lead(spaced: bool, first: bool, item: object) -> str:
    if first or not spaced:
        return ""
    if isinstance(item, Word) and (item.text.startswith("'") or _punctuation(item)):
        return r" ?"  # "we'll": the contraction is glued to its word; "sanoin ," the comma too
    return SEP


def _regex_items(items: tuple[object, ...], first: bool, tail: bool = True) -> str:
    """`tail`: these items are (in) the flagged part, whose wildcards take as many words as they can (the
    longest span); in context parts (`tail` False) they take as few as they need, which is
    cheaper and finds the same matches."""
    out = []
    after_wild = False
    for i, item in enumerate(items):
        if after_wild and getattr(item, "spaced", False) and not isinstance(item, (Not, Start, End)):
            out.append(PAUSE)
        if first and isinstance(item, Group) and item.optional and i + 1 < len(items):
            # "[please] rest assured": an optional start takes the space after it along
            after = SEP if getattr(items[i + 1], "spaced", True) else ""
            if _ends_wild(item):
                after = PAUSE + after  # "[*12] hade" on "villkoren, hade"
            inner = "|".join(_regex_branch(b, item.spaced, True, tail) for b in item.branches)
            out.append(f"(?:(?:{inner}){after})??" if _ends_wild(item) and not tail else f"(?:(?:{inner}){after})?")
            continue  # the next item may start the match: it stays `first`
        if isinstance(item, Group) and item.optional and _ends_wild(item) and i + 1 < len(items):
            # "(min|vår) [*] avdeling": the comma belongs to the optional words, so a skipped
            # `[*]` does not let "min, avdeling" through
            inner = "|".join(_regex_branch(b, item.spaced, first, tail) for b in item.branches)
            out.append(f"(?:(?:{inner}){PAUSE})" + ("?" if tail else "??"))
            first = False
            after_wild = False
            continue
        if isinstance(item, (Not, Start, End)):
            out.append(_assertion(item, first, items[i + 1] if i + 1 < len(items) else None))
            continue  # zero-width: the next item keeps its place
        out.append(_regex_item(item, first, tail))
        first = False
        after_wild = _ends_wild(item)
    return "".join(out)


def _ends_wild(item: object) -> bool:
    return isinstance(item, Wild) or (isinstance(item, Group) and any(_ends_wild(b[-1]) for b in item.branches))


def _assertion(item: Not | Start | End, first: bool, following: object) -> str:
    """`^`, `$` and `!words` as lookarounds; a `!` that begins the phrase looks at the words before."""
    if isinstance(item, Start):
        return SENTENCE_START
    if isinstance(item, End):
        return r"(?= *(?:\n|\Z))"
    inner = "|".join(_regex_branch(b, True, True) for b in item.group.branches)
    if first:
        gap = SEP if following is None or getattr(following, "spaced", True) else ""
        return rf"(?<!(?<![\w'’])(?:{inner}){gap})"
    lead = SEP if item.spaced else ""
    return rf"(?!{lead}(?:{inner})(?![\w]))"


def _regex_item(item: object, first: bool, tail: bool = True) -> str:
    if isinstance(item, Word):
        return _lead(item.spaced, first, item) + _literal(item.text)
    if isinstance(item, Number):
        return _lead(item.spaced, first, item) + NUMBER
    if isinstance(item, Wild):
        lead = "" if first or not item.spaced else SEP
        lazy = "" if tail else "?"
        more = "" if item.most == 1 else f"(?:{PAUSE}{SEP}{WILD_WORD}){{0,{item.most - 1}}}{lazy}"
        return f"(?:{lead}{WILD_WORD}{more})"
    assert isinstance(item, Group)
    optional = ("?" if tail or not _ends_wild(item) else "??") if item.optional else ""
    if not first and item.spaced and _plain_heads(item):
        # the space before the group is matched once, outside it: "SEP(?:courier|carrier|…)" lets the
        # regex engine pick a branch by its first letter instead of trying each branch's space
        inner = _longest_first(_regex_branch(b, item.spaced, True, tail) for b in item.branches)
        return f"(?:{SEP}(?:{inner})){optional}"
    inner = _longest_first(_regex_branch(b, item.spaced, first, tail) for b in item.branches)
    return f"(?:{inner})" + optional


def _longest_first(branches: Iterable[str]) -> str:
    """Alternatives, longer first: a regex takes the first alternative that fits, so "marketplace
    seller" must come before "marketplace" for the span to take the whole name."""
    return "|".join(sorted(branches, key=len, reverse=True))


def _plain_heads(group: Group) -> bool:
    """Every branch starts with an ordinary spaced word (not a mark, a contraction or a wildcard)."""
    for branch in group.branches:
        head = branch[0]
        if isinstance(head, Group):
            if not (_plain_heads(head) and not head.optional):
                return False
        elif not (isinstance(head, (Word, Number)) and (isinstance(head, Number) or not (
                head.text.startswith("'") or _punctuation(head)))):
            return False
    return True


def _regex_branch(items: tuple[object, ...], spaced: bool, first: bool, tail: bool = True) -> str:
    head, *rest = items
    head = _respaced(head, spaced)
    return _regex_items((head, *rest), first, tail)


def _respaced(item: object, spaced: bool) -> object:
    """A group's first item takes the group's own spacing."""
    if isinstance(item, Group):
        return Group(item.branches, item.optional, spaced)
    return type(item)(*(getattr(item, f) for f in item.__dataclass_fields__ if f != "spaced"), spaced=spaced)


def _part(group: Group, tail: bool = True) -> str:
    return "|".join(_regex_items(b, True, tail) for b in group.branches)


def _heads(group: Group) -> Iterator[object]:
    """The items a group's branches can start with: looking into nested groups, past optional
    ones, and past zero-width checks (`^`, `!words`), which do not consume the first letter."""
    for branch in group.branches:
        yield from _first_items(branch)


def _first_items(items: tuple[object, ...]) -> Iterator[object]:
    for item in items:
        if isinstance(item, (Not, Start, End)):
            continue
        if isinstance(item, Group):
            yield from _heads(item)
            if item.optional:
                continue
            return
        yield item
        return


WORD_START = r"\b"  # START before a word: the rest (not after ' or pre-) is checked after matching


def _start_of(heads: list[object]) -> str:
    r"""START for items that begin this way: the cheap WORD_START when each is a word, number or
    wildcard (then `\b` fails fast inside words and before spaces, so little else runs at most
    positions); nothing when each is a mark (a mark never continues a word); else the full START."""
    if heads and all(isinstance(h, (Number, Wild)) or (isinstance(h, Word) and re.match(r"[\w*]", h.text))
                     for h in heads):
        return WORD_START
    if heads and all(_punctuation(h) for h in heads):
        return ""
    return START


def _started(group: Group, tail: bool = True) -> str:
    """A part's branches behind the START their first items need, branches needing the same
    START kept in one alternation (so the engine still picks a branch by its first letter)."""
    return _by_start([(b, tail) for b in group.branches])


def _by_start(branches: list[tuple[tuple[object, ...], bool]]) -> str:
    kinds: dict[str, list[str]] = {}
    for items, tail in branches:
        start = _start_of(list(_first_items(items)))
        head = items[0]
        if start == START and isinstance(head, Group) and not head.optional:
            # "(*;|—|but) that is wrong": the first group's branches sorted by START in turn
            inner = _by_start([(_respaced_branch(b, head.spaced), tail) for b in head.branches])
            rest = _regex_items((Word("", False), *items[1:]), False, tail)
            kinds.setdefault("", []).append(f"(?:{inner}){rest}")
            continue
        kinds.setdefault(start, []).append(_regex_items(items, True, tail))
    return "|".join(f"{start}(?:{'|'.join(alts)})" for start, alts in kinds.items())


def _respaced_branch(branch: tuple[object, ...], spaced: bool) -> tuple[object, ...]:
    return (_respaced(branch[0], spaced), *branch[1:])


def _gap(group: Group) -> str:
    """What separates context words from the part they stand beside."""
    if all(_punctuation(head) for head in _heads(group)):
        return r" ?"
    return SEP if all(getattr(b[0], "spaced", True) for b in group.branches) else ""


@cache
def to_regex(source: str) -> str:
    """A phrase without `{word}` slots as one case-insensitive regex (a `regex` pattern), run
    over `Spaced` text; its gate comes from `gate_sets`."""
    known = _remembered.get(source)
    if known is not None and known.regex is not None:
        return known.regex
    tree = _parsed(source)
    focus = rf"(?:{_part(tree.focus) if tree.before is not None else _started(tree.focus)}){END}"
    before = after = ""  # without context words, each branch of the focus starts behind its own START
    if tree.before is not None:
        gap = _context_gap(tree.before, _gap(tree.focus), r"(?<!\w)")
        if _focus_first(tree):
            # context that may begin with any word (`* [*12] <, don't you> ?`): matched from its
            # start, it would be tried at every word with every gap; looked for behind the
            # focus, the regex starts at the focus (its words, or a mark a scan finds at once)
            before = rf"(?<=(?:{_started(tree.before, False)}){gap})"
        else:
            # matched, then dropped from the span by \K: a leading lookbehind would run at every position
            before = rf"(?:{_started(tree.before, False)}){gap}\K"
    if tree.after is not None:
        gap = _context_gap(tree.after, _gap(tree.after), r"(?!\w)")
        after = rf"(?={gap}(?:{_part(tree.after, False)}){END})"
    return f"(?i){before}{focus}{after}"


def _context_gap(context: Group, gap: str, no_word: str) -> str:
    """The space between a context part and the flagged words; a context that may match no
    word at all (`^ <you people>`, `^ [well] <you people>`) may also meet them with no space."""
    return gap if any(_fixed(branch) for branch in context.branches) else f"(?:{gap}|{no_word})"


# --- gates --------------------------------------------------------------------------------
def gate_sets(source: str) -> tuple[frozenset[str], ...] | None:
    """Up to three sets of lower-case words, a matched text holding one word of each (the
    prefilter's gate), read from the phrase itself: cheaper than parsing its regex. Words are
    cut at apostrophes ("can't" -> "can"), since the text may write them with either one."""
    known = _remembered.get(source)
    if known is not None and not known.lemma:
        return known.gate
    tree = _parsed(source)
    sets = [s for part in tree.parts() for s in _required(part)]
    sets = [s for s in dict.fromkeys(sets) if min(map(len, s)) >= 3]
    sets.sort(key=lambda s: (min(map(len, s)), -len(s)), reverse=True)
    return tuple(sets[:3]) or None


def _required(group: Group) -> list[frozenset[str]]:
    """Word sets a group requires: each item of a one-branch group; one set over the branches."""
    if len(group.branches) == 1:
        return [s for item in group.branches[0] for s in _item_required(item)]
    best = [_best_of(_branch_required(b)) for b in group.branches]
    return [frozenset().union(*best)] if all(best) else []


def _branch_required(items: tuple[object, ...]) -> list[frozenset[str]]:
    return [s for item in items for s in _item_required(item)]


def _item_required(item: object) -> list[frozenset[str]]:
    if isinstance(item, Word):
        piece = max(re.split(r"[^\w-]+", item.text.lower()), key=len)
        return [frozenset({piece})] if piece else []
    if isinstance(item, Group) and not item.optional:
        return _required(item)
    return []


def _best_of(sets: list[frozenset[str]]) -> frozenset[str] | None:
    sets = [s for s in sets if s]
    return max(sets, key=lambda s: (min(map(len, s)), -len(s))) if sets else None


_WORD_HEAD = re.compile(r"\w+")


def start_words(source: str) -> frozenset[str] | None:
    """The words one of which begins every match of the phrase's regex, where the regex starts
    consuming (context words before `<…>` included), lower-cased and cut at the first mark
    ("can't" -> "can", "e-mail" -> "e"); a word written as a start (`refund*`) ends in `*`.
    A match then begins only where such a word begins a word of the text, so the regex need
    only be tried there (matching.WordStarts). None when a match may begin otherwise: with a
    wildcard, a number, a mark, a contraction or a `{word}` slot."""
    known = _remembered.get(source)
    if known is not None and not known.lemma:
        return known.starts
    tree = _parsed(source)
    head = (tree.focus,) if _focus_first(tree) or tree.before is None else (tree.before, tree.focus)
    words, empty = _leading_words(head)
    return None if words is None or empty or not words else frozenset(words)


def _focus_first(tree: Phrase) -> bool:
    """Whether the phrase's regex starts at its flagged words, its context words before them
    looked for behind (to_regex): when that context may begin with something other than a
    word (a wildcard, a mark), so that a regex starting with it could begin anywhere."""
    return tree.before is not None and _leading_words((tree.before, tree.focus))[0] is None


def _leading_words(items: tuple[object, ...], glued_after: bool = False) -> tuple[set[str] | None, bool]:
    """(words a match of these items can begin with, or None when not only words can; whether
    the items can match no word at all). `glued_after`: what follows the items is glued to
    their last word ("hope(fully)"), so a last word may be only the start of the text's word."""
    found: set[str] = set()
    for i, item in enumerate(items):
        if isinstance(item, (Not, Start, End)):
            continue  # zero-width: the next item begins the match
        glued = getattr(items[i + 1], "spaced", True) is False if i + 1 < len(items) else glued_after
        if isinstance(item, Group):
            empty = item.optional
            for branch in item.branches:
                words, branch_empty = _leading_words(branch, glued)
                if words is None:
                    return None, False
                found |= words
                empty = empty or branch_empty
            if empty:
                continue
            return found, False
        if not isinstance(item, Word):
            return None, False
        text = item.text.lower()
        head = _WORD_HEAD.match(text)
        if head is None:
            return None, False  # a mark, a contraction ("'ll") or an end (`*able`)
        rest = text[head.end():]
        found.add(head.group() + ("*" if rest.startswith("*") or (not rest and glued) else ""))
        return found, False
    return found, True


# --- token mode --------------------------------------------------------------------------
def _sequences(items: tuple[object, ...]) -> Iterator[tuple[object, ...]]:
    """Every plain sequence of Word / Lemma / Wild a branch can stand for."""
    choices: list[list[tuple[object, ...]]] = []
    for item in items:
        if isinstance(item, Group):
            options = [seq for b in item.branches
                       for seq in _sequences((_respaced(b[0], item.spaced), *b[1:]))]
            if item.optional:
                options.append(())
            choices.append(options)
        else:
            choices.append([(item,)])
    for combo in itertools.product(*choices):
        yield tuple(atom for part in combo for atom in part)


def _has_assertion(group: Group) -> bool:
    return any(isinstance(i, (Not, Start, End)) or (isinstance(i, Group) and _has_assertion(i))
               for b in group.branches for i in b)


def to_tokens(source: str, tokenize: Callable[[str], list[str]]) -> list[list[dict]]:
    """A phrase as spaCy Matcher patterns: literal words by LOWER (split as the text's words
    are, by `tokenize`), `{word}` slots by LEMMA, wildcards as non-punctuation tokens."""
    phrase = _parsed(source)
    if phrase.before is not None or phrase.after is not None or _has_assertion(phrase.focus):
        raise PhraseError("a phrase with a {word} slot cannot use '!', '^', '$' or '<…>' (yet): split it, or "
                          "write the word's forms out as (a|b)")
    tree = phrase.focus
    sequences = list(itertools.islice((s for b in tree.branches for s in _sequences(b)), MAX_SEQUENCES + 1))
    if len(sequences) > MAX_SEQUENCES:
        raise PhraseError(f"the phrase stands for more than {MAX_SEQUENCES} word sequences; split it into "
                          "several phrases")
    out: list[list[dict]] = []
    for seq in sequences:
        pattern: list[dict] = []
        text = ""
        for atom in (*seq, None):
            if isinstance(atom, Word) and "*" not in atom.text:
                text += ("" if not text or not atom.spaced or atom.text.startswith("'") else " ") + atom.text
                continue
            if text:
                pattern += [{"LOWER": t} for t in tokenize(text)]
                text = ""
            if isinstance(atom, Lemma):
                pattern.append({"LEMMA": atom.word})
            elif isinstance(atom, Word):  # refund*, *able: one token by its letters
                pattern.append({"LOWER": {"REGEX": "^" + _literal(atom.text.lower()) + "$"}})
            elif isinstance(atom, Number):
                pattern.append({"LIKE_NUM": True})
            elif isinstance(atom, Wild):
                word = {"IS_PUNCT": False, "IS_SPACE": False}
                pattern += [dict(word)] + [{**word, "OP": "?"} for _ in range(atom.most - 1)]
        if pattern and pattern not in out:
            out.append(pattern)
    return out


def check(source: str, lists: Mapping[str, tuple[str, ...] | None] | None = None) -> str:
    """Load-time check: the resolved phrase, also expanded when it runs as token patterns."""
    resolved = resolve(source, lists)
    if uses_lemma(resolved):
        to_tokens(resolved, lambda text: text.split())
    else:
        to_regex(resolved)
    return resolved
