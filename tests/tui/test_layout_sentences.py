"""Sentence spans mapped onto the rendered text the reader draws, and the word cursor's words."""

from __future__ import annotations

from corpus.model import Block, Row
from tui.layout.markdown import render_markdown
from tui.layout.rows import RowLayout
from tui.layout.sentences import SentenceMap, locate, unit_spans
from tui.layout.words import warm, words


def en(text: str, kind: str = "paragraph") -> Block:
    return Block(kind, text, 1, "en", 0)  # type: ignore[arg-type]


def zh(text: str, kind: str = "paragraph") -> Block:
    return Block(kind, text, 1, "zh", 0)  # type: ignore[arg-type]


def shown(layout: RowLayout, sentences: SentenceMap, row: int, side: str) -> list[str]:
    rendered = layout.rendered(row, side)  # type: ignore[arg-type]
    assert rendered is not None
    out = []
    for k in range(len(sentences.row(row))):
        span = sentences.row(row).span(k, side)  # type: ignore[arg-type]
        out.append("" if span is None else rendered.plain[span[0] : span[1]])
    return out


def test_sentences_are_found_in_the_rendered_text_past_markup_and_joined_lines() -> None:
    rows = [
        Row(
            en("The *first* sentence\nruns on. See [the map](https://example.com/m). Done!"),
            zh("第一句\n很长。请看[地图](https://example.com/m)。完了！"),
        )
    ]
    layout = RowLayout(rows)
    sentences = SentenceMap(layout)
    assert shown(layout, sentences, 0, "en") == [
        "The first sentence runs on.",
        "See the map.",
        "Done!",
    ]
    assert shown(layout, sentences, 0, "zh") == ["第一句很长。", "请看地图。", "完了！"]


def test_a_table_is_one_sentence_covering_all_it_shows() -> None:
    table = "| a | b |\n|---|---|\n| one | two |"
    layout = RowLayout([Row(en(table, "table"), None)])
    sentences = SentenceMap(layout)
    rendered = layout.rendered(0, "en")
    assert rendered is not None
    assert shown(layout, sentences, 0, "en") == [rendered.plain.strip()]
    assert sentences.row(0).span(0, "zh") is None


def test_locate_places_sentences_the_rendered_text_changed() -> None:
    plain = "An [image: chart] shows it. Then 3 > 2 holds."
    found = locate(plain, ["An chart shows it.", "Then 3 > 2 holds."])
    assert found[1] is not None and plain[found[1][0] : found[1][1]] == "Then 3 > 2 holds."
    assert found[0] is not None and plain[found[0][0] : found[0][1]].endswith("shows it.")


def test_unit_spans_split_a_span_over_units() -> None:
    rendered = render_markdown("One.\n\nTwo.")
    assert rendered.units == ("One.", "Two.")
    assert unit_spans(rendered, (2, 7)) == {0: [(2, 4)], 1: [(0, 2)]}


def test_words_cut_chinese_as_the_segmenter_does_and_keep_latin_words_whole() -> None:
    warm()
    text = "Meta 的 LLaMA-13B 模型改变了开源社区。It's open."
    assert [text[a:b] for a, b in words(text)] == [
        "Meta",
        "的",
        "LLaMA-13B",
        "模型",
        "改变",
        "了",
        "开源",
        "社区",
        "It's",
        "open",
    ]
    assert [text[a:b] for a, b in words(text, 5, 17)] == ["的", "LLaMA-13B"]
