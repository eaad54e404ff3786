"""Line breaking: Chinese by cell width with punctuation rules, English at word boundaries."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from tui.layout.wrap import NO_LINE_END, NO_LINE_START, break_lines, wrap_text

ZH = (
    "Llama 2 是 Meta 的一个商业开源模型，它建立在 LLaMA 的基础上，LLaMA 是“仅限学术使用”的模型，"
    "实际上，任何可以点击下载链接的人都可以使用。在高层次上，许多人熟悉大型科技公司的战略开源"
    "（Android、Chrome 和 Visual Studio Code 等产品）。但是，为什么 Meta 会让 Llama 2 的权重"
    "商业化呢？《开源战略简短分类法》中的框架确定了 7 种不同类别的战略力量：招聘、营销……"
)
EN = (
    "Llama 2 is a commercially-available open-source model from Meta that builds on LLaMA, "
    "the “academic-use only” model that was, in reality, generally available to anyone who "
    "could click a download link."
)


def lines_of(text: str, width: int) -> list[str]:
    return [text[a:b] for a, b in break_lines(text, width)]


def _head(line: str) -> str:
    """The unbreakable start of a line: opening brackets, one character, closing punctuation."""
    k = 0
    while k < len(line) and line[k] in NO_LINE_END:
        k += 1
    k += 1
    while k < len(line) and line[k] in NO_LINE_START:
        k += 1
    return line[:k]


def test_chinese_lines_fill_the_width_in_cells_and_never_exceed_it() -> None:
    text = re.sub(r"[A-Za-z0-9 ]+", "", ZH)
    for width in range(8, 61):
        lines = lines_of(text, width)
        assert all(cell_len(line) <= width for line in lines), width
        # Greedy: a line is only short when the next unbreakable piece would not fit.
        for line, nxt in itertools.pairwise(lines):
            assert cell_len(line) + cell_len(_head(nxt)) > width, (width, line, nxt)


def test_no_closing_punctuation_starts_a_line_and_no_opening_bracket_ends_one() -> None:
    # From 12 cells on, every unbreakable piece of ZH fits (the widest is "（Android、", 11);
    # narrower than a piece, the piece is cut where it overflows.
    for width in range(12, 61):
        lines = lines_of(ZH, width)
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (width, line)
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END, (width, line)


def test_punctuation_rules_named_in_the_issue() -> None:
    for char in "，。、：；！？）」』》〉】…—,.;:!?)":
        assert char in NO_LINE_START
    for char in "（「『《〈【“‘(":
        assert char in NO_LINE_END
    # At width 10 a per-character wrap would start the second line with "。": the character
    # before it moves down with it instead.
    assert lines_of("一二三四五。六七八九", 10) == ["一二三四", "五。六七八", "九"]
    assert lines_of("一二三四五。", 10) == ["一二三四", "五。"]
    assert lines_of("一二三（四五", 8) == ["一二三", "（四五"]


def test_latin_word_inside_chinese_is_not_split_unless_longer_than_the_line() -> None:
    text = "我们使用Transformer架构训练模型"
    for width in range(12, 30):
        lines = lines_of(text, width)
        assert any("Transformer" in line for line in lines), (width, lines)
    # Longer than the line: it must be cut, and still no line exceeds the width.
    lines = lines_of(text, 8)
    assert all(cell_len(line) <= 8 for line in lines)
    assert "".join(lines) == text


def test_english_breaks_only_at_spaces_and_hyphens() -> None:
    words = set(re.split(r"[ ]", EN))
    for width in range(20, 80):
        lines = lines_of(EN, width)
        assert all(cell_len(line) <= width for line in lines)
        assert " ".join(lines).replace("- ", "-") == EN or " ".join(lines) == EN
        for line in lines:
            for word in line.split(" "):
                # Every piece is a whole word, or part of a hyphenated word cut at its hyphen.
                assert word in words or any(
                    w.startswith(word) or w.endswith(word) for w in words if "-" in w
                ), (width, word)


def test_hyphenated_word_breaks_after_the_hyphen() -> None:
    assert lines_of("commercially-available", 14) == ["commercially-", "available"]


def test_a_word_longer_than_the_line_is_cut() -> None:
    assert lines_of("supercalifragilistic ok", 8) == ["supercal", "ifragili", "stic ok"]


def test_hard_breaks_and_indentation_are_kept() -> None:
    assert lines_of("  indented line\nsecond", 40) == ["  indented line", "second"]


def test_double_width_glyphs_at_odd_widths_leave_a_gap_rather_than_overflow() -> None:
    for width in (5, 7, 9, 11):
        assert all(cell_len(line) <= width for line in lines_of("中文字符测试中文字符测试", width))


def test_styles_survive_wrapping() -> None:
    text = Text("normal ")
    text.append("this bold part crosses a line break", Style(bold=True))
    text.append(" 然后是中文加粗部分", Style(italic=True))
    lines = wrap_text(text, 16)
    assert len(lines) > 2
    bold_words = [
        line.plain[span.start : span.end]
        for line in lines
        for span in line.spans
        if span.style == Style(bold=True)
    ]
    assert "".join(bold_words).replace(" ", "") == "thisboldpartcrossesalinebreak"
    italic = [
        line.plain[span.start : span.end]
        for line in lines
        for span in line.spans
        if span.style == Style(italic=True)
    ]
    assert "".join(italic).replace(" ", "") == "然后是中文加粗部分"


MIXED = st.text(
    alphabet=st.sampled_from(list("中文字符测试，。、：；！？）（「」《》“”abcdefg -")),
    min_size=0,
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(MIXED, st.integers(min_value=2, max_value=40))
def test_wrapping_keeps_every_character_and_respects_the_width(text: str, width: int) -> None:
    spans = break_lines(text, width)
    # Only spaces at a soft break are dropped; nothing else goes missing or is repeated.
    rebuilt = "".join(text[a:b] for a, b in spans)
    assert rebuilt.replace(" ", "") == text.replace(" ", "")
    starts = [a for a, _ in spans]
    assert starts == sorted(starts)
    for a, b in spans:
        piece = text[a:b]
        assert cell_len(piece) <= width or len(piece) == 1


NARROW = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 -,.;:!?()[]“”‘’—…é")), min_size=0, max_size=160
)


@settings(max_examples=500, deadline=None)
@given(NARROW, st.integers(min_value=1, max_value=50))
def test_fast_path_for_one_cell_text_breaks_exactly_like_the_general_one(
    text: str, width: int
) -> None:
    from tui.layout.wrap import _break_general, _break_narrow

    if len(text) <= width:
        return
    assert _break_narrow(text, width) == _break_general(text, width, True)
