"""The workspace config for each document: found, loaded, re-read when its files change,
and kept at the last good version when an edit breaks it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from replylint import Config
from replylint.workspace import IGNORE_FILE, ConfigError, find_config_file, load_workspace_config


@dataclass
class _Entry:
    stamp: tuple[int, int]
    config: Config


@dataclass
class ConfigProblem:
    """A config file that could not be used, and the error to show for it."""

    path: str
    message: str


@dataclass
class ConfigStore:
    """Configs per config file, stamped with the files' modification times."""

    root: Path | None = None
    explicit: str | None = None
    _found: dict[Path, Path | None] = field(default_factory=dict)
    _loaded: dict[Path | None, _Entry] = field(default_factory=dict)
    problems: dict[str, ConfigProblem] = field(default_factory=dict)

    def forget(self) -> None:
        """Drop what was found on disk; called when config files are created or deleted."""
        self._found.clear()

    def config_path(self, folder: Path) -> Path | None:
        if self.explicit:
            explicit = Path(self.explicit)
            return explicit if explicit.is_absolute() or self.root is None else self.root / explicit
        if folder not in self._found:
            self._found[folder] = find_config_file(folder)
        return self._found[folder]

    def home(self, path: str | None) -> Path:
        """The folder that stands for a document when looking for its config."""
        if path:
            return Path(path).parent
        return self.root or Path.cwd()

    def config_for(self, path: str | None) -> tuple[Config, Path | None]:
        """The config for a document at `path` (None: an unsaved buffer), last good on error."""
        folder = self.home(path)
        config_path = self.config_path(folder)
        ignore_folder = config_path.parent if config_path else (self.root or folder)
        cached = self._loaded.get(config_path)
        ignore_name = cached.config.ignore_file if cached else IGNORE_FILE
        stamp = (_mtime(config_path), _mtime(ignore_folder / ignore_name))
        if cached is not None and cached.stamp == stamp:
            return cached.config, config_path
        key = str(config_path) if config_path else str(ignore_folder)
        try:
            config, _ = load_workspace_config(ignore_folder, config_path)
        except ConfigError as exc:
            self.problems[key] = ConfigProblem(str(config_path or ignore_folder), str(exc))
            last_good = cached.config if cached else Config()
            self._loaded[config_path] = _Entry(stamp, last_good)
            return last_good, config_path
        self.problems.pop(key, None)
        self._loaded[config_path] = _Entry(stamp, config)
        return config, config_path


def _mtime(path: Path | None) -> int:
    try:
        return os.stat(path).st_mtime_ns if path else 0
    except OSError:
        return 0
