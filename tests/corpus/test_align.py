"""The aligner on small, hand-built translations: the shapes of steps, anchors, confidence."""

from __future__ import annotations

import gc
import random
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corpus.align.aligner as aligner_module
from corpus.align import (
    LETTERS_PER_HAN,
    LOW_CONFIDENCE,
    align_blocks,
    alignment,
    pair_score,
)
from corpus.align.table import Table
from corpus.blocks import markdown_blocks
from corpus.language import block_lang
from corpus.model import Block, BlockKind


def para(text: str, kind: BlockKind = "paragraph", level: int = 0) -> Block:
    return Block(kind, text, 1, block_lang(text), level)


EN = [
    para("## Installation", "heading", 2),
    para(
        "Install the package with pip. It needs Python 3.11 or later and works on Linux, "
        "macOS and Windows."
    ),
    para("```bash\npip install llama-reader\n```", "code"),
    para(
        "The first run builds the search index, which takes about 40 seconds for a library of "
        "2,000 articles."
    ),
    para("## Usage", "heading", 2),
    para("Open your library with `llama-reader --library ~/articles` and press `/` to search."),
]
ZH = [
    para("## 安装", "heading", 2),
    para("用 pip 安装这个包。它需要 Python 3.11 或更高版本，可在 Linux、macOS 和 Windows 上运行。"),
    para("```bash\npip install llama-reader\n```", "code"),
    para("第一次运行时会建立搜索索引，对于 2,000 篇文章的文库大约需要 40 秒。"),
    para("## 用法", "heading", 2),
    para("用 `llama-reader --library ~/articles` 打开文库，按 `/` 搜索。"),
]


Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


def beads(en: Sequence[Block], zh: Sequence[Block]) -> Beads:
    return [(b.en, b.zh) for b in alignment(en, zh)]


def test_a_faithful_translation_pairs_block_by_block() -> None:
    rows = align_blocks(EN, ZH)
    assert [(r.en, r.zh) for r in rows] == list(zip(EN, ZH, strict=True))
    assert all(r.confidence is not None and r.confidence >= LOW_CONFIDENCE for r in rows)


def test_a_paragraph_the_translator_merged_becomes_one_row_with_both_english_blocks() -> None:
    merged = para(ZH[1].text + ZH[3].text)
    en = [EN[1], EN[3], EN[4]]
    zh = [merged, ZH[4]]
    assert beads(en, zh) == [((0, 1), (0,)), ((2,), (1,))]
    row = align_blocks(en, zh)[0]
    assert row.en is not None
    assert row.en.text == EN[1].text + "\n\n" + EN[3].text
    assert row.en.kind == EN[1].kind and row.en.line == EN[1].line
    assert row.zh == merged


def test_a_paragraph_split_in_two_becomes_one_row_with_both_chinese_blocks() -> None:
    first, second = ZH[1].text.split("。", 1)
    zh = [ZH[0], para(first + "。"), para(second), ZH[2]]
    assert beads(EN[:3], zh) == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


def test_a_translators_note_and_a_dropped_paragraph_stay_on_their_own() -> None:
    note = para("译者注：本节的安装步骤在中文环境下同样适用。")
    zh = [ZH[0], ZH[1], note, ZH[2], ZH[4], ZH[5]]  # ZH[3] dropped, a note added
    assert beads(EN, zh) == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((), (2,)),
        ((2,), (3,)),
        ((3,), ()),
        ((4,), (4,)),
        ((5,), (5,)),
    ]


STRATEGY_EN = [
    para(
        "The framework in an essay on open-source strategy names seven kinds of power a company "
        "gains by giving its code away: hiring, marketing, selling a complement, a free tier, "
        "weakening a rival's moat, goodwill and a say in standards."
    ),
    para(
        "Likewise, a more specific framework applied to machine learning models lists four more "
        "specific reasons:"
    ),
    para("- You have proprietary data but not enough resources.", "list_item"),
]
STRATEGY_ZH = [
    para(
        "开源战略文章中的框架列出了公司开放代码能获得的七种力量：招聘、营销、互补品、免费层、"
        "削弱对手、商誉和标准。"
    ),
    para("同样，它列出了四个更具体的原因："),  # a loose translation: far shorter than the English
    para("- 你拥有专有数据，但没有足够的资源。", "list_item"),
]


def test_a_paragraph_ending_in_a_colon_pairs_with_the_one_that_does() -> None:
    """By length alone, the two Chinese paragraphs read as one translation of the first English
    paragraph; the colon that introduces the list says where the second one belongs."""
    assert beads(STRATEGY_EN, STRATEGY_ZH) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    colon, stop = STRATEGY_ZH[1], para("同样，它列出了四个更具体的原因。")
    assert pair_score(STRATEGY_EN[1], colon) > pair_score(STRATEGY_EN[1], stop)
    question = para("为什么要开源一个模型？")
    assert pair_score(para("Why open-source a model?"), question) > pair_score(
        para("Open-source a model."), question
    )


def test_a_translators_note_is_not_paired_with_an_english_paragraph() -> None:
    """A note as long as an English paragraph at the same place is still the translator's own."""
    thanks = para(
        "Thanks to the readers who sent corrections to an earlier version of this article."
    )
    note = para("（译注：这里保留了原文的说法，未作改动。）")
    en = [STRATEGY_EN[0], thanks, STRATEGY_EN[2]]
    zh = [STRATEGY_ZH[0], note, STRATEGY_ZH[2]]
    assert beads(en, zh) == [((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2,))]
    editor_en = para("Editor's note: this section was updated after publication to fix a date.")
    editor_zh = para("编者按：本节在发表后有所更新，更正了一个日期。")
    assert beads([editor_en], [editor_zh]) == [((0,), (0,))]


def test_identical_code_blocks_pull_the_alignment_into_place() -> None:
    """Short captions give the length model nothing; the code blocks around them decide."""
    en = [
        para("Example:"),
        para("```py\nprint(1)\n```", "code"),
        para("Output:"),
        para("```\n1\n```", "code"),
    ]
    zh = [
        para("```py\nprint(1)\n```", "code"),
        para("输出："),
        para("```\n1\n```", "code"),
    ]
    assert beads(en, zh) == [((0,), ()), ((1,), (0,)), ((2,), (1,)), ((3,), (2,))]


def test_headings_pair_with_headings_of_their_level() -> None:
    en = [para("# Title", "heading", 1), para("## Part one", "heading", 2), para("Text here.")]
    zh = [para("## 第一部分", "heading", 2), para("正文。")]
    assert beads(en, zh) == [((0,), ()), ((1,), (0,)), ((2,), (1,))]


def test_empty_sides() -> None:
    assert align_blocks([], []) == []
    rows = align_blocks(EN[:2], [])
    assert [(r.en, r.zh, r.confidence) for r in rows] == [(EN[0], None, 1.0), (EN[1], None, 1.0)]
    rows = align_blocks([], ZH[:1])
    assert [(r.en, r.zh) for r in rows] == [(None, ZH[0])]


def test_pair_score_prefers_the_translation_to_every_other_block() -> None:
    """Strictly, except between two one-word headings: nothing local tells those apart."""
    for i, en in enumerate(EN):
        right = pair_score(en, ZH[i])
        assert right >= LOW_CONFIDENCE, (en.text, ZH[i].text)
        for j, zh in enumerate(ZH):
            if j != i:
                other = pair_score(en, zh)
                assert other <= right if en.kind == zh.kind == "heading" else other < right


def test_pair_score_is_a_probability() -> None:
    for en in EN:
        for zh in ZH:
            assert 0.0 <= pair_score(en, zh) <= 1.0


def test_anchors_survive_markup_a_translator_changes() -> None:
    """Link targets with a language segment and fence labels are read as the same anchor."""
    en = para("Read the [guide](https://example.org/en/docs/guide) first.")
    zh = para("请先阅读[指南](https://example.org/zh-cn/docs/guide)。")
    other = para("请先阅读[常见问题](https://example.org/zh-cn/docs/faq)。")
    assert pair_score(en, zh) > pair_score(en, other)
    ts = para("```ts\nimport { useRequest } from 'ahooks';\n```", "code")
    js = para("```js\nimport { useRequest } from 'ahooks';\n```", "code")
    assert pair_score(ts, js) > 0.95


def test_markdown_blocks_from_the_loader_align() -> None:
    en = markdown_blocks(
        "# Notes\n\nOne paragraph about 3 things.\n\n- first item\n- second item\n"
    )
    zh = markdown_blocks("# 笔记\n\n一段关于 3 件事的文字。\n\n- 第一项\n- 第二项\n")
    rows = align_blocks(en, zh)
    assert [(r.en.kind if r.en else None, r.zh.kind if r.zh else None) for r in rows] == [
        ("heading", "heading"),
        ("paragraph", "paragraph"),
        ("list_item", "list_item"),
        ("list_item", "list_item"),
    ]


# Properties of every alignment.

_TEXTS_EN = [
    "A short line.",
    "A much longer paragraph that goes on about the history of open models, 2023 and 2024.",
    "See https://example.org for more.",
    "Numbers: 7, 13 and 70.",
    "",
]
_TEXTS_ZH = [
    "短的一行。",
    "一段很长的文字，讲述开放模型在 2023 年和 2024 年的历史。",
    "数字：7、13 和 70。",
]
_KINDS: list[BlockKind] = ["paragraph", "heading", "list_item", "code", "table", "image"]


def _blocks(texts: list[str], kinds: list[BlockKind]) -> list[Block]:
    return [
        para(t or "x", k, 2 if k == "heading" else 0) for t, k in zip(texts, kinds, strict=False)
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_TEXTS_EN), st.sampled_from(_KINDS)), max_size=25),
    st.lists(st.tuples(st.sampled_from(_TEXTS_ZH), st.sampled_from(_KINDS)), max_size=25),
)
def test_every_block_appears_once_in_order_in_an_allowed_step(
    en_spec: list[tuple[str, BlockKind]], zh_spec: list[tuple[str, BlockKind]]
) -> None:
    en = _blocks([t for t, _ in en_spec], [k for _, k in en_spec])
    zh = _blocks([t for t, _ in zh_spec], [k for _, k in zh_spec])
    result = alignment(en, zh)
    assert [i for b in result for i in b.en] == list(range(len(en)))
    assert [j for b in result for j in b.zh] == list(range(len(zh)))
    for b in result:
        assert (len(b.en), len(b.zh)) in {(1, 1), (1, 0), (0, 1), (2, 1), (1, 2)}
        assert 0.0 <= b.confidence <= 1.0
        if len(b.en) == 2:
            assert en[b.en[0]].kind == en[b.en[1]].kind  # only blocks of one kind are merged
        if len(b.zh) == 2:
            assert zh[b.zh[0]].kind == zh[b.zh[1]].kind


def _drifting_pair(extra: int, seed: int) -> tuple[list[Block], list[Block], Beads]:
    """250 paragraphs with nothing but their lengths to go by, and a Chinese file with `extra`
    added paragraphs after the 10th: off any diagonal the band could start from. (With lengths
    alone, many such pairs are beyond any aligner; this seed is one the full table solves.)"""
    rng = random.Random(seed)
    sizes = [rng.randint(3, 40) for _ in range(250)]
    en = [para(" ".join(["alpha"] * n)) for n in sizes]
    zh = [para("字" * round(5 * n / LETTERS_PER_HAN)) for n in sizes]
    zh = zh[:10] + [para("补" * rng.randint(10, 60)) for _ in range(extra)] + zh[10:]
    expected: Beads = [((i,), (i,)) for i in range(10)]
    expected += [((), (10 + k,)) for k in range(extra)]
    expected += [((i,), (i + extra,)) for i in range(10, 250)]
    return en, zh, expected


def _count_passes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(rows, widest row) of each pass of the programme."""
    solve = Table.solve
    passes: list[tuple[int, int]] = []

    def counting_solve(self, bands, start=(0, 0), end=None):  # type: ignore[no-untyped-def]
        last = end[0] if end is not None else len(bands) - 1
        rows = bands[start[0] : last + 1]
        passes.append((len(rows), max(hi - lo for lo, hi in rows)))
        return solve(self, bands, start, end)

    monkeypatch.setattr(Table, "solve", counting_solve)
    return passes


def test_a_band_that_misses_the_path_is_replaced_by_the_whole_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    en, zh, expected = _drifting_pair(extra=12, seed=1)
    assert len(en) * len(zh) > aligner_module.FULL_BELOW
    monkeypatch.setattr(aligner_module, "BAND", 2)
    passes = _count_passes(monkeypatch)
    assert beads(en, zh) == expected
    assert len(passes) == 2 and passes[0][1] < 40 and passes[1] == (len(en) + 1, len(zh))


def test_a_band_too_narrow_for_a_long_pair_is_widened_where_it_touched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    en, zh, expected = _drifting_pair(extra=12, seed=1)
    monkeypatch.setattr(aligner_module, "BAND", 2)
    monkeypatch.setattr(aligner_module, "FULL_ON_DOUBT", 0)  # as if the pair were huge
    passes = _count_passes(monkeypatch)
    assert beads(en, zh) == expected
    assert len(passes) > 1
    assert all(rows < len(en) for rows, _ in passes[1:])  # only stretches are solved again
    assert max(width for _, width in passes[1:]) > passes[0][1]


def test_aligning_makes_no_reference_cycles_and_leaves_the_collector_as_it_was() -> None:
    """The programme runs with the cyclic garbage collector paused: sound only because nothing
    it makes refers to itself, so reference counting frees it all."""
    en, zh, _ = _drifting_pair(extra=3, seed=2)
    en = [*en, *STRATEGY_EN, para("A closing line the translator dropped.")]
    zh = [*zh, *STRATEGY_ZH, para("（译注：原文到此为止。）")]
    gc.collect()
    gc.disable()
    try:
        rows = align_blocks(en, zh)
        assert not gc.isenabled()  # a caller that turned it off keeps it off
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert align_blocks(en, zh) == rows
    assert gc.isenabled()
