"""Sentence splitting: what a reader moving sentence by sentence would notice going wrong."""

from __future__ import annotations

import pytest

from corpus.sentences import plain_inline, split_sentences


def _en(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, "en")]


def _zh(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, "zh")]


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Ortega met Mr. Baines at 4 p.m. on the pier.",
        "The U.S. edition cost $12.50, i.e. less than the U.K. one.",
        "Prof. Lindqvist compared it with approx. 3.5 GB of weights vs. 7.2 GB before.",
        "Version 2.1.4 shipped on Jan. 5 with e.g. faster loading.",
        "Kestrel.AI released the weights at 10.30 in the morning.",
    ],
)
def test_abbreviations_decimals_and_initials_do_not_end_a_sentence(text: str) -> None:
    assert _en(text) == [text]


def test_english_sentences_end_at_full_stops_questions_and_exclamations() -> None:
    text = "The otters slept. Did the heron wake them? Not once! The pond stayed quiet."
    assert _en(text) == [
        "The otters slept.",
        "Did the heron wake them?",
        "Not once!",
        "The pond stayed quiet.",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = 'She asked, "Is the ferry late?" Nobody knew. He wrote “it floats.” Then he left.'
    assert _en(text) == [
        'She asked, "Is the ferry late?"',
        "Nobody knew.",
        "He wrote “it floats.”",
        "Then he left.",
    ]


def test_markdown_lead_in_and_links_do_not_break_sentences() -> None:
    text = (
        "- **Rule one.** Keep the lid on. See [the notes](https://example.org/a.b/c.html) "
        "and ![a map. of the bay](bay.png) first."
    )
    assert _en(text) == [
        "- **Rule one.**",
        "Keep the lid on.",
        "See [the notes](https://example.org/a.b/c.html) and ![a map. of the bay](bay.png) first.",
    ]


def test_chinese_sentences_end_at_full_width_marks_and_ellipses() -> None:
    text = "水獭睡着了。苍鹭把它们吵醒了吗？没有！池塘很安静；风也停了……后来下雨了"
    assert _zh(text) == [
        "水獭睡着了。",
        "苍鹭把它们吵醒了吗？",
        "没有！",
        "池塘很安静；",
        "风也停了……",
        "后来下雨了",
    ]


def test_chinese_closing_quotes_and_emphasis_stay_with_their_sentence() -> None:
    text = "她问：“渡轮晚点了吗？”没人知道。**第一条。** 盖好盖子。好。**下一句。**"
    assert _zh(text) == [
        "她问：“渡轮晚点了吗？”",
        "没人知道。",
        "**第一条。**",
        "盖好盖子。",
        "好。",
        "**下一句。**",
    ]


def test_decimals_and_english_full_stops_inside_chinese_do_not_split() -> None:
    text = "模型大小约 3.5 GB，见 example.org。它由 Kestrel Inc. 发布。"
    assert _zh(text) == ["模型大小约 3.5 GB，见 example.org。", "它由 Kestrel Inc. 发布。"]


def test_spans_cover_the_text_without_white_space() -> None:
    text = "  One.   Two?\n\nThree!  "
    spans = split_sentences(text, "en")
    assert [text[s.start : s.end] for s in spans] == ["One.", "Two?", "Three!"]
    assert split_sentences("   ", "en") == () and split_sentences("", "zh") == ()


def test_plain_inline_is_the_visible_text() -> None:
    assert plain_inline("- **Rule one.** Use `Q4_0` in [the notes](https://x.org)") == (
        "Rule one. Use Q4_0 in the notes"
    )
    assert plain_inline("> 第一行\n第二行 and\nmore") == "第一行第二行 and more"
    assert plain_inline("## ![logo](l.png) Heading") == "logo Heading"
