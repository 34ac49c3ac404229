"""Reading a file that configuration names: a regular file, under the project, of bounded size.

A config key such as `ignore-file` is data a repository controls, so it must not make
replylint read `/proc/self/environ`, `/etc/shadow`, `/dev/zero` or a FIFO. Errors name the
file and the problem, never the file's content (they reach CI logs and editor diagnostics).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from replylint.errors import ConfigError

MAX_CONFIG_BYTES = 1_000_000  # config files and the files they name; real ones are a few KB


def read_limited_text(path: Path, key: str, root: Path | None = None,
                      limit: int = MAX_CONFIG_BYTES) -> str | None:
    """The UTF-8 text of `path`, or None when it does not exist.

    `root`, when given, is the folder the file must resolve under (symlinks followed).
    Raises ConfigError (naming `path` and `key`) for anything else: outside `root`, not a
    regular file, larger than `limit` bytes, unreadable, or not UTF-8.
    """
    shown = str(path)
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        return None
    except (OSError, RuntimeError, ValueError) as exc:
        raise ConfigError(shown, key, f"cannot be read: {_reason(exc)}") from None
    if root is not None and not _inside(resolved, root):
        raise ConfigError(shown, key, "is outside the project folder", f"a file under {root}")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the resolved
        # path must not have become a symlink since it was checked.
        fd = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ConfigError(shown, key, f"cannot be read: {_reason(exc)}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(shown, key, "is not a regular file", "a text file")
        if info.st_size > limit:
            raise ConfigError(shown, key, f"is larger than {limit:,} bytes", "a smaller text file")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ConfigError(shown, key, f"cannot be read: {_reason(exc)}") from None
    if len(data) > limit:
        raise ConfigError(shown, key, f"is larger than {limit:,} bytes", "a smaller text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(shown, key, f"is not UTF-8 text (bad byte at offset {exc.start})") from None


def project_relative(value: str) -> bool:
    """Whether a config value names a path that stays inside the config file's folder."""
    if "\x00" in value or os.path.isabs(value) or value.startswith("~"):
        return False
    return ".." not in Path(value).parts


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def _reason(exc: BaseException) -> str:
    """The OS's reason without the path (the message already names it) and on one line."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__
