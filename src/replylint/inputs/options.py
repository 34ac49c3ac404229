"""What the readers need from a config — placeholder patterns and bundle field names — in a
module of its own, so readers and bundles import it without importing each other."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

from .documents.placeholders import placeholder_pattern

if TYPE_CHECKING:
    from replylint.engine.config import Config


@dataclass(frozen=True)
class BundleFields:
    """Field names of a generic bundle: the reply body, its id / title, and its language."""

    body: tuple[str, ...] = ("body", "text", "content", "message", "reply")
    id: tuple[str, ...] = ("id", "key", "slug")
    title: tuple[str, ...] = ("title", "name", "subject")
    lang: tuple[str, ...] = ("lang", "language", "locale")


@dataclass(frozen=True)
class ReadOptions:
    """What readers need from config: placeholder patterns and bundle field names."""

    placeholders: regex.Pattern = field(default_factory=placeholder_pattern)
    fields: BundleFields = field(default_factory=BundleFields)


def read_options(config: Config, path: str | None = None) -> ReadOptions:
    """What the readers need from `config`, for a file at `path` when given: `bundle-fields`
    whose glob matches it come before `fields`, before the defaults."""
    chosen: dict[str, tuple[str, ...]] = {}
    layers = [f for glob, f in config.bundle_fields.items() if path and config.matches(glob, path)]
    for layer in (*layers, config.fields):
        for key, names in layer.items():
            chosen[key] = chosen.get(key, ()) + tuple(names)
    defaults = BundleFields()
    fields = BundleFields(**{k: v + getattr(defaults, k) for k, v in chosen.items()})
    return ReadOptions(placeholders=placeholder_pattern(config.placeholders, config.source), fields=fields)
