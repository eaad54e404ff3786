"""Libraries with more than English and Chinese, and documents that carry warnings: the language
filter's "Other", one column for a document without translations, warnings shown in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.index_helpers import write
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
    settle,
)
from tui.layout.rows import Mode
from tui.widgets.document_list import DocumentList
from tui.widgets.language_bar import LanguageBar
from tui.widgets.warning_notice import WarningNotice, warning_lines, warning_mark

GERMAN = """---
title: Ein Herbsttag am Kanal
date: 2023-10-14
---

Am Morgen lag dichter Nebel über dem Kanal, und die Brücken sahen aus wie Zeichnungen aus Bleistift.

Wir tranken Kaffee in einer kleinen Bäckerei und teilten uns ein Stück Apfelkuchen mit Sahne.
"""

RUSSIAN = """---
title: Зимняя дорога
date: 2022-01-09
---

Поезд медленно шёл через заснеженный лес, и в окнах отражались жёлтые огни станций.

На последней остановке нас встретил старый водитель с термосом горячего чая.
"""

# Japanese with one untranslated English section, as travel notes often are.
JAPANESE = """---
title: 旅のメモ
date: 2024-04-03
---

朝早く川のほとりを散歩すると、桜の花びらが水面に静かに浮かんでいた。

## Packing list

Bring a light raincoat, a paper map and comfortable walking shoes for the hills.

午後は雨が降り始めたので、駅前の本屋に入って詩集を一冊買った。
"""

ENGLISH = """---
title: Gulls over the harbour
date: 2024-02-11
---

The gulls circled the harbour all afternoon, waiting for the fishing boats to come back.
"""

CHINESE = """---
title: 港口的海鸥
date: 2024-02-12
---

海鸥整个下午都在港口上空盘旋，等着渔船回来。
"""

BILINGUAL = """---
title: The lighthouse keeper
date: 2024-03-01
---

The lighthouse keeper climbed the stairs every evening to light the lamp.

灯塔看守人每天傍晚都爬上楼梯去点灯。

He wrote the weather in a small notebook before going to sleep.

他睡觉前会把天气记在一个小本子里。
"""

# The tab before `tags` breaks the YAML: recovered line by line, with a warning.
BROKEN_FRONTMATTER = (
    "---\ntitle: Notes from the ferry\ndate: 2024-05-02\n\ttags: [unclosed\n---\n\n"
    "The ferry left at dawn and the gulls followed it past the lighthouse.\n"
)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    for name, text in {
        "herbst.de.md": GERMAN,
        "zima.md": RUSSIAN,
        "tabi.md": JAPANESE,
        "gulls.md": ENGLISH,
        "haiou.md": CHINESE,
        "keeper.md": BILINGUAL,
        "ferry.md": BROKEN_FRONTMATTER,
    }.items():
        write(lib / name, text)
    return lib


def doc_id(index: FakeIndex, path: str) -> str:
    return next(d.id for d in index.documents() if d.path == path)


def list_lines(docs: DocumentList) -> list[str]:
    return [docs.render_line(y).text for y in range(docs.size.height)]


@run_async
async def test_other_languages_have_their_own_filter_and_show_their_code(
    library: Path, tmp_path: Path
) -> None:
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.library_screen
        langs = {d.path: d.lang for d in index.documents()}
        assert (langs["herbst.de.md"], langs["zima.md"], langs["tabi.md"]) == ("de", "ru", "ja")
        bar = screen.query_one(LanguageBar)
        assert "Other 3" in bar.render().plain
        # All → EN → 中 → EN+中 → fully → partly translated → Other
        await press(pilot, "l", "l", "l", "l", "l", "l")
        assert screen.filters.lang == "other"
        shown = {d.path for d in screen.doc_list.documents}
        assert shown == {"herbst.de.md", "zima.md", "tabi.md"}
        lines = " ".join(list_lines(screen.doc_list))
        for code in ("DE", "RU", "JA"):
            assert f" {code} " in f"{lines} "
        # A search keeps the filter: the index is asked for other languages only.
        await search(pilot, "Kaffee")
        assert index.searches[-1] == ("Kaffee", (), "other")
        assert [h.path for h in screen.result_list.hits] == ["herbst.de.md"]
        await press(pilot, "escape", "escape")
        await press(pilot, "l")
        assert screen.filters.lang is None
        assert len(screen.doc_list.documents) == len(index.documents())


@pytest.mark.parametrize(
    ("path", "mode", "label"),
    [
        ("herbst.de.md", Mode.ENGLISH, "de"),
        ("zima.md", Mode.ENGLISH, "ru"),
        ("tabi.md", Mode.CHINESE, "ja"),
        ("gulls.md", Mode.ENGLISH, "English"),
        ("haiou.md", Mode.CHINESE, "Chinese"),
    ],
)
@run_async
async def test_a_document_without_translations_reads_in_one_column(
    library: Path, tmp_path: Path, path: str, mode: Mode, label: str
) -> None:
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id(index, path))
        view = reader_view(app)
        assert view.effective_mode is mode
        assert len(view.row_layout.geometry.columns) == 1  # no empty column beside it
        status = reader(app).query_one("#reader-status").render()
        assert str(status).startswith(f"{label} ")
        await press(pilot, "m")  # nothing to rearrange: the key does nothing
        assert view.effective_mode is mode
        # Every block is shown, on whichever side it was read.
        text = "\n".join(view.render_line(y).text for y in range(view.size.height))
        for row in index.load_document(doc_id(index, path)).rows:
            block = row.en or row.zh
            assert block is not None
            first_words = block.text.lstrip("# ").split("\n")[0][:8]
            assert first_words in text


@run_async
async def test_the_english_section_of_a_japanese_document_is_in_the_same_column(
    library: Path, tmp_path: Path
) -> None:
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id(index, "tabi.md"))
        view = reader_view(app)
        lines = [view.render_line(y).text for y in range(view.size.height)]
        english = next(line for line in lines if "Bring a light raincoat" in line)
        japanese = next(line for line in lines if "朝早く" in line)
        assert english.index("Bring") == japanese.index("朝早く")
        assert "│" not in "".join(lines)


@run_async
async def test_a_bilingual_document_still_opens_side_by_side(library: Path, tmp_path: Path) -> None:
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id(index, "keeper.md"))
        view = reader_view(app)
        assert view.effective_mode is Mode.SIDE_BY_SIDE
        await press(pilot, "m")
        assert view.effective_mode is Mode.INTERLEAVED


@run_async
async def test_warnings_are_shown_in_words_in_the_library_and_the_reader(
    library: Path, tmp_path: Path
) -> None:
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ferry = next(d for d in index.documents() if d.path == "ferry.md")
        assert ferry.warnings and "frontmatter" in ferry.warnings[0]
        docs = app.library_screen.doc_list
        at = next(i for i, d in enumerate(docs.documents) if d.id == ferry.id)
        second = docs.render_line(at * docs.item_height + 1 - round(docs.scroll_y)).text
        assert "! YAML frontmatter is not valid" in second

        await open_document(pilot, ferry.id)
        notice = reader(app).query_one(WarningNotice)
        assert notice.display
        shown = str(notice.render())
        assert "YAML frontmatter is not valid" in shown and "line by line" in shown
        await press(pilot, "escape")

        await open_document(pilot, doc_id(index, "gulls.md"))
        assert not reader(app).query_one(WarningNotice).display


def test_a_warning_is_shown_as_written_never_as_markup_or_terminal_codes() -> None:
    hostile = "notes/[bold]x[/bold].md: no title found\x1b]0;owned\x07; showing the file name"
    (line,) = warning_lines([hostile])
    assert line.startswith("! notes/[bold]x[/bold].md: no title found")
    assert "\x1b" not in line and "\x07" not in line
    mark = warning_mark([hostile, "the document has no text"], 40)
    assert mark.cell_length <= 40 and mark.plain.endswith("(+1 more)")
    assert mark.plain.startswith("! notes/[bold]x[/bold]")


def test_many_warnings_end_with_how_many_more() -> None:
    lines = warning_lines([f"warning {n}" for n in range(6)])
    assert lines == ["! warning 0", "! warning 1", "! and 4 more (llama-reader docs lists them)"]
