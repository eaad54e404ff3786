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
    """The reader's view (under the dictionary popup, when that is open)."""
    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, ReaderScreen))
    return screen.query_one(BilingualView)


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


def offsets(v: BilingualView) -> list[int]:
    return [v.row_layout.offset(i) for i in range(len(v.rows))]


@run_async
async def test_study_mode_hides_the_translation_keeps_row_heights_and_reveals_row_by_row() -> None:
    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        before = offsets(v)
        assert "潮水慢慢涨了上来" in screen_text(v)
        await pilot.press("h")
        assert v.hidden_side == "zh"
        text = screen_text(v)
        assert "潮水" not in text and "海鸥" not in text and "The tide came in slowly." in text
        assert offsets(v) == before
        assert "study: Chinese hidden" in str(app.screen.query_one("#reader-status").render())
        assert footer_keys(app).get("space") == "Reveal row"
        await pilot.press("j", "space")  # reveals the cursor row only
        text = screen_text(v)
        assert "潮水慢慢涨了上来" in text and "码头上" not in text
        assert offsets(v) == before
        assert v.cursor == 1  # space did not page
        await pilot.press("enter")  # hides it again
        assert "潮水" not in screen_text(v)
        await pilot.press("H")  # leaves study mode: everything shows
        assert v.hidden_side is None
        assert "潮水" in screen_text(v) and "码头上" in screen_text(v)
        assert "space" not in footer_keys(app)
        y = v.scroll_y
        await pilot.press("space")  # pages again
        assert v.scroll_y > y


@run_async
async def test_study_mode_interleaved_and_the_setting_that_hides_english() -> None:
    assert study_hidden_side({}) == "zh"
    assert study_hidden_side({"study_hide": "en"}) == "en"
    assert study_hidden_side({"study_hide": "fr"}) == "zh"
    app = StudyApp(document(), study_hide="en")
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: v.effective_mode is Mode.INTERLEAVED)
        before = offsets(v)
        await pilot.press("h")
        text = screen_text(v)
        assert "The tide came" not in text and "潮水慢慢涨了上来" in text
        assert offsets(v) == before
        await pilot.press("j", "space")
        assert "The tide came in slowly." in screen_text(v)
        assert offsets(v) == before
        # The sentence cursor skips nothing visible and highlights only what shows.
        await pilot.press("right_parenthesis")
        assert "海鸥" in highlighted(v) or "潮水" in highlighted(v)


@run_async
async def test_word_cursor_w_and_b_move_through_a_sentences_words_and_b_pages_without_it() -> None:
    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        await pilot.press("j")
        await pilot.press("w")
        await wait_until(pilot, lambda: v.word is not None)
        assert v.sentence == (1, 0) and v.current_word() == "The"
        await pilot.press("w", "w")
        assert v.current_word() == "came"
        await pilot.press("b")
        assert v.current_word() == "tide" and v.cursor == 1
        for _ in range(4):  # on past the English words into the Chinese ones: jieba's cut
            await pilot.press("w")
        assert v.word is not None and v.word[0] == "zh"
        assert v.current_word() == "潮水"
        word_style = v.component_style("word").bgcolor
        assert styled_text(v, lambda s: s.bgcolor == word_style) == "潮水"
        await pilot.press("escape")  # the first Esc takes the cursors away
        assert v.sentence is None and v.word is None and isinstance(app.screen, ReaderScreen)
        await pilot.press("G")
        y = v.scroll_y
        await pilot.press("b")  # no word cursor: b pages up as before
        assert v.scroll_y < y


async def open_popup(pilot: Pilot[None], v: BilingualView, *keys: str) -> DictionaryScreen:
    await pilot.press(*keys, "d")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DictionaryScreen), timeout=10)
    popup = pilot.app.screen
    assert isinstance(popup, DictionaryScreen)
    await wait_until(pilot, lambda: popup.entries is not None, timeout=20)
    return popup


def popup_text(popup: DictionaryScreen) -> str:
    return str(popup.query_one("#dictionary-entries").render())


@run_async
async def test_dictionary_popup_for_a_chinese_word_and_for_an_english_one() -> None:
    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        await pilot.press("j", "right_parenthesis", "right_parenthesis")
        popup = await open_popup(pilot, v)  # no word cursor yet: the sentence's first word
        assert popup.query_text == "Gulls"
        assert "海鸥" in popup_text(popup)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        for _ in range(5):
            await pilot.press("w")
        assert v.current_word() == "海鸥"
        popup = await open_popup(pilot, v)
        text = popup_text(popup)
        assert "海鸥" in text and "hǎi ōu" in text and "gull" in text.lower()
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert v.current_word() == "海鸥"  # the cursors survive the popup


@run_async
async def test_a_saves_the_sentence_pair_and_the_word_looked_up() -> None:
    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        await pilot.press("j", "a")  # no sentence cursor: the row's first sentence
        await wait_until(pilot, lambda: len(load_deck()) == 1)
        card = load_deck()[0]
        assert (card.en, card.zh, card.word) == (
            "The tide came in slowly.",
            "潮水慢慢涨了上来。",
            "",
        )
        assert card.pinyin.startswith("cháo shuǐ") and card.source == "Tides"
        assert v.sentence == (1, 0)
        await pilot.press("a")
        await wait_until(pilot, lambda: any("Already" in n.message for n in app._notifications))
        assert len(load_deck()) == 1
        for _ in range(6):
            await pilot.press("w")
        await open_popup(pilot, v)
        await pilot.press("a")  # saves from the popup, with the word
        await wait_until(pilot, lambda: len(load_deck()) == 2)
        card = load_deck()[1]
        assert card.word == "潮水" and card.pinyin == "cháo shuǐ" and card.gloss
        assert card.en == "The tide came in slowly."


@run_async
async def test_a_damaged_deck_is_a_one_line_notification_and_is_left_alone() -> None:
    path = deck_path()
    path.parent.mkdir(parents=True)
    path.write_text("{ this is not a deck", encoding="utf-8")
    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        await start(pilot)
        await pilot.press("j", "a")
        await wait_until(pilot, lambda: any("deck" in n.message for n in app._notifications))
        messages = [n.message for n in app._notifications if "deck" in n.message]
        assert messages[0].startswith("Could not save to the deck") and "\n" not in messages[0]
        assert str(path) in messages[0]
    assert path.read_text(encoding="utf-8") == "{ this is not a deck"
    with pytest.raises(json.JSONDecodeError):
        json.loads(path.read_text(encoding="utf-8"))


@run_async
async def test_p_sets_pinyin_over_the_chinese_of_the_cursor_row_and_takes_it_away() -> None:
    from rich.cells import cell_len

    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        before = offsets(v)
        await pilot.press("j", "p")
        await wait_until(pilot, lambda: v.row_layout.has_pinyin(1))
        lines = screen_text(v).split("\n")
        under = next(k for k, line in enumerate(lines) if "潮" in line and "cháo" not in line and k)
        over = lines[under - 1]
        x = cell_len(lines[under][: lines[under].index("潮")])
        # The reading sits over its character (the slot is as wide as the reading).
        assert "cháo" in over
        at = cell_len(over[: over.index("cháo")])
        assert at <= x < at + len("cháo")
        assert "màn" in over and "shuǐ" in over
        assert "hǎi" in screen_text(v)  # the second sentence is annotated too
        assert v.row_layout.lines(1).content_height > before[2] - before[1] - 1
        assert offsets(v)[:2] == before[:2] and offsets(v)[2] > before[2]
        # Only that row: the next one has none.
        assert "yī" not in screen_text(v)
        # The sentence cursor highlights the annotated text as any other.
        await pilot.press("right_parenthesis")
        assert "潮水慢慢涨了上来。" in squashed(highlighted(v))
        await pilot.press("p")
        await wait_until(pilot, lambda: not v.row_layout.has_pinyin(1))
        assert "cháo" not in screen_text(v)
        assert offsets(v) == before


@run_async
async def test_p_on_a_row_without_chinese_says_so() -> None:
    rows = (Row(en("Only English here."), None), *ROWS[1:3])
    app = StudyApp(document(rows))
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        await pilot.press("p")
        await wait_until(pilot, lambda: any("no Chinese" in n.message for n in app._notifications))
        assert not v.row_layout.has_pinyin(0)


@run_async
async def test_borrowed_keys_type_into_the_find_box_and_esc_leaves_the_sentence_then_the_doc() -> (
    None
):
    from tests.tui_fixtures import type_text
    from tui.screens.reader import FindInput

    app = StudyApp(document())
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        await pilot.press("h", "j", "w")
        await wait_until(pilot, lambda: v.word is not None)
        await pilot.press("slash")
        await type_text(pilot, "boat")
        find = app.screen.query_one(FindInput)
        assert find.value == "boat"  # b and space were typed, not borrowed
        await pilot.press("enter")  # Enter keeps the matches (it does not reveal a row)
        await wait_until(pilot, lambda: not find.has_class("-open"))
        assert v.cursor == 2 and v.is_hidden(2, "zh")
        await pilot.press("right_parenthesis")
        assert v.sentence is not None
        await pilot.press("escape")
        assert v.sentence is None and isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ReaderScreen))


@run_async
async def test_sentence_cursor_stops_at_the_ends_of_the_document_with_a_note() -> None:
    app = StudyApp(document(ROWS[:2]))
    async with app.run_test(size=(110, 30)) as pilot:
        v = await start(pilot)
        await pilot.press("left_parenthesis")
        assert v.sentence == (0, 0)
        await pilot.press("left_parenthesis")
        await wait_until(pilot, lambda: any("earlier" in n.message for n in app._notifications))
        assert v.sentence == (0, 0)
        await pilot.press(*["right_parenthesis"] * 3)
        assert v.sentence == (1, 1)
        await wait_until(pilot, lambda: any("No more" in n.message for n in app._notifications))


@run_async
async def test_the_app_reads_which_side_to_hide_from_its_settings_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.tui_fixtures import (
        SAMPLE,
        FakeIndex,
        isolate_app_env,
        make_app,
        open_document,
        reader_view,
        settle,
    )

    isolate_app_env(monkeypatch, tmp_path)
    settings = tmp_path / "data" / "ui.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"study_hide": "en"}), encoding="utf-8")
    index = FakeIndex(SAMPLE)
    doc_id = next(i.id for i in index.documents() if i.lang == "bilingual")
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id)
        v = reader_view(app)
        await pilot.press("h")
        assert v.hidden_side == "en"
        assert "study: English hidden" in str(app.screen.query_one("#reader-status").render())
