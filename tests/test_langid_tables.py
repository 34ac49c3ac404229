"""The language identifier's tables, memory-mapped from the user's cache folder (engine/langid_tables.py):
the same ranking as the unpacked model, and an altered or malformed folder is never used."""
from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest

from replylint.engine import langid_tables, language, rulecache

CASES = [json.loads(line) for line in (Path(__file__).parent / "corpus" / "languages.jsonl").open(encoding="utf-8")]


@pytest.fixture
def cache(private_cache_home: Path) -> Path:
    language._identifier.cache_clear()
    yield private_cache_home / "langid"
    language._identifier.cache_clear()


def _ranks(identifier) -> list:
    return [identifier.rank(case["text"][:150].lower()) for case in CASES]


def test_mapped_tables_rank_exactly_like_the_unpacked_model(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = language._identifier(language.pack_languages())  # unpacks, writes the folder, maps it
    (folder,) = cache.iterdir()
    assert isinstance(built.tk_nextmove, memoryview) and (folder / "signature").exists()
    language._identifier.cache_clear()
    mapped = language._identifier(language.pack_languages())  # read from the folder this time
    monkeypatch.setenv("REPLYLINT_NO_RULE_CACHE", "1")
    language._identifier.cache_clear()
    unpacked = language._identifier(language.pack_languages())
    assert not isinstance(unpacked.tk_nextmove, memoryview)
    assert _ranks(mapped) == _ranks(unpacked)


def test_an_altered_file_is_not_used(cache: Path) -> None:
    language._identifier(language.pack_languages())
    (folder,) = cache.iterdir()
    key = rulecache.secret_key()
    assert key is not None and langid_tables.load(folder, key) is not None
    table = folder / "pc.npy"
    data = bytearray(table.read_bytes())
    data[-1] ^= 0xFF
    table.write_bytes(bytes(data))
    assert langid_tables.load(folder, key) is None  # the signature no longer fits


def test_a_signed_table_that_walks_out_of_bounds_is_not_used(cache: Path) -> None:
    language._identifier(language.pack_languages())
    (folder,) = cache.iterdir()
    key = rulecache.secret_key()
    nextmove = numpy.load(folder / "nextmove.npy")
    nextmove[7] = len(numpy.load(folder / "output.npy")) + 5  # a state that does not exist
    numpy.save(folder / "nextmove.npy", nextmove, allow_pickle=False)
    (folder / "signature").write_bytes(langid_tables._signature(key, folder))  # even signed by this user
    assert langid_tables.load(folder, key) is None
    language._identifier.cache_clear()
    rebuilt = language._identifier(language.pack_languages())
    assert rebuilt.rank("tack för ditt mejl, vi återkommer så snart vi kan.")[0][0] == "sv"
    assert langid_tables.load(folder, key) is not None  # the bad folder was written again
