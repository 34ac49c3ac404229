"""Writing a file so that it is either wholly replaced or left exactly as it was.

Every write replylint makes (`fix`, `baseline`, `rules --write-docs`, the editor's config and
ignore-file edits) goes through `write_atomic`. The new bytes go to a temporary file in the
target's folder, are flushed to disk and given the old file's mode (and owner, where allowed),
then renamed over the target in one step. A failure at any point (disk full, file-size limit,
permission) leaves the target untouched and the temporary file removed; a truncate-then-write
could leave half a file. A target whose bytes changed since the caller read them (an editor
saved it meanwhile) is refused rather than overwritten, and so are targets that are not
regular files (`/dev/full`, a folder, a FIFO). Every refusal is one `WriteError`.

A target that is a symlink is written through: the file it points to is replaced, the link
stays. A file with other hard links gets a new inode; the other names keep the old text.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from replylint.errors import WriteError
from replylint.limits import MAX_BYTES, LimitError, read_regular_file, read_stream

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class _Absent:
    """Marker for `expected=`: the caller saw no file, so one appearing meanwhile is a change."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()
Expected = bytes | _Absent | None  # None: no check (a file written whatever was there)


def read_for_update(path: Path | str, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of a file about to be rewritten, or None when there is none.

    Read through the inputs' bounded reader: non-regular files are refused before anything
    is read, so a FIFO cannot hang the run and `/dev/zero` cannot fill memory. Pass the bytes
    back to `write_atomic` as `expected`.
    """
    shown = str(path)
    try:
        return read_regular_file(_resolved(path), limit)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise WriteError(shown, "is a folder, not a file; not written") from None
    except LimitError as exc:
        raise WriteError(shown, f"{exc}; not rewritten") from None
    except OSError as exc:
        raise WriteError(shown, f"cannot be read: {_why(exc)}") from None


def write_atomic(path: Path | str, data: bytes, expected: Expected = None) -> None:
    """Replace `path` with `data` in one step, or raise WriteError and leave it as it was.

    `expected` is what the caller read (bytes, or ABSENT for no file): if the file on disk
    is not that any more, nothing is written.
    """
    shown = str(path)
    target = _resolved(path)
    folder = target.parent
    current = _usable_target(shown, target)
    _require_unchanged(shown, target, expected)
    temporary = folder / f".{target.name}.{secrets.token_hex(4)}.replylint-tmp"
    created = False
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                     0o666 if current is None else 0o600)  # a new file gets the umask's mode
        created = True
        try:
            _write_all(fd, data)
            os.fsync(fd)
            if current is not None:
                _keep_owner_and_mode(fd, current)
        finally:
            os.close(fd)
        _require_unchanged(shown, target, expected)  # again: writing a big file takes a while
        os.replace(temporary, target)
        created = False
    except OSError as exc:
        if isinstance(exc, WriteError):
            raise
        kept = "; the file on disk is unchanged" if current is not None else ""
        raise WriteError(shown, f"not written: {_why(exc)}{kept}") from None
    finally:
        if created:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _sync_folder(folder)


def check_writable(path: Path | str) -> None:
    """Raise the WriteError that writing `path` would meet, before any work is spent on it."""
    _usable_target(str(path), _resolved(path))


def _usable_target(shown: str, target: Path) -> os.stat_result | None:
    """The target's current state (None: no file yet), once it is known that it may be replaced."""
    try:
        current = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):  # the folder check below says which
        current = None
    except OSError as exc:
        raise WriteError(shown, f"not written: {_why(exc)}") from None
    if current is not None:
        _require_regular(shown, current)
        if not _writable(target, current):
            raise WriteError(shown, "is read-only; not written")
    _require_folder(shown, target.parent)
    return current


def _resolved(path: Path | str) -> Path:
    """The file a path names, through symlinks, so a link is written through and kept."""
    return Path(os.path.realpath(path))


def _why(exc: OSError | LimitError) -> str:
    """The system's short reason ("No space left on device"), on one line."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(text.split())


def _require_regular(shown: str, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(shown, "is a folder, not a file; not written")
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(shown, "is not a regular file (a device, FIFO or socket); not written")


def _writable(path: Path, info: os.stat_result) -> bool:
    """Writable for this user, and not marked read-only: a root run respects `chmod a-w` too."""
    return os.access(path, os.W_OK) and bool(info.st_mode & 0o222)


def _require_folder(shown: str, folder: Path) -> None:
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise WriteError(shown, f"folder {folder} does not exist; not written") from None
    except OSError as exc:
        raise WriteError(shown, f"folder {folder} cannot be used: {_why(exc)}; not written") from None
    if not stat.S_ISDIR(info.st_mode):
        raise WriteError(shown, f"{folder} is not a folder; not written")
    if not _writable(folder, info):
        raise WriteError(shown, f"folder {folder} is read-only; not written")


def _require_unchanged(shown: str, target: Path, expected: Expected) -> None:
    if expected is None:
        return
    try:
        fd = os.open(target, _READ_FLAGS)
    except FileNotFoundError:
        if isinstance(expected, _Absent):
            return
        raise WriteError(shown, "was removed since it was read; not written") from None
    except OSError as exc:
        raise WriteError(shown, f"cannot be read back to compare: {_why(exc)}; not written") from None
    try:
        info = os.fstat(fd)
        same = (not isinstance(expected, _Absent) and stat.S_ISREG(info.st_mode)
                and info.st_size == len(expected) and _read_back(fd, len(expected)) == expected)
    except (OSError, LimitError) as exc:
        raise WriteError(shown, f"cannot be read back to compare: {_why(exc)}; not written") from None
    finally:
        os.close(fd)
    if not same:
        raise WriteError(shown, "changed since it was read; not written")


def _read_back(fd: int, limit: int) -> bytes:
    """The bytes behind an open descriptor, refusing a file that grew past `limit`."""
    with open(os.dup(fd), "rb", buffering=0) as stream:
        return read_stream(stream, limit, "file")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _keep_owner_and_mode(fd: int, info: os.stat_result) -> None:
    if hasattr(os, "fchown") and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):  # only root may give a file away; the mode still holds
            os.fchown(fd, info.st_uid, info.st_gid)
    os.fchmod(fd, stat.S_IMODE(info.st_mode))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every file system lets a folder be fsynced."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
