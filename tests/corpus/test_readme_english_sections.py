"""A Chinese README that keeps sections in English is still the translation of README.md."""

from __future__ import annotations

from pathlib import Path

from corpus.library import load_library
from corpus.model import Document
from tests.index_helpers import write
from tests.shared_files import PAIRS


def only_document(library: Path) -> Document:
    documents, skipped = load_library(library)
    assert not skipped
    assert len(documents) == 1, [d.path for d in documents]
    return documents[0]


def sides(doc: Document) -> list[tuple[str, str]]:
    return [
        ((r.en.text if r.en else "").split("\n")[0], (r.zh.text if r.zh else "").split("\n")[0])
        for r in doc.rows
    ]


def test_a_mostly_english_chinese_readme_pairs_with_the_english_one() -> None:
    doc = only_document(PAIRS / "notejar")
    assert doc.lang == "bilingual"
    assert set(doc.files) == {"README.md", "README.zh.md"}
    rows = sides(doc)
    assert ("## Usage", "## 使用方法") in rows
    assert rows[1][1].startswith("一个把纯文本笔记")  # the intro beside its translation
    # Sections left in English sit beside themselves, in the order both files have them.
    kept = [en for en, zh in rows if en == zh and en.startswith("## ")]
    assert kept == ["## Installation", "## Configuration", "## Contributing", "## License"]


def test_a_readme_that_reads_as_bilingual_alone_still_pairs_in_reading_order(
    tmp_path: Path,
) -> None:
    # Alone, the Chinese README's English section sits beside its Chinese intro (the two
    # look like sections in turn); beside README.md the file name says what it is.
    write(
        tmp_path / "README.md",
        "# cupboard\n\nA small tool for sorting recipes, with tags and full-text search.\n\n"
        "## Installation\n\nRun the installer and follow the prompts on screen to finish.\n\n"
        "## Usage\n\nOpen a terminal and type the command to start sorting your recipes.\n",
    )
    write(
        tmp_path / "README.zh.md",
        "# cupboard\n\n一个用来整理菜谱的小工具，支持标签和全文搜索。\n\n"
        "## Installation\n\nRun the installer and follow the prompts on screen to finish.\n\n"
        "## 使用方法\n\n打开终端，输入命令即可开始整理你的菜谱。\n",
    )
    doc = only_document(tmp_path)
    assert doc.lang == "bilingual" and len(doc.files) == 2
    zh_lines = [r.zh.line for r in doc.rows if r.zh is not None]
    assert zh_lines == sorted(zh_lines)
    assert ("## Usage", "## 使用方法") in sides(doc)
    assert ("## Installation", "## Installation") in sides(doc)
