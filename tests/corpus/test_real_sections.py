"""Section-interleaved documents: an English section, then its Chinese translation."""

from __future__ import annotations

from pathlib import Path

from corpus.loader import load_document, parse_document
from corpus.model import Document

SECTIONS = Path(__file__).parents[1] / "fixtures" / "real" / "sections"
REAL = Path(__file__).parents[1] / "fixtures" / "real"


def pairs(doc: Document) -> list[tuple[str | None, str | None]]:
    return [(r.en.text if r.en else None, r.zh.text if r.zh else None) for r in doc.rows]


def test_sections_align_against_sections() -> None:
    doc = load_document(SECTIONS / "beekeeping.md", SECTIONS)
    assert isinstance(doc, Document) and doc.lang == "bilingual"
    rows = pairs(doc)
    assert all(en is not None and zh is not None for en, zh in rows)  # no empty column
    assert ("## Morning Inspection", "## 早晨巡查") in rows
    assert ("### What to bring", "# 要带的东西") in rows  # heading levels that differ
    assert ("- A hive tool for prying the frames apart.", "- 一把起刮刀，用来撬开巢框。") in rows
    assert ("## Afternoon", "## 下午") in rows
    notes = next(r for r in doc.rows if r.en and r.en.text.startswith("[^fnen]"))
    assert notes.zh is not None and notes.zh.text.startswith("[^fncn]: 秤在中午")


def test_an_english_list_then_its_chinese_list() -> None:
    body = (
        "- Keep the lid closed in the rain.\n- Feed sugar syrup in early spring.\n"
        "- Mark the queen with a dot of paint.\n\n"
        "- 下雨时盖好盖子。\n- 早春时喂糖水。\n- 用一点颜料给蜂王做记号。\n"
    )
    doc = parse_document(body, "lists.md")
    assert doc.lang == "bilingual"
    assert pairs(doc)[1] == ("- Feed sugar syrup in early spring.", "- 早春时喂糖水。")


def test_an_article_followed_by_its_whole_translation() -> None:
    body = (
        "# Winter Bees\n\nIn winter the colony forms a tight cluster and shivers to keep warm.\n\n"
        "The queen stays in the middle, where it is warmest.\n\n"
        "# 冬天的蜜蜂\n\n冬天，蜂群会聚成紧密的一团，靠颤抖来保暖。\n\n蜂王待在中间，那里最暖和。\n"
    )
    doc = parse_document(body, "winter.md")
    assert pairs(doc) == [
        ("# Winter Bees", "# 冬天的蜜蜂"),
        (
            "In winter the colony forms a tight cluster and shivers to keep warm.",
            "冬天，蜂群会聚成紧密的一团，靠颤抖来保暖。",
        ),
        ("The queen stays in the middle, where it is warmest.", "蜂王待在中间，那里最暖和。"),
    ]


def test_a_chinese_readme_with_english_sections_is_not_section_paired() -> None:
    root = REAL / "readme-keeps-english"
    doc = load_document(root / "README_CN.md", root)
    assert isinstance(doc, Document) and doc.lang == "zh"
    assert not any(r.is_pair for r in doc.rows)


def test_unrelated_sections_in_turn_are_not_paired() -> None:
    body = (
        "## Trains\n\nThe night train to the coast leaves at eleven and arrives before dawn; the "
        "sleeper cars were rebuilt in 1998 and still have their brass lamps.\n\n"
        "Tickets sell out in August, so book in spring if you can.\n\n"
        "## 做饭\n\n炖汤的时候先把骨头焯水，再用小火慢慢煮三个小时，最后加盐。\n\n"
        "葱花要在关火以后再放，这样颜色才好看，味道也更香。\n"
    )
    doc = parse_document(body, "notes.md")
    assert not any(r.is_pair for r in doc.rows)
    assert doc.lang != "bilingual"
