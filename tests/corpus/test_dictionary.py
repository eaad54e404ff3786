"""The offline dictionary: CC-CEDICT entries, pinyin with tone marks, English → Chinese."""

from __future__ import annotations

from corpus.dictionary import Dictionary, cedict, char_pinyin, define, tone_marks

_SMALL = [
    "# a comment line",
    "湖 湖 [hu2] /lake/CL:個|个[ge4],片[pian4]/",
    "湖泊 湖泊 [hu2 po1] /lake/",
    "湖畔 湖畔 [hu2 pan4] /lakeside; shore of a lake/",
    "青海湖 青海湖 [Qing1 hai3 hu2] /Qinghai Lake/",
    "綠 绿 [lu:4] /green/",
    "長 长 [chang2] /long/",
    "長 长 [zhang3] /chief; head/to grow/",
    "not a valid line",
]


def test_define_kaiyuan_gives_tone_marked_pinyin_and_glosses() -> None:
    result = define("开源")
    assert result.query == "开源" and result.entries
    entry = result.entries[0]
    assert entry.pinyin == "kāi yuán"
    assert (entry.simplified, entry.traditional) == ("开源", "開源")
    assert entry.glosses and all(isinstance(g, str) and g for g in entry.glosses)
    # Cross-references read as words with their pinyin, not as CC-CEDICT's notation.
    assert not any("|" in g or "[" in g for g in entry.glosses)


def test_traditional_finds_the_same_entry() -> None:
    assert define("開源").entries == define("开源").entries


def test_every_reading_of_a_character_is_kept() -> None:
    d = Dictionary(iter(_SMALL))
    assert [e.pinyin for e in d.chinese("长")] == ["cháng", "zhǎng"]
    assert [e.glosses for e in d.chinese("長")] == [("long",), ("chief; head", "to grow")]
    assert d.chinese("绿")[0].pinyin == "lǜ"
    assert d.chinese("湖")[0].glosses == ("lake", "CL:个 (gè),片 (piàn)")


def test_a_phrase_that_is_no_headword_is_defined_word_by_word() -> None:
    d = Dictionary(iter(_SMALL))
    result = define("湖畔很长", d)
    assert [e.simplified for e in result.entries] == ["湖畔", "长", "长"]
    assert d.word_at("去青海湖", 1) == (1, 4)
    assert d.word_at("去青海湖", 0) is None


def test_english_finds_the_chinese_words_whose_sense_it_is() -> None:
    d = Dictionary(iter(_SMALL))
    found = [e.simplified for e in define("lake", d).entries]
    # Exact senses first, common words before names, sub-senses and longer glosses after.
    assert found[:2] == ["湖", "湖泊"]
    assert found.index("湖畔") > 1 and found.index("青海湖") > found.index("湖泊")
    assert define("The Lake", d).entries[0].simplified == "湖"
    assert define("volcano", d).entries == ()


def test_english_lookup_in_the_real_dictionary() -> None:
    assert define("open source").entries[0].simplified == "开放源码"
    assert "词典" in [e.simplified for e in define("dictionary").entries[:3]]


def test_tone_marks_and_pinyin_in_context() -> None:
    assert tone_marks("lu:4 se4 ma5") == "lǜ sè ma"
    assert char_pinyin("银行A行走。") == ["yín", "háng", "", "xíng", "zǒu", ""]


def test_the_real_dictionary_is_the_whole_of_cc_cedict() -> None:
    assert len(cedict()) > 100_000
