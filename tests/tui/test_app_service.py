"""The library service the screens use: no Textual, so it is driven here by plain calls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from index.types import DocInfo, IndexProgress, IndexSummary
from tests.tui_fixtures import SAMPLE, FakeIndex
from tui.library_service import LibraryService


class Recorder:
    """Every report of `LibraryService.refresh`, in order, as (name, details)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def documents_loaded(self, documents: list[DocInfo], *, indexed: bool) -> None:
        self.events.append(("documents", (len(documents), indexed)))

    def index_started(self, *, first_build: bool) -> None:
        self.events.append(("started", first_build))

    def index_progressed(self, progress: IndexProgress) -> None:
        self.events.append(("progress", progress.files_done))

    def index_finished(self, summary: IndexSummary, *, first_build: bool, asked: bool) -> None:
        self.events.append(("finished", (summary.added, first_build, asked)))

    def index_failed(self, error: str) -> None:
        self.events.append(("failed", error))

    def index_idle(self) -> None:
        self.events.append(("idle", None))


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))


def service_on(index: FakeIndex, tmp_path: Path) -> LibraryService:
    return LibraryService(SAMPLE, tmp_path / "index", index_factory=lambda _l, _d: index)


def test_first_launch_builds_then_the_next_launch_starts_from_the_remembered_list(
    tmp_path: Path,
) -> None:
    index = FakeIndex(SAMPLE, built=False)
    expected = sorted(d.id for d in FakeIndex(SAMPLE).documents())
    total = len(expected)
    first = service_on(index, tmp_path)
    assert first.cached_head() is None and first.cached_documents() is None
    seen = Recorder()
    first.refresh(seen, rebuild=False, list_first=True)
    assert seen.names()[0] == "started" and seen.events[0][1] is True  # a first build
    assert seen.names()[-3:] == ["documents", "finished", "idle"]
    assert seen.events[-3][1] == (total, True)
    assert seen.events[-2][1] == (total, True, False)  # not asked for: no "updated" note
    assert seen.names().count("progress") >= 1

    again = service_on(index, tmp_path)
    head = again.cached_head()
    assert head is not None and head[1] == total
    cached = again.cached_documents()
    assert cached is not None and sorted(d.id for d in cached) == expected
    seen = Recorder()
    again.refresh(seen, rebuild=False, list_first=True)
    # The index lists what the first frame already shows, and is current: nothing to redraw.
    assert seen.names() == ["idle"]
    assert index.prepared == 2  # opened for searching each time, before any query


def test_an_asked_for_update_is_reported_and_a_failure_is_one_line(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    service = service_on(index, tmp_path)
    seen = Recorder()
    service.refresh(seen, rebuild=False, list_first=False)
    assert ("finished", (len(index.documents()), False, True)) in seen.events

    def broken(*_args: object, **_kwargs: object) -> IndexSummary:
        raise OSError("disk on fire")

    index.update = broken  # type: ignore[method-assign]
    seen = Recorder()
    service.refresh(seen, rebuild=True, list_first=False)
    assert seen.events == [
        ("started", False),
        ("failed", "Indexing failed: disk on fire"),
        ("idle", None),
    ]


def test_nothing_is_reported_once_the_app_is_leaving(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE, built=False)
    service = service_on(index, tmp_path)
    service.cancel.set()
    seen = Recorder()
    service.refresh(seen, rebuild=False, list_first=True)
    assert seen.names() == ["idle"] and index.update_calls == 0


def test_the_service_imports_no_textual() -> None:
    script = (
        "import sys\n"
        "import tui.library_service, tui.settings, tui.list_cache, tui.reading_state\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
