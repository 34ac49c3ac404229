"""Each input's config: the nearest `.replylint.toml` / `pyproject.toml` above the file's own
folder, as the language server finds it, so a run from another folder agrees with the editor.

Precedence, most specific first: command-line options, then the file's nearest config, then
the defaults (a file with no config above it gets the defaults, as in the editor; standard
input without --stdin-filename gets the current folder's). `--config FILE` makes one config
apply to every file. See docs/configuration.md#which-config-applies.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from replylint.engine.config import Config, find_config_file, load_workspace_config


class FileConfigs:
    """Callable: path -> the file's own config, or None when it is the run's. Each config
    file is loaded, overlaid with the command line (`overlay`) and checked (`accept`) once."""

    def __init__(self, run_path: Path | None, overlay: Callable[[Config], Config],
                 accept: Callable[[Config], None]) -> None:
        self.run_path = run_path.resolve() if run_path else None
        self.overlay, self.accept = overlay, accept
        self._found: dict[Path, Path | None] = {}
        self._loaded: dict[Path, Config] = {}

    def __call__(self, path: str) -> Config | None:
        if path == "<stdin>":
            return None
        folder = (Path.cwd() / path).parent.resolve()
        if folder not in self._found:
            found = find_config_file(folder)
            self._found[folder] = found.resolve() if found else None
        found = self._found[folder]
        if found == self.run_path:  # the same file, or none for either (the ignore file stays the run's)
            return None
        key = found or Path()  # Path(): no config above the file, the defaults
        if key not in self._loaded:
            config = load_workspace_config(found.parent, found)[0] if found else Config()
            config = self.overlay(config)
            self.accept(config)
            self._loaded[key] = config
        return self._loaded[key]

    @property
    def ignored(self) -> frozenset[str]:
        """The fingerprints of every ignore file met (for the SARIF suppressions' kind)."""
        return frozenset().union(*(c.ignored for c in self._loaded.values()))
