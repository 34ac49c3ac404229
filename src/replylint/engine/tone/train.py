"""Train the tone model: `python -m replylint.engine.tone.train` (fixed seed, reproducible).

Assembles the data (tone.data), writes it to corpus/tone/{train,heldout}.jsonl, trains a
spaCy `textcat_multilabel` (bag of word uni-, bi- and trigrams, TextCatBOW) on the train split,
chooses each family's threshold for precision on the held-out split, and writes the model to
src/replylint/engine/tone/data/textcat/ with thresholds.json (thresholds and metrics) beside it.

    python -m replylint.engine.tone.train                # the bundled model
    python -m replylint.engine.tone.train --out /tmp/m   # somewhere else (tests, experiments)
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import FAMILIES, MODEL_DIR
from .classifier import MODEL_SUBDIR, THRESHOLDS_FILE, ToneModel
from .data import OUT, Item, assemble, write

if TYPE_CHECKING:
    from spacy.language import Language

SEED = 14
EPOCHS = 12
BATCH = 64  # each update touches the whole weight table, so fewer, larger batches train faster
DROPOUT = 0.2
NGRAMS = 3
LENGTH = 2**18  # hashed feature rows of the bag of n-grams: size is LENGTH x families x 4 bytes
TARGET_PRECISION = 0.9
MIN_TRUE = 2  # a threshold must catch at least this many held-out cases of its family
FLOOR = 0.5  # never below an even bet


def model_config(ngrams: int = NGRAMS, length: int = LENGTH) -> dict:
    return {"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
                      "ngram_size": ngrams, "no_output_layer": False, "length": length}}


def tokenized(items: Sequence[Item]) -> list:
    """Docs of the lower-cased texts, tokenized by the engine's own pipeline for each language."""
    from ..pipelines import pipeline

    return [pipeline(item.lang)(item.text.lower()) for item in items]


def train(items: Sequence[Item], seed: int = SEED, epochs: int = EPOCHS, ngrams: int = NGRAMS,
          length: int = LENGTH, labels: Iterable[str] = FAMILIES, batch: int = BATCH) -> Language:
    """A textcat_multilabel pipeline trained on `items`; the same items and seed give the same model."""
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat_multilabel", config=model_config(ngrams, length))
    labels = tuple(labels)
    for label in labels:
        textcat.add_label(label)
    examples = [Example.from_dict(doc, {"cats": {f: float(f in item.cats) for f in labels}})
                for doc, item in zip(tokenized(items), items, strict=True)]
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(seed)
    for _ in range(epochs):
        order.shuffle(examples)
        for group in minibatch(examples, size=batch):
            nlp.update(group, drop=DROPOUT, sgd=optimizer)
    return nlp


def case_scores(model: ToneModel, items: Sequence[Item]) -> list[dict[str, float]]:
    """Each case's highest score per family over its sentences, as the engine would see them."""
    from ..pipelines import pipeline

    out = []
    for item in items:
        doc = pipeline(item.lang)(item.text)
        judged = ToneModel(model.nlp, model.labels, dict.fromkeys(model.labels, 0.0)).sentences(doc)
        best = dict.fromkeys(model.labels, 0.0)
        for hit in judged:
            best[hit.family] = max(best[hit.family], hit.score)
        out.append(best)
    return out


def choose_thresholds(scores: list[dict[str, float]], items: Sequence[Item], labels: Iterable[str] = FAMILIES,
                      target: float = TARGET_PRECISION) -> tuple[dict[str, float | str], dict[str, dict]]:
    """Per family, the lowest threshold (>= FLOOR) at which the held-out precision is >= target
    and at least MIN_TRUE cases are caught; "off" when no threshold gets there."""
    thresholds: dict[str, float | str] = {}
    figures: dict[str, dict] = {}
    for family in labels:
        ranked = sorted(((s[family], family in item.cats) for s, item in zip(scores, items, strict=True)),
                        reverse=True)
        positives = sum(hit for _, hit in ranked)
        best: tuple[float, int, int] | None = None
        true = 0
        for n, (score, hit) in enumerate(ranked, 1):
            true += hit
            if score < FLOOR:
                break
            following = ranked[n][0] if n < len(ranked) else -1.0
            if following == score:
                continue  # ties: a threshold takes all of them or none
            if true >= MIN_TRUE and true / n >= target:
                best = (score, true, n)
        if best is None:
            thresholds[family] = "off"
            figures[family] = {"positives": positives, "threshold": "off"}
        else:
            score, true, flagged = best
            thresholds[family] = round(score - 1e-6, 6)
            figures[family] = {"positives": positives, "threshold": thresholds[family], "flagged": flagged,
                               "precision": round(100 * true / flagged, 1),
                               "recall": round(100 * true / positives, 1) if positives else 0.0}
    return thresholds, figures


def save(nlp: Language, thresholds: dict, metrics: dict, folder: Path) -> None:
    target = folder / MODEL_SUBDIR
    if target.exists():
        shutil.rmtree(target)
    folder.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    data = {"thresholds": thresholds, **metrics}
    (folder / THRESHOLDS_FILE).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _kind(origin: str) -> str:
    return "rule examples" if origin.startswith("rule:") else "team sets" if origin.startswith("tests/") else "real"


def size_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replylint.engine.tone.train", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="folder for textcat/ and thresholds.json")
    parser.add_argument("--data", type=Path, default=OUT, help="folder for train.jsonl and heldout.jsonl")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    train_items, heldout = assemble()
    write(train_items, args.data / "train.jsonl")
    write(heldout, args.data / "heldout.jsonl")
    print(f"data: {len(train_items)} training texts, {len(heldout)} held out -> {args.data}", file=sys.stderr)
    nlp = train(train_items, args.seed, args.epochs)
    labels = tuple(nlp.get_pipe("textcat_multilabel").labels)
    scores = case_scores(ToneModel(nlp, labels, {}), heldout)
    thresholds, figures = choose_thresholds(scores, heldout, labels)
    metrics = {
        "seed": args.seed, "epochs": args.epochs, "architecture": "spacy.TextCatBOW.v3",
        "ngram_size": NGRAMS, "length": LENGTH, "target_precision": TARGET_PRECISION,
        "train_texts": len(train_items), "heldout_cases": len(heldout),
        "train_by_source": dict(sorted(Counter(_kind(i.origin) for i in train_items).items())),
        "train_by_lang": dict(sorted(Counter(i.lang for i in train_items).items())),
        "train_clean": sum(not i.cats for i in train_items),
        "heldout_by_lang": dict(sorted(Counter(i.lang for i in heldout).items())),
        "heldout": figures,
    }
    save(nlp, thresholds, metrics, args.out)
    print(f"model: {size_mb(args.out / MODEL_SUBDIR)} MB in {args.out}, {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    for family, row in figures.items():
        print(f"  {family:14} {json.dumps(row)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
