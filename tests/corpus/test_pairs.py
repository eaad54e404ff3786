"""Finding the files that translate each other, and reading a pair as one bilingual document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.loader import doc_id, load_document, parse_document
from corpus.model import Document
from corpus.pairs import PairInfo, find_pairs, group_documents, merge_pair, pair_info

EN_BODY = """# Getting started

Install the tool with pip. It needs Python 3.11 or later.

```bash
pip install llama-reader
```

Then open your library and press `/` to search.
"""
ZH_BODY = """# 快速开始

用 pip 安装这个工具。它需要 Python 3.11 或更高版本。

```bash
pip install llama-reader
```

然后打开文库，按 `/` 搜索。
"""


def doc(path: str, body: str, front: str = "") -> Document:
    text = f"---\n{front}---\n{body}" if front else body
    return parse_document(text, path)


def en(path: str, front: str = "") -> Document:
    return doc(path, EN_BODY, front)


def zh(path: str, front: str = "") -> Document:
    return doc(path, ZH_BODY, front)


def pairs_of(*docs: Document) -> list[tuple[str, str]]:
    return find_pairs(pair_info(d) for d in docs)


@pytest.mark.parametrize(
    ("en_path", "zh_path"),
    [
        ("post/index.en.md", "post/index.zh.md"),
        ("post/index.en.md", "post/index.zh-cn.md"),
        ("post/index.EN.md", "post/index.zh-Hans.md"),
        ("post/index.md", "post/index.zh-tw.md"),
        ("notes/lora.md", "notes/lora.zh_CN.md"),
        ("content/en/posts/lora.md", "content/zh/posts/lora.md"),
        ("content/en/posts/lora.md", "content/zh-cn/posts/lora.md"),
        ("docs/intro.md", "docs/zh/intro.md"),
        ("docs/intro.md", "i18n/zh-Hans/docusaurus-plugin-content-docs/current/intro.md"),
        ("guide/setup.md", "i18n/zh/guide/setup.md"),
        ("README.md", "README.zh-CN.md"),
        ("README.md", "README_CN.md"),
        ("README.md", "README_zh.md"),
        ("README.md", "README-zh.md"),
        ("README.md", "README.zh.md"),
        ("readme.md", "README.zh-cn.md"),
        ("README.en.md", "README.md"),
    ],
)
def test_pairs_found_by_file_and_folder_names(en_path: str, zh_path: str) -> None:
    assert pairs_of(en(en_path), zh(zh_path)) == [(en_path, zh_path)]
    assert pairs_of(zh(zh_path), en(en_path)) == [(en_path, zh_path)]  # order does not matter


def test_the_chinese_readme_can_be_the_unmarked_one() -> None:
    assert pairs_of(zh("README.md"), en("README_EN.md")) == [("README_EN.md", "README.md")]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("post/index.en.md", "other/index.zh.md"),  # different folders
        ("post/a.en.md", "post/b.zh.md"),  # different names
        ("content/en/x.md", "content/zh/y.md"),
        ("do-it.md", "do.md"),  # "-it" is not Italian, and these are two documents
    ],
)
def test_no_pair_without_a_shared_name(a: str, b: str) -> None:
    assert pairs_of(en(a), zh(b)) == []


def test_two_files_of_one_language_never_pair() -> None:
    assert pairs_of(en("a/index.en.md"), en("a/index.md")) == []
    assert pairs_of(zh("a/index.zh.md"), zh("a/index.md")) == []
    assert pairs_of(en("x.md", "translationKey: k\n"), en("y.md", "translationKey: k\n")) == []


def test_a_file_marked_chinese_by_its_name_is_chinese_whatever_its_content() -> None:
    """A Chinese README of a code project can be mostly English code and links."""
    info = pair_info(en("README.zh-CN.md"))
    assert info.lang == "zh"


def test_other_languages_are_left_alone() -> None:
    docs = [en("README.md"), zh("README.ja.md"), zh("README.ko.md"), zh("post/index.ja.md")]
    assert pairs_of(*docs) == []
    assert pair_info(zh("README.ja.md")).lang == "ja"


def test_simplified_chinese_is_preferred_when_there_are_two_translations() -> None:
    docs = [en("README.md"), zh("README.zh-TW.md"), zh("README.zh-CN.md")]
    assert pairs_of(*docs) == [("README.md", "README.zh-CN.md")]


def test_a_bilingual_document_never_pairs() -> None:
    interleaved = doc(
        "post/index.zh.md",
        "# Title\n\n# 标题\n\nAn English paragraph about models.\n\n一段关于模型的中文。\n",
    )
    assert interleaved.lang == "bilingual"
    assert pair_info(interleaved).lang == "bilingual"
    assert pairs_of(en("post/index.en.md"), interleaved) == []


def test_translation_key_pairs_files_with_any_names() -> None:
    a = en("posts/why-open-weights.md", "translationKey: open-weights\n")
    b = zh("posts/kai-fang-quan-zhong.md", "translationKey: open-weights\n")
    c = zh("posts/other.md", "translationKey: something-else\n")
    assert pairs_of(a, b, c) == [("posts/why-open-weights.md", "posts/kai-fang-quan-zhong.md")]


def test_translation_key_in_hugo_params() -> None:
    a = en("a.md", "params:\n  translationKey: k1\n")
    b = zh("b.md", "params:\n  translationKey: k1\n")
    assert pairs_of(a, b) == [("a.md", "b.md")]


@pytest.mark.parametrize(
    "front",
    [
        "translation_of: ../en/why.md\n",
        "translation_of: articles/en/why.md\n",
        "original: ../en/why\n",
        "extra:\n  translation_of: /articles/en/why.md\n",
    ],
)
def test_translation_of_names_the_original_by_path(front: str) -> None:
    a = en("articles/en/why.md")
    b = zh("articles/cn-version/wei-shen-me.md", front)
    assert pairs_of(a, b) == [("articles/en/why.md", "articles/cn-version/wei-shen-me.md")]


def test_original_as_a_url_names_a_web_page_not_a_file() -> None:
    b = zh("x.zh.md", "original: https://example.org/why.md\n")
    assert pair_info(b).translation_of is None


def test_original_title_pairs_with_the_document_of_that_title() -> None:
    a = en("blog/why-meta-open-sourced-llama-2.md", "title: Why Did Meta Open-Source Llama 2?\n")
    b = zh(
        "clips/meta-kaiyuan.md",
        "title: 为什么 Meta 开源 Llama 2\n"
        "extra:\n  original_title: why did meta open-source llama 2\n",
    )
    assert pairs_of(a, b) == [(a.path, b.path)]


def test_original_title_shared_by_two_documents_is_ambiguous() -> None:
    a = en("a.md", "title: Notes\n")
    b = en("b.md", "title: Notes\n")
    c = zh("c.md", "title: 笔记\noriginal_title: Notes\n")
    assert pairs_of(a, b, c) == []


def test_links_are_trusted_before_names() -> None:
    """index.en.md and index.zh.md share a name, but the Chinese file says it translates
    another file."""
    a = en("post/index.en.md")
    b = zh("post/index.zh.md", "translation_of: ../other/original.md\n")
    c = en("other/original.md")
    assert pairs_of(a, b, c) == [("other/original.md", "post/index.zh.md")]


def test_each_file_is_in_at_most_one_pair() -> None:
    docs = [en("README.md"), en("README.en.md"), zh("README.zh-CN.md"), zh("README_zh.md")]
    found = pairs_of(*docs)
    paths = [p for pair in found for p in pair]
    assert len(paths) == len(set(paths)) == 4
    assert ("README.en.md", "README.zh-CN.md") in found  # marked with marked, simplified first


def test_pair_info_round_trips_through_json() -> None:
    info = pair_info(zh("x/index.zh.md", "translationKey: k\ntitle: 标题\noriginal_title: T\n"))
    data = json.loads(json.dumps(info.to_dict()))
    assert PairInfo.from_dict(data) == info
    assert info == PairInfo(
        path="x/index.zh.md",
        lang="zh",
        title="标题",
        title_alt=info.title_alt,
        translation_key="k",
        translation_of=None,
        original_title="T",
    )


def test_find_pairs_needs_only_the_stored_facts() -> None:
    infos = [
        PairInfo(path="a/index.en.md", lang="en", title="A"),
        PairInfo(path="a/index.zh.md", lang="zh", title="甲"),
        PairInfo(path="b/index.md", lang="zh", title="乙"),
    ]
    assert find_pairs(infos) == [("a/index.en.md", "a/index.zh.md")]


# Merging a pair.


def test_merge_pair_reads_both_files_as_one_bilingual_document() -> None:
    a = en("post/index.en.md", "title: Getting started\ndate: 2024-03-02\ntags: [Tools, Python]\n")
    b = zh("post/index.zh.md", "title: 快速开始\ndate: 2024-03-10\ntags: [python, 工具]\n")
    merged = merge_pair(a, b)
    assert merged.lang == "bilingual"
    assert merged.path == "post/index.en.md"
    assert merged.files == ("post/index.en.md", "post/index.zh.md")
    assert merged.id == doc_id("post/index.en.md\npost/index.zh.md")
    assert merged.id not in (a.id, b.id)
    assert (merged.title, merged.title_alt) == ("Getting started", "快速开始")
    assert merged.date == "2024-03-02"
    assert merged.tags == ("Tools", "Python", "工具")
    kinds = [(r.en.kind if r.en else None, r.zh.kind if r.zh else None) for r in merged.rows]
    assert kinds == [
        ("heading", "heading"),
        ("paragraph", "paragraph"),
        ("code", "code"),
        ("paragraph", "paragraph"),
    ]
    assert all(r.confidence is not None and 0 <= r.confidence <= 1 for r in merged.rows)


def test_merge_pair_joins_paragraphs_the_translator_merged() -> None:
    body = EN_BODY.replace(
        "Install the tool with pip. It needs Python 3.11 or later.",
        "Install the tool with pip.\n\nIt needs Python 3.11 or later, on any system.",
    )
    merged = merge_pair(doc("a.en.md", body), zh("a.zh.md"))
    joined = merged.rows[1]
    assert joined.en is not None and joined.zh is not None
    assert (
        joined.en.text
        == "Install the tool with pip.\n\nIt needs Python 3.11 or later, on any system."
    )
    assert joined.zh.text.startswith("用 pip 安装")


def test_merge_pair_keeps_warnings_with_the_file_they_belong_to() -> None:
    a = doc("a.en.md", "Just a paragraph without any heading, in English, of some length.\n")
    b = zh("a.zh.md")
    merged = merge_pair(a, b)
    assert all(w.startswith("a.en.md: ") for w in merged.warnings if "no title" in w)
    assert any("no title" in w for w in merged.warnings)


def test_group_documents_lists_each_pair_once_in_place() -> None:
    docs = [
        en("a.md"),
        zh("post/index.zh.md"),
        en("b.md"),
        en("post/index.en.md"),
        zh("c.md"),
    ]
    grouped = group_documents(docs)
    assert [d.path for d in grouped] == ["a.md", "post/index.en.md", "b.md", "c.md"]
    assert grouped[1].files == ("post/index.en.md", "post/index.zh.md")
    assert grouped[0] is docs[0] and grouped[2] is docs[2] and grouped[3] is docs[4]


def test_real_translation_pairs_are_found(realworld_dir: Path) -> None:
    docs = [load_document(p, realworld_dir) for p in sorted(realworld_dir.rglob("*.md"))]
    docs_ok = [d for d in docs if isinstance(d, Document)]
    assert find_pairs(pair_info(d) for d in docs_ok) == [
        ("alibaba-hooks/README.md", "alibaba-hooks/README.zh-CN.md"),
        (
            "codgician-blog/secure-zfs-auto-unlock-at-boot-nixos/index.en.md",
            "codgician-blog/secure-zfs-auto-unlock-at-boot-nixos/index.zh.md",
        ),
        # The plain README is the Simplified Chinese original; zh-TW and ja-JP stay on their own.
        ("ecopaste/README.en-US.md", "ecopaste/README.md"),
        ("go-kratos/README.md", "go-kratos/README_zh.md"),
        (
            "loveit-docs/theme-documentation-built-in-shortcodes/index.en.md",
            "loveit-docs/theme-documentation-built-in-shortcodes/index.zh-cn.md",
        ),
        ("youzan-vant/README.md", "youzan-vant/README.zh-CN.md"),
    ]
    grouped = group_documents(docs_ok)
    assert len(grouped) == len(docs_ok) - 6
    merged = [d for d in grouped if len(d.files) == 2]
    assert len(merged) == 6 and all(d.lang == "bilingual" for d in merged)
    zfs = next(d for d in merged if d.path.startswith("codgician"))
    assert zfs.title == "A Secure ZFS Unlock Mechanism with TPM2 on NixOS"
    assert zfs.title_alt == "在 NixOS 上实现安全的 TPM2 + ZFS 自动解锁"
    assert zfs.tags == ("nixos", "zfs", "tpm", "security", "encryption")
