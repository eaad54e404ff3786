"""The reader screen in a small test app (Pilot): what a user sees and what the keys do."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from corpus.model import Block, Document, Row
from tests.tui_fixtures import footer_keys, run_async
from tui.layout.rows import Mode, RowLayout
from tui.reading_state import ReadingState
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.outline import OutlineScreen, document_headings
from tui.screens.reader import FindInput, ReaderScreen
from tui.widgets.bilingual_view import BilingualView


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


class ReaderApp(App[None]):
    """Pushes one ReaderScreen and records the documents it asks for."""

    def __init__(
        self,
        document: Document,
        *,
        start_row: int | None = None,
        terms: Sequence[str] = (),
        documents: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.document = document
        self.start_row = start_row
        self.terms = terms
        self.documents = documents
        self.requested: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(
            ReaderScreen(
                self.document,
                start_row=self.start_row,
                terms=self.terms,
                documents=self.documents,
            )
        )

    def on_reader_screen_open_document(self, message: ReaderScreen.OpenDocument) -> None:
        self.requested.append(message.doc_id)


def view(app: App[None]) -> BilingualView:
    return app.screen.query_one(BilingualView)


def screen_lines(v: BilingualView) -> list[str]:
    return ["".join(seg.text for seg in v.render_line(y)) for y in range(v.size.height)]


def status(app: App[None]) -> str:
    return str(app.screen.query_one("#reader-status").render())


async def settle(pilot: Pilot[None], delay: float = 0.0) -> None:
    await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def mode_after_reopening(doc: Document, *keys: str) -> Mode:
    """Press `keys` in a reader on `doc`, leave, and open `doc` again: the mode it opens in."""
    app = ReaderApp(doc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*keys, "q")
        await pilot.pause()
    again = ReaderApp(doc)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        return view(again).mode


def en(text: str, kind: str = "paragraph", level: int = 0) -> Block:
    return Block(kind, text, 1, "en", level)  # type: ignore[arg-type]


def zh(text: str, kind: str = "paragraph", level: int = 0) -> Block:
    return Block(kind, text, 1, "zh", level)  # type: ignore[arg-type]


def bilingual(n: int, doc_id: str = "0123456789ab") -> Document:
    rows = []
    for i in range(n):
        if i % 10 == 0:
            rows.append(Row(en(f"## Section {i}", "heading", 2), zh(f"## 第 {i} 节", "heading", 2)))
        else:
            rows.append(
                Row(
                    en(f"Paragraph {i}: open models changed how people build software."),
                    zh(f"第 {i} 段：开源模型改变了人们构建软件的方式。"),
                )
            )
    return Document(
        id=doc_id, path=f"{doc_id}.md", title="Test", rows=tuple(rows), lang="bilingual"
    )


@run_async
async def test_bilingual_clipping_opens_side_by_side_at_80_columns_with_rows_aligned(
    layout,
) -> None:  # type: ignore[no-untyped-def]
    doc = layout("kestrel-translated")
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        v = view(app)
        assert v.effective_mode is Mode.SIDE_BY_SIDE
        lines = screen_lines(v)
        width = v.scrollable_content_region.width
        assert all(len(line) <= width for line in lines)
        rule = v.row_layout.geometry.rule_x
        assert rule is not None
        # The heading and its translation share the first line, on either side of the rule.
        assert "Why Did Tidewater" in lines[0][:rule] and "为什么潮汐研究所" in lines[0][rule:]
        # Each row's two sides start on the same screen line.
        layout = v.row_layout
        for row in range(len(doc.rows)):
            y = layout.offset(row)
            if y >= len(lines):
                break
            row_doc = doc.rows[row]
            if row_doc.is_pair:
                assert lines[y][3:rule].strip() and lines[y][rule + 3 :].strip(), (row, lines[y])
        assert "side by side" in status(app)


@run_async
async def test_narrow_terminal_falls_back_to_interleaved_and_back(layout) -> None:  # type: ignore[no-untyped-def]
    app = ReaderApp(layout("kestrel-translated"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert view(app).effective_mode is Mode.SIDE_BY_SIDE
        await pilot.resize_terminal(64, 24)
        await settle(pilot)
        v = view(app)
        assert v.mode is Mode.SIDE_BY_SIDE  # the choice is kept ...
        assert v.effective_mode is Mode.INTERLEAVED  # ... but drawn interleaved
        assert "(narrow)" in status(app)
        lines = [line.strip() for line in screen_lines(v)]
        # The heading above its translation, each on its own line at the left margin.
        assert lines[0].lstrip("▌ ").startswith("Why Did Tidewater") and "为什么" not in lines[0]
        assert lines[1].lstrip("▌ ").startswith("为什么潮汐研究所")
        assert all("│" not in line for line in lines)
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert view(app).effective_mode is Mode.SIDE_BY_SIDE


@run_async
async def test_m_cycles_modes_and_english_only_shows_no_chinese(layout) -> None:  # type: ignore[no-untyped-def]
    app = ReaderApp(layout("kestrel-translated"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        seen = [view(app).effective_mode]
        for _ in range(4):
            await pilot.press("m")
            await pilot.pause()
            seen.append(view(app).effective_mode)
            text = "\n".join(screen_lines(view(app)))
            if seen[-1] is Mode.ENGLISH:
                assert "Why Did Tidewater" in text and "免费下载的预报模型" not in text
            if seen[-1] is Mode.CHINESE:
                assert "免费下载的预报模型" in text and "freely downloadable" not in text
        assert seen == [
            Mode.SIDE_BY_SIDE,
            Mode.INTERLEAVED,
            Mode.ENGLISH,
            Mode.CHINESE,
            Mode.SIDE_BY_SIDE,
        ]


@run_async
async def test_monolingual_documents_open_single_column(layout) -> None:  # type: ignore[no-untyped-def]
    for prefix, mode in (("kestrel-field-notes", Mode.ENGLISH), ("kestrel-chapter", Mode.CHINESE)):
        app = ReaderApp(layout(prefix))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert view(app).effective_mode is mode
            assert all("│" not in line for line in screen_lines(view(app)))


@run_async
async def test_modes_are_offered_only_where_there_are_two_languages(layout) -> None:  # type: ignore[no-untyped-def]
    # The field notes are English only: no mode key in the Footer, m changes nothing, the palette
    # has none.
    app = ReaderApp(layout("kestrel-field-notes"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "m" not in footer_keys(app)
        before = screen_lines(view(app))
        await pilot.press("m")
        await settle(pilot)
        assert view(app).mode is Mode.ENGLISH and screen_lines(view(app)) == before
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert not [c for c in screen.palette_commands() if c.title.startswith("Mode:")]
    # The chapter is Chinese with some English rows: it opens in Chinese, m switches, and the
    # mode chosen is where the document opens next time.
    doc = layout("kestrel-chapter")
    app = ReaderApp(doc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert footer_keys(app)["m"] == "Mode"
        assert view(app).mode is Mode.CHINESE
    # Chinese → side by side → interleaved
    assert await mode_after_reopening(doc, "m", "m") is Mode.INTERLEAVED


def match_runs(v: BilingualView, style_name: str) -> list[str]:
    """Texts drawn in a highlight component style anywhere on screen."""
    wanted = v.component_style(style_name).bgcolor
    runs = []
    for y in range(v.size.height):
        for seg in v.render_line(y):
            if seg.style is not None and seg.style.bgcolor == wanted and seg.text.strip():
                runs.append(seg.text)
    return runs


@run_async
async def test_find_highlights_in_both_columns_and_n_moves_between_rows(layout) -> None:  # type: ignore[no-untyped-def]
    doc = layout("kestrel-translated")
    expected = [
        i for i, row in enumerate(doc.rows) if any("kestrel" in b.text.lower() for b in row.blocks)
    ]
    app = ReaderApp(doc)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, FindInput)
        await pilot.press(*"kestrel")
        await settle(pilot, 0.3)
        await pilot.press("enter")
        await settle(pilot)
        v = view(app)
        assert app.focused is v
        assert v.cursor == expected[0]
        runs = [r.lower() for r in match_runs(v, "match")]
        assert "kestrel" in runs
        # Row 1 holds "Kestrel" on both sides: both columns are highlighted on its first line.
        y = v.row_layout.offset(1) - round(v.scroll_y)
        first_line = list(v.render_line(y))
        rule = v.row_layout.geometry.rule_x
        assert rule is not None
        wanted = v.component_style("match").bgcolor
        x = 0
        sides = set()
        for seg in first_line:
            if seg.style is not None and seg.style.bgcolor == wanted and seg.text.strip():
                sides.add("left" if x < rule else "right")
            x += seg.cell_length
        assert sides == {"left", "right"}
        assert f"match 1/{len(expected)}" in status(app)
        await pilot.press("n")
        assert v.cursor == expected[1]
        await pilot.press("n", "n")
        assert v.cursor == expected[3]
        await pilot.press("N")
        assert v.cursor == expected[2]
        # From the last match, n wraps to the first.
        v.go_to_row(expected[-1])
        await pilot.press("n")
        assert v.cursor == expected[0]


@run_async
async def test_escape_in_find_drops_the_matches_and_returns(layout) -> None:  # type: ignore[no-untyped-def]
    app = ReaderApp(layout("kestrel-translated"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        await pilot.press("slash", *"license")
        await settle(pilot, 0.3)
        v = view(app)
        assert v.cursor > 2  # find-as-you-type jumped ahead
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)  # Esc closed the find, not the reader
        assert v.cursor == 2
        assert match_runs(v, "match") == []
        assert "match" not in status(app)


@run_async
async def test_search_terms_are_highlighted_and_the_start_row_shown() -> None:
    doc = bilingual(400)
    app = ReaderApp(doc, start_row=257, terms=["构建软件", "Paragraph 257"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        v = view(app)
        assert v.cursor == 257
        assert 257 in v.visible_rows()
        runs = match_runs(v, "term")
        assert "Paragraph 257" in runs
        assert "构建软件" in runs


@run_async
async def test_outline_lists_headings_and_enter_jumps() -> None:
    doc = bilingual(120)
    headings = document_headings(doc.rows)
    assert [h.row for h in headings] == list(range(0, 120, 10))
    assert headings[3].title == "Section 30 · 第 30 节"
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutlineScreen)
        await pilot.press("down", "down", "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        v = view(app)
        assert v.cursor == 30
        assert 30 in v.visible_rows()
        assert "Section 30" in screen_lines(v)[0]


@run_async
async def test_bookmark_and_resume_in_a_new_app(tmp_path: Path) -> None:
    doc = bilingual(300)
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"jjjjj")
        assert view(app).cursor == 5
        await pilot.press("B")
        await pilot.pause()
        first = screen_lines(view(app))[view(app).row_layout.offset(5) - round(view(app).scroll_y)]
        assert first[1] == "⚑"
        await pilot.press("pagedown", "pagedown", "j")
        resume_at = view(app).cursor
        assert resume_at > 10
        await pilot.press("q")  # leaving the reader saves the position
        await pilot.pause()
    saved = ReadingState()
    assert saved.position(doc.id) == resume_at
    assert [b.row for b in saved.bookmarks(doc.id)] == [5]

    again = ReaderApp(doc)  # start_row=None: resume
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        v = view(again)
        assert v.cursor == resume_at and resume_at in v.visible_rows()
        await pilot.press("apostrophe")
        await pilot.pause()
        assert isinstance(again.screen, BookmarksScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert view(again).cursor == 5
        await pilot.press("B")  # toggles it off again
        await pilot.pause()
    assert ReadingState().bookmarks(doc.id) == []


@run_async
async def test_next_and_previous_document_are_requested_from_the_app() -> None:
    ids = ["aaaaaaaaaaaa", "0123456789ab", "bbbbbbbbbbbb"]
    app = ReaderApp(bilingual(5), documents=ids)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.requested == ["bbbbbbbbbbbb", "aaaaaaaaaaaa"]
    alone = ReaderApp(bilingual(5), documents=["0123456789ab"])
    async with alone.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert alone.requested == []


@run_async
async def test_keys_move_the_cursor_and_the_mouse_clicks_and_scrolls() -> None:
    doc = bilingual(500)
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        v = view(app)
        await pilot.press("j", "down", "k")
        assert v.cursor == 1
        await pilot.press("G")
        await pilot.pause()
        assert v.cursor == 499 and 499 in v.visible_rows()
        assert round(v.scroll_y) == v.max_scroll_y
        await pilot.press("g")
        assert v.cursor == 0 and round(v.scroll_y) == 0
        await pilot.press("pagedown")
        assert v.cursor in v.visible_rows() and v.cursor > 3
        await pilot.press("pageup")
        assert v.cursor == 0
        # Clicking a line puts the cursor on the row drawn there.
        target = v.row_layout.row_at(round(v.scroll_y) + 6)
        await pilot.click(BilingualView, offset=(10, 6))
        assert v.cursor == target
        # The wheel scrolls without moving the cursor.
        before = round(v.scroll_y)
        for _ in range(5):
            v.post_message(_wheel(v))
        await pilot.pause()
        assert round(v.scroll_y) > before
        assert v.cursor == target


def _wheel(v: BilingualView) -> object:
    from textual.events import MouseScrollDown

    return MouseScrollDown(v, 10, 6, 0, 0, 0, False, False, False)


@run_async
async def test_markup_and_control_text_in_a_document_is_shown_literally() -> None:
    evil = "[@click=app.quit]click me[/] [/bold] [red]not red[/red]"
    doc = Document(
        id="0123456789ab",
        path="evil.md",
        title="[bold]Title[/bold] [@click=app.quit]x[/]",
        title_alt="[/bold]",
        tags=("[red]tag[/red]",),
        rows=(Row(en(evil), zh("中文 [/bold] 文字")), Row(Block("text", evil, 2, "en"), None)),
        lang="bilingual",
    )
    app = ReaderApp(doc)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        title = str(app.screen.query_one("#reader-title").render())
        assert "[bold]Title[/bold] [@click=app.quit]x[/]" in title
        assert "[red]tag[/red]" in str(app.screen.query_one("#reader-meta").render())
        text = "\n".join(screen_lines(view(app)))
        assert "[@click=app.quit]click me[/] [/bold]" in text
        assert "中文 [/bold] 文字" in text
        for y in range(view(app).size.height):
            for seg in view(app).render_line(y):
                assert seg.style is None or not seg.style.meta
        await pilot.click(BilingualView, offset=(5, 0))  # on the "[@click=app.quit]" row
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ReaderScreen)


@run_async
async def test_low_confidence_rows_get_a_gutter_marker() -> None:
    rows = (
        Row(en("A confident pair."), zh("一对可信的译文。"), confidence=0.9),
        Row(en("An unsure pair."), zh("一对不确定的译文。"), confidence=0.3),
    )
    doc = Document(id="0123456789ab", path="a.md", title="T", rows=rows, lang="bilingual")
    app = ReaderApp(doc)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        lines = screen_lines(view(app))
        layout = view(app).row_layout
        assert lines[layout.offset(0)][1] == " "
        assert lines[layout.offset(1)][1] == "?"


@run_async
async def test_every_cell_is_drawn_in_the_themes_colours_in_dark_and_light() -> None:
    # A segment without a style would show the terminal's own background: on a light theme,
    # a dark stripe across each blank line.
    doc = bilingual(40)
    for theme in ("textual-dark", "textual-light"):
        app = ReaderApp(doc)
        async with app.run_test(size=(80, 24)) as pilot:
            app.theme = theme
            await settle(pilot)
            v = view(app)
            base = v.rich_style.bgcolor
            for y in range(v.size.height):
                for seg in v.render_line(y):
                    assert seg.style is not None and seg.style.bgcolor is not None, (theme, y)
            blank = next(
                y
                for y in range(v.size.height)
                if not "".join(s.text for s in v.render_line(y))[:3].strip() and y > 0
            )
            assert {s.style.bgcolor for s in v.render_line(blank) if s.style} == {base}


def expected_screen(layout: RowLayout, top: int, within: int, height: int) -> list[list[str]]:
    """The cells each screen line should show from row `top`, line `within`."""
    out: list[list[str]] = []
    row, k = top, within
    while len(out) < height and row < len(layout):
        lines = layout.lines(row).lines
        if k < len(lines):
            out.append([cell.line.text.plain.strip() for cell in lines[k].cells])
            k += 1
        else:
            row, k = row + 1, 0
    return out


@run_async
async def test_long_document_shows_exactly_what_a_fully_measured_one_would() -> None:
    # Rows are measured lazily from an estimate; wherever the reader goes, what it draws must be
    # what a layout measured up front draws from the same row.
    doc = bilingual(5000)
    app = ReaderApp(doc, start_row=2500)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        v = view(app)
        assert not v.row_layout.all_exact
        exact = RowLayout(doc.rows, exact_up_to=0)  # measured row by row as asked, never guessed
        exact.configure(v.scrollable_content_region.width, v.mode)
        for keys in (
            (),
            ("pageup", "pageup", "k", "k", "k"),
            ("G",),
            ("pageup",) * 4,
            ("g", "pagedown", "pagedown", "j"),
        ):
            await pilot.press(*keys)
            await pilot.pause()
            y = round(v.scroll_y)
            top = v.row_layout.row_at(y)
            within = y - v.row_layout.offset(top)
            shown = screen_lines(v)
            want = expected_screen(exact, top, within, len(shown))
            assert v.cursor in v.visible_rows(), keys
            for line, cells in zip(shown, want, strict=False):
                for cell in cells:
                    assert cell in line, (keys, line, cells)
                if not any(cells):
                    assert not line.replace("│", "").strip(" ▌"), (keys, line)


@run_async
async def test_an_empty_document_opens_and_every_key_is_harmless() -> None:
    doc = Document(id="0123456789ab", path="empty.md", title="Empty", rows=())
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"jkgGmo", "pagedown", "pageup", "B", "apostrophe", "n", "N")
        await pilot.press("slash", *"abc", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert "row 0/0" in status(app)


@run_async
async def test_a_find_query_with_markup_is_searched_and_reported_literally() -> None:
    doc = Document(
        id="0123456789ab",
        path="a.md",
        title="T",
        rows=(
            Row(en("plain"), zh("普通")),
            Row(en("has [/bold] and [b]x[/b] in it"), zh("有 [/bold] 字样")),
        ),
        lang="bilingual",
    )
    app = ReaderApp(doc)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"[/bold]", "enter")
        await settle(pilot)
        assert view(app).cursor == 1
        assert "[/bold]" in match_runs(view(app), "match")
        await pilot.press("slash", *"[b]x[/b]", "enter")
        await settle(pilot)
        assert view(app).cursor == 1 and "[b]x[/b]" in match_runs(view(app), "match")
        await pilot.press("slash", *"[/nothing]", "enter")
        await settle(pilot)
        await pilot.press("n")  # "No matches for '[/nothing]'" must not be read as markup
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ReaderScreen)
        toasts = [str(t.render()) for t in app.screen.query("Toast")]
        assert any("No matches for '[/nothing]'" in t for t in toasts), toasts


@run_async
async def test_a_tiny_terminal_still_draws_within_its_width(layout) -> None:  # type: ignore[no-untyped-def]
    app = ReaderApp(layout("kestrel-chapter"))  # Chinese, with tables and long Latin terms
    async with app.run_test(size=(24, 10)) as pilot:
        await settle(pilot)
        v = view(app)
        for _ in range(3):
            await pilot.press("pagedown", "j", "m")
            await pilot.pause()
            width = v.scrollable_content_region.width
            for y in range(v.size.height):
                assert sum(seg.cell_length for seg in v.render_line(y)) == width


@run_async
async def test_the_chosen_mode_is_remembered_for_the_document() -> None:
    doc = bilingual(30)
    assert await mode_after_reopening(doc, "m") is Mode.INTERLEAVED  # from side by side
