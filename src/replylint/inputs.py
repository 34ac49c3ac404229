"""Finding input files and reading them as text, with one clear error per unreadable file."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from .documents.readers import EXTENSIONS
from .errors import InputError

TEXT_SUFFIXES = tuple(EXTENSIONS)
SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", ".venv"}
MAX_BYTES = 64 * 1024 * 1024  # large enough for a 20 MB+ macro export; larger is refused, not read
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: the name to report, and its text."""

    path: str
    text: str


def discover(paths: list[str], exclude: tuple[str, ...] = (), base: Path | None = None) -> Iterator[str]:
    """Expand folders into their reply files (sorted), leaving out `exclude` globs
    (.gitignore syntax, relative to `base`); files and `-` named explicitly pass through.
    Use `named_explicitly` to tell the two apart."""
    spec = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    root = (base or Path.cwd()).resolve()
    for given in paths:
        if given == STDIN:
            yield given
            continue
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if _wanted(found, path) and not _excluded(spec, found, root):
                    yield str(found)
        else:
            yield given


def named_explicitly(path: str, given: list[str]) -> bool:
    """Whether `path` was named on the command line rather than found in a folder."""
    return path in given


def _excluded(spec: pathspec.PathSpec | None, path: Path, root: Path) -> bool:
    if spec is None:
        return False
    resolved = path.resolve()
    try:
        relative = resolved.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return spec.match_file(relative)


def _wanted(path: Path, root: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
        return False
    parts = path.relative_to(root).parts[:-1]
    return not any(p.startswith(".") or p in SKIPPED_DIRS for p in parts)


def decode(data: bytes, shown: str) -> str:
    """UTF-8 text (a BOM is dropped), or an InputError saying why the bytes are not text."""
    if len(data) > MAX_BYTES:
        raise InputError(shown, f"file too large ({len(data):,} bytes; limit {MAX_BYTES:,})")
    if b"\x00" in data[:8192]:
        raise InputError(shown, "binary file (contains NUL bytes); not checked")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 text: invalid byte 0x{data[exc.start]:02x} at offset {exc.start}") from None


def read(path: str) -> Source:
    """Read one input (`-` is standard input)."""
    if path == STDIN:
        return Source("<stdin>", decode(sys.stdin.buffer.read(), "<stdin>"))
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file or folder") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    return Source(path, decode(data, path))
