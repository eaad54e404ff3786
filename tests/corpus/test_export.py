"""Exports and coverage from documents built in memory: the cases a file on disk cannot hold."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from corpus.coverage import coverage
from corpus.export import export
from corpus.model import Block, Document, Row


def _doc(*rows: Row) -> Document:
    return Document(id="x", path="x.md", title='X <&> "Y"', rows=rows, lang="bilingual")


def _pair(en: str, zh: str, kind: str = "paragraph") -> Row:
    return Row(Block(kind, en, 1, "en"), Block(kind, zh, 1, "zh"))  # type: ignore[arg-type]


def test_tmx_escapes_markup_and_drops_what_xml_cannot_hold() -> None:
    doc = _doc(
        _pair("If a < b & c > d, stop\uffff.", "若 a < b 且 c > d，\ufffe停。"),
        Row(Block("paragraph", "English only.", 2, "en"), None),
    )
    root = ET.fromstring(export(doc, "tmx"))
    (tu,) = root.findall("body/tu")  # the English-only row pairs nothing
    assert [seg.text for seg in tu.iter("seg")] == [
        "If a < b & c > d, stop.",
        "若 a < b 且 c > d，停。",
    ]
    assert root.findtext("header/note") == 'X <&> "Y" (x.md)'


def test_rows_export_visible_text_and_markdown_keeps_the_source() -> None:
    doc = _doc(_pair("A **bold** [link](https://x.org).", "一个**粗体**[链接](https://x.org)。"))
    assert export(doc, "tsv").splitlines()[1] == "A bold link.\t一个粗体链接。"
    assert export(doc, "md", side="en") == "A **bold** [link](https://x.org).\n"


def test_coverage_counts_text_rows_only() -> None:
    code = Row(Block("code", "```\nx\n```", 1, "none"), None)
    lone = Row(None, Block("paragraph", "只有中文。", 1, "zh"))
    assert coverage(_doc(_pair("One.", "一。"), code, lone)) == 0.5
    assert coverage(_doc(code)) == 0.0
    assert coverage(_doc(_pair("One.", "一。"), _pair("# T", "# 题", "heading"))) == 1.0
