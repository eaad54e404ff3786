"""The layouts of real users' files, on documents of our own in tests/fixtures/layouts: a
translation extension's interleaved clipping, plain-text clippings behind site chrome, YAML that
python-frontmatter rejects, and a Chinese chapter with tables (test_corpus_seeds.py reads the real
files these layouts come from, when ../shared is present)."""

from __future__ import annotations

import re

from corpus.loader import plain

_UNPAIRED_STRONG = re.compile(r"(?<!\*)\*\*(?!\*)")


def _strong_count(text: str) -> int:
    return len(_UNPAIRED_STRONG.findall(text))


def test_interleaved_translation_extension(layout) -> None:  # type: ignore[no-untyped-def]
    doc = layout("kestrel-translated")
    assert doc.title == "Why Did Tidewater Open-Source Kestrel?"  # from extra.original_title
    assert doc.title_alt == "为什么潮汐研究所开源红隼？"
    assert doc.date == "2024-03-12T09:41:27+00:00"
    assert doc.tags == ("Tech",)
    assert doc.author == "Wren Halvorsen"
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


def test_list_item_holding_both_halves(layout) -> None:  # type: ignore[no-untyped-def]
    doc = layout("kestrel-translated")
    by_en = {plain(r.en.text): r for r in doc.rows if r.en is not None}
    row = by_en["You run the supercomputer that others will rent."]
    assert row.en is not None and row.zh is not None
    assert row.en.text == "- **You run the supercomputer that others will rent.**"
    assert row.zh.text == "- **您运营着别人将要租用的超级计算机。**"
    assert row.zh.line > row.en.line
    heading = doc.rows[0]
    assert heading.en is not None and heading.en.kind == "heading"
    assert heading.zh is not None and plain(heading.zh.text) == "为什么潮汐研究所开源红隼？"
    # A Chinese paragraph full of Latin names and units is still the Chinese half.
    assert any(
        r.zh is not None and "Kestrel 提供 1 km、3 km 和 9 km" in r.zh.text for r in doc.rows
    )


def test_clipping_behind_site_chrome(layout) -> None:  # type: ignore[no-untyped-def]
    doc = layout("kestrel-field-notes")
    assert doc.title == "Kestrel and the Open Source Forecasts That Got Serious"
    assert doc.date == "2024-03-03"
    assert doc.tags == ("Weather",)  # the category before "6 min read"
    assert doc.lang == "en"
    assert doc.format == "text"
    assert all(r.kind == "text" for r in doc.rows)
    # The body is kept whole, chrome included.
    assert doc.rows[0].en is not None and doc.rows[0].en.text.startswith("All Articles")


def test_clipping_with_trailing_hashtags(layout) -> None:  # type: ignore[no-untyped-def]
    doc = layout("kestrel-landmark")
    assert doc.title == "Tidewater Releases Kestrel as an Open-Weight Forecast Model"
    assert doc.tags == ("open-weights", "weather-model", "open-source-science")
    assert doc.date is None  # no date in its header lines; the body's event date is not one
    assert doc.lang == "en"


def test_invalid_yaml_recovered_with_warning(layout) -> None:  # type: ignore[no-untyped-def]
    doc = layout("kestrel-broken-frontmatter")
    assert doc.title == "Kestrel成气象大模型新宠，潮汐研究所掀论战：开源预报的时代来了"
    assert doc.date == "2024-03-20"
    assert doc.author == "海风周刊"
    assert len(doc.tags) == 10 and doc.tags[0] == "气象技术社区"
    assert "Python 学习资源" in doc.tags
    assert doc.meta["selfDefined"] == "likes:3,comments:1,collects:0,views:812,"
    assert doc.meta["weight"] == 1
    assert len(doc.warnings) == 1 and "not valid" in doc.warnings[0]
    assert doc.lang == "zh"
    # The whole body is kept, from the first line after the block to the signature.
    texts = [b.text for r in doc.rows for b in r.blocks]
    assert texts[0] == "海风周刊报道"
    assert texts[-1] == "顾明澜"


def test_chapter_with_tables(layout) -> None:  # type: ignore[no-untyped-def]
    doc = layout("kestrel-chapter")
    assert doc.title == "潮汐研究所的开源之路：Kestrel让区域预报走向大众"
    assert doc.title_alt == (
        "The Tidewater Institute Opens Up: Kestrel Brings Regional Forecasts to Everyone"
    )
    assert doc.date == "2025-06-02"
    assert doc.lang == "zh"
    tables = [r for r in doc.rows if r.kind == "table"]
    assert len(tables) == 3
    assert all(t.zh is not None or t.en is not None for t in tables)
    first_table = next(b for t in tables for b in t.blocks)
    assert first_table.text.startswith("| Benchmark | Kestrel-3km |")
    assert first_table.text.count("\n") == 4
    pairs = [(plain(r.en.text), plain(r.zh.text)) for r in doc.rows if r.en and r.zh]
    assert ("Introduction", "引言") in pairs
    assert ("Summary", "小结") in pairs
    assert len(pairs) == 2  # "Kestrel 1：开源预报的第一步" is one Chinese heading, not a pair
