"""Customer PII taken out of the example replies a report shows: e-mail addresses, phone numbers,
order / ticket / account numbers, and the customer's name in a greeting ("Hi Anna," -> "Hi [name],").

A report is shared beyond the support team, so examples go through `redact` first. Findings point
at spans of the original text; `redaction` keeps the edits so `Redaction.span` moves a finding's
span onto the same words in the redacted text (a span inside a redacted part covers its
placeholder). Redaction is pattern based: it catches the common shapes, not every name in prose.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import regex

_EMAIL = regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone: 7-15 digits with the usual separators, not part of a longer word or number.
_PHONE = regex.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s./-]?\(?\d\)?){6,16}(?![\w])")
_DIGIT_GROUPS = regex.compile(r"\d+")
_DATE = regex.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
# A number named as an order, ticket, … (kept word, redacted number), or a `#1234` reference.
_NUMBERED = regex.compile(
    r"\b(?:order|ticket|case|invoice|reference|ref|account|acct|tracking|confirmation|booking|"
    r"reservation|customer|member|policy|claim|rma|return|transaction|subscription|serial)"
    r"(?:\s+(?:no\.?|nr\.?|number|num|id|code))?\s*(?:[:#]\s*|is\s+|\s)"
    r"(?P<number>#?(?=[\p{L}\d-]*\d)[\p{L}\d][\p{L}\d-]{3,})", regex.IGNORECASE)
_HASH_NUMBER = regex.compile(r"(?<![\w&])#\d{3,}\b")
_LONG_NUMBER = regex.compile(r"(?<![\w.,])\d{6,}(?![\w.,]\d)")
_NAME = r"\p{Lu}[\p{L}'’-]+"
_GREETING = regex.compile(
    r"(?:^|(?<=[\n.!?]\s*))(?:Hi|Hello|Hey|Hiya|Dear|Good[ \t]+(?:morning|afternoon|evening|day)|Greetings|"
    r"Thanks|Thank[ \t]+you|Morning|Afternoon|Evening)[ \t]+"
    r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+)?"
    rf"(?P<name>{_NAME}(?:[ \t]+{_NAME}){{0,3}})(?=\s*[,!:;.\n—–-]|\s*$)", regex.MULTILINE)
_NOT_NAMES = frozenset({"there", "all", "team", "everyone", "everybody", "folks", "guys", "support",
                        "sir", "madam", "sir/madam", "customer", "friend", "friends", "so", "for", "you",
                        "again", "much", "both", "y'all", "colleague", "colleagues"})


@dataclass(frozen=True, slots=True)
class Redaction:
    """A redacted text and its edits (start, end in the original, start, end in the redacted)."""

    text: str
    edits: tuple[tuple[int, int, int, int], ...] = ()

    def _shift(self, offset: int, before: int) -> int:
        """Where `offset` lands, given the number of edits that end at or before it."""
        if before == 0:
            return offset
        _, old_end, _, new_end = self.edits[before - 1]
        return new_end + (offset - old_end)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span [start, end) of the original text in the redacted one; a span that starts or
        ends inside a redacted part widens to its whole placeholder."""
        starts = [e[0] for e in self.edits]
        i = bisect.bisect_right(starts, start) - 1
        inside = i >= 0 and start < self.edits[i][1]
        new_start = self.edits[i][2] if inside else self._shift(start, i + 1)
        j = bisect.bisect_left(starts, end) - 1  # the last edit starting before `end`
        inside = j >= 0 and end <= self.edits[j][1]
        new_end = self.edits[j][3] if inside else self._shift(end, j + 1)
        return new_start, max(new_start, new_end)


def _looks_like_phone(found: str) -> bool:
    """7-15 digits in groups as numbers are dialled: an international prefix, or at most two
    short groups (so dates, times, prices and version numbers stay)."""
    if _DATE.search(found) or not 7 <= sum(c.isdigit() for c in found) <= 15:
        return False
    groups = _DIGIT_GROUPS.findall(found)
    return found.startswith(("+", "00")) or sum(len(g) < 3 for g in groups) <= 2


def _is_name(words: str) -> bool:
    return words.split()[0].lower() not in _NOT_NAMES


def _replacements(text: str) -> list[tuple[int, int, str]]:
    """Every part to replace, earliest first; where two overlap, the one found first (the more
    specific kind, as listed) wins."""
    found: list[tuple[int, int, str]] = [(m.start(), m.end(), "[email]") for m in _EMAIL.finditer(text)]
    found += [(m.start("number"), m.end("number"), "[number]") for m in _NUMBERED.finditer(text)]
    found += [(m.start(), m.end(), "#[number]") for m in _HASH_NUMBER.finditer(text)]
    found += [(m.start(), m.end(), "[phone]") for m in _PHONE.finditer(text) if _looks_like_phone(m.group())]
    found += [(m.start(), m.end(), "[number]") for m in _LONG_NUMBER.finditer(text)]
    found += [(m.start("name"), m.end("name"), "[name]") for m in _GREETING.finditer(text)
              if _is_name(m.group("name"))]
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for start, end, placeholder in found:
        if all(end <= s or start >= e for s, e in taken):
            chosen.append((start, end, placeholder))
            taken.append((start, end))
    return sorted(chosen)


def redaction(text: str) -> Redaction:
    """`text` with its PII replaced by `[email]`, `[phone]`, `[number]` and `[name]`, and the
    edits that map spans of `text` onto the result."""
    pieces: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    cursor = length = 0
    for start, end, placeholder in _replacements(text):
        pieces.append(text[cursor:start])
        length += start - cursor
        pieces.append(placeholder)
        edits.append((start, end, length, length + len(placeholder)))
        length += len(placeholder)
        cursor = end
    pieces.append(text[cursor:])
    return Redaction("".join(pieces), tuple(edits))


def redact(text: str) -> str:
    """`text` with customer PII replaced by placeholders (see `redaction`)."""
    return redaction(text).text


def redact_spans(text: str, spans: Iterable[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """`text` redacted, and each span of it moved onto the same words in the redacted text."""
    done = redaction(text)
    return done.text, [done.span(start, end) for start, end in spans]
