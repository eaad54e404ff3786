"""What the library screen says about the index: another process holding it, its first build
landing from that process, a damaged index met by a search, an index that cannot be written."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from index.library_index import IndexDamaged, IndexUnavailable, IndexWriteError
from index.storage.store import index_home
from index.types import IndexSummary, SearchResults
from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    isolate_app_env,
    make_app,
    run_async,
    search,
    settle,
    wait_until,
)
from tui.widgets.result_list import ResultList


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def notes(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


class LockedIndex(FakeIndex):
    """Another process holds the index: updates do nothing until `land()` commits its build."""

    def __init__(self, library: Path, home: Path) -> None:
        super().__init__(library, built=False)
        self.home = home
        self.landed = threading.Event()

    def is_current(self) -> bool:
        return self.landed.is_set()

    def update(self, **kwargs: object) -> IndexSummary:  # type: ignore[override]
        self.update_calls += 1
        self.update_started.set()
        if self.landed.is_set():
            return IndexSummary()
        return IndexSummary(messages=("another llama-reader process is updating",), locked=True)

    def documents(self):  # type: ignore[no-untyped-def]
        if not self.landed.is_set():  # as LibraryIndex: no index to list yet
            raise IndexUnavailable("no search index yet: run `llama-reader index`")
        self.built = True
        return super().documents()

    def land(self) -> None:
        """The other process commits: CURRENT names its generation."""
        gen = self.home / "gen-000001"
        gen.mkdir(parents=True)
        (self.home / "CURRENT").write_text("gen-000001\n", encoding="ascii")
        self.landed.set()


@run_async
async def test_an_update_locked_out_says_so_and_the_other_build_is_picked_up(
    tmp_path: Path,
) -> None:
    index = LockedIndex(SAMPLE, index_home(SAMPLE, tmp_path / "index"))
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = notes(app)
        assert any("Another process is updating the index" in n for n in said), said
        assert not any("up to date" in n or "failed" in n for n in said), said
        screen = app.library_screen
        # Meanwhile the documents are listed from their files, and can be read.
        total = len(FakeIndex(SAMPLE).documents())
        await wait_until(pilot, lambda: len(screen.all_documents) == total, timeout=10)
        assert not screen.indexed
        index.land()  # the other process's first build lands; nobody presses `r`
        await wait_until(pilot, lambda: screen.indexed, timeout=10)
        assert len(screen.doc_list.documents) == len(index.documents()) == total


class DamagedIndex(FakeIndex):
    """Searching raises IndexDamaged until the index is rebuilt."""

    def __init__(self, library: Path) -> None:
        super().__init__(library)
        self.damaged = True
        self.rebuilds = 0

    def update(self, **kwargs: object) -> IndexSummary:  # type: ignore[override]
        if kwargs.get("rebuild"):
            self.rebuilds += 1
            self.damaged = False
        return super().update(**kwargs)  # type: ignore[arg-type]

    def search(self, query: str, **kwargs: object) -> SearchResults:  # type: ignore[override]
        if self.damaged:
            raise IndexDamaged("seg_1.pst is cut short")
        return super().search(query, **kwargs)  # type: ignore[arg-type]


@run_async
async def test_a_search_meeting_a_damaged_index_says_so_and_the_index_is_rebuilt(
    tmp_path: Path,
) -> None:
    index = DamagedIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "llama")
        await settle(pilot, 0.3)
        said = [n for n in notes(app) if "damaged" in n]
        assert said == ["The search index is damaged; rebuilding it."]
        assert index.rebuilds == 1
        results = app.library_screen.query_one(ResultList)
        await wait_until(pilot, lambda: len(results.hits) > 0)  # searched again after the rebuild


class UnwritableIndex(FakeIndex):
    def update(self, **kwargs: object) -> IndexSummary:  # type: ignore[override]
        raise IndexWriteError(
            "the disk holding /tmp/x is full; the previous index is kept and still searched"
        )


@run_async
async def test_an_unwritable_index_shows_its_one_line(tmp_path: Path) -> None:
    app = make_app(SAMPLE, UnwritableIndex(SAMPLE, built=False), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = notes(app)
        assert said == [
            "Indexing failed: the disk holding /tmp/x is full; "
            "the previous index is kept and still searched"
        ]
        assert app.is_running
