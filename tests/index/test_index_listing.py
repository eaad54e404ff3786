"""The library listed from its files while the index is first built: the same documents the
index lists (a translation pair as one), the first screenful reported on its own, files already
listed skipped, a stop honoured between two files, and any entry opened from its files."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import LibraryError
from index.build.listing import FIRST_BATCH, load_listed, read_listing
from index.library_index import LibraryIndex
from index.types import DocInfo
from tests.index_helpers import write


def make_library(root: Path) -> Path:
    """Two folders of dated notes, and a translation pair named as such beside them."""
    for folder in ("orchard", "quarry"):
        for i in range(12):
            write(
                root / folder / f"{i:02}.md",
                f"---\ntitle: {folder.title()} note {i}\ndate: 2023-05-{i + 1:02}\n"
                f"tags: [{folder}]\n---\n\nThe {folder} was quiet on morning {i}.\n",
            )
    write(root / "pair" / "kiln.en.md", "# The kiln\n\nThe kiln cooled overnight.\n")
    write(root / "pair" / "kiln.zh-cn.md", "# 窑\n\n窑在夜里慢慢冷却。\n")
    return root


def listed(library: Path, **kwargs: object) -> list[list[DocInfo]]:
    reports: list[list[DocInfo]] = []
    read_listing(library, reports.append, **kwargs)  # type: ignore[arg-type]
    return reports


def test_the_listing_holds_what_the_index_will_list(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    reports = listed(library)
    assert 0 < len(reports[0]) <= FIRST_BATCH  # a screenful first, on its own
    found = [d for batch in reports for d in batch]
    ix = LibraryIndex(library, tmp_path / "ix", workers=1)
    ix.update()
    assert sorted(found, key=lambda d: d.path) == ix.documents()
    pair = next(d for d in found if d.path.startswith("pair/"))
    assert pair.lang == "bilingual" and len(pair.files) == 2


def test_skipped_files_are_not_read_and_a_stop_ends_the_reading(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    skip = {f"orchard/{i:02}.md" for i in range(12)}
    found = [d for batch in listed(library, skip=skip) for d in batch]
    assert found and not any(d.path.startswith("orchard/") for d in found)

    reports: list[list[DocInfo]] = []
    read_listing(library, reports.append, stopped=lambda: bool(reports))
    assert len(reports) == 1  # nothing read after the stop


def test_a_listed_document_opens_from_its_files(tmp_path: Path) -> None:
    library = make_library(tmp_path / "lib")
    found = {d.path: d for batch in listed(library) for d in batch}
    note = found["quarry/03.md"]
    doc = load_listed(library, note)
    assert doc.id == note.id and "quiet on morning 3" in doc.rows[0].en.text  # type: ignore[union-attr]
    pair = next(d for d in found.values() if d.path.startswith("pair/"))
    both = load_listed(library, pair)
    assert both.rows and any(r.en and r.zh for r in both.rows)

    (library / "quarry" / "03.md").unlink()
    with pytest.raises(LibraryError, match=r"quarry/03\.md"):
        load_listed(library, note)
