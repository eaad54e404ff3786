"""Simplified and Traditional Chinese folded to one form (for the index to use)."""

from __future__ import annotations

from pathlib import Path

from corpus.hanzi import fold, to_simplified
from corpus.loader import load_document
from corpus.model import Document


def test_traditional_words_fold_to_simplified() -> None:
    assert fold("開源模型") == "开源模型"
    assert fold("開發者") == "开发者"
    assert to_simplified("開源模型") == "开源模型"
    assert to_simplified("軟體") == "软件"  # a word that differs, not only its characters
    assert to_simplified("記憶體") == "内存"


def test_simplified_and_other_text_pass_through() -> None:
    for text in ("开源模型让更多开发者参与", "Open weights, 7B", ""):
        assert fold(text) == text
    assert fold("软件") == "软件" and to_simplified("软件") == "软件"


def test_fold_keeps_offsets() -> None:
    text = "越來越多開發者選擇開源模型，因為可以在自己的電腦上執行。Llama 3 也是。"
    folded = fold(text)
    assert len(folded) == len(text)
    start = folded.index("开源模型")
    assert text[start : start + 4] == "開源模型"


def test_a_big5_file_folds_to_the_simplified_words() -> None:
    root = Path(__file__).parents[1] / "fixtures" / "real" / "bad-input"
    doc = load_document(root / "big5-traditional.md", root)
    assert isinstance(doc, Document)
    text = "\n".join(b.text for r in doc.rows for b in r.blocks)
    assert "开发者" in fold(text) and "开源模型" in fold(text)
    assert "开源模型" not in text  # shown as written


def test_each_opencc_table_is_loaded_once_however_queries_alternate() -> None:
    # Loading a table costs a few hundred ms: a Chinese query asks three of them in turn, and
    # reloading them made every Chinese search take over half a second.
    from corpus import hanzi

    hanzi._converter.cache_clear()
    for _ in range(5):
        hanzi.variants("开源软件")
        hanzi.fold("開源軟體")
    assert hanzi._converter.cache_info().misses == 3
