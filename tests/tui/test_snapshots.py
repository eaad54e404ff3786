"""Snapshots of the library and the reader at 80×24 and 120×40, on the fixed library in
tests/fixtures/snapshot_library (indexed once into a temp dir with the real index).

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`, and
look at the pictures (`snapshot_report.html`) before committing them.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui_fixtures import SNAPSHOT_LIBRARY
from tests.tui_fixtures import settle as settle_app
from tui.app import LlamaReaderApp, build_app

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SVG output differs on Windows")

Size = tuple[int, int]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(scope="module")
def snapshot_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from index.library_index import LibraryIndex

    index_dir = tmp_path_factory.mktemp("snapshot-index")
    LibraryIndex(SNAPSHOT_LIBRARY, index_dir=index_dir).update()
    return index_dir


@pytest.fixture
def app(
    snapshot_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LlamaReaderApp]:
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("LLAMA_READER_LOG", str(tmp_path / "app.log"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("LLAMA_READER_THEME", "llama-dark")  # whatever $TERM says
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield build_app(SNAPSHOT_LIBRARY, snapshot_index, remember_settings=False)


async def settle(pilot: Pilot[None], delay: float = 0.0) -> None:
    await settle_app(pilot, delay)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


def keys(*pressed: str, delay: float = 0.0) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot, delay)

    return run_before


async def open_ferry(pilot: Pilot[None]) -> None:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, LlamaReaderApp)
    docs = app.library_screen.doc_list
    docs.cursor = next(i for i, d in enumerate(docs.documents) if d.title == "The Last River Ferry")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("j", "j")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_library(snap_compare: Callable[..., bool], app: LlamaReaderApp, size: Size) -> None:
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_library_tag_filter(
    snap_compare: Callable[..., bool], app: LlamaReaderApp, size: Size
) -> None:
    assert snap_compare(app, terminal_size=size, run_before=keys("t", "space"))


@pytest.mark.parametrize("size", SIZES)
def test_search_results(snap_compare: Callable[..., bool], app: LlamaReaderApp, size: Size) -> None:
    typed = ("slash", "f", "e", "r", "r", "y")
    assert snap_compare(app, terminal_size=size, run_before=keys(*typed, delay=0.3))


@pytest.mark.parametrize("size", SIZES)
def test_reader(snap_compare: Callable[..., bool], app: LlamaReaderApp, size: Size) -> None:
    assert snap_compare(app, terminal_size=size, run_before=open_ferry)


@pytest.mark.parametrize("size", SIZES)
def test_reader_interleaved(
    snap_compare: Callable[..., bool], app: LlamaReaderApp, size: Size
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_ferry(pilot)
        await pilot.press("m")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_help(snap_compare: Callable[..., bool], app: LlamaReaderApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("question_mark"))
