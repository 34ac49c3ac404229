"""The tone model: a sentence-level spaCy text classifier beside the rules (docs/tone-model.md).

This module is light on purpose (config.py reads DEFAULT_ON from it): spaCy and the model are
loaded only on the first check that uses the model (see `tone.classifier`).
"""
from __future__ import annotations

from pathlib import Path

# The risky families the model has a label for; legalese, shouting, cliche and structure are
# left to the rules (they are about words and marks, which the rules already see exactly).
FAMILIES: tuple[str, ...] = (
    "blunt-no", "you-are-wrong", "blame", "cant-do", "policy-wall", "deflection", "last-word",
    "condescension", "commanding", "non-apology", "hostility", "threat", "dismissive", "sarcasm",
)
LANGS: tuple[str, ...] = ("en", "sv", "da", "nb", "fi", "ms")

# Whether a check runs the model when the config says nothing (`tone-model` key). Chosen from
# the blind-split figures in docs/tone-model.md: on only if it raises recall_family by >= 5
# points with fp_rate <= 2.
DEFAULT_ON = False

MODEL_DIR = Path(__file__).with_name("data")  # textcat/ (spaCy) and thresholds.json; shipped in the wheel
NAME_PREFIX = "tone-"  # a model finding's name is tone-<family>; rules never use this prefix


def finding_name(family: str) -> str:
    return NAME_PREFIX + family


def is_model_finding(name: str) -> bool:
    """Whether a finding (by its name) came from the tone model rather than a rule."""
    return name.startswith(NAME_PREFIX)
