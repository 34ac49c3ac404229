"""Turning a rule's rewrite templates into concrete suggestions for one match."""
from __future__ import annotations

import re

from .model import Rewrite, Suggestion

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(template: str) -> set[str]:
    """Names used as `{name}` in a template."""
    return set(_PLACEHOLDER.findall(template))


def render(template: str, text: str, start: int, end: int,
           groups: tuple[tuple[str, int, int], ...]) -> str:
    """Fill `{match}` and named regex groups from the original text; a group that took no part is ""."""
    values = {name: text[s:e] for name, s, e in groups}
    values["match"] = text[start:end]
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)


def suggestion(rewrite: Rewrite, text: str, start: int, end: int,
               groups: tuple[tuple[str, int, int], ...], at_sentence_start: bool) -> Suggestion:
    """One suggestion; keeps sentence capitalisation and tidies spaces around deletions."""
    replacement = render(rewrite.replace, text, start, end, groups)
    if replacement:
        starts_upper = text[start:start + 1].isupper() or at_sentence_start
        if starts_upper and replacement[0].islower():
            replacement = replacement[0].upper() + replacement[1:]
        return Suggestion(replacement, start, end, rewrite.safe)
    # A deletion: swallow the spaces it leaves behind and re-capitalise a sentence start.
    deletes = text[start:end].strip()
    if at_sentence_start:
        while end < len(text) and text[end] in " \t":
            end += 1
        if end < len(text) and text[end].islower():
            return Suggestion(text[end].upper(), start, end + 1, rewrite.safe, deletes)
        return Suggestion("", start, end, rewrite.safe, deletes)
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return Suggestion("", start, end, rewrite.safe, deletes)
