"""Suggestions whose span crosses markup: keep the markup balanced, or stop calling them safe.

A rewrite is computed on prose, where `**Obviously,** the` reads `Obviously, the`. Mapped
to the file, its span may hold characters that are not prose: emphasis markers, tags,
template tags, link syntax. Replacing them blindly deletes a closing `**` or `</b>` and
breaks the reply a customer receives. An edit is therefore planned in three tries:

1. the span holds prose only: replace it as is;
2. the span holds formatting markup only (Markdown emphasis runs, HTML formatting tags):
   widen it over the adjacent markers until every opened element is closed inside it, so
   the whole element goes with the words it wrapped (`**Obviously,** t` -> `T`);
3. a deletion (optionally re-capitalising the next word): keep every non-prose character
   in place and delete only the prose around it (`Obviously, **the` -> `**The`), unless
   that leaves an element with nothing inside.

When none fits, the suggestion is still offered, with its span unchanged, but not as safe,
so `fix` never applies it unasked.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise, product

import regex

from .documents.prose import Prose, Run

FORMATTING_TAGS = frozenset({"b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "mark", "small", "big",
                             "span", "font", "sub", "sup", "abbr", "cite", "q"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                       "track", "wbr"})
_TOKEN = regex.compile(r"(?P<tag></?(?P<name>[A-Za-z][\w-]*)\b[^<>]*>)|(?P<delim>[*_~]+)|(?P<space>\s+)|(?P<other>.)",
                       regex.DOTALL)
LOOK_AROUND = 200  # chars of markup looked at beside a span when widening it
MAX_WIDEN = 4  # markup tokens taken in on each side at most


@dataclass(frozen=True, slots=True)
class Part:
    """Replacement text (`keep` False), or source[start:end] kept as written (`keep` True)."""

    text: str = ""
    start: int = 0
    end: int = 0
    keep: bool = False


@dataclass(frozen=True, slots=True)
class Edit:
    """A planned edit of source[start:end], its parts in order, and whether it stays safe."""

    start: int
    end: int
    parts: tuple[Part, ...]
    safe: bool


@dataclass(frozen=True, slots=True)
class _Token:
    """A piece of non-prose source: an HTML tag ("open" / "close" / "void"), a Markdown
    emphasis run ("delim"), whitespace ("space") or anything else ("other", one char).
    Only formatting elements (`droppable`) may be removed with the words they hold."""

    start: int
    end: int
    kind: str
    name: str = ""
    droppable: bool = False


def _tokens(source: str, start: int, end: int) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(source, start, end):
        if m.group("tag"):
            name, tag = m.group("name").lower(), m.group("tag")
            if tag.endswith("/>") or name in VOID_TAGS:
                out.append(_Token(m.start(), m.end(), "void", name))
            else:
                out.append(_Token(m.start(), m.end(), "close" if tag.startswith("</") else "open", name,
                                  name in FORMATTING_TAGS))
        elif m.group("delim"):
            out.append(_Token(m.start(), m.end(), "delim", m.group("delim"), True))
        else:
            out.append(_Token(m.start(), m.end(), "space" if m.group("space") else "other"))
    return out


def _droppable(token: _Token) -> bool:
    return token.droppable or token.kind == "space"


def _paired(tokens: list[_Token]) -> set[int]:
    """Indexes of the formatting tokens in `tokens` that open and close each other."""
    paired: set[int] = set()
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if not token.droppable:
            continue
        top = tokens[stack[-1]] if stack else None
        if token.kind == "delim" and top is not None and top.kind == "delim" and top.name == token.name:
            paired.update((stack.pop(), i))
        elif token.kind in ("open", "delim"):
            stack.append(i)
        elif top is not None and top.kind == "open" and top.name == token.name:
            paired.update((stack.pop(), i))
    return paired


def _balanced(tokens: list[_Token]) -> bool:
    """Whether the tokens are formatting markup only, opening and closing in nested pairs."""
    if not all(_droppable(t) for t in tokens):
        return False
    paired = _paired(tokens)
    return all(i in paired for i, t in enumerate(tokens) if t.kind != "space")


def _joins_badly(tokens: list[_Token]) -> bool:
    """Whether markup that was apart now touches so that it breaks: an element left with
    nothing inside (`****`, `<b></b>`, `<a …></a>`) or two unknown pieces (`[` + `](url)`)."""
    for first, second in pairwise(tokens):
        if first.end == second.start or "space" in (first.kind, second.kind):
            continue
        if first.kind == second.kind == "other":
            return True
        if first.name == second.name and (first.kind, second.kind) in (("delim", "delim"), ("open", "close")):
            return True
    return False


class Planner:
    """Plans edits for one prose over its source; built once per segment."""

    def __init__(self, prose: Prose, source: str) -> None:
        self.prose, self.source = prose, source
        self._starts = [r.p_start for r in prose.runs]

    def _runs(self, start: int, end: int) -> list[Run]:
        i = max(bisect_right(self._starts, start) - 1, 0)
        runs = []
        for run in self.prose.runs[i:]:
            if run.p_start >= end:
                break
            if run.p_end > start:
                runs.append(run)
        return runs

    def _covered(self, start: int, end: int) -> list[tuple[int, int]]:
        """Source stretches that prose [start, end) stands for, merged, in order."""
        spans: list[tuple[int, int]] = []
        for run in self._runs(start, end):
            if run.exact:
                s = run.s_start + max(start, run.p_start) - run.p_start
                e = run.s_start + min(end, run.p_end) - run.p_start
            else:
                s, e = run.s_start, run.s_end
            if e <= s:
                continue
            if spans and s <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], e))
            else:
                spans.append((s, e))
        return spans

    def _source_end(self, offset: int) -> int:
        """Source offset just after the prose char before `offset`."""
        if offset <= 0 or not self.prose.runs:
            return 0
        return self.prose.source_span(offset - 1, offset)[1]

    def _source_start(self, offset: int) -> int:
        """Source offset where the prose char at `offset` starts (the source's end past the prose)."""
        return self.prose.source_offset(offset) if offset < len(self.prose.text) else len(self.source)

    def plan(self, start: int, end: int, replacement: str, safe: bool) -> Edit:
        """The edit for a suggestion replacing prose [start, end) with `replacement`."""
        s_start, s_end = self.prose.source_span(start, end)
        simple = Edit(s_start, s_end, (Part(replacement),), safe)
        if end <= start or not self.prose.runs:
            return simple
        covered = self._covered(start, end)
        gaps = _gaps(covered, s_start, s_end)
        if not gaps:
            return simple
        inner = [t for g in gaps for t in _tokens(self.source, *g)]
        widened = self._widen(start, end, s_start, s_end, inner)
        if widened is not None:
            return Edit(*widened, (Part(replacement),), safe)
        kept = self._keep_markup(start, end, s_start, s_end, gaps, inner, replacement)
        if kept is not None:
            return Edit(kept.start, kept.end, kept.parts, safe)
        # not safe; still keep the markup in place for `fix --unsafe` when the edit allows it
        loose = self._keep_markup(start, end, s_start, s_end, gaps, inner, replacement, loose=True)
        if loose is not None:
            return Edit(loose.start, loose.end, loose.parts, False)
        return Edit(s_start, s_end, (Part(replacement),), False)

    def _widen(self, start: int, end: int, s_start: int, s_end: int,
               inner: list[_Token]) -> tuple[int, int] | None:
        """The span widened over adjacent formatting markers until its markup is balanced."""
        if not all(_droppable(t) for t in inner):
            return None
        left_from = min(max(self._source_end(start), s_start - LOOK_AROUND), s_start)
        right_to = min(max(self._source_start(end), s_end), s_end + LOOK_AROUND)
        left = _tokens(self.source, left_from, s_start)[::-1][:MAX_WIDEN]
        right = _tokens(self.source, s_end, right_to)[:MAX_WIDEN]
        options = sorted(((i, j) for i in range(len(left) + 1) for j in range(len(right) + 1)),
                         key=lambda ij: (ij[0] + ij[1], ij))
        for i, j in options:
            taken_left, taken_right = left[:i][::-1], right[:j]
            if _balanced([*taken_left, *inner, *taken_right]):
                return (taken_left[0].start if taken_left else s_start,
                        taken_right[-1].end if taken_right else s_end)
        return None

    def _keep_markup(self, start: int, end: int, s_start: int, s_end: int, gaps: list[tuple[int, int]],
                     inner: list[_Token], replacement: str, loose: bool = False) -> Edit | None:
        """A deletion that drops the formatting elements holding only deleted words (taking in
        their markers beside the span) and keeps every other non-prose character in place.
        None when that would join markup badly (see _joins_badly), unless `loose`."""
        words = self.prose.text[start:end]
        tail = len(replacement)
        if tail > len(words) or replacement.casefold() != words[len(words) - tail:].casefold():
            return None
        tail_start = self.prose.source_span(end - tail, end)[0] if tail else s_end
        if any(g_end > tail_start for _, g_end in gaps):
            return None  # markup inside the words that stay
        left = _tokens(self.source, min(max(self._source_end(start), s_start - LOOK_AROUND), s_start), s_start)
        right = ([] if replacement
                 else _tokens(self.source, s_end, min(max(self._source_start(end), s_end), s_end + LOOK_AROUND)))
        for i, j in sorted(product(range(min(len(left), MAX_WIDEN) + 1),
                                             range(min(len(right), MAX_WIDEN) + 1)), key=lambda ij: (sum(ij), ij)):
            taken_left, taken_right = left[len(left) - i:], right[:j]
            if not all(_droppable(t) for t in (*taken_left, *taken_right)):
                continue
            region = [*taken_left, *inner, *taken_right]
            paired = _paired(region)
            if any(k not in paired and region[k].kind != "space"
                   for k in (*range(i), *range(len(region) - j, len(region)))):
                continue  # a marker taken in for nothing
            kept = [t for k, t in enumerate(region) if k not in paired and t.kind != "space"]
            around = [*left[:len(left) - i], *kept, *([] if replacement else right[j:])]
            if not loose and _joins_badly(around):
                continue
            parts = [*(Part(start=t.start, end=t.end, keep=True) for t in kept), *([Part(replacement)] * bool(tail))]
            return Edit(taken_left[0].start if taken_left else s_start,
                        taken_right[-1].end if taken_right else s_end, tuple(parts), True)
        return None


def _gaps(covered: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """Stretches of source [start, end) that no prose stands for."""
    gaps, pos = [], start
    for s, e in covered:
        if s > pos:
            gaps.append((pos, min(s, end)))
        pos = max(pos, e)
    if pos < end:
        gaps.append((pos, end))
    return [(s, e) for s, e in gaps if e > s]
