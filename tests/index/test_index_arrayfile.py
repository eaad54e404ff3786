"""The per-segment array file: what is written is read back, at every width."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index.engine.arrayfile import ArrayFileWriter, ListReader, Located, MissingList
from index.engine.fields import encode_positions as _encode
from index.engine.postings import ArrayFile
from index.library_index import LibraryIndex
from tests.index_helpers import damaged_then_rebuilt, write


def _read(found: ArrayFile, where: Located) -> tuple[list[int], list[int], list[int]] | None:
    """(ids, frequencies, positions) of a list, from the parts `views` gives."""
    parts = found.views(where)
    if parts is None:
        return None
    deltas, tfs, pos = parts
    ids = (np.cumsum(deltas, dtype=np.int64) + where.first).tolist()
    return ids, [1] * where.n if tfs is None else tfs.tolist(), pos.tolist()


def _roundtrip(
    path: Path, lists: list[list[tuple[int, list[int]]]]
) -> tuple[ArrayFile, list[Located]]:
    with open(path, "wb") as fh:
        writer = ArrayFileWriter(fh)
        places = [
            writer.add([d for d, _ in postings], [_encode(p) for _, p in postings])
            for postings in lists
        ]
        writer.close()
    found = ArrayFile(np.fromfile(path, dtype=np.uint8))
    for where, postings in zip(places, lists, strict=True):
        assert _read(found, where) == (
            [d for d, _ in postings],
            [len(p) for _, p in postings],
            [x for _, p in postings for x in p],
        )
    merged = ListReader(path.read_bytes())  # what a merge reads, without numpy
    for where, postings in zip(places, lists, strict=True):
        assert merged.postings(where) == (
            [d for d, _ in postings],
            [len(p) for _, p in postings],
            [p for _, p in postings],
        )
    return found, places


def test_narrow_and_wide_lists_read_back(tmp_path: Path) -> None:
    many = list(range(0, 3000, 10))  # 300 positions: frequencies above 255 need 32 bits
    far = [5, 70_000, 1_000_000]  # positions above 65,535 need 32 bits
    found, places = _roundtrip(
        tmp_path / "a.arr",
        [
            [(0, [1]), (3, [2, 9]), (7, [4])],  # odd byte counts: padding between parts
            [(1, many), (2, [3])],
            [(5, far), (6, [0])],
        ],
    )
    # A list said to run past the lists is not read.
    last = places[-1]
    assert found.views(last._replace(offset=last.offset + 1)) is None
    assert found.views(last._replace(npos=last.npos + 1)) is None
    with pytest.raises(MissingList):
        ListReader((tmp_path / "a.arr").read_bytes()).postings(last._replace(n=last.n + 1))


def test_a_file_that_is_not_an_array_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.arr"
    path.write_bytes(b"\0" * 64)
    with pytest.raises(ValueError):
        ArrayFile(np.fromfile(path, dtype=np.uint8))


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _lose_the_middle(data: bytes) -> bytes:
    """The footer intact, the lists before it shifted: the lists' length no longer fits."""
    return data[: len(data) // 4] + data[len(data) // 2 :]


@pytest.mark.parametrize("damage", [_truncate, _lose_the_middle])
def test_a_damaged_array_file_is_reported_and_rebuilt(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    """A damaged array file (a full disk, say) is refused whole: it is the only copy of the long
    positional lists, so search says the index is damaged in one line, and a repairing search
    rebuilds it and finds the same records. Without the manifest the array file's own checks
    must refuse it."""
    queries = ["model", '"open source"', "开源", '"开源模型"', "llam*"]
    ix = damaged_then_rebuilt(
        tmp_path, "*.arr", lambda path: path.write_bytes(damage(path.read_bytes())), queries
    )
    assert all(leaf.arrays is not None for leaf in ix._context(ix._require()).segments)
    ix.close()


def test_a_cut_or_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.arr"
    _roundtrip(path, [[(0, [1]), (3, [2, 9])], [(1, [5]), (2, [3])]])
    data = path.read_bytes()
    for damaged in (data[:-1], data[1:], data[:10], b""):
        with pytest.raises(ValueError):
            ArrayFile(np.frombuffer(damaged, dtype=np.uint8))
        with pytest.raises(ValueError):
            ListReader(damaged)


def test_merges_carry_the_long_lists_over(tmp_path: Path) -> None:
    """Each edit adds a segment whose long positional lists live only in its array file; once a
    tier is full they are merged, and phrases still find what a fresh build finds."""
    from index.engine.merging import TIER_WIDTH

    lib = tmp_path / "lib"
    rows = "\n\n".join(f"Row {i}: the grey heron waits by the 河边的苍鹭 pool." for i in range(8))
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    for i in range(TIER_WIDTH + 2):  # every edit is its own segment, until a merge
        write(lib / f"note{i % 3}.md", f"# Note {i}\n\n{rows}\n\nEdit {i}.\n", bump=i + 1)
        ix.update()
    segments = ix._context(ix._require()).segments
    assert len(segments) < TIER_WIDTH + 2  # some were merged
    queries = ['"grey heron"', '"河边的苍鹭"', "heron", "苍鹭", "edit"]
    fresh = LibraryIndex(lib, tmp_path / "fresh", workers=1)
    fresh.update()
    for q in queries:
        got, want = ix.search(q, limit=100), fresh.search(q, limit=100)
        assert got.total == want.total > 0, q
        assert sorted((h.id, h.row) for h in got.hits) == sorted((h.id, h.row) for h in want.hits)
