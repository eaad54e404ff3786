"""Search that finds what was meant, on the bundled sample library: the word being typed as a
prefix, the exact form first, hits by document, "did you mean", and where each hit is in its
file."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from corpus.library import SAMPLE_LIBRARY
from index.analysis.tokens import english_term
from index.library_index import LibraryIndex
from index.types import Hit
from tests.index_helpers import write


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> LibraryIndex:
    index = LibraryIndex(SAMPLE_LIBRARY, tmp_path_factory.mktemp("intent") / "index")
    index.update()
    return index


def words(hit: Hit) -> set[str]:
    text = " ".join(t for t in (hit.en, hit.zh) if t) or hit.snippet
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


# --- the word being typed ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["qu", "qua", "quan", "quanti", "quantizat"])
def test_the_last_word_typed_finds_the_words_it_begins(ix: LibraryIndex, typed: str) -> None:
    found = ix.search(typed, typing=True, limit=200)
    assert any("quantization" in words(h) for h in found.hits)
    # Each row has a word the letters begin, or another form of one (quantize, for quantizat).
    stems = {english_term(w) for h in found.hits for w in words(h) if w.startswith(typed)}
    assert all(stems & {english_term(w) for w in words(h)} for h in found.hits)


def test_without_typing_or_after_a_space_the_letters_are_a_word(ix: LibraryIndex) -> None:
    assert ix.search("quan").total == 0
    assert ix.search("quan ", typing=True).total == 0
    assert ix.search('"quan"', typing=True).total == 0


def test_only_the_last_word_completes(ix: LibraryIndex) -> None:
    both = ix.search("quan llama", typing=True)
    assert both.total == 0  # "quan" is finished: a word, which the library does not have
    some = ix.search("llama quan", typing=True, limit=100)
    assert some.total > 0
    for hit in some.hits:  # llama in the row or its title, quan… in the row
        assert "llama" in words(hit) | set(re.findall(r"[a-z]+", hit.title.lower()))
        assert any(w.startswith("quan") for w in words(hit))


def test_the_word_itself_ranks_above_the_words_it_begins(ix: LibraryIndex) -> None:
    found = ix.search("quant", typing=True, limit=200)
    own = [english_term("quant") in {english_term(w) for w in words(h)} for h in found.hits]
    assert any(own) and not all(own)
    assert own == sorted(own, reverse=True)  # every row with "quant"/"quants" before the others


# --- the exact form ------------------------------------------------------------------------------


@pytest.mark.parametrize("typing", [False, True])
def test_the_form_typed_ranks_above_other_forms_of_its_stem(ix: LibraryIndex, typing: bool) -> None:
    found = ix.search("filing", limit=100, typing=typing)
    exact = ["filing" in words(h) for h in found.hits]
    assert any(exact) and not all(exact)  # stemming still finds "file" and "files"
    assert exact == sorted(exact, reverse=True)
    assert {"file", "files"} & set().union(*(words(h) for h in found.hits))


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("the filing cabinet", True),
        ("filing, then more", True),
        ("refiling it", False),
        ("filings", False),
        ("归档filing模型", True),  # Chinese characters are not letters of an English word
        ("filing2", True),  # nor are digits
        ("files and filed, then filing", True),  # not the first occurrence
        ("", False),
    ],
)
def test_the_form_typed_is_a_whole_word(text: str, held: bool) -> None:
    from index.query.search import _has_word

    assert _has_word(text, "filing") is held


# --- by document ---------------------------------------------------------------------------------


def test_hits_grouped_by_document(ix: LibraryIndex) -> None:
    found = ix.search("llama", limit=50, per_document=3)
    groups = found.groups
    assert len({g.id for g in groups}) == len(groups) > 3
    assert groups[0].hits[0] == found.hits[0]
    assert sum(g.matches for g in groups) == found.total  # every document is listed here
    for g in groups:
        assert 1 <= len(g.hits) <= 3 and all(h.id == g.id for h in g.hits)
        assert g.more == g.matches - len(g.hits)
        scores = [h.score for h in g.hits]
        assert scores == sorted(scores, reverse=True)
        # The rest of one group: the rows of that document alone.
        alone = ix.search("llama", document=g.id, limit=1000)
        assert alone.total == g.matches and {h.id for h in alone.hits} == {g.id}
    assert [h.row for h in found.hits] != [h.row for g in groups for h in g.hits]
    assert ix.search("llama", limit=5).groups == ()
    # One document with many good rows does not crowd the others out of the groups.
    few = ix.search("llama", limit=5, per_document=3)
    assert len({h.id for h in few.hits}) < 5 == len(few.groups)


# --- did you mean --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("opne source", "open source"),
        ("opne sorce", "open source"),
        ("quantizat", "quantization"),
        ("lisence", "licence"),
        ("开原模型", "开源模型"),
        ("llama 开源模刑", "llama 开源模型"),
    ],
)
def test_did_you_mean(ix: LibraryIndex, query: str, meant: str) -> None:
    found = ix.search(query)
    assert found.total == 0 and found.suggestion == meant
    assert ix.search(meant).total > 0


def test_short_words_are_completed_not_rewritten(ix: LibraryIndex) -> None:
    suggestion = ix.search("qua").suggestion
    assert suggestion is not None and suggestion.startswith("qua")  # never "run"
    assert ix.search("zqx").suggestion is None


def test_a_huge_word_stays_cheap(ix: LibraryIndex) -> None:
    started = time.perf_counter()
    for query in ("q" * 100_000, "opne " + "x" * 100_000, "开" * 100_000):
        assert ix.search(query).suggestion is None
        assert ix.search(query, typing=True).total == 0
    assert time.perf_counter() - started < 5


# --- where a hit is ------------------------------------------------------------------------------


def test_hits_carry_their_file_and_line(ix: LibraryIndex) -> None:
    for query in ("filing", "开源模型", "licence"):
        for hit in ix.search(query, limit=20).hits:
            if hit.lang == "title":
                continue
            lines = (SAMPLE_LIBRARY / hit.file).read_text(encoding="utf-8").split("\n")
            text = hit.en if hit.lang == "en" else hit.zh
            assert text is not None and hit.line >= 1
            first = re.findall(r"\w+", text)[0]
            assert first in lines[hit.line - 1], (hit.file, hit.line, first)


def test_a_separate_translation_hit_names_its_own_file(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write(lib / "notes.en.md", "# Notes\n\nThe heron waits by the river.\n\nIt eats fish.\n")
    write(lib / "notes.zh-cn.md", "# 笔记\n\n\n\n苍鹭在河边等待。\n\n它吃鱼。\n")
    index = LibraryIndex(lib, tmp_path / "index")
    index.update()
    (zh,) = index.search("苍鹭").hits
    assert (zh.file, zh.line, zh.path) == ("notes.zh-cn.md", 5, "notes.en.md")
    (en,) = index.search("heron").hits
    assert (en.file, en.line) == ("notes.en.md", 3)
