"""Pairing blocks into rows: what the reader puts side by side."""

from __future__ import annotations

from corpus.language import block_lang
from corpus.loader import parse_document, plain
from corpus.model import Document


def _pairs(doc: Document) -> list[tuple[str | None, str | None]]:
    return [
        (plain(r.en.text) if r.en else None, plain(r.zh.text) if r.zh else None) for r in doc.rows
    ]


EN1 = "Meta released the first LLaMA models to researchers in February 2023."
ZH1 = "Meta 在 2023 年 2 月向研究人员发布了第一批 LLaMA 模型。"
EN2 = "Within a week the weights had leaked and were shared on public trackers."
ZH2 = "不到一周，权重就泄露了，并在公共种子站上传播。"


def test_english_first_interleaving() -> None:
    doc = parse_document(f"# Title\n\n# 标题\n\n{EN1}\n\n{ZH1}\n\n{EN2}\n\n{ZH2}\n", "a.md")
    assert _pairs(doc) == [("Title", "标题"), (EN1, ZH1), (EN2, ZH2)]
    assert doc.lang == "bilingual"


def test_chinese_first_interleaving() -> None:
    doc = parse_document(f"{ZH1}\n\n{EN1}\n\n{ZH2}\n\n{EN2}\n", "a.md")
    assert _pairs(doc) == [(EN1, ZH1), (EN2, ZH2)]


def test_untranslated_note_does_not_shift_the_pairs() -> None:
    note = "Editor's note: this summary was written for the archive and is not translated."
    doc = parse_document(f"{EN1}\n\n{ZH1}\n\n{note}\n\n{EN2}\n\n{ZH2}\n", "a.md")
    assert _pairs(doc) == [(EN1, ZH1), (note, None), (EN2, ZH2)]


EN3 = "Meta released Llama 2 in July 2023 under a licence that allows commercial use."
ZH3 = "Meta 于 2023 年 7 月发布了 Llama 2，其许可证允许商业使用。"


def test_a_note_beside_a_paragraph_whose_translation_is_missing_is_not_its_partner() -> None:
    """Each stays on its own row, and the pairs around them keep their places."""
    note = "译者注：本文写于原作发表之时，文中的数字此后可能已有变化。"
    doc = parse_document(f"{EN1}\n\n{ZH1}\n\n{EN2}\n\n{note}\n\n{EN3}\n\n{ZH3}\n", "a.md")
    assert _pairs(doc) == [(EN1, ZH1), (EN2, None), (None, note), (EN3, ZH3)]
    update = "Editor's note: this section was updated after publication to correct a date."
    doc = parse_document(f"{EN1}\n\n{ZH1}\n\n{update}\n\n{ZH2}\n\n{EN3}\n\n{ZH3}\n", "a.md")
    assert _pairs(doc) == [(EN1, ZH1), (update, None), (None, ZH2), (EN3, ZH3)]


def test_code_and_images_stay_rows_of_their_own() -> None:
    text = f"{EN1}\n\n{ZH1}\n\n```python\nprint('hi')\n```\n\n![diagram](d.png)\n\n{EN2}\n\n{ZH2}\n"
    doc = parse_document(text, "a.md")
    kinds = [r.kind for r in doc.rows]
    assert kinds == ["paragraph", "code", "image", "paragraph"]
    assert not doc.rows[1].is_pair and not doc.rows[2].is_pair


def test_one_list_item_holding_both_languages_splits_and_repairs_emphasis() -> None:
    text = f"- **{EN1}  \n\n  {ZH1}**\n- _{EN2}_\n\n  _{ZH2}_\n"
    doc = parse_document(text, "a.md")
    assert len(doc.rows) == 2
    first = doc.rows[0]
    assert first.en is not None and first.zh is not None
    assert first.en.text == f"- **{EN1}**"
    assert first.zh.text == f"- **{ZH1}**"
    second = doc.rows[1]
    assert second.en is not None and second.en.text == f"- _{EN2}_"


def test_paragraph_with_hard_break_between_languages_splits() -> None:
    doc = parse_document(f"{EN1}  \n{ZH1}\n", "a.md")
    assert _pairs(doc) == [(EN1, ZH1)]


def test_bilingual_headings_both_orders() -> None:
    text = (
        "## 引言 (Introduction)\n\n## Background 背景\n\n## 结论（Conclusion）\n\n"
        "## Llama 3：更多的数据 (More Data)\n"
    )
    assert _pairs(parse_document(text, "a.md")) == [
        ("Introduction", "引言"),
        ("Background", "背景"),
        ("Conclusion", "结论"),
        ("More Data", "Llama 3：更多的数据"),
    ]


def test_chinese_headings_with_english_names_are_not_split() -> None:
    doc = parse_document(
        "## Meta 的开源战略\n\n## LLaMA 1：开源革命\n\n## Angular 中的可观察对象\n", "a.md"
    )
    assert all(r.en is None for r in doc.rows)
    assert doc.lang == "zh"


def test_chinese_post_with_english_headings_is_not_paired() -> None:
    body = "\n\n".join(
        f"## {name}\n\n[`{name}` 的文档](https://example.org/{name}) 介绍了这个功能的用法和参数。"
        for name in ("figure", "gist", "highlight", "instagram")
    )
    doc = parse_document(body + "\n", "a.md")
    assert not any(r.is_pair for r in doc.rows)


def test_monolingual_documents_fill_one_side() -> None:
    en = parse_document(f"{EN1}\n\n{EN2}\n", "a.md")
    assert en.lang == "en" and all(r.en and not r.zh for r in en.rows)
    zh = parse_document(f"{ZH1}\n\n{ZH2}\n", "a.md")
    assert zh.lang == "zh" and all(r.zh and not r.en for r in zh.rows)


def test_block_language_rules() -> None:
    assert block_lang("Llama 2 提供 7b、13b 和 70b 参数大小。") == "zh"
    assert block_lang("適用於 Instagram / Threads / Facebook 的 LLM 功能。") == "zh"
    assert block_lang("The word 开源 means open source.") == "en"
    assert block_lang("- [`char::MAX`], [`u8::MIN`]") == "none"
    assert block_lang("12345 — 42%") == "none"
    assert block_lang("See https://example.org/开源 for details") == "en"


def test_source_lines_point_into_the_file() -> None:
    text = f"---\ntitle: t\n---\n\n{EN1}\n\n{ZH1}\n\n- item one\n- item two\n"
    doc = parse_document(text, "a.md")
    lines = text.split("\n")
    for row in doc.rows:
        for block in row.blocks:
            first = plain(block.text).split()[0]
            assert first in lines[block.line - 1], (block.line, block.text)
