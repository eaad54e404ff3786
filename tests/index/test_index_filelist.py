"""The file stamps kept beside each commit (`files.json`): always the same as the index's own file
records, and never trusted when they might describe another commit."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from index.library_index import LibraryIndex
from index.storage import file_stamps
from index.storage.file_stamps import FileRecord
from tests.index_helpers import write


def doc(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\n\n{body}\n"


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    write(lib / "post" / "index.en.md", doc("Llamas", "Llamas are calm."))
    write(lib / "post" / "index.zh.md", doc("羊驼", "羊驼很平静。"))
    write(lib / "keyed-en.md", doc("Alpacas", "Alpacas hum.", "translationKey: alpaca\n"))
    write(lib / "keyed-zh.md", doc("羊驼毛", "羊驼会哼哼。", "translationKey: alpaca\n"))
    write(lib / "solo.md", doc("Solo", "Only English here."))
    (lib / "broken.md").write_bytes(bytes(range(256)) * 4)  # not text: skipped, still stamped
    return lib


def stored(ix: LibraryIndex) -> dict[str, FileRecord]:
    from whoosh import index as wix

    from index.engine.schema import build_schema

    gen = ix.store.current()
    assert gen is not None
    with wix.open_dir(str(gen), schema=build_schema()).searcher() as s:
        return file_stamps.stored_files(s)


def listed(ix: LibraryIndex) -> dict[str, FileRecord] | None:
    from index.storage.catalog import toc_generation

    gen = ix.store.current()
    assert gen is not None
    toc = toc_generation(gen)
    assert toc is not None
    return file_stamps.read(gen, toc)


def test_the_file_list_matches_the_index_after_a_build_and_every_kind_of_update(
    lib: Path, tmp_path: Path
) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    first = listed(ix)
    assert first == stored(ix)
    assert first is not None and first["post/index.zh.md"].pair is not None
    assert first["post/index.en.md"].doc == first["post/index.zh.md"].doc  # one document
    assert first["broken.md"].doc == "" and first["broken.md"].reason

    steps = [
        lambda: write(lib / "new.md", doc("New", "A new file.")),
        lambda: write(lib / "post" / "index.zh.md", doc("羊驼", "羊驼很安静。"), bump=3),
        lambda: (lib / "solo.md").rename(lib / "solo-moved.md"),
        lambda: (lib / "keyed-zh.md").unlink(),
        lambda: os.utime(lib / "new.md", ns=(time.time_ns(), time.time_ns() + 10**10)),
        lambda: write(lib / "keyed-zh.md", doc("羊驼毛", "又回来了。", "translationKey: alpaca\n")),
    ]
    for step in steps:
        step()
        assert not ix.update().rebuilt
        assert listed(ix) == stored(ix)
        assert ix.is_current()
    records = listed(ix)
    assert records is not None
    assert records["keyed-en.md"].doc == records["keyed-zh.md"].doc  # paired again
    assert "solo.md" not in records and "solo-moved.md" in records


def test_an_update_reads_the_file_list_not_the_stored_records(
    lib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    write(lib / "solo.md", doc("Solo", "Now about quokkas."), bump=2)
    monkeypatch.setattr(file_stamps, "stored_files", lambda s: pytest.fail("stored fields read"))
    assert ix.update().updated == 1
    assert {h.path for h in ix.search("quokkas").hits} == {"solo.md"}


@pytest.mark.parametrize("damage", ["missing", "garbage", "stale", "wrong shape"])
def test_a_missing_damaged_or_stale_file_list_is_not_trusted(
    lib: Path, tmp_path: Path, damage: str
) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    gen = ix.store.current()
    assert gen is not None
    path = gen / file_stamps.NAME
    before = path.read_text(encoding="utf-8")
    # Change a file, so an update that trusted a stale list would see nothing to do.
    write(lib / "solo.md", doc("Solo", "Now about wombats."), bump=2)
    assert ix.update().updated == 1
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_text("{not json", encoding="utf-8")
    elif damage == "stale":  # the list of the commit before, as a crash after a commit leaves it
        path.write_text(before, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8").replace('"files": [[', '"files": [[1, ', 1)
        path.write_text(text, encoding="utf-8")
    assert listed(ix) is None
    write(lib / "solo.md", doc("Solo", "Now about numbats."), bump=4)
    assert ix.update().updated == 1
    assert {h.path for h in ix.search("numbats").hits} == {"solo.md"}
    assert ix.search("wombats").total == 0
    assert listed(ix) == stored(ix)  # rewritten by the update


def test_the_kept_records_are_used_only_while_the_file_is_the_same(
    lib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    first = listed(ix)
    assert first is not None
    with monkeypatch.context() as m:  # the records this process wrote: not parsed again
        m.setattr(file_stamps.json, "loads", lambda raw: pytest.fail("files.json parsed again"))
        assert listed(ix) == first
    # Rewritten for the same commit: same size, other contents.
    gen = ix.store.current()
    assert gen is not None
    path = gen / file_stamps.NAME
    text = path.read_text(encoding="utf-8")
    digest = first["solo.md"].hash
    path.write_text(text.replace(digest, digest[::-1]), encoding="utf-8")
    again = listed(ix)
    assert again is not None and again["solo.md"].hash == digest[::-1]
