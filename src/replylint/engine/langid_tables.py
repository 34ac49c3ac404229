"""The language identifier's tables kept on disk and memory-mapped, so a process holds only the
pages a detection touches.

py3langid ships its model xz-compressed: every process that detects a language unpacks it
(0.65 s) and keeps a 39 MB byte-transition table plus the score table in its own memory, the
language server's checker and every `--jobs` worker alike. The first process writes the tables,
restricted to replylint's languages, as plain `.npy` files in the user's cache folder; later
ones map them (the pages are shared between processes and never copied). The folder may be
shared or restored, so its files are untrusted: they are signed with the rule cache's per-user
key (rulecache.secret_key), read with `allow_pickle=False`, and their shapes and values checked,
so an altered file can neither run code nor send a walk out of its table; a bad folder is
rebuilt, and without a key nothing is cached.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
from pathlib import Path
from typing import Any

from . import rulecache

FORMAT = "replylint-langid-1"
ARRAYS = ("nextmove", "row", "output", "ptc", "pc")  # .npy files, in signing order


def folder(digest: str) -> Path | None:
    """Where the tables of one model and language set live; None when caching is turned off."""
    home = rulecache.cache_home()
    return None if home is None else home / "langid" / digest


def digest_of(model_file: Path, languages: list[str]) -> str:
    """Names the model file (size and modification time) and the languages kept."""
    info = model_file.stat()
    text = json.dumps([FORMAT, str(model_file), info.st_size, info.st_mtime_ns, languages])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def store(place: Path, key: bytes, identifier: Any) -> None:
    """Write `identifier`'s restricted tables and their signature (best effort: a folder that
    cannot be written means no cache, not an error)."""
    import numpy

    arrays = {
        "nextmove": numpy.frombuffer(identifier.tk_nextmove, dtype=numpy.uint32),
        "row": numpy.asarray(identifier.tk_row, dtype=numpy.uint32),
        "output": numpy.asarray(identifier.tk_output, dtype=numpy.int32),
        "ptc": numpy.ascontiguousarray(identifier.nb_ptc, dtype=numpy.float32),
        "pc": numpy.ascontiguousarray(identifier.nb_pc, dtype=numpy.float32),
    }
    temporary = place.with_name(f"{place.name}.{os.getpid()}.tmp")
    try:
        temporary.mkdir(parents=True, exist_ok=True)
        for name in ARRAYS:
            numpy.save(temporary / f"{name}.npy", arrays[name], allow_pickle=False)
        (temporary / "classes.json").write_text(json.dumps(list(identifier.nb_classes)), encoding="utf-8")
        (temporary / "signature").write_bytes(_signature(key, temporary))
        shutil.rmtree(place, ignore_errors=True)  # an altered or stale folder gives way
        os.replace(temporary, place)
    except OSError:
        pass
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def load(place: Path, key: bytes) -> dict[str, Any] | None:
    """The tables at `place`, memory-mapped, or None when missing, unsigned, altered or malformed.
    The files are read once, in chunks, to check the signature and the values' bounds: a mapped
    page is only resident once a walk reaches it, so nothing here touches the mapping."""
    import numpy

    try:
        signature, bounds = _scan(key, place)
        if not hmac.compare_digest((place / "signature").read_bytes(), signature):
            return None
        classes = json.loads((place / "classes.json").read_text(encoding="utf-8"))
        # plain ndarray views of the mappings: numpy's memmap subclass costs microseconds per operation
        tables = {name: numpy.asarray(numpy.load(place / f"{name}.npy", mmap_mode="r", allow_pickle=False))
                  for name in ARRAYS}
    except (OSError, ValueError, KeyError):
        return None
    return tables | {"classes": classes} if _well_formed(tables, bounds, classes) else None


def _well_formed(tables: dict[str, Any], bounds: dict[str, tuple[float, float]], classes: Any) -> bool:
    """Shapes that fit together and values that keep every walk inside its tables."""
    import numpy

    nextmove, row, output, ptc, pc = (tables[name] for name in ARRAYS)
    if not (isinstance(classes, list) and all(isinstance(c, str) for c in classes)
            and nextmove.dtype == numpy.uint32 and row.dtype == numpy.uint32 and output.dtype == numpy.int32
            and nextmove.ndim == row.ndim == output.ndim == pc.ndim == 1 and ptc.ndim == 2):
        return False
    states = len(output)
    return (len(row) == states > 0 and len(nextmove) > 0 and len(nextmove) % 256 == 0
            and ptc.shape[1] == len(pc) == len(classes)
            and bounds["nextmove"][1] < states and bounds["row"][1] < len(nextmove) // 256
            and bounds["output"][0] >= -1 and bounds["output"][1] < ptc.shape[0])


def _scan(key: bytes, place: Path) -> tuple[bytes, dict[str, tuple[float, float]]]:
    """The signature of the folder's files and each table's smallest and largest value, in one
    read of each file (never through the mapping)."""
    import numpy

    mac = hmac.new(key, FORMAT.encode(), hashlib.sha256)
    bounds: dict[str, tuple[float, float]] = {}
    for name in ARRAYS:
        mac.update(f"{name}.npy".encode() + b"\0")
        with (place / f"{name}.npy").open("rb") as handle:
            version = numpy.lib.format.read_magic(handle)
            header = (numpy.lib.format.read_array_header_1_0 if version == (1, 0)
                      else numpy.lib.format.read_array_header_2_0)(handle)
            dtype = numpy.dtype(header[2])
            header_end = handle.tell()
            handle.seek(0)
            mac.update(handle.read(header_end))
            low, high = float("inf"), float("-inf")
            while chunk := handle.read((1 << 20) // dtype.itemsize * dtype.itemsize):
                mac.update(chunk)
                values = numpy.frombuffer(chunk, dtype=dtype)
                if len(values):
                    low, high = min(low, float(values.min())), max(high, float(values.max()))
            bounds[name] = (low, high)
    mac.update(b"classes.json\0" + (place / "classes.json").read_bytes())
    return mac.hexdigest().encode(), bounds


def _signature(key: bytes, place: Path) -> bytes:
    return _scan(key, place)[0]


def key() -> bytes | None:
    """The per-user signing key (the rule cache's)."""
    return rulecache.secret_key()
