"""Sentence alignment inside a row: against a hand-made truth, and the cases it must get right."""

from __future__ import annotations

import pytest

from corpus.library import SAMPLE_LIBRARY, load_library
from corpus.model import Block, Document, Row
from corpus.sentence_align import align_sentences, block_sentences, sentence_pairs
from tests.sentence_truth import load_truth, share_right


@pytest.fixture(scope="module")
def sample_docs() -> dict[str, Document]:
    docs, _ = load_library(SAMPLE_LIBRARY)
    return {d.path: d for d in docs}


def _row(en: str | None, zh: str | None, kind: str = "paragraph") -> Row:
    return Row(
        Block(kind, en, 1, "en") if en is not None else None,  # type: ignore[arg-type]
        Block(kind, zh, 1, "zh") if zh is not None else None,  # type: ignore[arg-type]
    )


def _shape(row: Row) -> list[tuple[int, int]]:
    return [(len(p.en), len(p.zh)) for p in sentence_pairs(row)]


@pytest.mark.parametrize("path", sorted(load_truth()))
def test_share_of_hand_aligned_sentence_pairs_found(
    path: str, sample_docs: dict[str, Document]
) -> None:
    doc = sample_docs[path]

    def predict(row: int) -> list[tuple[str, str]]:
        return [
            (" ".join(s.source for s in p.en), "".join(s.source for s in p.zh))
            for p in sentence_pairs(doc.rows[row])
        ]

    right, total, predicted = share_right(load_truth()[path], predict)
    assert total >= 30
    assert right / total >= 0.95, (right, total)
    assert right / predicted >= 0.95, (right, predicted)


def test_a_sentence_the_translator_split_in_two_is_one_pair() -> None:
    row = _row(
        "The ferry left at dawn. It carried forty passengers and a goat, and it reached the "
        "island three hours later than the timetable promised.",
        "渡轮在黎明时分出发。船上有四十名乘客和一只山羊；比时刻表晚了三个小时才抵达小岛。",
    )
    assert _shape(row) == [(1, 1), (1, 2)]


def test_two_sentences_the_translator_joined_are_one_pair() -> None:
    row = _row(
        "The harbour froze in 1987. Nobody could remember it happening before. Boats waited.",
        "1987 年港口结冰了，谁也不记得以前发生过这种事。船只都在等待。",
    )
    assert _shape(row) == [(2, 1), (1, 1)]


def test_a_translators_note_stays_unpaired() -> None:
    row = _row(
        "The mill closed in 1954. Its wheel still turns.",
        "磨坊于 1954 年关闭。（译者注：这座磨坊位于河的北岸，当地人至今仍称它为老磨坊，"
        "每年春天都有人来这里拍照。）它的水轮至今仍在转动。",
    )
    pairs = sentence_pairs(row)
    assert _shape(row) == [(1, 1), (0, 1), (1, 1)]
    assert pairs[1].confidence == 0.0


def test_numbers_and_names_decide_where_lengths_do_not() -> None:
    en = ["Kestrel shipped 4.2 in May.", "Osprey shipped 7.9 in June."]
    zh = ["Osprey 在六月发布了 7.9。", "Kestrel 在五月发布了 4.2。"]
    # Crossed: the monotonic aligner cannot pair them, and must not pair them as they stand.
    beads = align_sentences(en, zh)
    assert not any(b.en == (0,) and b.zh == (0,) and b.confidence > 0.5 for b in beads)
    straight = align_sentences(en, list(reversed(zh)))
    assert [(b.en, b.zh) for b in straight] == [((0,), (0,)), ((1,), (1,))]
    assert all(b.confidence > 0.8 for b in straight)


def test_one_sided_rows_and_rows_without_prose() -> None:
    assert _shape(_row("One. Two.", None)) == [(1, 0), (1, 0)]
    assert _shape(_row(None, "一。二。")) == [(0, 1), (0, 1)]
    code = "```\nx = 1. y = 2.\n```"
    assert _shape(_row(code, code, "code")) == [(1, 1)]
    assert _shape(_row("## Why? Because.", "## 为什么？因为。", "heading")) == [(1, 1)]


def test_sentences_carry_their_source_span_and_visible_text() -> None:
    block = Block("list_item", "- **Rule one.** Keep the [lid](https://x.org) on.", 3, "en")
    sentences = block_sentences(block, "en")
    assert [block.text[s.start : s.end] for s in sentences] == [s.source for s in sentences]
    assert [s.text for s in sentences] == ["Rule one.", "Keep the lid on."]
    pair = sentence_pairs(_row("Keep **calm**. Row on.", "保持**冷静**。继续划。"))[0]
    assert (pair.en_text, pair.zh_text) == ("Keep calm.", "保持冷静。")
