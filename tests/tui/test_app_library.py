"""Library screen flows, driven through the Pilot: list, sort, tag and language filters, search,
help, theme, quitting (also in the middle of the first index build)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from corpus.tags import tag_key
from tests.shared_files import LAYOUTS
from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    footer_keys,
    isolate_app_env,
    make_app,
    press,
    run_async,
    run_command,
    search,
    send_keys_at_once,
    settle,
    type_text,
    wait_until,
)
from tui.app import LlamaReaderApp, build_app
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.widgets.document_list import DocumentList
from tui.widgets.index_status import IndexStatus
from tui.widgets.library_filters import sort_documents, title_key
from tui.widgets.record_list import RecordList
from tui.widgets.result_list import ResultList
from tui.widgets.search_box import SearchBox
from tui.widgets.tag_list import TagList


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def screen_of(app: LlamaReaderApp) -> LibraryScreen:
    return app.library_screen


def line_text(widget: DocumentList | ResultList | TagList, y: int) -> str:
    return widget.render_line(y).text


@run_async
async def test_library_lists_every_document_newest_first(tmp_path: Path) -> None:
    library = LAYOUTS
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        docs = screen_of(app).doc_list.documents
        assert {d.id for d in docs} == {d.id for d in index.documents()}
        dates = [d.date[:10] for d in docs if d.date]
        assert dates == sorted(dates, reverse=True)
        # What is on screen: the first document's title on the first line, its badge too.
        first = line_text(screen_of(app).doc_list, 0)
        assert docs[0].title[:10] in first
        assert {"en": "EN", "zh": "中", "bilingual": "EN+中"}[docs[0].lang] in first
        assert app.focused is screen_of(app).doc_list


@run_async
async def test_sort_by_title_and_back(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        titles = [title_key(d.title) for d in screen_of(app).doc_list.documents]
        assert titles == sorted(titles)  # Chinese titles by their pinyin
        await pilot.press("s")
        assert screen_of(app).sort == "date"


@run_async
async def test_cursor_keys_move_and_keep_the_cursor_in_view(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 14)) as pilot:  # room for 5 documents
        await settle(pilot)
        docs = screen_of(app).doc_list
        assert docs.count >= 8
        await pilot.press("j", "down")
        assert docs.cursor == 2
        await pilot.press("k")
        assert docs.cursor == 1
        await pilot.press("end")
        assert docs.cursor == docs.count - 1
        assert docs.scroll_offset.y > 0  # scrolled to show it
        await pilot.press("home")
        assert docs.cursor == 0 and docs.scroll_offset.y == 0
        await pilot.press("pagedown")
        assert docs.cursor == docs.page_items


@run_async
async def test_tag_filter_combines_tags_with_and_and_counts_follow(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    all_docs = index.documents()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        tags = screen.query_one(TagList)
        await pilot.press("t")
        assert app.focused is tags
        await pilot.press("home")  # the cursor follows its tag as the list fills in: to the top
        first = tags.tags[0]
        await pilot.press("space")
        expected = [d for d in all_docs if first.key in {tag_key(t) for t in d.tags}]
        assert {d.id for d in screen.doc_list.documents} == {d.id for d in expected}
        assert tags.tags[0].key == first.key and tags.tags[0].selected
        # Counts now describe the filtered documents: no tag can count more than they are.
        assert all(t.count <= len(expected) for t in tags.tags)
        # A second tag narrows further (AND).
        second = next(t for t in tags.tags if not t.selected and t.count < len(expected))
        tags.cursor = list(tags.tags).index(second)
        await pilot.press("enter")
        both = [d for d in expected if second.key in {tag_key(t) for t in d.tags}]
        assert {d.id for d in screen.doc_list.documents} == {d.id for d in both}
        assert second.count == len(both)
        # Esc leaves the panel, Esc again clears the filters.
        await pilot.press("escape")
        assert app.focused is screen.doc_list
        await pilot.press("escape")
        assert len(screen.doc_list.documents) == len(all_docs)


@run_async
async def test_language_filter_cycles(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        seen = []
        for expected in ("en", "zh", "bilingual"):
            await pilot.press("l")
            assert screen.filters.lang == expected
            assert {d.lang for d in screen.doc_list.documents} <= {expected}
            seen.append(len(screen.doc_list.documents))
        await pilot.press("l", "l")  # bilingual fully, then partly translated
        assert (screen.filters.lang, screen.filters.translation) == ("bilingual", "partly")
        await pilot.press("l")
        assert (screen.filters.lang, screen.filters.translation) == ("other", None)
        assert not {d.lang for d in screen.doc_list.documents} & {"en", "zh", "bilingual"}
        seen.append(len(screen.doc_list.documents))
        assert sum(seen) == len(index.documents())
        await pilot.press("l")
        assert screen.filters.lang is None and screen.filters.translation is None


@run_async
async def test_search_as_you_type_runs_only_the_last_query(tmp_path: Path) -> None:
    library = LAYOUTS
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, SearchBox)
        # Typed faster than the debounce (queued at once, as a quick typist's keys arrive while
        # the first one is being handled): one query, the whole word.
        send_keys_at_once(app, [(c, c) for c in "kestrel"])
        await settle(pilot, 0.4)
        assert [q for q, _, _ in index.searches] == ["kestrel"]
        results = screen_of(app).result_list
        assert results.display and results.count > 0
        assert all("kestrel" in (h.snippet or "").casefold() for h in results.hits)
        shown = "\n".join(line_text(results, y) for y in range(3))
        assert results.hits[0].title[:10] in shown
        status = str(screen_of(app).query_one("#status").render())
        assert "matching row" in status


@run_async
async def test_editing_keys_typed_ahead_keep_their_place_in_the_search_box(tmp_path: Path) -> None:
    """ctrl+u, backspace and the arrows arrive together with the letters around them (type-ahead,
    tmux send-keys, a slow SSH link): each takes effect where it was typed."""
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "llama")
        box = screen_of(app).query_one(SearchBox)
        typed = [
            ([("ctrl+u", None), *((c, c) for c in "tag")], "tag"),
            ([("backspace", None), ("backspace", None), ("x", "x")], "tx"),
            ([("home", None), ("y", "y"), ("end", None), ("z", "z")], "ytxz"),
        ]
        for keys, value in typed:
            send_keys_at_once(app, keys)
            await settle(pilot, 0.3)
            assert box.value == value
        assert screen_of(app).query_text == "ytxz"


@run_async
async def test_search_combines_with_tag_and_language_filters(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press("l")  # English only
        await search(pilot, "model")
        assert index.searches[-1] == ("model", (), "en")
        docs_by_id = {d.id: d for d in index.documents()}
        assert screen.result_list.hits
        assert all(docs_by_id[h.id].lang == "en" for h in screen.result_list.hits)
        # Tag counts follow the search: they come from the results' facets.
        facets = screen.results.tag_facets if screen.results else {}
        panel = {t.key: t.count for t in screen.query_one(TagList).tags}
        expected: dict[str, int] = {}
        for tag, count in facets.items():  # spellings of one tag count together
            expected[tag_key(tag)] = expected.get(tag_key(tag), 0) + count
        assert panel == expected


@run_async
async def test_no_match_shows_did_you_mean(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "lamma")
        status = str(screen_of(app).query_one("#status").render())
        assert "did you mean llama" in status
        empty = screen_of(app).result_list.render_line(1).text
        assert "Did you mean llama?" in empty


@run_async
async def test_escape_leaves_search_then_clears_it(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert footer_keys(app)["s"] == "Sort"
        await search(pilot, "llama")
        await pilot.press("escape")
        assert app.focused is screen.result_list
        # Results come best first: "s" would sort the hidden list, so it is neither offered nor
        # acted on.
        assert "s" not in footer_keys(app)
        await pilot.press("s")
        assert screen.sort == "date"
        await pilot.press("escape")
        assert screen.query_one(SearchBox).value == ""
        assert app.focused is screen.doc_list
        assert not screen.result_list.display or screen.query_one("#lists").current == "documents"
        assert footer_keys(app)["s"] == "Sort"


@run_async
async def test_help_lists_the_keys_of_the_screen_it_came_from(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.help_text()  # type: ignore[attr-defined]
        # Every described binding of the library screen is listed, by its description.
        for binding in LibraryScreen.BINDINGS:
            assert binding.description in text  # type: ignore[union-attr]
        assert "Tag filter" in text and "Toggle" in text and "Open" in text and "Dark/light" in text
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


@run_async
async def test_quit_with_q(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (0, None)
    assert not app.is_running


@run_async
async def test_first_launch_builds_with_progress_and_stays_responsive(tmp_path: Path) -> None:
    hold = threading.Event()
    index = FakeIndex(SAMPLE, built=False, delay=0.05, hold=hold)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, index.update_started.is_set)
        status = app.library_screen.query_one(IndexStatus)
        await wait_until(pilot, lambda: status.has_class("-busy"))
        # The documents are listed from their files while the index is built.
        docs = app.library_screen.doc_list
        await wait_until(pilot, lambda: len(docs.documents) == len(FakeIndex(SAMPLE).documents()))
        assert status.has_class("-busy") and not index.built
        # The UI answers keys while the build runs.
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        hold.set()
        await settle(pilot)
        assert not status.has_class("-busy")
        assert len(app.library_screen.doc_list.documents) == len(index.documents()) > 0


@run_async
async def test_quitting_during_the_first_build_is_prompt_and_cancels_it(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE, built=False, delay=0.5)  # a build of several seconds
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, index.update_started.is_set)
        started = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - started < 2.0
    assert app.cancel.is_set()
    assert not index.built  # stopped, not finished


@run_async
async def test_markup_in_titles_and_queries_is_plain_text(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (library / "evil.md").write_text(
        "---\ntitle: \"[@click=app.quit]Click me[/] [/bold] [RED]x\"\ntags: ['[b]t[/b]']\n---\n\n"
        "Body with [@click=app.quit]link[/] text.\n",
        encoding="utf-8",
    )
    (library / "ok.md").write_text("---\ntitle: Fine\n---\n\nHello.\n", encoding="utf-8")
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        docs = app.library_screen.doc_list
        row = next(i for i, d in enumerate(docs.documents) if d.path == "evil.md")
        shown = line_text(docs, row * 2)
        assert "[@click=app.quit]Click me[/] [/bold] [RED]x" in shown
        tags_shown = "\n".join(
            line_text(app.library_screen.query_one(TagList), y) for y in range(3)
        )
        assert "[b]t[/b]" in tags_shown
        # Clicking the title selects the document; it must not run the embedded action.
        await pilot.click(DocumentList, offset=(6, row * 2))
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape")
        await search(pilot, "[@click=app.quit]")
        assert app.is_running
        assert index.searches[-1][0] == "[@click=app.quit]"


@run_async
async def test_theme_toggle_is_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LLAMA_READER_THEME")
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_theme.dark  # dark unless chosen otherwise
        await pilot.press("ctrl+t")
        assert app.theme in ("llama-light", "ansi-light") and not app.current_theme.dark
        chosen = app.theme
    again = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    assert again.theme == chosen


@run_async
async def test_palette_offers_the_main_actions(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in (
            "Search the library",
            "Sort by title",
            "Filter by tag…",
            "Update the index",
            "Toggle dark/light theme",
            "Help: keys",
        ):
            assert title in commands
        commands["Sort by title"].callback()
        await pilot.pause()
        assert app.library_screen.sort == "title"
        tag = next(t for t in commands if t.startswith("Tag: "))
        commands[tag].callback()
        await pilot.pause()
        assert app.library_screen.filters.tags
        # Through the palette UI itself.
        await run_command(pilot, "sort by date", "Sort by date")
        assert app.library_screen.sort == "date"
        await run_command(pilot, "search the lib", "Search the library")
        assert isinstance(app.focused, SearchBox)


@run_async
async def test_no_color_still_shows_the_cursor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        strip = app.library_screen.doc_list.render_line(0)
        assert any(seg.style is not None and seg.style.reverse for seg in strip)
        assert strip.text.startswith("▸")


@run_async
async def test_r_updates_the_index_and_says_so(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert index.update_calls == 0  # launch on a current index: no update
        assert index.prepared == 1  # opened for searching before the first key
        await press(pilot, "r")
        assert index.update_calls == 1
        assert index.prepared == 2
        messages = [n.message for n in app._notifications]
        assert any("Index updated" in m or "up to date" in m for m in messages)


@run_async
async def test_relaunch_shows_the_last_list_before_the_index_opens(tmp_path: Path) -> None:
    first = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        expected = [d.id for d in first.library_screen.doc_list.documents]
    opened = threading.Event()
    release = threading.Event()

    def slow_index(library: Path, _index_dir: Path | None) -> FakeIndex:
        opened.set()
        release.wait(10)  # the index takes its time to open
        return FakeIndex(library)

    again = build_app(
        SAMPLE, tmp_path / "index", index_factory=slow_index, settings_path=tmp_path / "ui.json"
    )
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, opened.is_set)
        screen = again.library_screen
        assert [d.id for d in screen.doc_list.documents] == expected
        assert f"{len(expected)} documents" in str(screen.query_one("#title-right").render())
        assert screen.query_one(TagList).tags  # the whole cached list, with its tag counts
        release.set()
        await settle(pilot)
        assert [d.id for d in screen.doc_list.documents] == expected


@run_async
async def test_first_launch_after_indexing_lists_the_library_before_the_index_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from index.library_index import LibraryIndex
    from tui.messages import DocumentsLoaded

    loads: list[int] = []
    handler = LibraryScreen.on_documents_loaded

    @functools.wraps(handler)
    def counted(self: LibraryScreen, message: DocumentsLoaded) -> None:
        loads.append(len(message.documents))
        handler(self, message)

    monkeypatch.setattr(LibraryScreen, "on_documents_loaded", counted)

    LibraryIndex(SAMPLE, tmp_path / "index", workers=1).update()  # `llama-reader index`
    expected = [d.id for d in LibraryIndex(SAMPLE, tmp_path / "index").documents()]
    release = threading.Event()

    def slow_index(library: Path, index_dir: Path | None) -> LibraryIndex:
        release.wait(10)
        return LibraryIndex(library, index_dir)

    app = build_app(
        SAMPLE, tmp_path / "index", index_factory=slow_index, settings_path=tmp_path / "ui.json"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.library_screen
        assert sorted(d.id for d in screen.doc_list.documents) == sorted(expected)
        assert screen.doc_list.documents == sort_documents(screen.doc_list.documents, "date")
        assert f"{len(expected)} documents" in str(screen.query_one("#title-right").render())
        release.set()
        await settle(pilot)
        assert sorted(d.id for d in screen.doc_list.documents) == sorted(expected)
        # The index lists the same documents (in another order): the list is not loaded again.
        assert loads == [len(expected)]


@run_async
async def test_a_changed_index_replaces_the_cached_list(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    for name in ("a", "b"):
        (library / f"{name}.md").write_text(f"---\ntitle: Doc {name}\n---\n\nText.\n", "utf-8")
    first = make_app(library, FakeIndex(library), tmp_path)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    (library / "c.md").write_text("---\ntitle: Doc c\n---\n\nText.\n", "utf-8")
    again = make_app(library, FakeIndex(library), tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = sorted(d.title for d in again.library_screen.doc_list.documents)
        assert titles == ["Doc a", "Doc b", "Doc c"]


@run_async
async def test_enter_takes_the_did_you_mean_suggestion(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "lamma")
        assert not app.library_screen.result_list.hits
        await press(pilot, "enter", delay=0.4)
        assert app.library_screen.query_one(SearchBox).value == "llama"
        assert index.searches[-1][0] == "llama"
        assert app.library_screen.result_list.hits


@run_async
async def test_terminal_palette_theme_keeps_matches_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLAMA_READER_THEME", "ansi-dark")
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-dark"
        await search(pilot, "llama")
        match = app.library_screen.result_list.style_of("result-list--match")
        assert match.foreground is not None and match.background is not None
        assert match.foreground.ansi != match.background.ansi
        await pilot.press("escape", "ctrl+t")
        assert app.theme == "ansi-light"


@run_async
async def test_keys_typed_right_after_slash_go_to_the_search_box(tmp_path: Path) -> None:
    """Type-ahead: when the app is busy, "/" and the letters after it arrive together."""

    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        send_keys_at_once(app, [("slash", "/"), *((c, c) for c in "llama")])
        await settle(pilot, 0.4)
        assert app.library_screen.query_one(SearchBox).value == "llama"
        assert app.library_screen.filters.lang is None  # "l" did not reach the list


@run_async
async def test_a_slash_can_still_be_typed_in_the_search_box(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert footer_keys(app)["slash"] == "Search"
        await pilot.press("slash")
        shown = footer_keys(app)  # in the box: what Enter and Esc do, not "/"
        assert "slash" not in shown and shown["enter"] == "To results"
        await type_text(pilot, "tcp/ip")
        assert app.library_screen.query_one(SearchBox).value == "tcp/ip"


@run_async
async def test_a_terminal_too_small_for_the_list_still_loads_the_library(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(40, 3)) as pilot:  # no room for a single list line
        await settle(pilot)
        assert len(app.library_screen.all_documents) == len(index.documents())


@run_async
async def test_q_typed_as_the_first_frame_appears_quits_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Work deferred to after the first frame (filters, the whole list, the index) must not run
    into a screen that is being torn down: a `q` typed at launch once ended in a traceback."""
    paint = RecordList._run_after_paint

    def quit_then_paint(self: RecordList[object]) -> None:  # the `q` is handled first
        if self._after_paint:
            self.app.exit()
        paint(self)

    monkeypatch.setattr(RecordList, "_run_after_paint", quit_then_paint)
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
    assert app._exception is None
    assert app.return_code == 0


@run_async
async def test_searches_while_typing_then_as_a_word_after_space_or_enter(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "llam")
        assert index.typing[-1] is True and index.searches[-1][0] == "llam"
        await press(pilot, "space")
        await settle(pilot, 0.4)
        assert index.typing[-1] is False and index.searches[-1][0] == "llam"
        await press(pilot, "backspace")
        await settle(pilot, 0.4)
        assert index.typing[-1] is True
        await press(pilot, "enter")
        await settle(pilot, 0.4)
        assert index.typing[-1] is False
