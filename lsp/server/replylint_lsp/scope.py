"""Which documents are checked: with `requireConfig`, only where replies live.

An editor opens every text, Markdown and HTML file; a README or a changelog is no reply. With
`requireConfig` on (the VS Code extension's default), a document is checked when a replylint
config applies to it (the config found from its folder upward, or the `configFile` setting),
when its path matches one of the `include` globs, or when the user asked for it ("Lint this
file anyway", the `replylint.lintAnyway` command).
"""
from __future__ import annotations

import contextlib
from functools import lru_cache
from pathlib import Path, PurePath

import pathspec

from .settings import Settings


@lru_cache(maxsize=8)
def include_spec(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """The `include` globs, read as `.gitignore` lines (as the config file's `exclude`); compiled
    once per setting, not on every check."""
    return pathspec.GitIgnoreSpec.from_lines(globs)


def matches_include(spec: pathspec.GitIgnoreSpec, path: str, root: Path | None) -> bool:
    """Whether `path` matches: relative to the workspace root when inside it, else as given."""
    target = PurePath(path)
    if root is not None:
        with contextlib.suppress(ValueError):  # outside the workspace: the absolute path
            target = target.relative_to(root)
    return spec.match_file(target.as_posix())


def in_scope(settings: Settings, config_path: Path | None, path: str | None, root: Path | None,
             forced: bool = False) -> bool:
    """Whether a document is checked under `settings` (see the module's docstring)."""
    if not settings.require_config or forced or config_path is not None:
        return True
    return bool(path and settings.include and matches_include(include_spec(settings.include), path, root))
