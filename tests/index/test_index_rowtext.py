"""The rows' text column (`index.engine.rowtext`): every hit shows its own paragraph after edits
and merges, and a damaged column is found, said in one line and rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.library import SAMPLE_LIBRARY
from index.engine.merging import TIER_WIDTH
from index.engine.rowtext import FOOTER, MAGIC
from index.library_index import IndexDamaged, LibraryIndex
from tests.index_helpers import write


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
    lib = tmp_path / "lib"
    shutil.copytree(SAMPLE_LIBRARY, lib)
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    ix.update()
    before = {q: ix.search(q, limit=50) for q in ["model", "开源"]}
    ix.close()
    files = sorted((tmp_path / "index").rglob("*.rows.col"))
    assert files
    for path in files:
        data = path.read_bytes()
        if damage == "cut":
            path.write_bytes(data[:-5])
        else:  # the blobs, not the tables: found when a group is read
            _, k = FOOTER.unpack(data[-FOOTER.size :])
            blobs = slice(len(MAGIC), len(data) - FOOTER.size - 8 * k)
            path.write_bytes(
                data[: blobs.start] + bytes(255 - b for b in data[blobs]) + data[blobs.stop :]
            )
    for listed in (tmp_path / "index").rglob("manifest.json"):
        listed.unlink()  # no whole-file check to notice it first
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    with pytest.raises(IndexDamaged) as caught:
        ix.search("model", limit=50)
    assert "\n" not in str(caught.value)
    for q, hits in before.items():
        after = ix.search(q, limit=50, repair=True)
        assert after.total == hits.total > 0, q
        assert [(h.id, h.row, h.en, h.zh) for h in after.hits] == [
            (h.id, h.row, h.en, h.zh) for h in hits.hits
        ], q
    ix.close()
