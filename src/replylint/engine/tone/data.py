"""Assembling the tone model's training data from repo-local sources only.

- every bundled rule's examples: a flagged example gives the sentence holding its [[mark]]
  labelled with the rule's family (no label for legalese, shouting, cliche); allowed and
  instead examples give their whole text with no label;
- the team-written sets in tests/corpus/** (whole replies, labelled by `expect`);
- the sourced real cases in corpus/real/*.jsonl (not corpus/real/blind/), split by source:
  a quarter of the sources are held out (`heldout`), never trained on, to choose thresholds.

Texts are normalised as the engine normalises them (folded whitespace, straight quotes) and
lower-cased, so the model's n-grams are the engine's LOWER ids.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from . import FAMILIES, LANGS

REPO = Path(__file__).resolve().parents[4]
REAL = REPO / "corpus" / "real"
TEAM = REPO / "tests" / "corpus"
OUT = REPO / "corpus" / "tone"
HELDOUT_SHARE = 25  # percent of real sources held out for thresholds
BIG_SOURCE = 40  # a source with more cases than this is split by case, not as a whole


@dataclass(frozen=True)
class Item:
    """One training or held-out text."""

    text: str
    lang: str
    cats: tuple[str, ...]  # families of FAMILIES; empty: clean
    origin: str  # where it came from: rule code + path, or corpus file + id
    split: str = "train"  # train | heldout
    expect: tuple[str, ...] = ()  # a corpus case's labels as written (every family, `other`), for scoring


def normalized(text: str) -> str:
    from ..normalize import fold
    from ..positions import normalize_quotes

    return normalize_quotes(fold(text).text)


def families(expect: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(expect) & set(FAMILIES)))


def _bucket(key: str) -> int:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100


def rule_items(langs: Iterable[str] = LANGS) -> Iterator[Item]:
    """Each pack's own rules' examples (the language-independent pack has no tone families)."""
    from ..marked_text import parse_marked
    from ..pipelines import pipeline
    from ..ruleset import load_rules

    for lang in langs:
        nlp = pipeline(lang)
        for rule in sorted(load_rules(lang).rules, key=lambda r: r.code):
            if rule.shared:
                continue
            where = Path(rule.path).relative_to(REPO) if rule.path.startswith(str(REPO)) else rule.path
            origin = f"rule:{rule.code}:{where}"
            cats = families([rule.family.value])
            for example in rule.examples.flagged:
                plain, marks = parse_marked(example.text)
                plain = normalized(plain)
                doc = nlp(plain)
                for start, _ in marks[:1]:
                    sent = next((s for s in doc.sents if s.start_char <= start < s.end_char), None)
                    if sent is not None and sent.text.strip():
                        yield Item(sent.text.strip(), lang, cats, origin)
            for text in (*rule.examples.allowed, *rule.examples.instead):
                yield Item(normalized(text).strip(), lang, (), origin)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def team_items() -> Iterator[Item]:
    """The team-written labelled sets (regression and held-out corpora)."""
    for path in sorted(TEAM.rglob("*.jsonl")):
        for i, case in enumerate(_jsonl(path)):
            if "expect" not in case or case.get("lang") not in LANGS:
                continue
            yield Item(normalized(case["text"]).strip(), case["lang"], families(case["expect"]),
                       f"{path.relative_to(REPO)}#{case.get('id', i)}", expect=tuple(case["expect"]))


def real_files(folder: Path = REAL) -> list[Path]:
    """corpus/real/*.jsonl: the blind split lives in a subfolder and is never read here."""
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def real_items(folder: Path = REAL) -> Iterator[Item]:
    """Sourced real cases, a quarter of the sources held out (by a hash of the source)."""
    cases = [(path, case) for path in real_files(folder) for case in _jsonl(path)
             if case.get("lang") in LANGS and isinstance(case.get("expect"), list)]
    per_source = Counter(case.get("source", "") for _, case in cases)
    for path, case in cases:
        source = case.get("source", "")
        key = f"{source}#{case.get('id')}" if per_source[source] > BIG_SOURCE or not source else source
        split = "heldout" if _bucket(key) < HELDOUT_SHARE else "train"
        yield Item(normalized(case["text"]).strip(), case["lang"], families(case["expect"]),
                   f"{path.relative_to(REPO)}#{case.get('id')}", split, tuple(case["expect"]))


def blind_texts(folder: Path = REAL / "blind") -> set[str]:
    """Texts of the blind split, only so that no copy of one is trained on (nothing is tuned on them)."""
    if not folder.is_dir():
        return set()
    return {normalized(c["text"]).strip().lower() for p in sorted(folder.glob("*.jsonl")) for c in _jsonl(p)}


def assemble() -> tuple[list[Item], list[Item]]:
    """(train, heldout): deduplicated by language + lower-cased text (the families of every copy
    kept); a text held out or in the blind split is never trained on, in any of its copies."""
    heldout: dict[tuple[str, str], Item] = {}
    train: dict[tuple[str, str], Item] = {}
    everything = [*real_items(), *team_items(), *rule_items()]
    for item in everything:
        if item.split == "heldout" and item.text:
            heldout.setdefault((item.lang, item.text.lower()), item)
    excluded = set(heldout) | {(lang, text) for text in blind_texts() for lang in LANGS}
    for item in everything:
        key = (item.lang, item.text.lower())
        if item.split == "train" and item.text and key not in excluded:
            first = train.setdefault(key, item)
            if first.cats != item.cats:  # flagged by one rule, allowed by another: every family named
                train[key] = Item(first.text, first.lang, families((*first.cats, *item.cats)), first.origin,
                                  expect=first.expect)
    return list(train.values()), list(heldout.values())


def write(items: list[Item], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            row = asdict(item)
            row["cats"], row["expect"] = list(item.cats), list(item.expect)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def read(path: Path) -> list[Item]:
    return [Item(r["text"], r["lang"], tuple(r["cats"]), r["origin"], r.get("split", "train"),
                 tuple(r.get("expect", ()))) for r in _jsonl(path)]
