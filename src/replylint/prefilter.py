"""Cheap gates in front of regexes: literals one of which every match must contain.

A regex is only run over a text that contains one of its required literals (compared in
lower case), which skips most regexes for most replies. GateIndex finds the present
literals of all regexes in one pass. The literals come from parsing the
pattern with Python's own regex parser; any pattern it cannot read gets no gate and always
runs, so a gate can only save work, never lose a match.
"""
from __future__ import annotations

from typing import Any

import ahocorasick

try:  # Python's regex parser; private, so a missing or changed one means "no gates".
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover
    _parser = None

MIN_LITERAL = 2
Gate = frozenset[str]


def required_literals(source: str) -> Gate | None:
    """Lower-case strings one of which every match of `source` contains, or None if unknown."""
    if _parser is None or "(?f" in source or "V1" in source:
        return None
    try:
        tree = _parser.parse(source)
    except Exception:
        return None
    gate = _sequence(list(tree))
    if not gate or min(map(len, gate)) < MIN_LITERAL:
        return None
    return frozenset(gate)


def passes(gate: Gate | None, lowered: str) -> bool:
    """Whether a text (already lower-cased) may hold a match."""
    return gate is None or any(literal in lowered for literal in gate)


class GateIndex:
    """Which of many gated regexes may match a text, found in one Aho-Corasick pass.

    Checking each regex's gate separately costs more than the regexes it saves once there
    are hundreds of them; one automaton over every literal finds them all at once.
    """

    def __init__(self, gates: list[Gate | None]) -> None:
        self.always = [i for i, gate in enumerate(gates) if gate is None]
        self.owners: list[list[int]] = []
        ids: dict[str, int] = {}
        for i, gate in enumerate(gates):
            for literal in gate or ():
                if literal not in ids:
                    ids[literal] = len(self.owners)
                    self.owners.append([])
                self.owners[ids[literal]].append(i)
        self.automaton: ahocorasick.Automaton | None = None
        if ids:
            self.automaton = ahocorasick.Automaton()
            for literal, lid in ids.items():
                self.automaton.add_word(literal, lid)
            self.automaton.make_automaton()

    def candidates(self, lowered: str) -> list[int]:
        """Indexes of the regexes worth running over `lowered`, in index order."""
        chosen = set(self.always)
        if self.automaton is not None:
            for lid in {lid for _, lid in self.automaton.iter(lowered)}:
                chosen.update(self.owners[lid])
        return sorted(chosen)


def _best(candidates: list[set[str]]) -> set[str] | None:
    """The most selective candidate: longest shortest literal, then fewest literals."""
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    candidates: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg).lower())
            continue
        flush()
        found: set[str] | None = None
        if op is _c.SUBPATTERN:
            found = _sequence(list(arg[-1]))
        elif op is _c.ATOMIC_GROUP:
            found = _sequence(list(arg))
        elif op is _c.BRANCH:
            alternatives = [_sequence(list(alt)) for alt in arg[1]]
            if all(alternatives):
                found = set().union(*alternatives)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and arg[0] >= 1:
            body = list(arg[2])
            if body and all(o is _c.LITERAL for o, _ in body):
                # "!{2,}" must contain "!!": the literal body repeated its minimum times.
                found = {"".join(chr(a).lower() for _, a in body) * min(arg[0], 4)}
            else:
                found = _sequence(body)
        if found:
            candidates.append(found)
    flush()
    return _best(candidates)
