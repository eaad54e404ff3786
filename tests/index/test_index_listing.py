"""The library listed from its files while the index is first built: the same documents the
index lists (a translation pair as one), the first screenful reported on its own, files already
listed skipped, a stop honoured between two files, and any entry opened from its files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from corpus.errors import LibraryError
from corpus.langid import PENDING
from index.build.listing import FIRST_BATCH, load_listed, read_listing
from index.library_index import LibraryIndex
from index.types import DocInfo
from tests.index_helpers import HeldModel, write


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


GERMAN = (
    "# Der Steinbruch\n\nDer Steinbruch lag still am Morgen, und die Arbeiter tranken ihren "
    "Kaffee am Feuer, bevor der Regen kam.\n"
)


def test_the_first_screenful_comes_before_the_language_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = make_library(tmp_path / "lib")
    write(library / "quarry" / "zz-steinbruch.md", GERMAN)
    # A pair only its content tells apart: the same key, no language named anywhere.
    write(library / "lamps" / "lantern.md", "---\ntranslationKey: lamp\n---\n\n" + LANTERN_EN)
    write(
        library / "lamps" / "灯笼.md",
        "---\ntranslationKey: lamp\n---\n\n# 灯笼\n\n灯笼挂在门口。\n",
    )
    model = HeldModel(monkeypatch)
    reports: list[list[DocInfo]] = []
    relists: list[tuple[list[str], list[DocInfo]]] = []
    reading = threading.Thread(
        target=read_listing,
        args=(library, reports.append),
        kwargs={"relisted": lambda ids, infos: relists.append((ids, infos))},
    )
    reading.start()
    try:
        assert model.wanted.wait(30)
        # Every file reported while the model loads; no language guessed meanwhile.
        early = {d.path: d for batch in reports for d in batch}
        assert len(early) == 24 + 1 + 1 + 2  # the lamps not paired yet
        assert early["quarry/zz-steinbruch.md"].lang == PENDING
        assert early["orchard/00.md"].lang == PENDING
        assert early["lamps/灯笼.md"].lang == "zh"  # its script tells, without the model
        assert not relists
    finally:
        model.release.set()
        reading.join(30)
    listed = {d.id: d for batch in reports for d in batch}
    for ids, infos in relists:
        for doc_id in ids:
            del listed[doc_id]
        listed.update((d.id, d) for d in infos)
    assert listed[next(k for k, d in listed.items() if "steinbruch" in d.path)].lang == "de"
    ix = LibraryIndex(library, tmp_path / "ix", workers=1)
    ix.update()
    assert sorted(listed.values(), key=lambda d: d.path) == ix.documents()
    lamp = next(d for d in listed.values() if d.path.startswith("lamps/"))
    assert lamp.lang == "bilingual" and len(lamp.files) == 2


LANTERN_EN = (
    "# The lantern\n\nThe lantern hung by the door all winter, and nobody remembered who had "
    "lit it first.\n"
)
