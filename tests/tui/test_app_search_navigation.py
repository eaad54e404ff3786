"""Search results by document, and a reader opened from a hit: its side shown, its row marked,
`n`/`N` through the query's matches and `]`/`[` through the documents of the results."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui_fixtures import (
    FakeIndex,
    isolate_app_env,
    make_app,
    open_document,
    press,
    reader,
    reader_view,
    run_async,
    search,
    wait_until,
)
from tui.app import LlamaReaderApp
from tui.layout.rows import Mode
from tui.result_entries import PER_DOCUMENT
from tui.widgets.result_list import ResultList

MARSH = """---
title: Herons of the Marsh
date: 2024-03-02
---

The grey heron waits at the edge of the reeds before dawn.

灰色的苍鹭在黎明前等在芦苇边。

A heron can stand still for an hour while the water settles.

一只苍鹭可以一动不动地站上一个小时，等水面平静。

Fishermen say the heron knows the tides better than they do.

渔夫们说，苍鹭比他们更懂潮汐。

When the heron strikes, the fish never sees the beak coming.

当它出击时，鱼从来看不见喙的到来。

Young herons leave the nest in the sixth week.

幼鸟在第六周离巢。

The heron colony returns to the same alders every spring.

鹭群每年春天都回到同一片桤木林。
"""

GULLS = """---
title: Gulls at the Harbour
date: 2024-02-10
---

Gulls follow the ferry all the way across the bay.

海鸥一路跟着渡船穿过海湾。
"""

TIDES = """---
title: Reading the Tides
date: 2024-01-05
---

The tide table hangs by the door of the boathouse.

潮汐表挂在船屋的门边。

At low water a heron walks the mudflats for crabs.

退潮时，一只苍鹭在泥滩上找螃蟹。

By evening the heron has gone back to the marsh.

到了傍晚，苍鹭已经回到沼泽。
"""

# One paragraph taller than a 24-line screen, its rare word at the very end.
LONG = (
    "---\ntitle: A Long Walk Along the Dyke\ndate: 2023-12-01\n---\n\n"
    + " ".join(f"Step {n} of the walk passes another gate and another field." for n in range(60))
    + " At the last gate a kingfisher flashed blue.\n"
)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "birds"
    root.mkdir()
    for name, text in (("marsh", MARSH), ("gulls", GULLS), ("tides", TIDES), ("dyke", LONG)):
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def results_of(app: LlamaReaderApp) -> ResultList:
    return app.library_screen.result_list


def doc_id(app: LlamaReaderApp, title: str) -> str:
    return next(d.id for d in app.library_screen.all_documents if d.title == title)


def list_lines(results: ResultList) -> list[str]:
    return [results.render_line(y).text for y in range(results.size.height)]


@run_async
async def test_results_come_by_document_with_a_line_for_the_rows_not_shown(
    library: Path, tmp_path: Path
) -> None:
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await search(pilot, "heron")
        results = results_of(app)
        marsh = doc_id(app, "Herons of the Marsh")
        entries = results.records
        docs = [e.doc_id for e in entries]
        # Each document's rows together, none more than PER_DOCUMENT of them before its line.
        assert docs == sorted(docs, key=docs.index)
        marsh_hits = [e for e in entries if e.doc_id == marsh and e.hit is not None]
        assert len(marsh_hits) == PER_DOCUMENT
        assert [e.first for e in marsh_hits] == [True] + [False] * (PER_DOCUMENT - 1)
        more = next(e for e in entries if e.doc_id == marsh and e.hit is None)
        assert more.more == 6 - PER_DOCUMENT
        shown = "\n".join(list_lines(results))
        assert f"{6 - PER_DOCUMENT} more rows in this document" in shown
        assert shown.count("Herons of the Marsh") == 1  # the title once, over its rows
        assert "Reading the Tides" in shown
        # Enter on that line lists every matching row of the document in place of it.
        await press(pilot, "enter")  # from the box to the list
        results.cursor = entries.index(more)
        await press(pilot, "enter")
        rows = sorted(e.hit.row for e in results.records if e.doc_id == marsh and e.hit)
        assert rows == [0, 1, 2, 3, 4, 5]
        assert not any(e.hit is None for e in results.records if e.doc_id == marsh)
        assert "more rows in this document" not in "\n".join(list_lines(results))
        current = results.current
        assert current is not None and current.hit is not None
        best_rows = {h.hit.row for h in marsh_hits if h.hit}
        assert current.doc_id == marsh and current.hit.row not in best_rows  # a row it revealed
        # e folds them back.
        await press(pilot, "e")
        assert sum(1 for e in results.records if e.doc_id == marsh and e.hit) == PER_DOCUMENT


@run_async
async def test_o_switches_to_plain_row_order_and_back(library: Path, tmp_path: Path) -> None:
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await search(pilot, "heron")
        results = results_of(app)
        grouped = len(results.records)
        await press(pilot, "enter")  # from the box to the list
        await press(pilot, "o")
        total = app.library_screen.results.total  # type: ignore[union-attr]
        assert not results.by_document
        assert len(results.records) == total == 8  # every row, no "more" lines
        assert all(e.hit is not None and e.first for e in results.records)
        shown = "\n".join(list_lines(results))
        assert shown.count("Herons of the Marsh") > 1  # each row under its title
        assert "more rows" not in shown
        await press(pilot, "o")
        assert results.by_document and len(results.records) == grouped


@run_async
async def test_a_hit_in_the_chinese_of_a_document_read_in_english_shows_the_chinese(
    library: Path, tmp_path: Path
) -> None:
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_until(pilot, lambda: bool(app.library_screen.all_documents), timeout=30)
        marsh = doc_id(app, "Herons of the Marsh")
        await open_document(pilot, marsh)
        while reader_view(app).mode is not Mode.ENGLISH:
            await press(pilot, "m")
        await press(pilot, "escape")  # the mode is saved for this document
        await search(pilot, "苍鹭")
        results = results_of(app)
        first = results.current
        assert first is not None and first.hit is not None and first.hit.lang == "zh"
        await press(pilot, "enter", "enter")
        view = reader_view(app)
        assert reader(app).document.id == first.hit.id
        assert view.effective_mode in (Mode.SIDE_BY_SIDE, Mode.INTERLEAVED)
        said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
        assert any("Chinese" in text for text in said), said
        # The match is on screen and highlighted: its row shows 苍鹭.
        assert view.cursor == first.hit.row
        top = view.row_layout.offset(first.hit.row) - round(view.scroll_y)
        assert "苍鹭" in view.render_line(top).text


@run_async
async def test_the_hit_row_stays_marked_until_the_cursor_moves(
    library: Path, tmp_path: Path
) -> None:
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "tides")
        await press(pilot, "enter", "enter")
        view = reader_view(app)
        hit_row = view.cursor
        assert view.hit_row == hit_row
        top = view.row_layout.offset(hit_row) - round(view.scroll_y)
        marked = view.render_line(top)
        await press(pilot, "j")
        assert view.hit_row is None
        await press(pilot, "k")  # back on the row: the cursor, no longer the hit's mark
        assert view.cursor == hit_row
        assert view.render_line(top).text == marked.text
        assert list(view.render_line(top)) != list(marked)


@run_async
async def test_n_steps_through_the_querys_matches_in_the_document(
    library: Path, tmp_path: Path
) -> None:
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "heron")
        results = results_of(app)
        marsh = doc_id(app, "Herons of the Marsh")
        results.cursor = next(
            n for n, e in enumerate(results.records) if e.doc_id == marsh and e.hit is not None
        )
        await press(pilot, "enter")
        await press(pilot, "enter")
        view = reader_view(app)
        start = view.cursor
        await wait_until(pilot, lambda: "match" in status_text(app))
        assert f"match {start + 1}/6" in status_text(app)
        await press(pilot, "n")
        assert view.cursor == start + 1
        await press(pilot, "N", "N")
        assert view.cursor == (start - 1) % 6


def status_text(app: LlamaReaderApp) -> str:
    return str(reader(app).query_one("#reader-status").render())


@run_async
async def test_brackets_go_through_the_documents_of_the_results(
    library: Path, tmp_path: Path
) -> None:
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "heron")
        results = results_of(app)
        order = list(dict.fromkeys(e.doc_id for e in results.records))
        gulls = doc_id(app, "Gulls at the Harbour")
        assert gulls not in order  # no heron there: `]` in the library order would open it
        await press(pilot, "enter", "enter")
        assert reader(app).document.id == order[0]
        await press(pilot, "right_square_bracket")
        second = reader(app)
        assert second.document.id == order[1]
        best = next(e.hit for e in results.records if e.doc_id == order[1] and e.hit)
        assert best is not None and second.view.cursor == best.row
        assert second.view.hit_row == best.row
        await press(pilot, "left_square_bracket")
        assert reader(app).document.id == order[0]
        palette = {c.title: c.help for c in reader(app).palette_commands()}
        assert palette["Next document"].startswith("The next one in the search's results")
        # Opened from the library, not a search: `]` keeps the library's order.
        await press(pilot, "escape")
        await press(pilot, "escape")  # the search box cleared
        docs = [d.id for d in app.library_screen.doc_list.documents]
        marsh = doc_id(app, "Herons of the Marsh")
        await open_document(pilot, marsh)
        await press(pilot, "right_square_bracket")
        assert reader(app).document.id == docs[docs.index(marsh) + 1] == gulls


@run_async
async def test_a_match_deep_in_a_row_taller_than_the_screen_opens_in_view(
    library: Path, tmp_path: Path
) -> None:
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "kingfisher")
        await press(pilot, "enter", "enter")
        view = reader_view(app)
        assert view.row_layout.lines(view.cursor).content_height > view.size.height
        shown = [view.render_line(y).text for y in range(view.size.height)]
        assert any("kingfisher" in line for line in shown), shown
