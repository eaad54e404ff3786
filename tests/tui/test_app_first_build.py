"""The first launch on a library never indexed, on the real index: the documents are listed from
their files at once and open while the index is built, search answers from the build's commits
and says how much it covers, results refresh as it grows without moving the cursor, quitting
stops the build at once, and the next launch continues it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index.build.parallel import Chunking
from index.library_index import LibraryIndex
from index.types import IndexProgress, IndexSummary
from tests.index_helpers import HeldModel, write
from tests.tui_fixtures import isolate_app_env, press, run_async, settle, type_text, wait_until
from tui.app import LlamaReaderApp, build_app
from tui.screens.reader import ReaderScreen
from tui.widgets.index_status import IndexStatus

REPO = Path(__file__).resolve().parents[2]
FOLDERS = ("coast", "fields", "hills", "marsh", "town")
PER_FOLDER = 8
CREATURES = ("curlew", "badger", "lapwing", "stoat")


def make_library(root: Path) -> Path:
    """Five folders of short field notes, each naming one creature, in English and Chinese."""
    for f in FOLDERS:
        for i in range(PER_FOLDER):
            creature = CREATURES[i % len(CREATURES)]
            write(
                root / f / f"note-{i:02}.md",
                f"---\ntitle: {f.title()} walk {i}\ndate: 2024-0{1 + i % 9}-1{i % 9}\n---\n\n"
                f"A {creature} crossed the {f} path at dusk on walk {i}.\n\n"
                f"第{i}次散步时，我们在{f}小路上看见了它。\n",
            )
    return root


DOCUMENTS = len(FOLDERS) * PER_FOLDER


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build that commits after every batch of files, however small the library."""
    import index.build.updating as updating

    monkeypatch.setattr(updating, "FIRST_COMMIT", Chunking(seconds=1e9, files=1, growth=1.0))
    monkeypatch.setattr(updating, "STAGED_MIN_BYTES", 0)


class HeldIndex(LibraryIndex):
    """The real index, whose first build stops at its first commit until `release` is set (or
    the app cancels it): a build the test can look into, without timing luck."""

    def __init__(self, library: Path, index_dir: Path | None) -> None:
        super().__init__(library, index_dir, workers=1)
        self.release = threading.Event()
        self.held = threading.Event()
        self.returned: list[float] = []
        self.summaries: list[IndexSummary] = []

    def update(  # type: ignore[override]
        self,
        progress: Callable[[IndexProgress], None] | None = None,
        rebuild: bool = False,
        cancel: threading.Event | None = None,
        wait: float | None = None,
    ) -> IndexSummary:
        def held(p: IndexProgress) -> None:
            if progress is not None:
                progress(p)
            if p.searchable and not self.release.is_set():
                self.held.set()
                while not self.release.wait(0.01):
                    if cancel is not None and cancel.is_set():
                        return

        summary = super().update(progress=held, rebuild=rebuild, cancel=cancel, wait=wait)
        self.returned.append(time.monotonic())
        self.summaries.append(summary)
        return summary


def launch(library: Path, index_dir: Path, made: list[HeldIndex]) -> LlamaReaderApp:
    def factory(lib: Path, ix: Path | None) -> HeldIndex:
        made.append(HeldIndex(lib, ix))
        return made[-1]

    return build_app(library, index_dir, index_factory=factory, remember_settings=False)


def status_text(app: LlamaReaderApp) -> str:
    return str(app.library_screen.query_one("#status").render())


@run_async
@pytest.mark.usefixtures("steps")
async def test_listed_read_and_searched_before_the_first_build_ends(tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    made: list[HeldIndex] = []
    app = launch(library, tmp_path / "index", made)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.library_screen
        # Every document is listed from its files, while the build waits at its first commit.
        await wait_until(pilot, lambda: len(screen.all_documents) == DOCUMENTS, timeout=30)
        await wait_until(pilot, lambda: bool(made) and made[0].held.is_set(), timeout=30)
        index = made[0]
        assert screen.indexing and not index.release.is_set()
        assert screen.query_one(IndexStatus).has_class("-busy")
        covered = index.coverage()
        assert covered.partial and 0 < covered.documents < DOCUMENTS

        # A document the index does not hold yet opens and reads from its files.
        indexed = {d.id for d in index.documents()}
        docs = screen.doc_list
        outside = next(n for n, d in enumerate(docs.documents) if d.id not in indexed)
        docs.cursor = outside
        wanted = docs.documents[outside]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.document.id == wanted.id and app.screen.document.rows
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)

        # Search answers from the commit, and says how much of the library that is.
        await pilot.press("slash")
        await type_text(pilot, "curlew ")
        await wait_until(pilot, lambda: screen.results is not None and bool(screen.results.hits))
        first = screen.results
        assert first is not None and first.coverage is not None
        assert f"search covers {covered.documents:,} of {DOCUMENTS:,} documents" in (
            status_text(app)
        )
        assert all(h.id in indexed for h in first.hits)
        await pilot.press("enter")  # to the results
        await pilot.press("down")
        chosen = screen.result_list.hit_at(screen.result_list.cursor)
        assert chosen is not None and screen.result_list.cursor == 1

        # The build goes on: the same query is answered again, over the whole library, with
        # the cursor still on the hit the user chose.
        index.release.set()
        await wait_until(pilot, lambda: not screen.indexing, timeout=60)
        await wait_until(
            pilot, lambda: screen.results is not None and screen.results.coverage is None
        )
        final = screen.results
        assert final is not None and final.total > first.total
        assert final.total == sum(1 for i in range(PER_FOLDER) if i % len(CREATURES) == 0) * len(
            FOLDERS
        )
        current = screen.result_list.hit_at(screen.result_list.cursor)
        assert current is not None and (current.id, current.row) == (chosen.id, chosen.row)
        assert "search covers" not in status_text(app)
        assert index.summaries[-1].rebuilt


@run_async
@pytest.mark.usefixtures("steps")
async def test_quitting_during_the_first_build_is_prompt_and_the_next_launch_continues(
    tmp_path: Path,
) -> None:
    library = make_library(tmp_path / "library")
    made: list[HeldIndex] = []
    app = launch(library, tmp_path / "index", made)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(made) and made[0].held.is_set(), timeout=30)
        pressed = time.monotonic()
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: bool(made[0].returned), timeout=5)
    # The build stopped within half a second of the key, keeping its commit.
    assert made[0].returned[0] - pressed < 0.5
    kept = made[0].coverage()
    # How many files the worker process got through before the quit depends on the machine's
    # speed (on an idle one, all of them): the build is unfinished either way.
    assert kept.partial and 0 < kept.documents <= DOCUMENTS
    generation = made[0].store.current()
    made[0].close()

    again: list[HeldIndex] = []
    app = launch(library, tmp_path / "index", again)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.library_screen
        await wait_until(pilot, lambda: bool(again), timeout=30)
        again[0].release.set()
        await settle(pilot)
        assert len(screen.all_documents) == DOCUMENTS and screen.indexed
        summary = again[0].summaries[-1]
        assert not summary.rebuilt and summary.added == DOCUMENTS - kept.documents
        assert again[0].store.current() == generation  # continued, not started over
        assert not again[0].coverage().partial
        await press(pilot, "slash")
        await type_text(pilot, "badger ")
        await wait_until(pilot, lambda: screen.results is not None and bool(screen.results.hits))
        assert screen.results is not None and screen.results.coverage is None


BUILDER = """
import sys, time
from pathlib import Path
import index.build.updating as updating
from index.build.parallel import Chunking
from index.library_index import LibraryIndex
updating.FIRST_COMMIT = Chunking(seconds=1e9, files=1, growth=1.0)
updating.STAGED_MIN_BYTES = 0
ix = LibraryIndex(Path(sys.argv[1]), Path(sys.argv[2]), workers=1)
def slow(p):  # held at the first commit until the test kills the process
    if p.searchable:
        print("committed", p.searchable, flush=True)
        time.sleep(600)
ix.update(progress=slow)
"""


@run_async
@pytest.mark.usefixtures("steps")
async def test_a_build_killed_after_a_commit_is_listed_and_continued_by_the_app(
    tmp_path: Path,
) -> None:
    library = make_library(tmp_path / "library")
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(BUILDER), str(library), str(tmp_path / "index")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("committed"), (line, proc.stderr.read() if proc.stderr else "")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)

    made: list[HeldIndex] = []
    app = launch(library, tmp_path / "index", made)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.library_screen
        # The killed build's commit is listed, the rest from the files, while the app's own
        # build continues (held at its first commit).
        await wait_until(pilot, lambda: bool(made) and made[0].held.is_set(), timeout=30)
        try:
            await wait_until(pilot, lambda: len(screen.all_documents) == DOCUMENTS, timeout=30)
            assert screen.indexing
        finally:  # a held build would keep the test's thread pool from ever shutting down
            made[0].release.set()
        await settle(pilot)
        assert screen.indexed and len(screen.all_documents) == DOCUMENTS
        summaries: list[Any] = made[0].summaries
        assert not summaries[-1].rebuilt and 0 < summaries[-1].added < DOCUMENTS
        assert not made[0].coverage().partial


def badge_of(app: LlamaReaderApp, path: str) -> str:
    """What the list shows right of a document's date: its language badge, or nothing."""
    docs = app.library_screen.doc_list
    index = next(n for n, d in enumerate(docs.documents) if d.path == path)
    date = docs.documents[index].date or ""
    line = str(docs.render_item(index, 100)[0]).rstrip()
    return line.rpartition(date)[2].strip()


@run_async
async def test_documents_are_listed_before_the_language_model_and_badged_once_it_has_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "library"
    for i in range(6):
        write(
            library / "walks" / f"walk-{i}.md",
            f"---\ntitle: Walk {i}\ndate: 2024-03-0{i + 1}\n---\n\n"
            f"We walked along the river on the {i + 1}th morning and counted the herons.\n",
        )
    write(
        library / "walks" / "wanderung.md",
        "---\ntitle: Die Wanderung\ndate: 2024-03-09\n---\n\nWir gingen am Fluss entlang und "
        "zählten die Reiher, bis der Nebel über die Wiesen kam.\n",
    )
    write(
        library / "walks" / "散步.md",
        "---\ntitle: 散步\ndate: 2024-03-08\n---\n\n我们沿着河边散步，数着水边的苍鹭。\n",
    )
    model = HeldModel(monkeypatch)
    made: list[HeldIndex] = []
    app = launch(library, tmp_path / "index", made)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.library_screen
        await wait_until(pilot, lambda: len(screen.doc_list.documents) == 8, timeout=30)
        # Listed while the model loads: no language guessed for those that need it. (The
        # listing may finish before the thread that loads the model has asked for it.)
        await wait_until(pilot, model.wanted.is_set, timeout=30)
        assert not model.release.is_set()
        assert badge_of(app, "walks/wanderung.md") == ""
        assert badge_of(app, "walks/walk-0.md") == ""
        assert badge_of(app, "walks/散步.md") == "中"  # its script says so without the model
        model.release.set()
        await wait_until(pilot, lambda: badge_of(app, "walks/wanderung.md") != "", timeout=30)
        assert badge_of(app, "walks/wanderung.md") == "DE"
        assert {badge_of(app, f"walks/walk-{i}.md") for i in range(6)} == {"EN"}
        assert len(screen.doc_list.documents) == 8
        await wait_until(pilot, lambda: bool(made), timeout=30)
        made[0].release.set()
        await settle(pilot)
        assert badge_of(app, "walks/wanderung.md") == "DE"
