"""Hand corrections of alignment: rows + corrections → rows, and keeping them across edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.correction_store import CorrectionStore
from corpus.corrections import (
    Correction,
    CorrectionRefused,
    apply_corrections,
    merge,
    rows_key,
    shift,
    split,
)
from corpus.loader import parse_document
from corpus.model import Block, Row


def en(text: str, line: int = 1) -> Block:
    return Block("paragraph", text, line, "en")


def zh(text: str, line: int = 1) -> Block:
    return Block("paragraph", text, line, "zh")


def texts(rows: tuple[Row, ...] | list[Row]) -> list[tuple[str | None, str | None]]:
    return [(r.en.text if r.en else None, r.zh.text if r.zh else None) for r in rows]


# The aligner paired a two-paragraph English passage with one Chinese paragraph, then ran on
# out of step: the third row's English is the translation of nothing beside it.
ROWS = (
    Row(en("Herons wait at the weir."), zh("苍鹭在堰边等候。"), 0.9),
    Row(en("They stand for an hour."), None, 0.3),
    Row(en("Then the river rises."), zh("它们一站就是一个小时。"), 0.4),
    Row(None, zh("然后河水上涨。"), 0.2),
)


def test_merge_joins_one_side_and_drops_the_emptied_row() -> None:
    rows = (Row(en("Kites ride the wind."), zh("风筝乘风而起。")), Row(None, zh("它们越飞越高。")))
    result = apply_corrections(rows, [merge(rows, 0, "zh")])
    assert texts(result.rows) == [("Kites ride the wind.", "风筝乘风而起。\n\n它们越飞越高。")]
    assert result.rows[0].confidence is None


def test_merge_keeps_the_other_side_of_the_next_row() -> None:
    result = apply_corrections(ROWS, [merge(ROWS, 0, "en")])
    assert texts(result.rows)[:2] == [
        ("Herons wait at the weir.\n\nThey stand for an hour.", "苍鹭在堰边等候。"),
        ("Then the river rises.", "它们一站就是一个小时。"),
    ]
    assert len(result.rows) == 3


def test_shifting_the_chinese_up_puts_each_translation_beside_its_english() -> None:
    result = apply_corrections(ROWS, [shift(ROWS, 2, "zh", -1)])
    assert texts(result.rows) == [
        ("Herons wait at the weir.", "苍鹭在堰边等候。"),
        ("They stand for an hour.", "它们一站就是一个小时。"),
        ("Then the river rises.", "然后河水上涨。"),
    ]


def test_shifting_down_leaves_the_row_with_its_other_side_only() -> None:
    rows = (Row(en("A preface."), zh("第一章。")), Row(en("Chapter one."), zh("第二章。")))
    result = apply_corrections(rows, [shift(rows, 0, "zh", +1)])
    assert texts(result.rows) == [
        ("A preface.", None),
        ("Chapter one.", "第一章。"),
        (None, "第二章。"),
    ]


def test_a_shift_fills_the_next_gap_of_its_side_and_leaves_the_rows_after_it() -> None:
    rows = (
        Row(en("Snow fell."), zh("下雪了。")),
        Row(en("The pass closed."), zh("路人都回家了。")),  # out of step from here
        Row(en("Travellers went home."), None),
        Row(en("Spring came late."), zh("春天来得晚。")),  # in step again
    )
    result = apply_corrections(rows, [shift(rows, 1, "zh", +1)])
    assert texts(result.rows) == [
        ("Snow fell.", "下雪了。"),
        ("The pass closed.", None),
        ("Travellers went home.", "路人都回家了。"),
        ("Spring came late.", "春天来得晚。"),
    ]


def test_shifting_up_the_first_row_or_a_missing_side_is_refused() -> None:
    with pytest.raises(CorrectionRefused, match="first row"):
        shift(ROWS, 0, "en", -1)
    with pytest.raises(CorrectionRefused, match="no Chinese"):
        shift(ROWS, 1, "zh", +1)
    with pytest.raises(CorrectionRefused, match="last row"):
        merge(ROWS, 3, "zh")
    with pytest.raises(CorrectionRefused, match="row above has no Chinese"):
        shift(ROWS, 2, "en", -1)


def test_split_cuts_both_sides_where_the_sentences_begin() -> None:
    english = "Owls hunt at night. Their hearing guides them."
    chinese = "猫头鹰在夜里捕猎。它们靠听觉引路。"
    rows = (Row(Block("paragraph", english, 7, "en"), Block("paragraph", chinese, 9, "zh"), 0.8),)
    cut = (english.index("Their"), chinese.index("它们"))
    result = apply_corrections(rows, [split(rows, 0, cut)])
    assert texts(result.rows) == [
        ("Owls hunt at night.", "猫头鹰在夜里捕猎。"),
        ("Their hearing guides them.", "它们靠听觉引路。"),
    ]
    with pytest.raises(CorrectionRefused, match="Nothing to split"):
        split(rows, 0, (0, 0))


def test_split_keeps_the_source_line_of_the_lower_part() -> None:
    english = "First line of the verse.\nSecond line of the verse."
    rows = (Row(Block("text", english, 10, "en"), None),)
    result = apply_corrections(rows, [split(rows, 0, (english.index("Second"), 0))])
    assert [r.line for r in result.rows] == [10, 11]


def test_corrections_apply_in_order_on_the_rows_the_last_one_left() -> None:
    first = shift(ROWS, 2, "zh", -1)
    after = apply_corrections(ROWS, [first]).rows
    second = merge(after, 1, "en")
    result = apply_corrections(ROWS, [first, second])
    assert texts(result.rows)[1] == (
        "They stand for an hour.\n\nThen the river rises.",
        "它们一站就是一个小时。",
    )
    assert len(result.applied) == 2 and not result.dropped


def test_an_edit_elsewhere_keeps_the_correction_where_its_rows_went() -> None:
    correction = shift(ROWS, 2, "zh", -1)
    edited = (Row(en("A new opening line."), zh("新加的开头。")), *ROWS)
    result = apply_corrections(edited, [correction])
    assert result.applied and not result.dropped
    assert result.applied[0].row == correction.row + 1
    assert texts(result.rows)[2] == ("They stand for an hour.", "它们一站就是一个小时。")


def test_a_correction_whose_rows_changed_is_dropped_not_misapplied() -> None:
    correction = merge(ROWS, 0, "en")
    edited = (Row(en("Herons wait at the dam."), zh("苍鹭在坝边等候。")), *ROWS[1:])
    result = apply_corrections(edited, [correction])
    assert result.dropped == (correction,) and not result.applied
    assert texts(result.rows) == texts(edited)


def test_shown_row_takes_an_aligner_row_to_the_row_holding_its_text() -> None:
    result = apply_corrections(ROWS, [merge(ROWS, 0, "en"), shift(ROWS, 2, "zh", -1)])
    # Aligner row 3 held only "然后河水上涨。"; after the corrections it is beside its English.
    shown = result.shown_row(3, "zh")
    assert result.rows[shown].zh is not None and result.rows[shown].zh.text == "然后河水上涨。"
    assert result.shown_row(1, "en") == 0  # merged into the first row


def test_store_keeps_corrections_outside_the_library_and_finds_them_after_an_edit(
    tmp_path: Path,
) -> None:
    text = "# Field notes\n\nHerons wait.\n\n苍鹭在等。\n\nThey stand still.\n\n它们一动不动。\n"
    doc = parse_document(text, "notes/herons.md")
    store = CorrectionStore(tmp_path / "data" / "alignment.json")
    correction = merge(doc.rows, 1, "en")
    store.save(doc, [correction])
    assert CorrectionStore(store.path).corrections(doc) == (correction,)

    renamed = parse_document(text, "elsewhere/herons.md")  # same text: found by its hash
    assert CorrectionStore(store.path).corrections(renamed) == (correction,)

    edited = parse_document(text.replace("# Field notes", "# Field notes, revised"), doc.path)
    assert rows_key(edited.rows) != rows_key(doc.rows)
    opened = CorrectionStore(store.path).open(edited)  # found by its path, rows by their text
    assert opened.corrected.applied and opened.document.rows != edited.rows

    store.save(doc, [])
    assert CorrectionStore(store.path).corrections(doc) == ()


def test_store_ignores_a_damaged_file_and_malformed_entries(tmp_path: Path) -> None:
    path = tmp_path / "alignment.json"
    doc = parse_document("Herons wait.\n\n苍鹭在等。\n", "a.md")
    path.write_text("{not json", encoding="utf-8")
    assert CorrectionStore(path).corrections(doc) == ()
    bad = [
        {"op": "explode", "row": 0, "anchor": "x"},
        {"op": "merge", "row": -1, "anchor": "x", "side": "en"},
        {"op": "split", "row": 0, "anchor": "x", "side": "en"},
        "junk",
    ]
    entry = {"key": rows_key(doc.rows), "path": "a.md", "corrections": bad}
    path.write_text(json.dumps({"version": 1, "documents": [entry]}), encoding="utf-8")
    assert CorrectionStore(path).corrections(doc) == ()


def test_a_correction_describes_itself_for_notices() -> None:
    assert Correction("merge", 3, "x", "zh").describe() == "merge the Chinese of row 4 with row 5"


def test_a_file_it_cannot_read_is_set_aside_not_written_over(tmp_path: Path) -> None:
    path = tmp_path / "alignment.json"
    newer = {"version": 99, "documents": [{"key": "k", "path": "other.md", "corrections": []}]}
    path.write_text(json.dumps(newer), encoding="utf-8")
    doc = parse_document("Herons wait.\n\n苍鹭在等。\n\nThey stand.\n\n它们站着。\n", "a.md")
    store = CorrectionStore(path)
    assert store.corrections(doc) == ()  # read as empty, left as it is
    assert json.loads(path.read_text(encoding="utf-8")) == newer
    correction = merge(doc.rows, 0, "en")
    store.save(doc, [correction])
    assert json.loads(path.with_name("alignment.json.bak").read_text(encoding="utf-8")) == newer
    assert CorrectionStore(path).corrections(doc) == (correction,)
