"""The document list kept beside each commit, read without opening Whoosh."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.library_index import LibraryIndex
from index.storage import catalog
from index.types import DocInfo
from tests.index_helpers import write
from tests.shared_files import REPO


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
        "import sys; from pathlib import Path; from index.storage.catalog import peek\n"
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


_dates = st.sampled_from(
    [None, "", "2023", "2023-07", "2023-07-14", "2023-07-02", "2024-01", "1999"]
)
_titles = st.sampled_from(["Alpha", "alpha", "Beta", "羊驼", "Ünïcode", "", 'Quote " and \\ slash'])


def _doc(k: int, path: str, title: str, date: str | None) -> DocInfo:
    return DocInfo(k_id(k), path, title, None, date, ("t",), None, "en", 1, (), (path,))


def k_id(k: int) -> str:
    return f"{k:012x}"


@st.composite
def _docs(draw: st.DrawFn, first: int = 0) -> list[DocInfo]:
    n = draw(st.integers(0, 12))
    return [
        _doc(k, f"p/{draw(st.integers(0, 3))}-{k}.md", draw(_titles), draw(_dates))
        for k in range(first, first + n)
    ]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(old=_docs(), added=_docs(first=100), keep=st.lists(st.booleans(), min_size=12, max_size=12))
def test_updating_the_catalog_in_place_writes_what_a_full_write_would(
    tmp_path: Path, old: list[DocInfo], added: list[DocInfo], keep: list[bool]
) -> None:
    """Dropping and adding documents line by line gives the very file `write` gives for the
    documents that remain, in the library's order (newest first, undated last)."""
    gen = tmp_path / "gen"
    gen.mkdir(exist_ok=True)
    catalog.write(gen, 1, old)
    dropped = {d.id for d, k in zip(old, keep, strict=False) if not k}
    assert catalog.update(gen, 1, 2, dropped, added)
    updated = (gen / catalog.NAME).read_text(encoding="utf-8")
    catalog.write(gen, 2, [d for d in old if d.id not in dropped] + added)
    assert updated == (gen / catalog.NAME).read_text(encoding="utf-8")


def test_the_catalog_of_another_commit_is_not_updated(ix: LibraryIndex) -> None:
    gen = ix.store.current()
    assert gen is not None
    toc = catalog.toc_generation(gen)
    assert toc is not None
    before = (gen / catalog.NAME).read_text(encoding="utf-8")
    assert not catalog.update(gen, toc - 1, toc + 1, set(), [])
    (gen / catalog.NAME).write_text(before.splitlines()[0] + "\n", encoding="utf-8")  # cut short
    assert not catalog.update(gen, toc, toc + 1, set(), [])


def test_a_catalog_read_again_after_an_update_lists_the_changed_documents(tmp_path: Path) -> None:
    """Lines read before are not parsed again (a running app rereads the catalog after every
    commit); what changed is read from its new line."""
    gen = tmp_path / "gen"
    gen.mkdir()
    old = [_doc(k, f"p/{k}.md", f"Doc {k}", f"2023-07-{k + 10:02d}") for k in range(5)]
    catalog.write(gen, 1, old)
    first = catalog.read(gen, 1)
    assert first is not None and sorted(d.title for d in first) == [f"Doc {k}" for k in range(5)]
    renamed = _doc(2, "p/2.md", "Doc 2, renamed", "2023-07-12")
    assert catalog.update(gen, 1, 2, {renamed.id, k_id(4)}, [renamed])
    again = catalog.read(gen, 2)
    assert again is not None
    assert sorted(d.title for d in again) == ["Doc 0", "Doc 1", "Doc 2, renamed", "Doc 3"]
    kept = {d.id: d for d in first}
    assert all(d is kept[d.id] for d in again if d.id != renamed.id)  # not parsed again
