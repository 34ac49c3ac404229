"""Finding input files and reading them as text, with one clear error per unreadable file or folder.

Reading goes through `limits`: only regular files and standard input are read, never more
than MAX_BYTES, and the bytes are decoded as UTF-8, or UTF-16 / UTF-32 when a byte-order
mark says so; the encoding and BOM are kept on the Source so a rewrite can keep them.
"""
from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from replylint.errors import ConfigError, InputError
from replylint.limits import MAX_BYTES, LimitError, read_regular_file, read_stream

from .formats import EXTENSIONS

__all__ = ["MAX_BYTES", "STDIN", "Source", "customer_message", "decode", "discover", "exclude_spec", "named_explicitly",
           "read"]

TEXT_SUFFIXES = tuple(EXTENSIONS)
SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", ".venv"}
STDIN = "-"
# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
BOMS = {"utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE, "utf-8": codecs.BOM_UTF8,
        "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


@dataclass(frozen=True, slots=True)
class Source:
    """One input: the name to report, its text, and how its bytes were encoded
    (`encoding` without the BOM, `bom` whether the file began with one)."""

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False

    def encode(self, text: str) -> bytes:
        """`text` as this input's bytes: same encoding, same BOM (to write a fixed file back)."""
        return (BOMS[self.encoding] if self.bom else b"") + text.encode(self.encoding)


def exclude_spec(patterns: Iterable[str], source: str) -> pathspec.GitIgnoreSpec | None:
    """The compiled exclude globs, or a ConfigError from `source` naming the first bad one."""
    patterns = tuple(patterns)
    for pattern in patterns:
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except (ValueError, TypeError, re.error) as exc:
            problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConfigError(source, "exclude", f"invalid pattern {pattern!r}: {problem}",
                              ".gitignore syntax, e.g. 'drafts/' or '*.tmp'") from None
    return pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None


def discover(paths: list[str], exclude: tuple[str, ...] = (), base: Path | None = None,
             source: str = "exclude") -> Iterator[str | InputError]:
    """Expand folders into their reply files (sorted), leaving out `exclude` globs
    (.gitignore syntax, relative to `base`; a bad one is a ConfigError from `source`);
    files and `-` named explicitly pass through. A folder that cannot be listed comes as
    its InputError, in its sorted place. Use `named_explicitly` to tell files apart."""
    spec = exclude_spec(exclude, source)
    root = (base or Path.cwd()).resolve()
    for given in paths:
        if given == STDIN:
            yield given
            continue
        path = Path(given)
        try:
            is_folder = path.is_dir()
        except OSError:  # a parent that cannot be searched: reading it will say why
            is_folder = False
        if not is_folder:
            yield given
            continue
        found: list[tuple[Path, OSError | None]] = []
        for item, problem in _walk(path):
            if problem is not None:
                if not _excluded(spec, item, root, folder=True):
                    found.append((item, problem))
            elif not _excluded(spec, item, root):
                found.append((item, None))
        for item, problem in sorted(found, key=lambda pair: pair[0]):
            yield str(item) if problem is None else InputError(str(item), _unlisted(problem))


def _unlisted(problem: OSError) -> str:
    return f"folder cannot be read: {problem.strerror or problem}; its files are not checked"


def _walk(top: Path) -> Iterator[tuple[Path, OSError | None]]:
    """Every reply file under `top` (symlinked folders not followed, hidden and tool folders
    skipped), and every folder that cannot be listed with its error."""
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            yield folder, exc
            continue
        for entry in entries:
            path = folder / entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not (entry.name.startswith(".") or entry.name in SKIPPED_DIRS):
                        pending.append(path)
                elif path.suffix.lower() in TEXT_SUFFIXES and entry.is_file():
                    yield path, None
            except OSError:
                continue  # vanished or unreadable entry: neither a file to check nor a folder to list


def named_explicitly(path: str, given: list[str]) -> bool:
    """Whether `path` was named on the command line rather than found in a folder."""
    return path in given


def _excluded(spec: pathspec.PathSpec | None, path: Path, root: Path, folder: bool = False) -> bool:
    if spec is None:
        return False
    resolved = path.resolve()
    try:
        relative = resolved.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return spec.match_file(relative + "/" if folder else relative)


def _bom(data: bytes) -> str | None:
    return next((name for name, mark in BOMS.items() if data.startswith(mark)), None)


def _utf16_without_bom(head: bytes) -> bool:
    """Mostly-ASCII UTF-16 without a BOM: NUL in every byte of one parity, none in the other."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and ((odd.count(0) == len(odd) and 0 not in even)
                               or (even.count(0) == len(even) and 0 not in odd))


def decode(data: bytes, shown: str) -> Source:
    """UTF-8 text, or UTF-16 / UTF-32 with a BOM (the BOM dropped from the text but kept on
    the Source), or an InputError saying why the bytes are not text."""
    if len(data) > MAX_BYTES:
        raise InputError(shown, f"file too large ({len(data):,} bytes; limit {MAX_BYTES:,})")
    encoding = _bom(data)
    body = data[len(BOMS[encoding]):] if encoding else data
    if encoding is None and b"\x00" in data[:8192]:
        if _utf16_without_bom(data[:8192]):
            raise InputError(shown, "UTF-16 text without a byte-order mark; not checked "
                                    "(save it as UTF-8, or as UTF-16 with a BOM)")
        raise InputError(shown, "binary file (contains NUL bytes); not checked")
    try:
        text = body.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        name = (encoding or "utf-8").upper().removesuffix("-LE").removesuffix("-BE")
        at = exc.start + len(data) - len(body)
        raise InputError(shown, f"not {name} text: invalid byte 0x{data[at]:02x} at offset {at}") from None
    if encoding and "\x00" in text[:8192]:
        raise InputError(shown, f"binary file (a {encoding.upper()} byte-order mark, then NUL characters); not checked")
    return Source(shown, text, encoding or "utf-8", encoding is not None)


def customer_message(path: str) -> str:
    """The customer's words in a file given as thread context (`check --context FILE`): read
    like a reply (HTML tags, an e-mail's own quoted history and signature left out), by its
    extension, plain text otherwise; an InputError naming the option and file when unreadable."""
    from .formats import read_document

    try:
        source = read(path)
    except InputError as exc:
        raise InputError(f"--context {exc.path}", exc.problem) from None
    fmt = EXTENSIONS.get(Path(path).suffix.lower(), "text")
    document = read_document(source.text, fmt if fmt in ("text", "markdown", "html") else "text")
    return "\n".join(segment.prose.text.strip() for segment in document.segments).strip()


def read(path: str) -> Source:
    """Read one input (`-` is standard input): a regular file or stdin, at most MAX_BYTES."""
    if path == STDIN:
        shown = "<stdin>"
        if sys.stdin is None:
            raise InputError(shown, "no standard input to read")
        try:
            return decode(read_stream(sys.stdin.buffer), shown)
        except LimitError as exc:
            raise InputError(shown, str(exc)) from None
        except OSError as exc:
            raise InputError(shown, f"cannot be read: {exc.strerror or exc}") from None
    try:
        data = read_regular_file(path)
    except LimitError as exc:
        raise InputError(path, str(exc)) from None
    except FileNotFoundError:
        raise InputError(path, "no such file or folder") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    return decode(data, path)
