"""Japanese beside English is not a translation pair: both stay rows of their own."""

from __future__ import annotations

from corpus.loader import parse_document

NOTES = """# 旅のメモ

朝早く川のほとりを散歩すると、桜の花びらが水面に静かに浮かんでいた。

## Packing list

Bring a light raincoat, a paper map and comfortable walking shoes for the hills.

午後は雨が降り始めたので、駅前の本屋に入って詩集を一冊買った。
"""

BILINGUAL = """# Notes

The lighthouse keeper climbed the stairs every evening to light the lamp.

灯塔看守人每天傍晚都爬上楼梯去点灯。
"""


def test_an_english_paragraph_and_the_japanese_after_it_are_not_paired() -> None:
    doc = parse_document(NOTES, "tabi.md")
    assert doc.lang == "ja"
    assert not any(row.is_pair for row in doc.rows)
    assert len(doc.rows) == 5


def test_english_and_chinese_in_turn_still_pair() -> None:
    doc = parse_document(BILINGUAL, "keeper.md")
    assert doc.lang == "bilingual"
    assert any(row.is_pair for row in doc.rows)
