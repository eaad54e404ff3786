"""The document list kept beside each commit, read without opening Whoosh."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index import catalog
from index.library_index import LibraryIndex
from index.types import DocInfo
from tests.conftest import REPO
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
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    data = json.loads(header)
    data["toc"] -= 1  # describes an older commit
    row = json.loads(lines[0])
    row[DocInfo.FIELDS.index("title")] = "Stale"
    path.write_text("\n".join([json.dumps(data), json.dumps(row), *lines[1:]]), encoding="utf-8")
    assert titles(LibraryIndex(ix.library, ix.home.parent)) == ["Alpha", "Beta"]
    assert catalog.read(gen) is not None  # rewritten from the index

    path.write_text("{not json", encoding="utf-8")
    assert titles(LibraryIndex(ix.library, ix.home.parent)) == ["Alpha", "Beta"]
    path.unlink()
    assert titles(LibraryIndex(ix.library, ix.home.parent)) == ["Alpha", "Beta"]
    assert catalog.read(gen) is not None


def test_a_catalog_cut_short_is_ignored(ix: LibraryIndex) -> None:
    gen = ix.store.current()
    assert gen is not None
    path = gen / catalog.NAME
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:-1]), "utf-8")
    assert catalog.read(gen) is None
    assert titles(LibraryIndex(ix.library, ix.home.parent)) == ["Alpha", "Beta"]


def test_peek_lists_the_newest_documents_first_without_whoosh(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for n in range(30):
        date = f"2021-03-{n + 1:02}" if n % 3 else None
        front = f"title: Doc {n:02}\n" + (f"date: {date}\n" if date else "")
        write(lib / f"d{n:02}.md", f"---\n{front}---\n\nBody {n}.\n")
    LibraryIndex(lib, tmp_path / "ix", workers=1).update()
    script = (
        "import sys; from pathlib import Path; from index.catalog import peek\n"
        f"head, total = peek(Path({str(lib)!r}), Path({str(tmp_path / 'ix')!r}), 5)\n"
        "print(total, [d.title for d in head], 'whoosh' in sys.modules, 'jieba' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    # Newest first: days 29, 28, 26, 25, 23 (every third document has no date).
    expected = ["Doc 29", "Doc 28", "Doc 26", "Doc 25", "Doc 23"]
    assert done.stdout.split("[")[0].strip() == "30"
    assert done.stdout.strip().endswith(f"{expected!r} False False")
    assert catalog.peek(lib, tmp_path / "elsewhere") is None
