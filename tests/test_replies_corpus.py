"""The labelled whole replies (corpus/replies/replies.jsonl, issue 15 item 5) are the evidence for
the structure checks' precision and recall: every line must be well formed, sourced, a whole
reply, labelled consistently, and new (no text already in the dev corpora, where rules were
tuned)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPLIES = ROOT / "corpus" / "replies" / "replies.jsonl"
README = REPLIES.with_name("README.md")
KEYS = {"id", "lang", "text", "source", "kind", "steps", "expect_structure", "note"}
LANGS = {"en", "sv", "da", "nb", "fi", "ms"}
KINDS = {"avoid", "better", "reply"}
STEPS = {"acknowledge", "clarify", "resolve", "check_back"}
CHECKS = {"refusal-without-alternative", "policy-without-reason", "bad-news-without-acknowledgement",
          "no-check-back", "negative-framing"}
# A page address, or a dataset file at a commit with the row: github:owner/repo@commit:path#row
SOURCE = re.compile(r"(https?://\S+|github:[\w.-]+/[\w.-]+@[0-9a-f]{7,40}:\S+#\S+)")
SENTENCE_BREAK = re.compile(r"[.!?]+(?:\s+|$)|\n+")  # as the checks split (docs/coaching.md)


def _rows() -> list[tuple[int, dict]]:
    rows = []
    for number, line in enumerate(REPLIES.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{REPLIES.name}:{number}: empty line"
        rows.append((number, json.loads(line)))
    return rows


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


ROWS = _rows()


def test_at_least_150_whole_replies():
    assert len(ROWS) >= 150


@pytest.mark.parametrize(("number", "row"), ROWS, ids=[row["id"] for _, row in ROWS])
def test_line_schema(number, row):
    where = f"{REPLIES.name}:{number}"
    assert set(row) == KEYS, f"{where}: keys {sorted(set(row) ^ KEYS)}"
    assert row["lang"] in LANGS, where
    assert row["kind"] in KINDS, where
    assert isinstance(row["text"], str) and row["text"] == row["text"].strip(), where
    assert isinstance(row["note"], str) and row["note"].strip(), f"{where}: no note"
    assert set(row["steps"]) == STEPS and all(isinstance(v, bool) for v in row["steps"].values()), where
    assert set(row["expect_structure"]) <= CHECKS, f"{where}: unknown check"
    assert len(set(row["expect_structure"])) == len(row["expect_structure"]), f"{where}: a check twice"


@pytest.mark.parametrize(("number", "row"), ROWS, ids=[row["id"] for _, row in ROWS])
def test_every_line_is_sourced_and_whole(number, row):
    where = f"{REPLIES.name}:{number}"
    assert SOURCE.fullmatch(row["source"]), f"{where}: source {row['source']!r} is not a page or a dataset row"
    assert len(row["text"].split()) >= 25, f"{where}: shorter than a whole reply"
    sentences = [part for part in SENTENCE_BREAK.split(row["text"]) if re.search(r"\w", part)]
    assert len(sentences) >= 2, f"{where}: fewer than two sentences"


@pytest.mark.parametrize(("number", "row"), ROWS, ids=[row["id"] for _, row in ROWS])
def test_labels_agree_with_each_other(number, row):
    """A missing check-back or acknowledgement cannot be expected of a reply labelled as making it."""
    where = f"{REPLIES.name}:{number}"
    steps, expected = row["steps"], set(row["expect_structure"])
    if "no-check-back" in expected:
        assert not steps["check_back"], f"{where}: no-check-back expected but a check-back is labelled"
    if "bad-news-without-acknowledgement" in expected:
        assert not steps["acknowledge"], f"{where}: bad-news-without-acknowledgement expected but acknowledged"


def test_ids_and_texts_are_unique():
    ids = [row["id"] for _, row in ROWS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    texts = [_folded(row["text"]) for _, row in ROWS]
    assert len(texts) == len(set(texts)), "the same reply twice"


def test_no_text_of_the_dev_corpora_is_reused():
    """The evidence is new text: no reply equals, contains or is contained in a line of
    corpus/real (the rules were tuned on those)."""
    seen = set()
    for path in sorted((ROOT / "corpus" / "real").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.add(_folded(json.loads(line)["text"]))
    long_seen = [text for text in seen if len(text) > 80]
    for _, row in ROWS:
        text = _folded(row["text"])
        assert text not in seen, f"{row['id']}: text already in corpus/real"
        assert not any(old in text for old in long_seen), f"{row['id']}: contains a corpus/real line"


def test_readme_counts_the_replies():
    stated = re.search(r"\*\*(\d+) whole replies\*\*", README.read_text(encoding="utf-8"))
    assert stated, f"{README.name} does not state the number of replies"
    assert int(stated.group(1)) == len(ROWS)
