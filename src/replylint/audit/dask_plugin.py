"""The Dask worker plugin of the dask engine (engines.py), in a module of its own because it
subclasses distributed's WorkerPlugin: nothing else of the audit needs distributed imported."""
from __future__ import annotations

from typing import Any

from distributed import WorkerPlugin

from .checker import CheckOptions, warm_up


class RulesOnWorker(WorkerPlugin):
    """Each worker loads spaCy and the rules once, when it joins (or when the plugin is
    registered), and keeps them for every chunk it is given: the engine caches them per process."""

    name = "replylint-audit-rules"

    def __init__(self, options: CheckOptions) -> None:
        self.options = options

    def setup(self, worker: Any) -> None:
        warm_up(self.options)
