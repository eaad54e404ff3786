"""Bad input found on real files: byte-order marks, broken YAML, Big5."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.loader import document_from_bytes, load_document
from corpus.model import Document

BAD = Path(__file__).parents[1] / "fixtures" / "real" / "bad-input"


def load(name: str) -> Document:
    doc = load_document(BAD / name, BAD)
    assert isinstance(doc, Document)
    return doc


@pytest.mark.parametrize("name", ["utf16-bom.md", "utf16be-bom.md"])
def test_utf16_with_a_bom_gives_its_frontmatter(name: str) -> None:
    doc = load(name)
    assert doc.title.startswith("离线优先的笔记应用")
    assert (doc.date, doc.tags, doc.lang) == ("2022-10-01", ("笔记", "offline"), "zh")
    assert doc.rows[0].kind == "heading" and not doc.warnings


def test_tab_broken_yaml_is_still_frontmatter_recovered_with_a_warning() -> None:
    doc = load("tab-broken-yaml.md")
    assert (doc.title, doc.date, doc.tags, doc.author) == (
        "Notes on Tide Tables",
        "2021-06-12",
        ("tides", "sea"),
        "Ines Okafor",
    )
    assert len(doc.warnings) == 1 and "YAML frontmatter is not valid" in doc.warnings[0]
    assert [r.kind for r in doc.rows] == ["heading", "paragraph"]  # no rule, no stray heading


@pytest.mark.parametrize(
    "front",
    [
        "---\n\ttags: [unclosed\ntitle: Tide\n---\n",
        "---\ntitle: Tide\n\ttags: [unclosed\n---\n",
        "---\r\ntitle: Tide\r\n\ttags: [unclosed\r\n---\r\n",
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_tab_indented_key_anywhere_in_the_block(front: str, encoding: str) -> None:
    doc = document_from_bytes((front + "\nThe tide turns twice a day.\n").encode(encoding), "t.md")
    assert isinstance(doc, Document)
    assert (doc.title, doc.tags) == ("Tide", ("unclosed",))
    assert [r.kind for r in doc.rows] == ["paragraph"] and doc.warnings


def test_big5_traditional_chinese_is_read() -> None:
    doc = load("big5-traditional.md")
    assert (doc.title, doc.lang) == ("開源模型的未來", "zh")
    assert any("開發者" in b.text for r in doc.rows for b in r.blocks)


def test_utf8_traditional_chinese_is_chinese() -> None:
    assert load("utf8-traditional.md").lang == "zh"
