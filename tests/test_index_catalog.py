"""The document list kept beside each commit, read without opening Whoosh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import catalog
from index.library_index import LibraryIndex
from index.types import DocInfo
from tests.index_helpers import write


def doc(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ntags: [t]\n---\n\n{body}\n"


@pytest.fixture
def ix(tmp_path: Path) -> LibraryIndex:
    lib = tmp_path / "lib"
    write(lib / "a.md", doc("Alpha", "The aardvark sleeps."))
    write(lib / "b.md", doc("Beta", "The badger digs."))
    index = LibraryIndex(lib, tmp_path / "ix", workers=1)
    index.update()
    return index


def titles(ix: LibraryIndex) -> list[str]:
    return [d.title for d in ix.documents()]


def test_listing_after_a_build_does_not_open_whoosh(
    ix: LibraryIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = LibraryIndex(ix.library, ix.home.parent)
    monkeypatch.setattr(LibraryIndex, "_state", lambda self: pytest.fail("Whoosh was opened"))
    assert titles(fresh) == ["Alpha", "Beta"]


def test_updates_keep_the_catalog_current(
    ix: LibraryIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = ix.library
    write(lib / "c.md", doc("Gamma", "The capybara swims."))
    write(lib / "a.md", doc("Alpha two", "The aardvark wakes."), bump=2)
    (lib / "b.md").unlink()
    s = ix.update()
    assert (s.added, s.updated, s.removed) == (1, 1, 1)
    gen = ix.store.current()
    assert gen is not None and catalog.read(gen) is not None
    fresh = LibraryIndex(lib, ix.home.parent)
    with monkeypatch.context() as m:
        m.setattr(LibraryIndex, "_state", lambda self: pytest.fail("Whoosh was opened"))
        assert titles(fresh) == ["Alpha two", "Gamma"]
    assert titles(fresh) == [d.title for d in fresh.documents()]


def test_stale_or_broken_catalog_is_ignored_and_rewritten(ix: LibraryIndex) -> None:
    gen = ix.store.current()
    assert gen is not None
    path = gen / catalog.NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    data["toc"] -= 1  # describes an older commit
    data["documents"][0][DocInfo.FIELDS.index("title")] = "Stale"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert titles(LibraryIndex(ix.library, ix.home.parent)) == ["Alpha", "Beta"]
    assert catalog.read(gen) is not None  # rewritten from the index

    path.write_text("{not json", encoding="utf-8")
    assert titles(LibraryIndex(ix.library, ix.home.parent)) == ["Alpha", "Beta"]
    path.unlink()
    assert titles(LibraryIndex(ix.library, ix.home.parent)) == ["Alpha", "Beta"]
    assert catalog.read(gen) is not None
