"""The tokenizer shared by indexing, queries and highlighting."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.analysis.tokens import (
    CJK_CLASS,
    base_words,
    char_tokens,
    index_terms,
    spelling_words,
    word_tokens,
    words_beginning,
)


def terms(text: str) -> list[str]:
    return [t for t, *_ in word_tokens(text)]


def test_english_is_lowercased_stemmed_and_split_on_hyphens() -> None:
    assert terms("Open-Source models") == ["open", "sourc", "model"]
    assert terms("open source model") == terms("Open-source Models")


def test_digits_and_single_letters_are_kept() -> None:
    # The stock analyser drops all of these (PITFALLS 1.3).
    assert terms("GPT-3.5 e.g. U.S. C 5 a") == ["gpt", "3", "5", "e", "g", "u", "s", "c", "5", "a"]


def test_positions_count_words_so_chinese_phrases_line_up() -> None:
    toks = list(word_tokens("中国人民银行发布了开源模型"))
    pos = {t: p for t, p, _, _ in toks}
    # Sub-words of 中国人民银行 share its position; the next word is one position on.
    assert pos["中国"] == pos["人民"] == pos["银行"] == pos["中国人民银行"] == 0
    assert pos["发布"] == 1
    assert pos["模型"] == pos["开源"] + 1


def test_offsets_point_at_the_words() -> None:
    text = "Llama 开源模型"
    for term, _, start, end in word_tokens(text):
        if term in ("开源", "模型"):
            assert text[start:end] == term
        if term == "llama":
            assert text[start:end] == "Llama"


def test_characters_are_terms_at_their_index_and_runs_do_not_touch() -> None:
    chars = [(t, p) for t, p, _, _ in char_tokens("开源模型，好")]
    assert chars == [("开", 0), ("源", 1), ("模", 2), ("型", 3), ("好", 5)]


def test_sides_do_not_join_into_a_phrase() -> None:
    words, _ = index_terms(["alpha", "beta"])
    assert words["beta"][0] - words["alpha"][0] > 1


def test_rare_han_characters_are_not_dropped() -> None:
    assert "𠀀" in "".join(t for t, *_ in char_tokens("𠀀字"))


def test_base_words_tile_the_run() -> None:
    run = "中国人民银行发布了新规定"
    assert "".join(base_words(run)) == run


def test_spelling_words_are_plain_english() -> None:
    assert spelling_words("Open-Source 3D models, 开源 e.g.") == {"open", "source", "models"}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab Zé9_-'’./·,()\n\t", "ﬁ", "x²", "\u00a0"])).map("".join))
def test_text_without_chinese_gets_the_terms_of_the_general_loop(text: str) -> None:
    """Latin-only text takes a quicker path; a Chinese character after it sends the same words
    through the general loop, which must give them the same positions."""
    words, _ = index_terms([text])
    mixed, _ = index_terms([text + " 中"])
    mixed.pop("中", None)
    assert words == mixed


PIECES = ["Model", "filing", "ﬁle", "naïve", "Über", "x4", "4x", "开源", "état", "n\u0303o",
          " ", "-", "。", "_", "'", "9"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=25),
    st.sets(st.sampled_from(["m", "f", "n", "ü", "x", "4"]), max_size=3),
)
def test_words_beginning_finds_the_words_that_can_have_such_a_stem(
    pieces: list[str], firsts: set[str]
) -> None:
    """Every run of the class that begins with one of the letters (either case) or holds a
    letter that is not ASCII, and no other, in both classes the queries use."""
    text = "".join(pieces)
    for word in (f"[^\\W_{CJK_CLASS}]", f"[^\\W\\d_{CJK_CLASS}]"):
        runs = re.findall(f"{word}+", text)
        want = [w for w in runs if w[:1].lower() in firsts or not w.isascii()]
        assert words_beginning(frozenset(firsts), word).findall(text) == want
