"""The rows' text column (`index.engine.rowtext`): every hit shows its own paragraph after edits
and merges, and a damaged column is found, said in one line and rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.engine.merging import TIER_WIDTH
from index.engine.rowtext import FOOTER, MAGIC
from index.library_index import LibraryIndex
from tests.index_helpers import damaged_then_rebuilt, write


def _note(i: int, version: int) -> str:
    rows = [f"Paragraph n{i}p{r} of note {i}, version {version}." for r in range(5)]
    rows.append(f"河边的苍鹭在等待 第{i}篇 第{version}版。")
    return f"# Note {i}\n\n" + "\n\n".join(rows) + "\n"


def test_hits_show_their_own_text_after_edits_and_merges(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for i in range(4):
        write(lib / f"note{i}.md", _note(i, 0))
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    ix.update()
    versions = dict.fromkeys(range(4), 0)
    for edit in range(1, TIER_WIDTH + 3):  # each edit its own segment, until a merge
        i = edit % 4
        versions[i] = edit
        write(lib / f"note{i}.md", _note(i, edit), bump=edit)
        ix.update()
    assert len(ix._context(ix._require()).segments) < TIER_WIDTH + 3  # some were merged
    for i, version in versions.items():
        for r in range(5):
            found = ix.search(f"n{i}p{r}", limit=5)
            assert found.total == 1
            assert found.hits[0].en == f"Paragraph n{i}p{r} of note {i}, version {version}."
        found = ix.search(f'"第{i}篇"', limit=5)
        assert [h.zh for h in found.hits] == [f"河边的苍鹭在等待 第{i}篇 第{version}版。"]
    ix.close()


@pytest.mark.parametrize("damage", ["cut", "garbled"])
def test_a_damaged_text_column_is_said_and_rebuilt(tmp_path: Path, damage: str) -> None:
    def damage_file(path: Path) -> None:
        data = path.read_bytes()
        if damage == "cut":
            path.write_bytes(data[:-5])
        else:  # the blobs, not the tables: found when a group is read
            _, k = FOOTER.unpack(data[-FOOTER.size :])
            blobs = slice(len(MAGIC), len(data) - FOOTER.size - 8 * k)
            path.write_bytes(
                data[: blobs.start] + bytes(255 - b for b in data[blobs]) + data[blobs.stop :]
            )

    damaged_then_rebuilt(tmp_path, "*.rows.col", damage_file, ["model", "开源"]).close()
