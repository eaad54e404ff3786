"""Helpers for the app's tests: temp libraries, a stand-in index, and waiting for the app to settle.

`FakeIndex` has the methods of `index.library_index.LibraryIndex` the app calls, over documents read
by the real corpus loader, with plain substring search. It lets UI tests control timing (a slow
build to quit in the middle of) without depending on Whoosh; the flows are also run against the
real index in the tests that say so.
"""

from __future__ import annotations

import asyncio
import functools
import shutil
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.command import Command, CommandList, CommandPalette
from textual.pilot import Pilot

from corpus.library import load_library
from corpus.model import Document
from corpus.tags import tag_key
from index.build.records import doc_info
from index.types import (
    Coverage,
    DocGroup,
    DocInfo,
    Hit,
    IndexProgress,
    IndexSummary,
    SearchResults,
)
from tui.app import LlamaReaderApp, build_app
from tui.screens.outline import document_headings
from tui.screens.reader import ReaderScreen
from tui.widgets.bilingual_view import BilingualView
from tui.widgets.library_filters import lang_group
from tui.widgets.study_cursors import BOOKMARK_MARK

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "corpus" / "sample_library"
SNAPSHOT_LIBRARY = REPO / "tests" / "fixtures" / "snapshot_library"


def run_async(test: Callable[..., Coroutine[object, object, None]]) -> Callable[..., None]:
    """Run an async test function on a fresh event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot: Pilot[Any], delay: float = 0.0, timeout: float = 120) -> None:
    """Let the app finish what it started: the library's index worker, any other worker."""
    await pilot.pause(delay)
    app = pilot.app
    deadline = time.monotonic() + timeout
    while not app.library_screen.index_idle:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "the index worker did not finish"
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5) -> None:
    """Let the app run until `condition()` holds (never blocking its event loop)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def send_keys_at_once(app: App[Any], keys: Sequence[tuple[str, str | None]]) -> None:
    """Queue (key, character) pairs as the terminal's input thread does when the app is busy:
    all at once, without waiting for any to be handled (type-ahead)."""
    driver = app._driver
    assert driver is not None
    for key, char in keys:
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


async def press(pilot: Pilot[Any], *keys: str, delay: float = 0.0) -> None:
    """Press `keys`, then let the app settle (whatever the keys started has finished)."""
    await pilot.press(*keys)
    await settle(pilot, delay)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type `text` key by key, as a user would."""
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def search(pilot: Pilot[Any], query: str, delay: float = 0.4) -> None:
    """Search the library for `query` from the keyboard (`/`, then the query) and wait for the
    debounced search to finish."""
    await pilot.press("slash")
    await type_text(pilot, query)
    await settle(pilot, delay)


async def open_document(pilot: Pilot[Any], doc_id: str) -> None:
    """Open a document from the library list with Enter and wait for the reader."""
    docs = pilot.app.library_screen.doc_list
    docs.cursor = next(i for i, d in enumerate(docs.documents) if d.id == doc_id)
    await press(pilot, "enter")


def best_command(app: LlamaReaderApp) -> str | None:
    """The title of the command palette's highlighted entry (None: the palette is not open)."""
    if not isinstance(app.screen, CommandPalette):
        return None
    commands = app.screen.query_one(CommandList)
    if commands.highlighted is None:
        return None
    option = commands.get_option_at_index(commands.highlighted)
    return option.hit.text if isinstance(option, Command) else None


async def run_command(pilot: Pilot[Any], typed: str, title: str) -> None:
    """ctrl+p, type `typed`; the palette's best entry must be `title`; Enter runs it."""
    app = pilot.app
    assert isinstance(app, LlamaReaderApp)
    await pilot.press("ctrl+p")
    await type_text(pilot, typed)
    await wait_until(pilot, lambda: best_command(app) == title)
    await press(pilot, "enter")
    assert not isinstance(app.screen, CommandPalette)


def footer_keys(app: App[Any]) -> dict[str, str]:
    """What the Footer offers now: key → description."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


def reader(app: LlamaReaderApp) -> ReaderScreen:
    """The reader on screen (fails when another screen is)."""
    assert isinstance(app.screen, ReaderScreen), app.screen
    return app.screen


def reader_view(app: LlamaReaderApp) -> BilingualView:
    return reader(app).query_one(BilingualView)


def flagged_rows(app: LlamaReaderApp) -> set[int]:
    """Rows whose first line on screen shows the bookmark flag."""
    shown = reader_view(app)
    layout = shown.row_layout
    top = round(shown.scroll_y)
    return {
        row
        for row in shown.visible_rows()
        if 0 <= layout.offset(row) - top < shown.size.height
        and BOOKMARK_MARK in shown.render_line(layout.offset(row) - top).text
    }


def copy_library(source: Path, dest: Path) -> Path:
    """A private copy of a library, so tests may add or change files."""
    shutil.copytree(source, dest)
    return dest


class FakeIndex:
    """An in-memory index: substring search, optional slow build, honours `cancel`."""

    def __init__(
        self,
        library: Path,
        index_dir: Path | None = None,
        *,
        built: bool = True,
        delay: float = 0.0,
        hold: threading.Event | None = None,
    ) -> None:
        """`hold`: a build does not finish before it is set (a build the test can look into)."""
        self.library = library
        docs, _skipped = load_library(library)
        self._docs = {d.id: d for d in docs}
        self.built = built
        self.delay = delay
        self.hold = hold
        self.searches: list[tuple[str, tuple[str, ...], str | None]] = []
        self.typing: list[bool] = []  # the `typing` flag of each search
        self.update_started = threading.Event()
        self.update_calls = 0
        self.prepared = 0

    def is_current(self) -> bool:
        return self.built

    def update(
        self,
        *,
        progress: Callable[[IndexProgress], None] | None = None,
        rebuild: bool = False,
        cancel: threading.Event | None = None,
    ) -> IndexSummary:
        self.update_calls += 1
        self.update_started.set()
        docs = list(self._docs.values())
        for n, doc in enumerate(docs, 1):
            if cancel is not None and cancel.is_set():
                return IndexSummary(seconds=0.0)
            time.sleep(self.delay)
            if progress is not None:
                progress(IndexProgress(n, len(docs), n * 1000, len(docs) * 1000, doc.path))
        while self.hold is not None and not self.hold.wait(0.02):
            if cancel is not None and cancel.is_set():
                return IndexSummary(seconds=0.0)
        self.built = True
        return IndexSummary(added=len(docs), rebuilt=rebuild)

    def documents(self) -> list[DocInfo]:
        return [doc_info(d) for d in self._docs.values()] if self.built else []

    def prepare(self) -> None:
        self.prepared += 1

    def coverage(self) -> Coverage:
        n = len(self._docs)
        return Coverage(n, n, n, False) if self.built else Coverage(0, 0, None, True)

    def tag_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for doc in self._docs.values():
            for tag in doc.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return counts

    def load_document(self, doc_id: str) -> Document:
        return self._docs[doc_id]

    def search(
        self,
        query: str,
        *,
        tags: Sequence[str] = (),
        lang: str | None = None,
        limit: int = 50,
        typing: bool = False,
        per_document: int = 0,
        document: str | None = None,
    ) -> SearchResults:
        self.searches.append((query, tuple(tags), lang))
        self.typing.append(typing)
        terms = [t for t in query.split() if t]
        wanted = {tag_key(t) for t in tags}
        hits: list[Hit] = []
        facets: dict[str, int] = {}
        for doc in self._docs.values():
            if document is not None and doc.id != document:
                continue
            if lang is not None and doc.lang != lang and lang_group(doc.lang) != lang:
                continue
            if not wanted <= {tag_key(t) for t in doc.tags}:
                continue
            matched = False
            for n, row in enumerate(doc.rows):
                for side in ("en", "zh"):
                    block = getattr(row, side)
                    if block is None:
                        continue
                    text = block.text
                    folded = text.casefold()
                    if terms and all(t.casefold() in folded for t in terms):
                        spans = []
                        for t in terms:
                            at = folded.find(t.casefold())
                            spans.append((at, at + len(t)))
                        hits.append(
                            Hit(
                                id=doc.id,
                                path=doc.path,
                                title=doc.title,
                                row=n,
                                lang=side,
                                en=row.en.text if row.en else None,
                                zh=row.zh.text if row.zh else None,
                                snippet=text,
                                score=1.0,
                                spans=tuple(sorted(spans)),
                                terms=tuple(terms),
                            )
                        )
                        matched = True
            if matched:
                for tag in doc.tags:
                    facets[tag] = facets.get(tag, 0) + 1
        suggestion = "llama" if not hits and query.casefold() == "lamma" else None
        by_doc: dict[str, list[Hit]] = {}
        for hit in hits:
            by_doc.setdefault(hit.id, []).append(hit)
        groups = tuple(
            DocGroup(doc_id, rows[0].path, rows[0].title, tuple(rows[:per_document]), len(rows))
            for doc_id, rows in list(by_doc.items())[:limit]
        )
        return SearchResults(
            query=query,
            total=len(hits),
            hits=tuple(hits[:limit]),
            tag_facets=facets,
            suggestion=suggestion,
            groups=groups if per_document > 0 else (),
        )


def bilingual_with_headings(index: FakeIndex) -> str:
    """A bilingual document of the library with at least three headings."""
    for info in index.documents():
        doc = index.load_document(info.id)
        if doc.lang == "bilingual" and len(document_headings(doc.rows)) >= 3:
            return doc.id
    raise AssertionError("no bilingual document with headings in the library")


def isolate_app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the app's data, log, cache and theme inside the test's own temp dir."""
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("LLAMA_READER_LOG", str(tmp_path / "log" / "app.log"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("LLAMA_READER_THEME", "llama-dark")  # whatever $TERM says
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def make_app(library: Path, index: FakeIndex, tmp_path: Path) -> LlamaReaderApp:
    return build_app(
        library,
        tmp_path / "index",
        index_factory=lambda _l, _d: index,
        settings_path=tmp_path / "data" / "ui.json",
    )
