"""The per-segment array file: what is written is read back, at every width."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.arrayfile import ArrayFile, ArrayFileWriter
from index.fields import _encode


def _roundtrip(path: Path, lists: dict[int, list[tuple[int, list[int]]]]) -> ArrayFile:
    with open(path, "wb") as fh:
        writer = ArrayFileWriter(fh)
        for offset, postings in lists.items():
            writer.add(offset, [d for d, _ in postings], [_encode(p) for _, p in postings])
        writer.close()
    found = ArrayFile(np.fromfile(path, dtype=np.uint8))
    for offset, postings in lists.items():
        got = found.lookup(offset)
        assert got is not None
        ids, tfs, pos = got
        assert ids.tolist() == [d for d, _ in postings]
        assert tfs.tolist() == [len(p) for _, p in postings]
        assert pos.tolist() == [x for _, p in postings for x in p]
    return found


def test_narrow_and_wide_lists_read_back(tmp_path: Path) -> None:
    many = list(range(0, 3000, 10))  # 300 positions: frequencies above 255 need 32 bits
    far = [5, 70_000, 1_000_000]  # positions above 65,535 need 32 bits
    found = _roundtrip(
        tmp_path / "a.arr",
        {
            4: [(0, [1]), (3, [2, 9]), (7, [4])],  # odd byte counts: padding between parts
            100: [(1, many), (2, [3])],
            250: [(5, far), (6, [0])],
        },
    )
    assert found.lookup(5) is None  # not the start of a list
    assert found.lookup(10_000) is None


def test_a_file_that_is_not_an_array_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.arr"
    path.write_bytes(b"\0" * 64)
    with pytest.raises(ValueError):
        ArrayFile(np.fromfile(path, dtype=np.uint8))
