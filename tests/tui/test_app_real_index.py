"""The app on the real index (Whoosh + jieba), built on first launch from a copy of the fixture
layouts: the list, search in both languages with filters, opening a hit, updating."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.tags import tag_key
from tests.shared_files import LAYOUTS
from tests.tui_fixtures import (
    copy_library,
    isolate_app_env,
    press,
    run_async,
    search,
    settle,
)
from tui.app import LlamaReaderApp, build_app
from tui.screens.reader import ReaderScreen
from tui.widgets.bilingual_view import BilingualView


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def make_app(tmp_path: Path) -> tuple[LlamaReaderApp, Path]:
    library = copy_library(LAYOUTS, tmp_path / "library")
    app = build_app(library, tmp_path / "index", settings_path=tmp_path / "ui.json")
    return app, library


@run_async
async def test_first_launch_builds_then_search_and_open_a_chinese_hit(tmp_path: Path) -> None:
    app, library = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.library_screen
        files = [p for p in library.rglob("*") if p.suffix in (".md", ".txt")]
        assert screen.indexed
        assert 0 < len(screen.doc_list.documents) <= len(files)
        await search(pilot, "开源")
        hits = screen.result_list.hits
        assert hits and screen.results is not None and screen.results.total >= len(hits)
        # A row matches on its own text and on its document's titles, in either language.
        alt = {d.id: d.title_alt or "" for d in screen.all_documents}
        assert all("开源" in ((h.zh or "") + (h.en or "") + h.title + alt[h.id]) for h in hits)
        assert any("开源" in (h.zh or "") for h in hits)
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.document.id == hits[0].id
        assert app.screen.query_one(BilingualView).cursor == hits[0].row


@run_async
async def test_search_with_a_tag_and_a_language_uses_the_index_filters(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.library_screen
        await search(pilot, "kestrel")
        unfiltered = screen.results
        assert unfiltered is not None and unfiltered.hits
        # The panel's counts are the index's facets for this query.
        panel = {t.key: t.count for t in screen.query_one("#tags").tags}  # type: ignore[attr-defined]
        assert panel and all(count > 0 for count in panel.values())
        key = max(panel, key=lambda k: panel[k])
        await pilot.press("escape")  # leave the search box
        screen.toggle_tag(key)
        await settle(pilot, 0.3)
        by_id = {d.id: d for d in screen.all_documents}
        hits = screen.result_list.hits
        assert hits
        assert all(key in {tag_key(t) for t in by_id[h.id].tags} for h in hits)
        assert screen.results is not None and screen.results.total <= unfiltered.total
        screen.set_filters(screen.filters.next_lang())  # English only, with the tag
        await settle(pilot, 0.3)
        assert all(by_id[h.id].lang == "en" for h in screen.result_list.hits)


@run_async
async def test_r_picks_up_a_new_file(tmp_path: Path) -> None:
    app, library = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = len(app.library_screen.doc_list.documents)
        (library / "zz-new-note.md").write_text(
            "---\ntitle: A Freshly Added Note\ntags: [Fresh]\n---\n\nThe quokka is new here.\n",
            encoding="utf-8",
        )
        await press(pilot, "r")
        titles = [d.title for d in app.library_screen.doc_list.documents]
        assert len(titles) == before + 1 and "A Freshly Added Note" in titles
        await search(pilot, "quokka")
        assert [h.title for h in app.library_screen.result_list.hits] == ["A Freshly Added Note"]


@run_async
async def test_ignored_query_parts_and_did_you_mean_are_shown(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.library_screen
        await search(pilot, '"kestrel')
        assert screen.results is not None and screen.results.ignored
        status = str(screen.query_one("#status").render())
        assert "ignored: " in status and '"' in status.split("ignored: ")[1]
        assert screen.result_list.hits  # the rest of the query still searched
        await pilot.press("escape", "escape")  # leave the box, clear the query
        await search(pilot, "kestral")
        assert screen.results is not None and screen.results.suggestion
        status = str(screen.query_one("#status").render())
        assert f"did you mean {screen.results.suggestion}" in status


@run_async
async def test_the_word_being_typed_finds_the_words_it_begins(tmp_path: Path) -> None:
    """`foreca` (no space yet) finds "forecast" rows; a space makes it the word `foreca`, which the
    library does not hold."""
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.library_screen
        await search(pilot, "foreca")
        hits = screen.result_list.hits
        assert hits and all("forecast" in ((h.en or "") + h.title).lower() for h in hits[:5])
        await press(pilot, "space")
        await settle(pilot, 0.4)
        assert screen.results is not None and screen.results.total == 0
