"""Template placeholders in canned responses: opaque words, and template tags that vanish.

`{{ticket.requester.first_name}}` stands for a word, so it becomes one opaque word; a
`{% if … %}` tag or a `{% comment %}` block stands for nothing and is dropped. Neither
breaks a sentence or triggers a rule. Teams add their own word patterns in config.
"""
from __future__ import annotations

from functools import lru_cache

import regex

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


@lru_cache(maxsize=32)
def placeholder_pattern(extra_words: tuple[str, ...] = ()) -> regex.Pattern:
    """One pattern whose `tag` group marks tags to drop; other matches are opaque words."""
    tags = "|".join(DEFAULT_TAGS)
    words = "|".join((*DEFAULT_WORDS, *extra_words))
    return regex.compile(rf"(?P<tag>{tags})|(?:{words})", regex.DOTALL)
