"""The five real documents of a user's library, read the way the user reads them."""

from __future__ import annotations

import re

from corpus.loader import plain

_UNPAIRED_STRONG = re.compile(r"(?<!\*)\*\*(?!\*)")


def _strong_count(text: str) -> int:
    return len(_UNPAIRED_STRONG.findall(text))


def test_seed_000_interleaved_translation_extension(seed) -> None:  # type: ignore[no-untyped-def]
    doc = seed("000")
    assert doc.title == "Why Did Meta Open-Source Llama 2?"
    assert doc.title_alt == "为什么元开源骆驼 2？"
    assert doc.date == "2023-07-25T08:14:10+00:00"
    assert doc.tags == ("Tech",)
    assert doc.author == "Matt Rickard"
    assert doc.lang == "bilingual"
    pairs = [r for r in doc.rows if r.is_pair]
    assert len(pairs) == 24
    assert len(doc.rows) == 25
    assert doc.rows[-1].kind == "image" and not doc.rows[-1].is_pair
    for row in pairs:
        assert row.en is not None and row.zh is not None
        assert row.en.lang == "en" and row.zh.lang == "zh", (row.en.text, row.zh.text)
        # Emphasis that spanned both halves is closed on each side: no stray `**`.
        assert _strong_count(row.en.text) % 2 == 0, row.en.text
        assert _strong_count(row.zh.text) % 2 == 0, row.zh.text


def test_seed_000_list_item_halves(seed) -> None:  # type: ignore[no-untyped-def]
    doc = seed("000")
    by_en = {plain(r.en.text): r for r in doc.rows if r.en is not None}
    row = by_en["You have proprietary data but not enough resources or expertise."]
    assert row.en is not None and row.zh is not None
    assert row.en.text == "- **You have proprietary data but not enough resources or expertise.**"
    assert row.zh.text == "- **您拥有专有数据，但没有足够的资源或专业知识。**"
    assert row.zh.line > row.en.line
    heading = doc.rows[0]
    assert heading.en is not None and heading.en.kind == "heading"
    assert heading.zh is not None and plain(heading.zh.text) == "为什么元开源骆驼 2？"
    # The "Llama 2 提供 7b、13b 和 70b" paragraph is Chinese despite its English names.
    assert any(r.zh is not None and "Llama 2 提供 7b、13b 和 70b" in r.zh.text for r in doc.rows)


def test_seed_001_clipping_behind_site_chrome(seed) -> None:  # type: ignore[no-untyped-def]
    doc = seed("001")
    assert doc.title == "Llama 2 and the Open Source Models That Got Serious"
    assert doc.date == "2023-07-18"
    assert doc.tags == ("AI",)
    assert doc.lang == "en"
    assert doc.format == "text"
    assert all(r.kind == "text" for r in doc.rows)
    # The body is kept whole, chrome included.
    assert doc.rows[0].en is not None and doc.rows[0].en.text.startswith("All Articles")


def test_seed_002_clipping_with_trailing_hashtags(seed) -> None:  # type: ignore[no-untyped-def]
    doc = seed("002")
    assert doc.title == "Meta Releases Llama 2 as Open-Weight Model"
    assert doc.tags == ("open-weights", "large-language-model", "open-source-ai")
    assert doc.date is None  # no date in its header lines; the body's event date is not one
    assert doc.lang == "en"


def test_seed_003_invalid_yaml_recovered_with_warning(seed) -> None:  # type: ignore[no-untyped-def]
    doc = seed("003")
    assert doc.title == "Llama成大模型顶流，扎克伯格掀论战：玩开源，时代变了"
    assert doc.date == "2024-07-24"
    assert doc.author == "机器之心"
    assert len(doc.tags) == 10 and doc.tags[0] == "LLM中文技术社区"
    assert "JavaScript 学习资源" in doc.tags
    assert doc.meta["selfDefined"] == "likes:0,comments:0,collects:0,views:350,"
    assert doc.meta["weight"] == 1
    assert len(doc.warnings) == 1 and "not valid" in doc.warnings[0]
    assert doc.lang == "zh"
    # The whole body is kept, from the first line after the block to the signature.
    texts = [b.text for r in doc.rows for b in r.blocks]
    assert texts[0] == "机器之心报道"
    assert texts[-1] == "马克·扎克伯格"


def test_seed_004_chapter_with_tables(seed) -> None:  # type: ignore[no-untyped-def]
    doc = seed("004")
    assert doc.title == "Meta的开源革命：LLaMA引爆AI民主化"
    assert doc.title_alt == "Meta's Open Source Revolution: LLaMA Triggers AI Democratization"
    assert doc.date == "2025-10-17"
    assert doc.lang == "zh"
    tables = [r for r in doc.rows if r.kind == "table"]
    assert len(tables) == 3
    assert all(t.zh is not None or t.en is not None for t in tables)
    first_table = next(b for t in tables for b in t.blocks)
    assert first_table.text.startswith("| Benchmark | LLaMA-13B |")
    assert first_table.text.count("\n") == 4
    pairs = [(plain(r.en.text), plain(r.zh.text)) for r in doc.rows if r.en and r.zh]
    assert ("Introduction", "引言") in pairs
    assert ("Summary", "小结") in pairs
    assert len(pairs) == 2  # "LLaMA 1：开源革命的星星之火" is one Chinese heading, not a pair
