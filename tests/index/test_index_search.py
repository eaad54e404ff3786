"""Searching a small library built from the fixture layouts and a few strings."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from index.library_index import LibraryIndex
from index.types import SearchResults
from tests.index_helpers import layouts_library, write

BANK = "# 新闻\n\n中国人民银行今天发布了新的规定，涉及马克思主义研究。\n"
MIXED = """---
title: Notes on open-source models
date: 2021-03-04
tags: [Research, open source]
author: Ada Lovelace
---

The open-source model was released on Tuesday.

Optimising the optimiser is an optimisation problem.
"""


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> LibraryIndex:
    base = tmp_path_factory.mktemp("search")
    lib = layouts_library(base / "lib")
    write(lib / "extra" / "bank.md", BANK)
    write(lib / "extra" / "mixed.md", MIXED)
    index = LibraryIndex(lib, base / "index")
    summary = index.update()
    assert summary.added == 7 and summary.rebuilt
    return index


def rows(results: SearchResults) -> set[tuple[str, int]]:
    return {(h.path, h.row) for h in results.hits}


def paths(results: SearchResults) -> set[str]:
    return {h.path for h in results.hits}


def test_english_phrase_finds_the_documents_that_contain_it(ix: LibraryIndex) -> None:
    r = ix.search('"open source"', limit=500)
    found = paths(r)
    # Both clippings say "open source"; the translated one says "Open-Source" in its heading.
    assert {"kestrel-field-notes.txt", "kestrel-landmark.txt"} <= found
    assert "kestrel-translated.txt" in found
    for hit in r.hits:
        text = re.sub(r"[\s\-]+", " ", (hit.en or "") + " " + (hit.zh or "") + " " + hit.snippet)
        assert "open source" in text.lower() or hit.lang == "title"


def test_english_phrase_respects_word_order(ix: LibraryIndex) -> None:
    r = ix.search('"source open"', limit=500)
    assert "kestrel-field-notes.txt" not in paths(r)


def test_chinese_phrase_finds_paragraphs_containing_it(ix: LibraryIndex) -> None:
    r = ix.search('"开源模型"', limit=500)
    assert r.total > 0
    for hit in r.hits:
        assert "开源模型" in (hit.zh or "") + (hit.en or "") + hit.title


def test_chinese_recall_when_segmentation_differs(ix: LibraryIndex) -> None:
    # jieba reads 中国人民银行 as one word; the query 人民银行 / 民银 / 国人民 must still find it.
    for q in ("人民银行", "民银", "国人民", '"人民银行今天"', "马克思"):
        r = ix.search(q)
        assert "extra/bank.md" in paths(r), q


def test_any_literal_chinese_substring_is_found(ix: LibraryIndex) -> None:
    doc = ix.load_document(next(d.id for d in ix.documents() if d.path == "kestrel-chapter.md"))
    rng = random.Random(4)
    han = re.compile(r"[\u4e00-\u9fff]{2,}")
    runs = [
        (i, m.group())
        for i, row in enumerate(doc.rows)
        if row.zh
        for m in han.finditer(row.zh.text)
    ]
    for _ in range(40):
        i, run = rng.choice(runs)
        start = rng.randrange(len(run) - 1)
        sub = run[start : start + rng.randint(2, min(6, len(run) - start))]
        r = ix.search(sub, limit=10_000)
        assert ("kestrel-chapter.md", i) in rows(r), (sub, i)


def test_single_chinese_character(ix: LibraryIndex) -> None:
    assert "extra/bank.md" in paths(ix.search("涉", limit=100))


def test_mixed_query(ix: LibraryIndex) -> None:
    r = ix.search("Kestrel 开源", limit=100)
    assert r.total > 0
    # A row matches on its own text and on its document's titles, in either language.
    alt_titles = {d.id: d.title_alt or "" for d in ix.documents()}
    for hit in r.hits:
        text = ((hit.en or "") + (hit.zh or "") + hit.title + alt_titles[hit.id]).lower()
        assert "kestrel" in text and "开源" in text
    # ... and some rows hold both words themselves.
    assert any("开源" in (h.zh or "") and "kestrel" in (h.zh or "").lower() for h in r.hits)


def test_or_and_not(ix: LibraryIndex) -> None:
    either = ix.search("人民银行 OR Lovelace", limit=100)
    assert {"extra/bank.md", "extra/mixed.md"} <= paths(either)
    without = ix.search("开源 -Kestrel", limit=500)
    assert without.total > 0
    for hit in without.hits:
        assert "kestrel" not in ((hit.en or "") + (hit.zh or "")).lower()
    assert ix.search("开源 NOT Kestrel").total == without.total


def test_prefix(ix: LibraryIndex) -> None:
    r = ix.search("optimis*")
    assert "extra/mixed.md" in paths(r)
    assert any("Optimising" in t or "optimiser" in t for t in r.hits[0].terms)


def test_hyphenated_word_matches_spaced_words(ix: LibraryIndex) -> None:
    a = ix.search("open-source", limit=500)
    b = ix.search('"open source"', limit=500)
    assert a.total == b.total > 0


def test_fields_and_filters(ix: LibraryIndex) -> None:
    assert paths(ix.search("tag:research")) == {"extra/mixed.md"}
    assert paths(ix.search('tag:"Open Source"')) >= {"extra/mixed.md"}
    assert paths(ix.search("author:lovelace")) == {"extra/mixed.md"}
    assert paths(ix.search("date:2021")) == {"extra/mixed.md"}
    assert paths(ix.search("date:2021-01..2021-06")) == {"extra/mixed.md"}
    assert "extra/mixed.md" not in paths(ix.search("date:2022..", limit=100))
    zh = ix.search("lang:zh", limit=100)
    assert zh.total > 0 and all(h.lang == "title" for h in zh.hits)
    assert "extra/mixed.md" not in paths(ix.search("model lang:zh", limit=500))
    title = ix.search("title:optimisation")
    assert title.total == 0  # a body word is not a title word
    assert paths(ix.search("title:notes")) == {"extra/mixed.md"}


def test_tag_filter_parameter_and_facets(ix: LibraryIndex) -> None:
    r = ix.search("model", tags=["RESEARCH"], limit=100)
    assert paths(r) == {"extra/mixed.md"}
    assert r.tag_facets == {"Research": 1, "open source": 1}
    broad = ix.search("model", limit=1)
    assert broad.total > 1 and len(broad.hits) == 1
    assert sum(broad.tag_facets.values()) >= 2
    assert ix.tag_counts()["Research"] == 1


def test_title_ranks_above_body(ix: LibraryIndex) -> None:
    r = ix.search("optimisation model", limit=5)
    assert r.hits[0].path == "extra/mixed.md"


def test_snippet_spans_mark_the_matches(ix: LibraryIndex) -> None:
    for q in ("马克思主义", "人民银行", "released", '"开源模型"'):
        r = ix.search(q)
        assert r.hits, q
        for hit in r.hits:
            assert hit.spans, (q, hit)
            marked = "".join(hit.snippet[s:e] for s, e in hit.spans)
            assert marked, (q, hit)
    hit = ix.search("马克思主义").hits[0]
    assert [hit.snippet[s:e] for s, e in hit.spans] == ["马克思主义"]
    assert hit.terms == ("马克思主义",)


def test_malformed_queries_never_raise(ix: LibraryIndex) -> None:
    for q in [
        '"open source',
        "(llama",
        "llama)",
        "OR",
        "NOT",
        "-",
        "foo:bar llama",
        ")(",
        '"',
        "*",
    ]:
        r = ix.search(q)
        assert isinstance(r, SearchResults)
    r = ix.search('"open source')
    assert r.ignored == ('"',) and r.total > 0


def test_did_you_mean(ix: LibraryIndex) -> None:
    r = ix.search("lovelase")
    assert r.total == 0
    assert r.suggestion == "lovelace"
    assert ix.search("lovelace").suggestion is None


def test_documents_come_from_the_index(ix: LibraryIndex) -> None:
    docs = ix.documents()
    assert len(docs) == 7
    mixed = next(d for d in docs if d.path == "extra/mixed.md")
    assert mixed.title == "Notes on open-source models"
    assert mixed.tags == ("Research", "open source")
    assert mixed.rows == 2


def test_load_document_reads_the_file(ix: LibraryIndex) -> None:
    doc_id = next(d.id for d in ix.documents() if d.path == "extra/bank.md")
    assert "人民银行" in ix.load_document(doc_id).rows[-1].zh.text  # type: ignore[union-attr]


def test_hits_point_at_rows_of_the_document(ix: LibraryIndex, tmp_path: Path) -> None:
    hit = ix.search("Tuesday").hits[0]
    doc = ix.load_document(hit.id)
    assert "Tuesday" in doc.rows[hit.row].en.text  # type: ignore[union-attr]


def test_a_chinese_literal_never_spans_punctuation_or_latin(tmp_path: Path) -> None:
    """Characters are indexed one by one; a literal is found only where its characters are
    adjacent in one run of Chinese text, never across a comma or a Latin word."""
    lib = tmp_path / "lib"
    write(lib / "a.md", "# 甲\n\n我们讨论开源，模型的训练。\n")
    write(lib / "b.md", "# 乙\n\n它是开源AI模型之一。\n")
    write(lib / "c.md", "# 丙\n\n一个开源模型发布了。\n")
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    ix.update()
    assert paths(ix.search("源模", limit=10)) == {"c.md"}
    assert paths(ix.search('"开源模型"', limit=10)) == {"c.md"}
    assert paths(ix.search("开源", limit=10)) == {"a.md", "b.md", "c.md"}
    assert paths(ix.search("训", limit=10)) == {"a.md"}


def test_a_chinese_word_finds_its_characters_side_by_side_whatever_jieba_cut(
    tmp_path: Path,
) -> None:
    """Records holding the word (as jieba cut it) are taken as holding its characters side by
    side without reading their positions; the others are still read: 集中国力 (cut 集中 / 国力)
    holds 中国 literally, 中文和国家 holds both characters apart."""
    lib = tmp_path / "lib"
    write(lib / "word.md", "# 一\n\n我们在中国读书。\n")
    write(lib / "literal.md", "# 二\n\n他们集中国力发展经济。\n")
    write(lib / "apart.md", "# 三\n\n中文和国家都很好。\n")
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    ix.update()
    for text in ("中国", '"中国"'):
        results = ix.search(text, limit=10)
        assert paths(results) == {"word.md", "literal.md"}, text
        assert results.total == 2
