"""Translation pairs in the layouts real repositories and sites use (tests/fixtures/real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.loader import load_document, parse_document
from corpus.model import Document
from corpus.pairs import find_pairs, group_documents, pair_info

REAL = Path(__file__).parents[1] / "fixtures" / "real"
EN = "# Getting started\n\nInstall the tool with pip. It needs Python 3.11 or later.\n"
ZH = "# 快速开始\n\n用 pip 安装这个工具。它需要 Python 3.11 或更高版本。\n"


def load_tree(folder: str) -> list[Document]:
    root = REAL / folder
    docs = [load_document(p, root) for p in sorted(root.rglob("*.md"))]
    assert all(isinstance(d, Document) for d in docs)
    return [d for d in docs if isinstance(d, Document)]


def pairs_of(*docs: Document) -> list[tuple[str, str]]:
    return find_pairs(pair_info(d) for d in docs)


@pytest.mark.parametrize(
    ("en_path", "zh_path"),
    [
        ("README.md", "README.zh-CN.md"),
        ("README.md", "README-zh_CN.md"),
        ("README.md", "README_CN.md"),
        ("README.md", "README_cn.md"),
        ("README.md", "README.zh-Hans.md"),
        ("README.md", "README_zh.md"),
        ("README.md", "README_TW.md"),
        ("README.md", "docs/README-ZH.md"),
        ("README.md", ".github/README.zh-CN.md"),
        ("pkg/README.md", "pkg/docs/README_zh.md"),
        ("README.en-US.md", "README.md"),
        ("README.en.md", "README.md"),
        ("docs/README-EN.md", "README.md"),
        ("site/post/index.en.md", "site/post/index.zh-hans.md"),
        ("notes/tea.en.md", "notes/tea.zh.md"),
    ],
)
def test_naming_conventions_pair(en_path: str, zh_path: str) -> None:
    en, zh = parse_document(EN, en_path), parse_document(ZH, zh_path)
    assert pairs_of(en, zh) == [(en_path, zh_path)]
    assert pairs_of(zh, en) == [(en_path, zh_path)]


def test_a_readme_in_docs_pairs_first_with_its_own_folder() -> None:
    docs = [
        parse_document(EN, "README.md"),
        parse_document(EN, "docs/README.md"),
        parse_document(ZH, "docs/README.zh-CN.md"),
    ]
    assert pairs_of(*docs) == [("docs/README.md", "docs/README.zh-CN.md")]


def test_an_unmarked_readme_in_docs_is_not_a_translation() -> None:
    assert pairs_of(parse_document(EN, "README.md"), parse_document(ZH, "docs/README.md")) == []


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("README.ja-JP.md", "ja"),
        ("README_jp.md", "ja"),
        ("README-ko.md", "ko"),
        ("README.pt-BR.md", "pt"),
        ("post/index.bg.md", "bg"),
        ("post/index.el.md", "el"),
        ("post/index.es-419.md", "es"),
    ],
)
def test_a_file_named_for_another_language_is_that_language(path: str, lang: str) -> None:
    assert pair_info(parse_document(ZH, path)).lang == lang
    assert pairs_of(parse_document(EN, "README.md"), parse_document(ZH, path)) == []


def test_hugo_site_in_many_languages_pairs_only_english_with_chinese() -> None:
    docs = load_tree("hugo-site")
    posts = "content/posts"
    assert pairs_of(*docs) == [
        (f"{posts}/first-frost/index.en.md", f"{posts}/first-frost/index.zh-cn.md"),
        (f"{posts}/lanterns.md", f"{posts}/zhi-deng-long.md"),  # translationKey
        (f"{posts}/night-market/index.en.md", f"{posts}/night-market/index.zh-hans.md"),
    ]
    langs = {d.path.removeprefix(f"{posts}/"): pair_info(d).lang for d in docs}
    others = {k: v for k, v in langs.items() if v not in ("en", "zh")}
    assert others == {
        "first-frost/index.bg.md": "bg",
        "first-frost/index.de.md": "de",
        "first-frost/index.el.md": "el",
        "first-frost/index.es.md": "es",
        "first-frost/index.ja.md": "ja",
        "first-frost/index.ru.md": "ru",
        "night-market/index.ko.md": "ko",
        "river-walk/index.fr.md": "fr",
    }
    grouped = group_documents(docs)
    assert len(grouped) == len(docs) - 3
    frost = next(d for d in grouped if d.path.endswith("first-frost/index.en.md"))
    assert (frost.title, frost.title_alt, frost.lang) == (
        "The First Frost in the Hills",
        "山里的第一场霜",
        "bilingual",
    )


def test_a_chinese_readme_that_keeps_english_sections_is_chinese_until_paired() -> None:
    en, zh = load_tree("readme-keeps-english")
    assert (en.lang, zh.lang) == ("en", "zh")
    assert pair_info(zh).lang == "zh"
    (merged,) = group_documents([en, zh])
    assert merged.lang == "bilingual" and merged.files == ("README.md", "README_CN.md")
    pairs = {(r.en.text, r.zh.text) for r in merged.rows if r.en and r.zh}
    assert ("- The Quiet Press", "- The Quiet Press") in pairs  # the untranslated sponsor list
    assert ("## Features", "## 特性") in pairs
    zh_side = [r.zh.text for r in merged.rows if r.zh]
    assert any("交流群" in t for t in zh_side)  # a section only the translation has is kept


def test_a_chinese_readme_in_docs_pairs_with_the_root_and_keeps_its_heading_as_title() -> None:
    docs = load_tree("readme-docs-zh")
    zh = next(d for d in docs if d.path == "docs/README-ZH.md")
    assert zh.title == "Tidepool 潮汐池"
    (merged,) = group_documents(docs)
    assert merged.files == ("README.md", "docs/README-ZH.md")
    assert merged.title_alt == "Tidepool 潮汐池"


def test_a_chinese_original_readme_pairs_with_its_english_translation_only() -> None:
    docs = load_tree("readme-zh-original")
    assert pairs_of(*docs) == [("README.en-US.md", "README.md")]
    langs = {d.path: pair_info(d).lang for d in docs}
    assert langs == {
        "README.en-US.md": "en",
        "README.ja-JP.md": "ja",
        "README.md": "zh",
        "README.zh-TW.md": "zh",
    }
    merged = next(d for d in group_documents(docs) if len(d.files) == 2)
    assert (merged.title, merged.title_alt) == ("Glimmer Clipboard", "拾光剪贴板")
