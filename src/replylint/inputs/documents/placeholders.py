"""Template placeholders in canned responses: opaque words, and template tags that vanish.

`{{ticket.requester.first_name}}` stands for a word, so it becomes one opaque word; a
`{% if … %}` tag or a `{% comment %}` block stands for nothing and is dropped. Neither
breaks a sentence or triggers a rule. Teams add their own word patterns in config; those
run with a time budget per text (a pattern that times out is dropped for that text, with
one warning naming the config file), and never produce empty matches.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from functools import lru_cache

import regex

log = logging.getLogger("replylint")

DEFAULT_WORDS = (
    r"\{\{.*?\}\}",  # Liquid / Handlebars / Mustache: {{ticket.requester.first_name}}, {{ 'x' | filter }}
    r"\$\{[^{}\n]{1,80}\}",  # ${name}
    r"\{[A-Za-z_][\w.\-]{0,60}\}",  # {name}
    r"%[A-Za-z_][\w.\-]{0,60}%",  # %NAME%
    r"\[[A-Z][\w .\-]{0,40}\](?!\()",  # [Customer Name] (not a Markdown link)
)
DEFAULT_TAGS = (
    r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}",  # Liquid comment block
    r"\{%.*?%\}",  # Liquid / Jinja tags: {% if … %}, {% endif %}
    r"\{\{!.*?\}\}",  # Handlebars comment
)
TIMEOUT_SECONDS = 1.0  # per text, for the config's own patterns; the defaults are linear


def _combined(extra_words: tuple[str, ...]) -> regex.Pattern:
    tags = "|".join(DEFAULT_TAGS)
    words = "|".join((*DEFAULT_WORDS, *extra_words))
    return regex.compile(rf"(?P<tag>{tags})|(?:{words})", regex.DOTALL)


class GuardedPattern:
    """The default placeholders plus a config's own, scanned under a per-text time budget.

    Readers call `finditer(source, start, end)` many times per text (once per HTML text
    node, say); the budget is per source string, so one text costs at most
    `TIMEOUT_SECONDS` of the config's patterns. On a timeout the rest of that text is
    scanned with the default placeholders only, and a warning names the config file once.
    """

    def __init__(self, extra_words: tuple[str, ...], source: str) -> None:
        self.extra_words = extra_words
        self.source = source
        self.full = _combined(extra_words)
        self.fallback = _combined(())
        self.pattern = self.full.pattern
        self.groupindex = self.full.groupindex
        self._state = threading.local()
        self._warned = False

    def __reduce__(self) -> tuple[object, tuple[tuple[str, ...], str]]:
        return placeholder_pattern, (self.extra_words, self.source)

    def _budget(self, string: str) -> float:
        state = self._state
        if getattr(state, "string", None) is not string:
            state.string, state.spent, state.timed_out = string, 0.0, False
        return -1.0 if state.timed_out else TIMEOUT_SECONDS - state.spent

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match]:
        end = len(string) if endpos is None else endpos
        left = self._budget(string)
        if left <= 0:
            yield from self.fallback.finditer(string, pos, end)
            return
        began = time.perf_counter()
        at = pos
        try:
            for m in self.full.finditer(string, pos, end, timeout=left):
                if time.perf_counter() - began > left:  # `timeout` bounds each step, not the sum
                    raise TimeoutError
                if m.end() > m.start():
                    at = m.end()
                    yield m
        except TimeoutError:
            self._state.timed_out = True
            self._warn()
            yield from self.fallback.finditer(string, at, end)
            return
        finally:
            self._state.spent += time.perf_counter() - began

    def _warn(self) -> None:
        if not self._warned:
            self._warned = True
            log.warning("replylint: %s: placeholders: a pattern (%s) took over %ss on one text; "
                        "skipped for that text", self.source, ", ".join(map(repr, self.extra_words)),
                        TIMEOUT_SECONDS)


@lru_cache(maxsize=32)
def placeholder_pattern(extra_words: tuple[str, ...] = (), source: str = "<config>"
                        ) -> regex.Pattern | GuardedPattern:
    """One pattern whose `tag` group marks tags to drop; other matches are opaque words.
    With a config's own patterns (from `source`), a GuardedPattern that bounds their time."""
    if not extra_words:
        return _combined(())
    return GuardedPattern(extra_words, source)
