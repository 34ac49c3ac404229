"""The limits on what one input may cost, and the bounded reads and loads that enforce them.

Every reader goes through here, so a hostile or accidental input (a device, a pipe, a
huge file, YAML or JSON nested thousands deep, a YAML alias bomb) is refused with one
clear message instead of hanging, exhausting memory or overflowing the stack.
"""
from __future__ import annotations

import errno
import json
import os
import stat
from typing import Any, BinaryIO

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.events import AliasEvent

from replylint.errors import DocumentError

MAX_BYTES = 64 * 1024 * 1024  # large enough for a 20 MB+ macro export; larger is refused, not read
MAX_DEPTH = 100  # nesting of JSON / YAML lists and maps; real exports nest under 10
MAX_ALIASES = 1_000  # YAML alias uses per document; a shared footer needs a handful
_CHUNK = 1024 * 1024


class LimitError(DocumentError):
    """An input beyond one of the limits, or of a kind that is never read; the message says which,
    `line` (1-based) where in the text, when known. A document past a limit cannot be read, so this
    is a DocumentError (and a ValueError) too."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self._init_args = (message, line)
        self.line = line


def _too_large(size: int | None, limit: int, what: str = "file") -> LimitError:
    said = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
    return LimitError(f"{what} too large ({said}; limit {limit:,})")


def read_stream(stream: BinaryIO, limit: int = MAX_BYTES, what: str = "input") -> bytes:
    """At most `limit` bytes from an open stream (standard input); LimitError past that,
    having read only one byte more than the limit."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    raise _too_large(None, limit, what)


def read_regular_file(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Devices (/dev/zero), pipes and sockets are refused with LimitError before any read, and
    opening never blocks (a FIFO without a writer would otherwise hang). A folder raises
    IsADirectoryError; other OSErrors (missing, permission) pass through for the caller to name.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb", buffering=0, closefd=True) as stream:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise LimitError("not a regular file (a device, pipe or socket); not read")
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        return read_stream(stream, limit, "file")  # bounded again: the file may grow while read


def _yaml_limit(problem: str, mark: Any) -> LimitError:
    if mark is None:
        return LimitError(f"YAML {problem}; not read")
    return LimitError(f"YAML {problem} at line {mark.line + 1}, column {mark.column + 1}; not read", mark.line + 1)


class _BoundedComposer(Composer):
    """ruamel's composer with the nesting depth and the number of alias uses capped per document."""

    def compose_document(self) -> Any:
        self._nesting, self._aliases = 0, 0
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _yaml_limit(f"uses more than {MAX_ALIASES:,} aliases", self.parser.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._nesting += 1
        try:
            if self._nesting > MAX_DEPTH:
                raise _yaml_limit(f"nested more than {MAX_DEPTH} levels deep", self.parser.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._nesting -= 1


def bounded_yaml(typ: str = "rt") -> YAML:
    """A pure-Python ruamel loader whose depth and alias uses are capped (LimitError past them).

    Aliases still share one node: whoever walks the result must visit a node once (by identity),
    or a few aliases to aliases expand to billions of nodes."""
    yaml = YAML(typ=typ, pure=True)
    yaml.Composer = _BoundedComposer
    return yaml


def guard_json_depth(decoder: json.JSONDecoder) -> None:
    """Make a decoder's Python scanner (json.scanner.py_make_scanner) refuse nesting deeper
    than MAX_DEPTH with LimitError, long before Python's stack runs out. Call before making the scanner."""
    depth = 0

    def guarded(parse: Any) -> Any:
        def parse_nested(state: tuple[str, int], *args: Any) -> Any:
            nonlocal depth
            depth += 1
            try:
                if depth > MAX_DEPTH:
                    text, after = state
                    at = after - 1  # the opening bracket
                    line = text.count("\n", 0, at) + 1
                    column = at - text.rfind("\n", 0, at)
                    raise LimitError(f"JSON nested more than {MAX_DEPTH} levels deep at line {line}, "
                                     f"column {column}; not read", line)
                return parse(state, *args)
            finally:
                depth -= 1
        return parse_nested

    decoder.parse_object = guarded(decoder.parse_object)  # type: ignore[method-assign]
    decoder.parse_array = guarded(decoder.parse_array)  # type: ignore[method-assign]
