"""Row layout: columns, equal-height rows, modes, the narrow fallback, offsets, lazy measuring."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.model import Block, Row
from tui.layout.fenwick import Fenwick
from tui.layout.find import RowFinder
from tui.layout.rows import (
    COLUMN_RULE,
    MARGIN,
    MIN_SIDE_BY_SIDE,
    Mode,
    RowLayout,
    effective_mode,
    geometry,
)

EN = "Llama 2 is a commercially-available open-source model from Meta that builds on LLaMA."
ZH = "Llama 2 是 Meta 的一个商业开源模型，它建立在 LLaMA 的基础上。"


def en(text: str, kind: str = "paragraph", line: int = 1) -> Block:
    return Block(kind, text, line, "en")  # type: ignore[arg-type]


def zh(text: str, kind: str = "paragraph", line: int = 1) -> Block:
    return Block(kind, text, line, "zh")  # type: ignore[arg-type]


def rows() -> list[Row]:
    return [
        Row(en("# Title", "heading"), zh("# 标题", "heading")),
        Row(en(EN * 3), zh(ZH)),  # English is taller
        Row(en("Short."), zh(ZH * 4)),  # Chinese is taller
        Row(None, zh("只有中文的一段。")),
        Row(en("Only English here."), None),
    ]


def layout(width: int, mode: Mode = Mode.SIDE_BY_SIDE, **kw: int) -> RowLayout:
    lay = RowLayout(rows(), **kw)
    lay.configure(width, mode)
    return lay


def test_columns_are_even_with_a_rule_between() -> None:
    for width in range(MIN_SIDE_BY_SIDE, 200):
        geo = geometry(width, Mode.SIDE_BY_SIDE)
        (lx, lw), (rx, rw) = geo.columns
        assert lw == rw and lw % 2 == 0
        assert lx == MARGIN
        assert rx == lx + lw + len(COLUMN_RULE) == geo.rule_x + len(COLUMN_RULE)  # type: ignore[operator]
        assert rx + rw <= width


def test_side_by_side_falls_back_to_interleaved_below_seventy_columns() -> None:
    assert effective_mode(Mode.SIDE_BY_SIDE, 69) is Mode.INTERLEAVED
    assert effective_mode(Mode.SIDE_BY_SIDE, 70) is Mode.SIDE_BY_SIDE
    assert effective_mode(Mode.ENGLISH, 40) is Mode.ENGLISH
    assert layout(60).mode is Mode.INTERLEAVED
    assert layout(79).mode is Mode.SIDE_BY_SIDE


def test_both_sides_start_on_the_rows_first_line_and_the_taller_sets_the_height() -> None:
    lay = layout(100)
    (lx, _), (rx, _) = lay.geometry.columns
    for i in range(len(lay)):
        lines = lay.lines(i)
        left = [sl for sl in lines.lines if any(c.side == "en" for c in sl.cells)]
        right = [sl for sl in lines.lines if any(c.side == "zh" for c in sl.cells)]
        row = lay.rows[i]
        if row.en is not None:
            assert lines.lines[0].cells[0].side == "en" and lines.lines[0].cells[0].x == lx
        if row.zh is not None:
            assert any(c.side == "zh" and c.x == rx for c in lines.lines[0].cells)
        assert lines.content_height == max(len(left), len(right), 1)
        for sl in lines.lines:
            for cell in sl.cells:
                assert cell.line.text.cell_len <= cell.width
    assert len(lay.lines(1).lines) > len(lay.lines(0).lines)
    tall_en = lay.lines(1)
    assert [c.side for c in tall_en.lines[tall_en.content_height - 1].cells] == ["en"]
    tall_zh = lay.lines(2)
    assert [c.side for c in tall_zh.lines[tall_zh.content_height - 1].cells] == ["zh"]


def test_interleaved_puts_each_english_block_above_its_chinese_one() -> None:
    lay = layout(100, Mode.INTERLEAVED)
    sides = [c.side for sl in lay.lines(1).lines for c in sl.cells]
    assert sides == sorted(sides)  # all "en" then all "zh"
    assert "en" in sides and "zh" in sides
    assert len(lay.geometry.columns) == 1


def test_single_language_modes_show_one_side_and_keep_rows_that_have_only_the_other() -> None:
    english = layout(100, Mode.ENGLISH)
    chinese = layout(100, Mode.CHINESE)
    assert {c.side for sl in english.lines(1).lines for c in sl.cells} == {"en"}
    assert {c.side for sl in chinese.lines(1).lines for c in sl.cells} == {"zh"}
    # A row with only Chinese still shows in English mode (nothing disappears), and vice versa.
    assert {c.side for sl in english.lines(3).lines for c in sl.cells} == {"zh"}
    assert {c.side for sl in chinese.lines(4).lines for c in sl.cells} == {"en"}


def test_offsets_are_prefix_sums_of_heights_and_row_at_inverts_them() -> None:
    lay = layout(90)
    y = 0
    for i in range(len(lay)):
        assert lay.offset(i) == y
        h = len(lay.lines(i))
        assert lay.row_at(y) == i and lay.row_at(y + h - 1) == i
        y += h
    assert lay.total == y
    assert lay.row_at(y + 100) == len(lay) - 1


def test_lines_are_cached_per_row_width_and_mode() -> None:
    lay = layout(90)
    first = lay.lines(1)
    assert lay.lines(1) is first
    lay.configure(120, Mode.SIDE_BY_SIDE)
    wider = lay.lines(1)
    assert wider is not first and len(wider) < len(first)
    lay.configure(90, Mode.SIDE_BY_SIDE)
    assert lay.lines(1) is first


def test_list_items_sit_together_and_other_rows_are_spaced() -> None:
    items = [
        Row(en("- one", "list_item"), zh("- 一", "list_item")),
        Row(en("- two", "list_item"), zh("- 二", "list_item")),
        Row(en("After."), zh("之后。")),
    ]
    lay = RowLayout(items)
    lay.configure(100, Mode.SIDE_BY_SIDE)
    assert [len(lay.lines(i)) for i in range(3)] == [1, 2, 2]
    lay.configure(100, Mode.INTERLEAVED)
    assert len(lay.lines(0)) == 3  # one pair, then a blank line to tell it from the next


def test_long_documents_are_measured_lazily_and_stay_consistent() -> None:
    rng = random.Random(7)
    many = [
        Row(en(EN * rng.randint(1, 4)), zh(ZH * rng.randint(1, 4)) if i % 5 else None)
        for i in range(3000)
    ]
    lay = RowLayout(many, exact_up_to=100)
    lay.configure(100, Mode.SIDE_BY_SIDE)
    assert not lay.all_exact
    assert not lay.is_exact(1500)
    lay.ensure(1500, 1510)
    assert all(lay.is_exact(i) for i in range(1500, 1511))
    # Measured or estimated, offsets are always the running sum of the current heights.
    for probe in (0, 1, 1499, 1500, 1505, 1511, 2999):
        assert lay.offset(probe) == sum(lay.height(i) for i in range(probe))
        assert lay.row_at(lay.offset(probe)) == probe
    exact = RowLayout(many, exact_up_to=10_000)
    exact.configure(100, Mode.SIDE_BY_SIDE)
    assert exact.all_exact
    assert [exact.height(i) for i in range(1500, 1511)] == [
        lay.height(i) for i in range(1500, 1511)
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=200),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=30))),
)
def test_fenwick_matches_a_plain_list(values: list[int], updates: list[tuple[int, int]]) -> None:
    with_default = Fenwick(len(values), default=7)
    for i, v in enumerate(values):
        if i % 3:
            with_default.set(i, v)
    expected = [v if i % 3 else 7 for i, v in enumerate(values)]
    assert [with_default.prefix(i) for i in range(len(values) + 1)] == [
        sum(expected[:i]) for i in range(len(values) + 1)
    ]
    assert [with_default.find(sum(expected[:i])) for i in range(len(values))] == list(
        range(len(values))
    )
    tree = Fenwick.of(values)
    plain = list(values)
    for index, value in updates:
        index %= len(plain)
        tree.set(index, value)
        plain[index] = value
    running = 0
    for i, v in enumerate(plain):
        assert tree.prefix(i) == running
        assert tree.find(running) == i
        assert tree.find(running + v - 1) == i
        running += v
    assert tree.total == running


def test_find_matches_shown_text_in_either_column() -> None:
    doc = [
        Row(en("See [the docs](https://example.com/guide)."), zh("参见文档。")),
        Row(en("Meta released\nLlama 2."), zh("Meta 发布了 Llama 2。")),
        Row(None, zh("开源\n模型")),
        Row(en("**Bold** words"), None),
    ]
    lay = RowLayout(doc)
    lay.configure(100, Mode.SIDE_BY_SIDE)
    finder = RowFinder(lay)
    assert finder.find(["example.com"]) == []  # the URL is not shown
    assert finder.find(["the docs"]) == [0]
    assert finder.find(["RELEASED llama"]) == [1]  # case and the soft break do not matter
    assert finder.find(["开源模型"]) == [2]  # a Chinese soft break joins without a space
    assert finder.find(["bold words"]) == [3]
    assert finder.find(["发布"]) == [1]
    assert finder.find(["nothing like this"]) == []
    assert finder.find(["x"], cancelled=lambda: True) is None


def test_a_paragraph_translating_a_heading_is_drawn_as_that_heading() -> None:
    doc = [
        Row(en("## Why Did Meta Open-Source Llama 2?", "heading"), zh("为什么元开源骆驼 2？")),
        Row(en("Plain *text* [x](y)", "text"), zh("## 标题", "heading")),
        Row(en("Two lines\nof text"), zh("## 标题", "heading")),
    ]
    lay = RowLayout(doc)
    lay.configure(100, Mode.SIDE_BY_SIDE)
    zh_side = lay.rendered(0, "zh")
    assert zh_side is not None
    title = zh_side.items[0].text  # type: ignore[union-attr]
    assert title.plain == "为什么元开源骆驼 2？"
    en_side = lay.rendered(0, "en")
    assert en_side is not None
    assert [sp.style for sp in title.spans] == [
        sp.style
        for sp in en_side.items[0].text.spans  # type: ignore[union-attr]
    ]
    assert title.spans and title.spans[0].end == len(title.plain)
    literal = lay.rendered(1, "en")
    assert literal is not None and literal.units == ("Plain *text* [x](y)",)
    assert lay.block(2, "en") is doc[2].en  # more than one line: a paragraph after all


def test_find_reports_the_first_match_after_the_start_before_counting_the_rest() -> None:
    doc = [Row(en(f"row {i} {'needle' if i % 4 == 0 else 'hay'}"), None) for i in range(40)]
    lay = RowLayout(doc)
    lay.configure(100, Mode.ENGLISH)
    finder = RowFinder(lay)
    seen: list[int] = []
    rows = finder.find(["needle"], start=17, first=seen.append)
    assert seen == [20]  # the first match met going forward from row 17
    assert rows == list(range(0, 40, 4))  # and every match, in document order
    seen.clear()
    finder.find(["needle"], start=37, first=seen.append)
    assert seen == [0]  # wrapped around
