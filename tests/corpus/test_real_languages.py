"""Languages other than English and Chinese: each document's `lang` is its real language."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.langid import identify, script_language
from corpus.loader import load_document, parse_document
from corpus.model import Document

REAL = Path(__file__).parents[1] / "fixtures" / "real"
BLOCKS = REAL / "langid" / "blocks.tsv"


def blocks() -> list[tuple[str, str]]:
    lines = BLOCKS.read_text(encoding="utf-8").splitlines()
    return [(lang, text) for lang, text in (line.split("\t", 1) for line in lines if line)]


def test_short_blocks_are_identified() -> None:
    found = [(lang, identify(text)) for lang, text in blocks()]
    right = sum(1 for lang, got in found if lang == got)
    assert right >= 0.93 * len(found)
    # An English heading or name is never read as another language...
    assert all(got == "en" for lang, got in found if lang == "en")
    # ...and Chinese, Japanese, Korean, Cyrillic and Greek blocks always right.
    assert all(lang == got for lang, got in found if lang in {"zh", "ja", "ko", "ru", "bg", "el"})


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("用 pip 安装这个工具。", "zh"),
        ("開源模型讓更多開發者可以參與研究。", "zh"),
        ("このツールは pip でインストールできます。", "ja"),
        ("東京の天気", "ja"),
        ("설정 파일을 노트 옆에 두세요.", "ko"),
        ("Install the tool with pip, then open the library.", None),
    ],
)
def test_scripts_decide_east_asian_languages(text: str, lang: str | None) -> None:
    assert script_language(text) == lang


def test_names_and_badges_stay_english() -> None:
    for text in (
        "MIT",
        "Vant 4",
        "[![CI](https://ci.example.org/badge.svg)](https://ci.example.org)",
    ):
        assert identify(text) == "en"


def test_hugo_pages_in_other_languages_have_their_own_code() -> None:
    root = REAL / "hugo-site"
    docs = [load_document(p, root) for p in sorted(root.rglob("*.md"))]
    langs = {
        d.path.rsplit("/", 2)[-2] + "/" + d.path.rsplit("/", 1)[-1]: d.lang
        for d in docs
        if isinstance(d, Document)
    }
    assert langs["first-frost/index.de.md"] == "de"
    assert langs["first-frost/index.ru.md"] == "ru"
    assert langs["first-frost/index.bg.md"] == "bg"
    assert langs["first-frost/index.el.md"] == "el"
    assert langs["first-frost/index.es.md"] == "es"
    assert langs["first-frost/index.ja.md"] == "ja"
    assert langs["night-market/index.ko.md"] == "ko"
    assert langs["river-walk/index.fr.md"] == "fr"
    assert langs["first-frost/index.en.md"] == "en"
    assert langs["first-frost/index.zh-cn.md"] == "zh"


def test_a_japanese_page_is_not_chinese_and_never_pairs_as_chinese() -> None:
    root = REAL / "readme-zh-original"
    ja = load_document(root / "README.ja-JP.md", root)
    assert isinstance(ja, Document) and ja.lang == "ja"


def test_content_decides_without_a_name() -> None:
    german = parse_document(
        "# Notizen\n\nWir stiegen zum alten Turm hinauf, bevor die Sonne das Tal erreichte, "
        "und sahen die Felder unter dem Reif.\n",
        "notes/turm.md",
    )
    assert german.lang == "de"
    english = parse_document(
        "# Kratos\n\n[![Build](https://ci.example.org/b.svg)](https://ci.example.org)\n\n"
        "A small framework for services written in Go.\n",
        "README.md",
    )
    assert english.lang == "en"


def test_realworld_files_keep_their_languages(realworld_dir: Path) -> None:
    docs = [load_document(p, realworld_dir) for p in sorted(realworld_dir.rglob("*.md"))]
    langs = {d.path: d.lang for d in docs if isinstance(d, Document)}
    assert langs["ecopaste/README.ja-JP.md"] == "ja"
    assert langs["ecopaste/README.md"] == "zh"
    assert langs["ecopaste/README.zh-TW.md"] == "zh"
    assert langs["angular-cn/observables-in-angular.md"] == "bilingual"
    assert {langs["go-kratos/README.md"], langs["go-kratos/README_zh.md"]} == {"en", "zh"}
