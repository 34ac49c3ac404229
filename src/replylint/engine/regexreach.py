"""Whether a raw regex stays on one line: no part of it, look-arounds included, can match a line
break, and no anchor depends on where the text starts or ends (`\\A`, `\\Z`, `^`/`$` without
MULTILINE). Such a regex finds in one line of a text, read alone, exactly what it finds on that
line in the whole text, so an editor's run may keep its hits per line (paragraph_cache.py).

Read with Python's own regex parser, as the literal gates are (prefilter.py); a pattern it
cannot read, or any construct not listed here, counts as crossing lines: the answer may say
"no" too often, never "yes" wrongly.
"""
from __future__ import annotations

from typing import Any

_NEWLINE = 10
try:  # private modules: a missing or changed parser means "every regex may cross lines"
    import re._constants as _c
    import re._parser as _parser

    # categories holding the line break; the three kinds of repeat
    _CROSSING = {_c.CATEGORY_SPACE, _c.CATEGORY_NOT_DIGIT, _c.CATEGORY_NOT_WORD, _c.CATEGORY_LINEBREAK}
    _REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
except (ImportError, AttributeError):  # pragma: no cover
    _parser = None


def stays_on_one_line(source: str) -> bool:
    """True only when every match of `source`, and everything it looks at, lies inside one line."""
    if _parser is None:
        return False
    try:
        tree = _parser.parse(source)
    except Exception:
        return False
    return not _may_cross(list(tree), tree.state.flags)


def _may_cross(items: list[tuple[Any, Any]], flags: int) -> bool:
    for op, arg in items:
        if op is _c.LITERAL:
            if arg == _NEWLINE:
                return True
        elif op is _c.NOT_LITERAL:
            if arg != _NEWLINE:
                return True
        elif op is _c.ANY:
            if flags & _c.SRE_FLAG_DOTALL:
                return True
        elif op is _c.IN:
            if _set_has_newline(arg):
                return True
        elif op is _c.CATEGORY:
            if arg in _CROSSING:
                return True
        elif op is _c.SUBPATTERN:
            add_flags, del_flags = arg[1] or 0, arg[2] or 0
            if _may_cross(list(arg[-1]), (flags | add_flags) & ~del_flags):
                return True
        elif op in _REPEATS:
            if _may_cross(list(arg[2]), flags):
                return True
        elif op is _c.BRANCH:
            if any(_may_cross(list(alt), flags) for alt in arg[1]):
                return True
        elif op is _c.ATOMIC_GROUP:
            if _may_cross(list(arg), flags):
                return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if _may_cross(list(arg[1]), flags):
                return True
        elif op is _c.AT:
            if arg in (_c.AT_BEGINNING_STRING, _c.AT_END_STRING):
                return True
            if arg in (_c.AT_BEGINNING, _c.AT_END) and not flags & _c.SRE_FLAG_MULTILINE:
                return True
        else:  # back-references, conditionals, anything newer: assume the worst
            return True
    return False


def _set_has_newline(items: list[tuple[Any, Any]]) -> bool:
    negated, has = False, False
    for op, arg in items:
        if op is _c.NEGATE:
            negated = True
        elif op is _c.LITERAL:
            has = has or arg == _NEWLINE
        elif op is _c.RANGE:
            has = has or arg[0] <= _NEWLINE <= arg[1]
        elif op is _c.CATEGORY:
            has = has or arg in _CROSSING
        else:
            return True
    return has != negated
