"""The segment writer's term table: a standard Whoosh hash file that stock readers look up."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashReader

from index.codec import CompactTermWriter


def keys_and_values(n: int) -> list[tuple[bytes, bytes]]:
    rng = random.Random(5)
    words = {f"{rng.random():.12f}{chr(0x4E00 + rng.randrange(2000))}".encode() for _ in range(n)}
    return [(k, k[::-1] * (1 + len(k) % 3)) for k in sorted(words)]


def test_every_term_is_found_by_the_stock_reader(tmp_path: Path) -> None:
    storage = FileStorage(str(tmp_path))
    items = keys_and_values(20_000)
    writer = CompactTermWriter(storage.create_file("terms"))
    for key, value in items:
        writer.add(key, value)
    writer.close()

    reader = OrderedHashReader(storage.open_file("terms"))
    assert reader.hashtype == 1  # CRC-32, named in the header
    assert all(reader[key] == value for key, value in items)
    assert list(reader.keys()) == [key for key, _ in items]
    assert b"absent" not in reader
    middle = items[len(items) // 2][0]
    assert reader.closest_key(middle[:-1]) == middle  # ordered lookups work too
    reader.close()


def test_terms_out_of_order_are_refused(tmp_path: Path) -> None:
    writer = CompactTermWriter(FileStorage(str(tmp_path)).create_file("terms"))
    writer.add(b"b", b"1")
    with pytest.raises(ValueError):
        writer.add(b"a", b"2")
