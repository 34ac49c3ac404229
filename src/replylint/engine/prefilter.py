"""Cheap gates in front of regexes: literals one of which every match must contain.

A regex is only run over a text that contains one of its required literals (compared in
lower case), which skips most regexes for most replies. GateIndex finds the present
literals of all regexes in one pass. The literals come from parsing the
pattern with Python's own regex parser; any pattern it cannot read gets no gate and always
runs, so a gate can only save work, never lose a match.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ahocorasick

try:  # Python's regex parser; private, so a missing or changed one means "no gates".
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover
    _parser = None

MIN_LITERAL = 2
MAX_REQUIREMENTS = 3  # literal sets a gate may require together
Gate = frozenset[str]
Gates = tuple[Gate, ...]  # all required: a text must hold a literal of each


def _tree(source: str) -> list[tuple[Any, Any]] | None:
    """The pattern parsed by Python's regex parser, or None when it cannot be read."""
    if _parser is None or "(?f" in source or "V1" in source:
        return None
    try:
        return list(_parser.parse(source))
    except Exception:
        return None


def required_literals(source: str) -> Gate | None:
    """Lower-case strings one of which every match of `source` contains, or None if unknown."""
    tree = _tree(source)
    return None if tree is None else _best_gate(tree)


def _best_gate(tree: list[tuple[Any, Any]]) -> Gate | None:
    gate = _sequence(tree)
    if not gate or min(map(len, gate)) < MIN_LITERAL:
        return None
    return frozenset(gate)


_remembered: dict[str, Gates | None] = {}


def required_literal_sets(source: str) -> Gates | None:
    """Up to three sets of lower-case strings, every match of `source` containing one string of
    each (most selective first); None if unknown. A phrase such as "the * courier is
    responsible" needs "courier" *and* "responsible", which rules out far more texts than either.
    Worked out once per process, or read from the signed rule cache (`remember`): parsing the
    bundled regexes costs a start-up about 0.2 s."""
    if source in _remembered:
        return _remembered[source]
    found = _remembered[source] = _literal_sets(source)
    return found


def remember(gates: Mapping[str, Gates | None]) -> None:
    """Take gates worked out by an earlier process (read from the signed rule cache)."""
    _remembered.update(gates)


def _literal_sets(source: str) -> Gates | None:
    tree = _tree(source)
    best = None if tree is None else _best_gate(tree)
    if tree is None or best is None:
        return None
    found = [frozenset(s) for s in _requirements(tree)
             if s and min(map(len, s)) >= MIN_LITERAL and frozenset(s) != best]
    found.sort(key=lambda s: (min(map(len, s)), -len(s)), reverse=True)
    unique = list(dict.fromkeys(found))
    return (best, *unique[: MAX_REQUIREMENTS - 1])


def _requirements(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """Every literal set a concatenation requires (each matched text holds one of each set),
    looking into groups that are themselves concatenations."""
    out: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg).lower())
            continue
        if run:
            out.append({"".join(run)})
            run = []
        if op is _c.SUBPATTERN:
            out += _requirements(list(arg[-1]))
        elif op is _c.ATOMIC_GROUP:
            out += _requirements(list(arg))
        elif op is _c.BRANCH:
            alternatives = [_sequence(list(alt)) for alt in arg[1]]
            if all(alternatives):
                out.append(set().union(*alternatives))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and arg[0] >= 1:
            out += _requirements(list(arg[2]))
    if run:
        out.append({"".join(run)})
    return out


def _as_sets(gate: Gate | Gates | None) -> Gates | None:
    return None if gate is None else (gate,) if isinstance(gate, frozenset) else gate


def passes(gate: Gate | Gates | None, lowered: str) -> bool:
    """Whether a text (already lower-cased) may hold a match."""
    sets = _as_sets(gate)
    return sets is None or all(any(literal in lowered for literal in each) for each in sets)


class GateIndex:
    """Which of many gated regexes may match a text, found in one Aho-Corasick pass.

    Checking each regex's gate separately costs more than the regexes it saves once there
    are hundreds of them; one automaton over every literal finds them all at once.
    """

    def __init__(self, gates: list[Gate | Gates | None]) -> None:
        sets = [_as_sets(gate) for gate in gates]
        self.always = [i for i, each in enumerate(sets) if each is None]
        self.owners: list[list[int]] = []  # literal id -> regexes whose first (most selective) set holds it
        ids: dict[str, int] = {}

        def lid(literal: str) -> int:
            if literal not in ids:
                ids[literal] = len(self.owners)
                self.owners.append([])
            return ids[literal]

        self.extra: dict[int, list[frozenset[int]]] = {}  # regex -> its other required sets, as literal ids
        self.first: list[tuple[int, ...]] = []  # regex -> the literal ids of its first set (none: ungated)
        for i, each in enumerate(sets):
            if not each:
                self.first.append(())
                continue
            self.first.append(tuple(lid(literal) for literal in each[0]))
            for literal in each[0]:
                self.owners[lid(literal)].append(i)
            if len(each) > 1:
                self.extra[i] = [frozenset(map(lid, gate)) for gate in each[1:]]
        self.automaton: ahocorasick.Automaton | None = None
        if ids:
            self.automaton = ahocorasick.Automaton()
            for literal, lid in ids.items():
                self.automaton.add_word(literal, lid)
            self.automaton.make_automaton()

    def candidates(self, lowered: str) -> list[int]:
        """Indexes of the regexes worth running over `lowered`, in index order."""
        return self.candidates_at(lowered)[0]

    def candidates_at(self, lowered: str) -> tuple[list[int], dict[int, list[int]]]:
        """The candidates, and where each present literal ends in `lowered` (by literal id):
        with `first`, where a regex's match may be (see matching.Windows)."""
        chosen = set(self.always)
        where: dict[int, list[int]] = {}
        if self.automaton is not None:
            for end, lid in self.automaton.iter(lowered):
                if lid in where:
                    where[lid].append(end)
                else:
                    where[lid] = [end]
            present = set(where)  # a set: isdisjoint then walks the smaller side
            owners = self.owners
            for lid in present:
                chosen.update(owners[lid])
            extra = self.extra
            kept = []
            for i in chosen:  # plain loops: a generator per regex costs more than its test
                for required in extra.get(i, ()):
                    if required.isdisjoint(present):
                        break
                else:
                    kept.append(i)
            kept.sort()
            return kept, where
        return sorted(chosen), where


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
