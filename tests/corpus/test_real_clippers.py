"""Files written by browser clippers and translation tools (tests/fixtures/real/clippers)."""

from __future__ import annotations

import json
from pathlib import Path

from corpus.library import load_library
from corpus.loader import document_from_bytes, load_document
from corpus.model import Document, Skipped

CLIPPERS = Path(__file__).parents[1] / "fixtures" / "real" / "clippers"


def load(name: str) -> Document:
    doc = load_document(CLIPPERS / name, CLIPPERS)
    assert isinstance(doc, Document)
    return doc


def pairs(doc: Document) -> list[tuple[str | None, str | None]]:
    return [(r.en.text if r.en else None, r.zh.text if r.zh else None) for r in doc.rows]


def all_text(doc: Document) -> str:
    rows = [[b.text for b in r.blocks] for r in doc.rows]
    return json.dumps([doc.title, doc.title_alt, rows], ensure_ascii=False)


def test_immersive_translate_saved_page_becomes_pairs() -> None:
    doc = load("immersive-translate.html")
    assert (doc.title, doc.title_alt, doc.lang) == (
        "How Bridges Breathe",
        "桥梁如何呼吸",
        "bilingual",
    )
    assert doc.source == "https://example.org/field-notes/how-bridges-breathe"
    assert doc.date == "2024-05-18T08:30:00+02:00"
    rows = pairs(doc)
    assert rows[0] == ("# How Bridges Breathe", "# 桥梁如何呼吸")
    assert rows[1][0] is not None and rows[1][0].startswith("A steel bridge grows longer")
    assert rows[1][1] is not None and rows[1][1].startswith("钢桥夏天会变长")
    assert ("- Rocker bearings let the ends slide.", "- 摇轴支座让桥的两端可以滑动。") in rows
    # The older `<span id="immersive-translate-target-wrapper-N">` saves pair the same way.
    assert any(
        en and en.startswith("Older bridges") and zh and zh.startswith("较老的桥")
        for en, zh in rows
    )
    # A node holding only a translation stands on the Chinese side alone.
    assert (None, "（译者注：本文的单位均已换算为公制。）") in rows
    assert any(r.kind == "code" for r in doc.rows)
    text = all_text(doc)
    for markup in (
        "<font",
        "<span",
        "<br",
        "notranslate",
        "immersive-translate",
        "data-imt",
        "&nbsp;",
    ):
        assert markup not in text


def test_immersive_translate_markup_kept_in_a_markdown_clip() -> None:
    doc = load("immersive-clip.md")
    assert (doc.title, doc.title_alt, doc.lang) == (
        "Reading in the Dark",
        "在黑暗中阅读",
        "bilingual",
    )
    assert pairs(doc)[0] == ("# Reading in the Dark", "# 在黑暗中阅读")
    assert pairs(doc)[2] == ("- A warm front light helps.", "- 暖色的前光有帮助。")
    assert "<font" not in all_text(doc) and "immersive" not in all_text(doc)


def test_other_web_pages_are_skipped_with_a_reason(tmp_path: Path) -> None:
    page = b"<html><body><p>Just a page.</p></body></html>"
    skipped = document_from_bytes(page, "saved/page.html")
    assert isinstance(skipped, Skipped) and "web page" in skipped.reason
    (tmp_path / "page.html").write_bytes(page)
    (tmp_path / "clip.html").write_bytes((CLIPPERS / "immersive-translate.html").read_bytes())
    docs, skips = load_library(tmp_path)
    assert [d.path for d in docs] == ["clip.html"]
    assert [s.path for s in skips] == ["page.html"]


def test_bilingual_book_maker_pairs_line_by_line() -> None:
    doc = load("novel_bilingual.md")
    assert (doc.title, doc.title_alt, doc.lang) == (
        "The Lighthouse Keeper",
        "灯塔看守人",
        "bilingual",
    )
    rows = pairs(doc)
    assert all(en is not None and zh is not None for en, zh in rows)
    assert ("## The Storm", "## 暴风雨") in rows
    assert ("By morning the sea was grey and flat.", "到了早上，海面灰暗而平静。") in rows
    assert (
        "The keeper counted the boats and found them all.",
        "看守人数了数船只，一艘也不少。",
    ) in rows


def test_markdownload_clip() -> None:
    doc = load("markdownload.md")
    assert doc.title == "Growing Tomatoes on a Small Balcony"
    assert doc.date == "2024-07-24T09:15:00+08:00"
    assert doc.tags == ("gardening", "balcony")
    assert (doc.author, doc.source) == ("Mira Holt", "https://example.org/blog/balcony-tomatoes")
    assert not doc.warnings


def test_obsidian_web_clipper_clip() -> None:
    doc = load("obsidian-web-clipper.md")
    assert doc.title == "Why Libraries Keep Card Catalogs"
    assert doc.author == "Ruth Adeyemi, Tomas Lind"  # `"[[Name]]"` links shown as the names
    assert doc.date == "2023-03-14"  # published, not created
    assert doc.tags == ("clippings", "libraries")
    assert doc.source == "https://example.org/essays/card-catalogs"
