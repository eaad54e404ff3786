"""Rows' text is stored in groups sized by their text: every hit still shows its own paragraph."""

from __future__ import annotations

import random
from pathlib import Path

from index.engine.rowtext import GroupReader
from index.engine.schema import GROUP_BYTES, GROUP_ROWS
from index.library_index import LibraryIndex
from tests.index_helpers import write

FILLER_EN = "The tide pools hold small crabs and anemones that wait for the water. "
FILLER_ZH = "潮水退去以后，礁石之间的小水洼里留着螃蟹和海葵。"


def _paragraph(rng: random.Random, n: int) -> tuple[str, str]:
    """A paragraph of random length with its own word; English or Chinese."""
    word = f"marker{n:03d}"
    if rng.random() < 0.3:
        return word, word + " " + FILLER_ZH * rng.choice([1, 2, 20, 60])
    return word, f"{word} " + FILLER_EN * rng.choice([0, 1, 3, 30, 80])


def test_groups_keep_to_their_bounds_and_hits_show_their_own_rows(tmp_path: Path) -> None:
    rng = random.Random(5)
    lib = tmp_path / "lib"
    paragraphs = [_paragraph(rng, n) for n in range(3 * GROUP_ROWS)]
    paragraphs += [(f"short{n:03d}", f"short{n:03d} tide.") for n in range(2 * GROUP_ROWS)]
    write(lib / "pools.md", "# Pools\n\n" + "\n\n".join(text for _, text in paragraphs) + "\n")
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    ix.update()

    searcher = ix._require().searcher
    reader = GroupReader(searcher)
    groups = []
    for docnum in searcher.reader().all_doc_ids():
        rows = reader.group(docnum)
        if rows:
            groups.append([len(en or "") + 3 * len(zh or "") for _, _, en, zh in rows])
    assert sum(len(g) for g in groups) == len(paragraphs) + 1  # and the heading's row
    assert len(groups) > 5
    for sizes in groups:
        assert len(sizes) <= GROUP_ROWS
        assert len(sizes) == 1 or sum(sizes) <= GROUP_BYTES
    assert any(len(g) == GROUP_ROWS for g in groups)  # the short rows fill whole groups
    assert any(len(g) == 1 for g in groups)  # a long row is a group of its own

    for n, (word, _) in enumerate(paragraphs):
        found = ix.search(word, limit=5)
        assert found.total == 1, word
        hit = found.hits[0]
        assert hit.row == n + 1, word
        assert (hit.en or hit.zh or "").startswith(word), word
    ix.close()
