"""Loading the tone model (lazily, once per process) and scoring the sentences of a reply.

The model is a spaCy `textcat_multilabel` over bags of word n-grams. It was trained on
lower-cased text, so a token's features are the hashes of its lower-case form: exactly the
LOWER ids of the engine's own tokens. Scoring therefore reuses the doc the engine already
made (no second tokenization): each sentence is handed to the model as its slice of LOWER ids.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import FAMILIES, MODEL_DIR

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

THRESHOLDS_FILE = "thresholds.json"
MODEL_SUBDIR = "textcat"
MIN_TOKENS = 2  # a one-word "sentence" (a greeting, a name) is never judged by the model


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """A sentence's character span in the checked text and the family the model put it in."""

    start: int
    end: int
    family: str
    score: float


class _Ids:
    """What the n-gram extractor reads from a doc: `to_array([attr])`, here a slice of LOWER ids."""

    __slots__ = ("ids",)

    def __init__(self, ids: Any) -> None:
        self.ids = ids

    def to_array(self, attrs: Any) -> Any:
        return self.ids


@dataclass(frozen=True)
class ToneModel:
    """The trained classifier plus the per-family thresholds chosen on the held-out split."""

    nlp: Language
    labels: tuple[str, ...]
    thresholds: dict[str, float]  # family -> threshold; a family without one is off

    def score_texts(self, docs: list[Doc]) -> list[dict[str, float]]:
        """Every family's probability for each whole doc (training and evaluation use this)."""
        from spacy.attrs import LOWER

        return self._scores([_Ids(doc.to_array([LOWER])) for doc in docs])

    def sentences(self, doc: Doc) -> list[SentenceScore]:
        """The sentences of an engine doc the model puts in a family at or above its threshold."""
        import numpy
        from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER

        if not self.thresholds or not len(doc):
            return []
        ids = doc.to_array([LOWER])
        words = numpy.concatenate(([0], numpy.cumsum(doc.to_array([IS_PUNCT, IS_SPACE]).sum(axis=1) == 0)))
        spans = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents
                 if words[s.end] - words[s.start] >= MIN_TOKENS]
        if not spans:
            return []
        families = list(self.thresholds)
        columns = [self.labels.index(f) for f in families]
        matrix = self._matrix([_Ids(ids[a:b]) for a, b, _, _ in spans])[:, columns]
        rows, cols = numpy.nonzero(matrix >= numpy.array([self.thresholds[f] for f in families]))
        return [SentenceScore(spans[r][2], spans[r][3], families[c], float(matrix[r, c]))
                for r, c in zip(rows.tolist(), cols.tolist(), strict=True)]

    def _matrix(self, items: list[_Ids]) -> Any:
        textcat = self.nlp.get_pipe("textcat_multilabel")
        return textcat.model.predict(items)  # type: ignore[arg-type]

    def _scores(self, items: list[_Ids]) -> list[dict[str, float]]:
        matrix = self._matrix(items)
        return [{label: float(row[i]) for i, label in enumerate(self.labels)} for row in matrix]


def read_thresholds(folder: Path = MODEL_DIR) -> dict[str, float]:
    """family -> threshold from thresholds.json; families marked "off" (or missing) are left out."""
    path = folder / THRESHOLDS_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f: float(t) for f, t in data.get("thresholds", {}).items() if f in FAMILIES and isinstance(t, (int, float))}


def load_from(folder: Path) -> ToneModel | None:
    """The model saved in `folder` (textcat/ and thresholds.json), or None when there is none."""
    if not (folder / MODEL_SUBDIR).is_dir():
        return None
    import spacy

    nlp = spacy.load(folder / MODEL_SUBDIR)
    labels = tuple(nlp.get_pipe("textcat_multilabel").labels)
    return ToneModel(nlp, labels, read_thresholds(folder))


@cache
def bundled_model() -> ToneModel | None:
    """The model shipped in the package, loaded on first use and kept for the process."""
    return load_from(MODEL_DIR)
