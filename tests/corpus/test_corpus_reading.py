"""Encodings, line endings, control characters and frontmatter as real files carry them."""

from __future__ import annotations

import codecs

import pytest

from corpus.loader import document_from_bytes, parse_document
from corpus.model import Document, Skipped

ZH = "说到开源大模型，Llama 系列自诞生以来就是典型代表。"
TW = "說到開源大模型，Llama 系列自誕生以來就是典型代表。"


def _doc(data: bytes, name: str = "a.md") -> Document:
    doc = document_from_bytes(data, name)
    assert isinstance(doc, Document), doc
    return doc


def _texts(doc: Document) -> list[str]:
    return [b.text for r in doc.rows for b in r.blocks]


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + f"---\ntitle: 标题\n---\n\n{ZH}\n".encode(),
        f"---\ntitle: 标题\n---\n\n{ZH}\n".encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + f"---\ntitle: 标题\n---\n\n{ZH}\n".encode("utf-16-be"),
        f"---\ntitle: 标题\n---\n\n{ZH}\n".encode("gb18030"),
        f"---\ntitle: 标题\n---\n\n{ZH}\n".encode("gbk"),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16be-bom", "gb18030", "gbk"],
)
def test_encodings_decode_and_keep_frontmatter(data: bytes) -> None:
    doc = _doc(data)
    assert doc.title == "标题"  # a BOM must not hide the frontmatter
    assert _texts(doc) == [ZH]


def test_big5_traditional_chinese() -> None:
    doc = _doc(f"# 標題\n\n{TW}\n".encode("big5"))
    assert doc.title == "標題"
    assert _texts(doc)[1] == TW
    assert doc.lang == "zh"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings(newline: str) -> None:
    text = newline.join(["---", "title: T", "---", "", "First para.", "", "Second para.", ""])
    doc = _doc(text.encode())
    assert doc.title == "T"
    assert _texts(doc) == ["First para.", "Second para."]
    assert all("\r" not in t for t in _texts(doc))


def test_control_characters_and_escape_sequences_are_removed() -> None:
    nasty = (
        "Title \x1b]0;pwned\x07 here\n\n"
        "Body \x1b[2J\x9b31m with \x1b]52;c;ZXZpbA==\x07 text\u202e.\n"
    )
    doc = _doc(("# " + nasty).encode())
    for text in [doc.title, *_texts(doc)]:
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text), repr(text)
        assert "\x9b" not in text and "\u202e" not in text
    assert "Body" in _texts(doc)[1] and "text" in _texts(doc)[1]


def test_binary_file_is_skipped_with_a_reason() -> None:
    result = document_from_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "x.md")
    assert isinstance(result, Skipped)
    assert "binary" in result.reason


def test_toml_frontmatter_zola_taxonomies() -> None:
    text = (
        '+++\ntitle = "Zola post"\ndate = 2021-05-06T18:00:30+08:00\n\n[taxonomies]\n'
        'tags = ["Rust", "release"]\n\n[extra]\nauthor = "Team"\n+++\n\nBody.\n'
    )
    doc = parse_document(text, "z.md")
    assert doc.title == "Zola post"
    assert doc.date == "2021-05-06T18:00:30+08:00"
    assert doc.tags == ("Rust", "release")
    assert doc.author == "Team"
    assert doc.warnings == ()


def test_json_frontmatter() -> None:
    text = (
        '{\n  "title": "JSON post",\n  "tags": ["a", "b"],\n  "date": "July 18, 2023"\n}\n\nBody.\n'
    )
    doc = parse_document(text, "j.md")
    assert (doc.title, doc.tags, doc.date) == ("JSON post", ("a", "b"), "2023-07-18")
    assert _texts(doc) == ["Body."]


def test_invalid_yaml_recovers_fields_keeps_body_and_warns() -> None:
    text = '---\ntitle: "Broken"\ntags: [x, y]\nviews:"12"\n---\nBody line.\n'
    doc = parse_document(text, "b.md")
    assert doc.title == "Broken"
    assert doc.tags == ("x", "y")
    assert doc.meta["views"] == "12"
    assert len(doc.warnings) == 1
    assert _texts(doc) == ["Body line."]


def test_unterminated_frontmatter_is_body_text_with_warning() -> None:
    text = "---\ntitle: never closed\n\nSome text.\n"
    doc = parse_document(text, "u.md")
    assert any("never closed" in w for w in doc.warnings)
    assert "Some text." in _texts(doc)
    assert "title: never closed" in "\n".join(_texts(doc))


def test_yaml_coercions_are_normalised() -> None:
    text = "---\ntitle: 2024\ntags: Open Source, LoRA ,  open   source\ndate: 1689638400\n---\nx\n"
    doc = parse_document(text, "c.md")
    assert doc.title == "2024"
    assert doc.tags == ("Open Source", "LoRA")  # "open   source" is the same tag
    assert doc.date == "2023-07-18T00:00:00+00:00"


def test_title_falls_back_to_other_language_then_heading_then_file_name() -> None:
    assert parse_document("---\ntitle: ''\ntitle_en: Other\n---\nx\n", "a.md").title == "Other"
    assert parse_document("# Heading *one*\n\ntext\n", "a.md").title == "Heading one"
    doc = parse_document("just words\n", "notes/my-file.md")
    assert doc.title == "my-file"
    assert any("file name" in w for w in doc.warnings)


def test_nested_zola_and_hugo_fields() -> None:
    text = (
        "---\ntitle: ''\nupdated: 2023-07-25\ntaxonomies:\n  tags: [Tech]\n"
        "extra:\n  author: A. Writer\n  original_title: Orig\n  source: https://example.org/p\n"
        "keywords: kw\n---\nBody.\n"
    )
    doc = parse_document(text, "n.md")
    assert doc.title == "Orig"
    assert doc.author == "A. Writer"
    assert doc.source == "https://example.org/p"
    assert doc.date == "2023-07-25"
    assert doc.tags == ("Tech", "kw")


def test_plain_text_trailing_tags_section() -> None:
    text = (
        "Site Name\n\nA Real Title For This Piece\n\n"
        + "Body sentence. " * 10
        + "\n\nTags\n\nAlpha, Beta\n"
    )
    doc = parse_document(text, "clip.txt")
    assert doc.title == "A Real Title For This Piece"
    assert doc.tags == ("Alpha", "Beta")


def test_chinese_plain_text_clipping_date() -> None:
    text = "首页\n\n开源模型的一年回顾\n\n2023年7月18日\n\n" + "这是正文。" * 30 + "\n"
    doc = parse_document(text, "clip.txt")
    assert doc.title == "开源模型的一年回顾"
    assert doc.date == "2023-07-18"
    assert doc.lang == "zh"
