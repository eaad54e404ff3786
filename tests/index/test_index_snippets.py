"""Highlighted ranges: only words that can be a form of a query term are stemmed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.analysis.tokens import english_term
from index.query.compile import Evidence
from index.query.snippets import _WORD, match_ranges, merge

WORDS = ["model", "Models", "modeling", "ＭＯＤＥＬ", "ﬁling", "file", "filing", "Über",
         "uber", "running", "ran", "4", "GPT", "gpt-4", "état", "Zebra", "开源", "模型",
         "naïve"]  # fmt: skip
SEPARATORS = [" ", ", ", "-", "_", "。", "\n", "'", "3", ""]


def _every_word(text: str, ev: Evidence) -> list[tuple[int, int]]:
    """The ranges as found by stemming every word of the text."""
    ranges = []
    prefixes = tuple(ev.en_prefixes)
    for m in _WORD.finditer(text):
        w = m.group()
        term = english_term(w)
        begun = bool(prefixes) and (w.lower().startswith(prefixes) or term.startswith(prefixes))
        if begun or term in ev.en_terms:
            ranges.append(m.span())
    return merge(ranges)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30),
    st.sets(st.sampled_from(WORDS), max_size=3),
    st.sets(st.sampled_from(["mod", "fil", "u", "é", "gp", "4", "z"]), max_size=2),
)
def test_the_same_words_are_marked_as_when_every_word_is_stemmed(
    pieces: list[tuple[str, str]], typed: set[str], prefixes: set[str]
) -> None:
    text = "".join(w + sep for w, sep in pieces)
    ev = Evidence(en_terms={english_term(w) for w in typed}, en_prefixes=prefixes)
    assert match_ranges(text, ev) == _every_word(text, ev)
