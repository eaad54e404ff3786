"""Japanese is searched literally, never cut by jieba as if it were Chinese."""

from __future__ import annotations

import pytest

from index.analysis import segmenter
from index.analysis.tokens import index_terms, segmented, word_tokens
from index.library_index import LibraryIndex
from tests.index_helpers import write

JAPANESE = """---
title: 雨の日の本屋
---

# 雨の日の本屋

午後から雨が降り始めたので、駅前の古い本屋に入って詩集を一冊買った。

店主は温かいお茶を出してくれて、Python の入門書も勧めてくれた。
"""

CHINESE = """---
title: 雨天的书店
---

# 雨天的书店

下午开始下雨，我走进车站旁边的旧书店，买了一本诗集。

店主给我倒了一杯热茶，还推荐了一本入门书。
"""

NOTE_JA = "店主は温かいお茶を出してくれて、Python の入門書も勧めてくれた。"


def test_japanese_text_keeps_its_latin_words_and_characters_but_no_cut_words() -> None:
    words, chars = index_terms([NOTE_JA])
    assert set(words) == {"python"}  # no 店主, 入门书… cut out of the Japanese
    assert {"店", "主", "お", "茶", "勧"} <= set(chars)
    assert [t for t, *_ in word_tokens(NOTE_JA)] == ["python"]


def test_chinese_beside_it_is_still_cut_into_words() -> None:
    words, _ = index_terms(["店主给我倒了一杯热茶，还推荐了一本入门书。"])
    assert "店主" in words and "推荐" in words
    assert segmented("店主给我倒了一杯热茶") and not segmented(NOTE_JA)


def test_a_kana_or_two_in_chinese_prose_does_not_make_it_japanese() -> None:
    assert segmented("这家店叫“小熊の家”，开在学校对面，卖手工做的面包和咖啡。")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[LibraryIndex, list[str]]:
    base = tmp_path_factory.mktemp("japanese")
    lib = base / "lib"
    write(lib / "ame.md", JAPANESE)
    write(lib / "yu.md", CHINESE)
    cut: list[str] = []
    patch = pytest.MonkeyPatch()
    original = segmenter.tokenize

    def recording(text: str) -> list[tuple[str, int, int]]:
        cut.append(text)
        return original(text)

    patch.setattr(segmenter, "tokenize", recording)
    try:
        index = LibraryIndex(lib, base / "index")
        index.update()
    finally:
        patch.undo()
    return index, cut


def test_indexing_never_hands_japanese_to_jieba(library: tuple[LibraryIndex, list[str]]) -> None:
    _, cut = library
    assert any("书店" in run for run in cut)  # the Chinese document was segmented
    assert not any(ch in run for run in cut for ch in "のをはてく")


@pytest.mark.parametrize(
    "phrase",
    ["お茶を出して", "古い本屋に入って", "詩集を一冊", "本屋", "冊"],
)
def test_a_japanese_phrase_is_found_where_it_is_written(
    library: tuple[LibraryIndex, list[str]], phrase: str
) -> None:
    index, _ = library
    hits = index.search(f'"{phrase}"').hits
    assert hits and {h.path for h in hits if h.lang != "title"} <= {"ame.md"}
    assert any(phrase in (h.zh or "") for h in hits)


def test_a_chinese_word_finds_the_japanese_only_where_it_literally_occurs(
    library: tuple[LibraryIndex, list[str]],
) -> None:
    index, _ = library
    # 诗集 (simplified) and 詩集 fold to one form: both documents have it.
    assert {h.path for h in index.search("诗集").hits} == {"ame.md", "yu.md"}
    # 推荐 is only in the Chinese; the Japanese says 勧めて.
    assert {h.path for h in index.search("推荐").hits} == {"yu.md"}
    assert {h.path for h in index.search("python").hits} == {"ame.md"}


def test_the_language_filter_tells_japanese_from_chinese(
    library: tuple[LibraryIndex, list[str]],
) -> None:
    index, _ = library
    assert {h.path for h in index.search("雨").hits} == {"ame.md", "yu.md"}
    assert {h.path for h in index.search("雨 lang:other").hits} == {"ame.md"}
    assert {h.path for h in index.search("雨", lang="ja").hits} == {"ame.md"}
    assert {h.path for h in index.search("雨", lang="zh").hits} == {"yu.md"}
