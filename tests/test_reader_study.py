"""The reader's study keys (Pilot): the sentence cursor, study mode, the word cursor with the
dictionary popup, pinyin, and saving sentences to the deck."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.style import Style
from textual.app import App
from textual.pilot import Pilot

from corpus.deck import deck_path, load_deck
from corpus.model import Block, Document, Row
from tests.tui_fixtures import footer_keys, run_async, wait_until
from tui.layout.rows import Mode, Side
from tui.screens.dictionary import DictionaryScreen
from tui.screens.reader import ReaderScreen
from tui.settings import study_hidden_side
from tui.widgets.bilingual_view import BilingualView


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def en(text: str, kind: str = "paragraph", level: int = 0) -> Block:
    return Block(kind, text, 1, "en", level)  # type: ignore[arg-type]


def zh(text: str, kind: str = "paragraph", level: int = 0) -> Block:
    return Block(kind, text, 1, "zh", level)  # type: ignore[arg-type]


ROWS = (
    Row(en("## Tides", "heading", 2), zh("## 潮汐", "heading", 2)),
    Row(
        en("The tide came in slowly. Gulls waited on the rocks."),
        zh("潮水慢慢涨了上来。海鸥在岩石上等待。"),
    ),
    Row(
        en("A fishing boat passed the harbour.\n**Nobody** on the pier waved at it."),
        zh("一条渔船驶过港口。\n码头上**没有人**向它挥手。"),
    ),
    *(
        Row(
            en(f"Evening {i} brought rain to the coast. The lamps were lit early."),
            zh(f"第 {i} 个傍晚，海岸下起了雨。灯很早就点亮了。"),
        )
        for i in range(3, 40)
    ),
)


def document(rows: tuple[Row, ...] = ROWS) -> Document:
    return Document(id="5a1d0c0ffee1", path="tides.md", title="Tides", rows=rows, lang="bilingual")


class StudyApp(App[None]):
    def __init__(self, doc: Document, *, study_hide: Side = "zh", mode: Mode | None = None) -> None:
        super().__init__()
        self.doc = doc
        self.study_hide: Side = study_hide
        self.mode = mode

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.doc, start_row=0, study_hide=self.study_hide))


def view(app: App[None]) -> BilingualView:
    return app.screen.query_one(BilingualView) if isinstance(app.screen, ReaderScreen) else (
        app.screen_stack[-2].query_one(BilingualView)
    )


def screen_text(v: BilingualView) -> str:
    return "\n".join(v.render_line(y).text for y in range(v.size.height))


def styled_text(v: BilingualView, wanted: Callable[[Style], bool]) -> str:
    """The characters on screen drawn in a style `wanted` accepts: each column's in turn, so
    side by side the left column's come first."""
    from rich.cells import cell_len

    columns = v.row_layout.geometry.columns
    picked: list[list[str]] = [[] for _ in columns]
    for y in range(v.size.height):
        x = 0
        for seg in v.render_line(y):
            if seg.style is not None and wanted(seg.style):
                c = max(k for k, (cx, _w) in enumerate(columns) if cx <= x or k == 0)
                picked[c].append(seg.text)
            x += cell_len(seg.text)
    return "\n".join("".join(parts) for parts in picked if parts)


def highlighted(v: BilingualView) -> str:
    colour = v.component_style("sentence").bgcolor
    return styled_text(v, lambda s: s.bgcolor == colour)


def squashed(text: str) -> str:
    return "".join(text.split())


async def start(pilot: Pilot[None]) -> BilingualView:
    await pilot.pause()
    v = view(pilot.app)
    await wait_until(pilot, lambda: v.row_layout.configured)
    return v


@run_async
async def test_sentence_cursor_steps_through_sentences_and_rows_highlighting_both_sides() -> None:
    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        assert highlighted(v) == ""
        await pilot.press("right_parenthesis")
        assert v.sentence == (0, 0)
        await pilot.press("right_parenthesis")
        assert v.sentence == (1, 0) and v.cursor == 1
        shown = squashed(highlighted(v))
        assert "Thetidecameinslowly." in shown and "潮水慢慢涨了上来。" in shown
        assert "Gulls" not in shown and "海鸥" not in shown
        await pilot.press("right_parenthesis")
        shown = squashed(highlighted(v))
        assert "Gullswaitedontherocks." in shown and "海鸥在岩石上等待。" in shown
        assert "tide" not in shown
        await pilot.press("right_parenthesis", "right_parenthesis")
        # Markup is gone from what is drawn: the highlight follows the rendered words.
        assert v.sentence == (2, 1)
        shown = squashed(highlighted(v))
        assert "Nobodyonthepierwavedatit." in shown and "码头上没有人向它挥手。" in shown
        await pilot.press("left_parenthesis", "left_parenthesis")
        assert v.sentence == (1, 1) and v.cursor == 1
        # Moving the row cursor takes the sentence cursor away.
        await pilot.press("j")
        assert v.sentence is None and highlighted(v) == ""


@run_async
async def test_sentence_highlight_in_interleaved_and_single_language_modes() -> None:
    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        await pilot.press("m")  # interleaved
        await wait_until(pilot, lambda: v.effective_mode is Mode.INTERLEAVED)
        await pilot.press("j", "right_parenthesis", "right_parenthesis")
        shown = squashed(highlighted(v))
        assert "Gullswaitedontherocks." in shown and "海鸥在岩石上等待。" in shown
        await pilot.press("m")  # English only
        await wait_until(pilot, lambda: v.effective_mode is Mode.ENGLISH)
        await pilot.press("right_parenthesis", "left_parenthesis")
        shown = squashed(highlighted(v))
        assert "Gullswaitedontherocks." in shown and "海鸥" not in shown
        await pilot.press("m")  # Chinese only
        await wait_until(pilot, lambda: v.effective_mode is Mode.CHINESE)
        await pilot.press("right_parenthesis")
        assert squashed(highlighted(v)) != ""
        assert all(not ch.isascii() or not ch.isalpha() for ch in highlighted(v))
