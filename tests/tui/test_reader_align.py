"""The reader's alignment keys (Pilot): merge a side with the next row (E, C), split at the
sentence cursor (S), move a side down or up (J/K, }/{), undo (U); corrections kept outside the
library, applied when the document opens again, dropped with a notice when the text changed,
and search hits landing on the row that holds their text."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from corpus.correction_store import CorrectionStore
from corpus.corrections import merge
from corpus.loader import load_document
from corpus.model import Block, Document, Row
from tests.tui_fixtures import (
    FakeIndex,
    isolate_app_env,
    make_app,
    press,
    reader,
    reader_view,
    run_async,
    search,
    settle,
    wait_until,
)
from tui.screens.help import HelpScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.bilingual_view import BilingualView


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def en(text: str) -> Block:
    return Block("paragraph", text, 1, "en")


def zh(text: str) -> Block:
    return Block("paragraph", text, 1, "zh")


# Out of step at rows 2–4: the English of row 2 has its translation a row below, and so on.
ROWS = (
    Row(Block("heading", "## Lanterns", 1, "en", 2), Block("heading", "## 灯笼", 1, "zh", 2)),
    Row(en("Paper lanterns float. They drift downstream."), zh("纸灯笼漂浮着。它们顺流而下。")),
    Row(en("Each carries a wish."), None, 0.3),
    Row(en("Children write them at dusk."), zh("每一盏都载着一个愿望。"), 0.3),
    Row(None, zh("孩子们在黄昏时写下它们。"), 0.2),
    *(Row(en(f"Night {i} is calm."), zh(f"第 {i} 夜很平静。")) for i in range(5, 30)),
)


def document(rows: tuple[Row, ...] = ROWS) -> Document:
    return Document(id="1a2b3c4d5e6f", path="lanterns.md", title="Lanterns", rows=rows)


class ReaderApp(App[None]):
    def __init__(self, doc: Document, start_row: int = 0) -> None:
        super().__init__()
        self.doc = doc
        self.start_row = start_row

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.doc, start_row=self.start_row))


def screen(app: App[None]) -> ReaderScreen:
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


def pairs(app: App[None]) -> list[tuple[str | None, str | None]]:
    return [
        (r.en.text if r.en else None, r.zh.text if r.zh else None) for r in screen(app).view.rows
    ]


def notices(app: App[None]) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def ready(pilot: Pilot[None]) -> BilingualView:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen))
    view = screen(pilot.app).view
    await wait_until(pilot, lambda: view.row_layout.configured)
    return view


async def press_and_wait(pilot: Pilot[None], key: str, before: BilingualView) -> BilingualView:
    """Press a correcting key, and wait for the new view of the corrected rows."""
    await pilot.press(key)
    app = pilot.app
    await wait_until(pilot, lambda: screen(app).view is not before and before.parent is None)
    view = screen(app).view
    await wait_until(pilot, lambda: view.row_layout.configured)
    return view


def stored() -> tuple[object, ...]:
    return CorrectionStore().corrections(document())


@run_async
async def test_E_merges_the_english_with_the_next_row_and_U_undoes_it() -> None:
    app = ReaderApp(document(), start_row=2)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await ready(pilot)
        view = await press_and_wait(pilot, "E", view)
        assert pairs(app)[2] == ("Each carries a wish.\n\nChildren write them at dusk.", None)
        assert pairs(app)[3] == (None, "每一盏都载着一个愿望。")
        assert view.cursor == 2 and app.focused is view
        assert len(stored()) == 1  # kept in the user data dir at once
        assert any("U undoes" in n for n in notices(app))

        view = await press_and_wait(pilot, "U", view)
        assert pairs(app) == pairs_of(ROWS)
        assert stored() == ()


def pairs_of(rows: tuple[Row, ...]) -> list[tuple[str | None, str | None]]:
    return [(r.en.text if r.en else None, r.zh.text if r.zh else None) for r in rows]


@run_async
async def test_C_merges_the_chinese_with_the_next_row() -> None:
    app = ReaderApp(document(), start_row=3)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await ready(pilot)
        await press_and_wait(pilot, "C", view)
        assert pairs(app)[3] == (
            "Children write them at dusk.",
            "每一盏都载着一个愿望。\n\n孩子们在黄昏时写下它们。",
        )
        assert len(pairs(app)) == len(ROWS) - 1  # row 4 had only that Chinese


@run_async
async def test_brace_moves_the_chinese_up_and_puts_the_run_in_step() -> None:
    app = ReaderApp(document(), start_row=3)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await ready(pilot)
        view = await press_and_wait(pilot, "left_curly_bracket", view)
        assert pairs(app)[1:5] == [
            ("Paper lanterns float. They drift downstream.", "纸灯笼漂浮着。它们顺流而下。"),
            ("Each carries a wish.", "每一盏都载着一个愿望。"),
            ("Children write them at dusk.", "孩子们在黄昏时写下它们。"),
            ("Night 5 is calm.", "第 5 夜很平静。"),  # the rows after the run stay in step
        ]
        assert view.cursor == 2  # the cursor follows the Chinese it moved
        await press_and_wait(pilot, "right_curly_bracket", view)  # and back down
        assert pairs(app)[2:4] == [
            ("Each carries a wish.", None),
            ("Children write them at dusk.", "每一盏都载着一个愿望。"),
        ]


@run_async
async def test_J_and_K_move_the_english_down_and_up() -> None:
    app = ReaderApp(document(), start_row=3)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await ready(pilot)
        view = await press_and_wait(pilot, "J", view)  # "Children…" down beside 孩子们
        assert pairs(app)[2:5] == [
            ("Each carries a wish.", None),
            (None, "每一盏都载着一个愿望。"),
            ("Children write them at dusk.", "孩子们在黄昏时写下它们。"),
        ]
        assert view.cursor == 4 and pairs(app)[5:] == pairs_of(ROWS)[5:]
        view = await press_and_wait(pilot, "U", view)
        assert pairs(app) == pairs_of(ROWS)

        await pilot.press("up")  # row 2: "Each carries a wish." up beside row 1's Chinese
        view = await press_and_wait(pilot, "K", view)
        assert pairs(app)[1:4] == [
            ("Paper lanterns float. They drift downstream.", None),
            ("Each carries a wish.", "纸灯笼漂浮着。它们顺流而下。"),
            ("Children write them at dusk.", "每一盏都载着一个愿望。"),
        ]
        assert view.cursor == 2
        await pilot.press("down", "down")  # row 4 holds only Chinese: no English to move up
        await pilot.press("K")
        await wait_until(pilot, lambda: any("no English to move" in n for n in notices(app)))


@run_async
async def test_S_splits_the_row_at_the_sentence_cursor() -> None:
    app = ReaderApp(document(), start_row=1)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await ready(pilot)
        await pilot.press("S")  # no sentence cursor yet: told how, nothing changes
        await wait_until(pilot, lambda: any("sentence cursor" in n for n in notices(app)))
        assert pairs(app) == pairs_of(ROWS)
        await pilot.press("right_parenthesis", "right_parenthesis")
        assert view.sentence == (1, 1)
        view = await press_and_wait(pilot, "S", view)
        assert pairs(app)[1:3] == [
            ("Paper lanterns float.", "纸灯笼漂浮着。"),
            ("They drift downstream.", "它们顺流而下。"),
        ]
        assert view.sentence is None


@run_async
async def test_a_correction_that_cannot_be_made_is_refused_in_one_line() -> None:
    app = ReaderApp(document(), start_row=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("K")
        await wait_until(pilot, lambda: any("first row" in n for n in notices(app)))
        await pilot.press("U")
        await wait_until(pilot, lambda: any("No alignment corrections" in n for n in notices(app)))
        assert pairs(app) == pairs_of(ROWS) and stored() == ()


@run_async
async def test_corrections_apply_when_the_document_opens_again() -> None:
    app = ReaderApp(document(), start_row=2)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await ready(pilot)
        await press_and_wait(pilot, "E", view)
        corrected = pairs(app)
    again = ReaderApp(document())
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert pairs(again) == corrected
        assert not notices(again)


@run_async
async def test_a_stale_correction_is_dropped_with_a_notice() -> None:
    CorrectionStore().save(document(), [merge(ROWS, 2, "en")])
    edited = (*ROWS[:2], Row(en("Each one carries a wish."), None), *ROWS[3:])
    app = ReaderApp(document(edited))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: any("no longer applies" in n for n in notices(app)))
        assert pairs(app) == pairs_of(edited)
    assert CorrectionStore().corrections(document(edited)) == ()  # said once, then forgotten


@run_async
async def test_help_lists_the_alignment_keys() -> None:
    app = ReaderApp(document())
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        app.push_screen(HelpScreen(screen(app)))
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        await wait_until(pilot, lambda: "Align" in help_screen.help_text())
        text = help_screen.help_text()
        for words in ("merge the English", "merge the Chinese", "split the row", "undo"):
            assert f"Align: {words}" in text


LIBRARY_DOC = """# Herons

Herons wait at the weir.

Each one stands still.

They watch the water for an hour.

苍鹭在堰边等候，每一只都一动不动。

它们盯着水面看上一个小时。

Then a fish rises.

然后一条鱼浮了上来。
"""


@run_async
async def test_a_search_hit_opens_on_the_corrected_row_holding_its_text(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "herons.md").write_text(LIBRARY_DOC, encoding="utf-8")
    doc = load_document(library / "herons.md", library)
    assert isinstance(doc, Document)
    wait_row = next(i for i, r in enumerate(doc.rows) if r.en and "weir" in r.en.text)
    CorrectionStore().save(doc, [merge(doc.rows, wait_row, "en")])  # one row fewer below it

    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await search(pilot, "fish")
        hit = app.library_screen.result_list.hits[0]
        await pilot.press("enter")
        await press(pilot, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        view = reader_view(app)
        row = reader(app).document.rows[view.cursor]
        assert row.en is not None and "fish" in row.en.text
        assert view.cursor == hit.row - 1  # the index counts the rows before the merge


@run_async
async def test_the_palette_offers_the_corrections_and_undo_once_there_is_one() -> None:
    app = ReaderApp(document(), start_row=2)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await ready(pilot)
        titles = {c.title: c for c in screen(app).palette_commands()}
        assert "Align: split the row" in titles and "Align: undo" not in titles
        assert "(E)" in titles["Align: merge English with the next row"].help
        await titles["Align: merge English with the next row"].callback()
        await wait_until(pilot, lambda: screen(app).view is not view)
        assert pairs(app)[2][0] == "Each carries a wish.\n\nChildren write them at dusk."
        assert "Align: undo" in {c.title for c in screen(app).palette_commands()}


@run_async
async def test_a_bookmark_stays_on_its_text_when_a_correction_removes_a_row_above_it() -> None:
    app = ReaderApp(document(), start_row=20)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await ready(pilot)
        await pilot.press("B")
        state = screen(app).state
        assert [b.row for b in state.bookmarks(document().id)] == [20]
        await pilot.press(*["k"] * 17)
        await wait_until(pilot, lambda: view.cursor == 3)
        view = await press_and_wait(pilot, "C", view)  # row 4 held only Chinese: it is gone
        assert len(view.rows) == len(ROWS) - 1
        marks = state.bookmarks(document().id)
        assert [b.row for b in marks] == [19]
        assert pairs(app)[19] == ("Night 20 is calm.", "第 20 夜很平静。")
        view = await press_and_wait(pilot, "U", view)
        assert [b.row for b in state.bookmarks(document().id)] == [20]
