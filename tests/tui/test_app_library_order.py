"""The library's order (newest or oldest first, titles with Chinese ones by pinyin) and the
filter summary on the status line, which must fit an 80-column terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.types import DocInfo
from tests.tui_fixtures import SAMPLE, FakeIndex, isolate_app_env, make_app, run_async, settle
from tui.widgets.library_filters import Filters, sort_documents
from tui.widgets.library_status import status_content


def doc(id_: str, title: str, date: str | None) -> DocInfo:
    return DocInfo(id_, f"{id_}.md", title, None, date, (), None, "en", 1)


DOCS = [
    doc("a", "The Tokenizer", "2024-03-01"),
    doc("b", "从零开始训练", "2023-01-05"),
    doc("c", "Attention", None),
    doc("d", "开源模型", "2024-11-20"),
    doc("e", "Cache Lines", "2022-06-30"),
]


def test_chinese_titles_sort_by_pinyin_among_english_ones() -> None:
    titles = [d.title for d in sort_documents(DOCS, "title")]
    # cong (从) between "Cache" and "The"; kai (开) between them too, after cong.
    assert titles == ["Attention", "Cache Lines", "从零开始训练", "开源模型", "The Tokenizer"]
    reverse = [d.title for d in sort_documents(DOCS, "title", reverse=True)]
    assert reverse == titles[::-1]


def test_dates_sort_both_ways_with_undated_documents_last() -> None:
    assert [d.id for d in sort_documents(DOCS, "date")] == ["d", "a", "b", "e", "c"]
    assert [d.id for d in sort_documents(DOCS, "date", reverse=True)] == ["e", "b", "a", "d", "c"]


def summary(width: int, tags: tuple[str, ...]) -> str:
    labels = {"open-source": "Open Source", "ai": "AI", "llm": "Large Language Models"}
    line = status_content(
        query="",
        indexed=True,
        results=None,
        shown=3,
        total=11,
        sort="date",
        filters=Filters(tags, "bilingual"),
        labels=labels,
        width=width,
    )
    return line.plain


def test_the_filter_summary_keeps_the_language_and_fits_its_width() -> None:
    line = summary(55, ("open-source", "ai", "llm"))  # the status line at 80 columns
    assert len(line) <= 55, line
    assert "lang EN+中" in line
    assert "Open Source" in line and "+" in line  # the first tag, and how many more
    assert "Open Source + AI + Large Language Models" in summary(0, ("open-source", "ai", "llm"))


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


@run_async
async def test_shift_s_reverses_the_order(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.library_screen
        newest = [d.id for d in screen.doc_list.documents]
        await pilot.press("S")
        oldest = screen.doc_list.documents
        dated = [d.date for d in oldest if d.date]
        assert dated == sorted(dated) and dated[0] != dated[-1]
        assert "oldest first" in screen.query_one("#status").render().plain  # type: ignore[union-attr]
        await pilot.press("S")
        assert [d.id for d in screen.doc_list.documents] == newest
