"""The posting-list evaluator against Whoosh's own matchers: same records, same postings."""

from __future__ import annotations

import shutil

import pytest

from corpus.library import SAMPLE_LIBRARY
from index.evaluate import evaluate
from index.library_index import LibraryIndex
from index.postings import positions, read_postings
from index.query import compile_query
from tests.index_helpers import seed_library, write

QUERIES = [
    "model",
    "open source",
    '"open source"',
    '"open-weight models"',
    "开源",
    "开源模型",
    '"开源模型"',
    "大语言模型",
    "人工智能",
    "模型 -开源",
    "Llama 开源",
    "Llama OR 千问",
    "llam*",
    "开*",
    "model tag:AI",
    "tag:AI",
    "lang:zh",
    "lang:bilingual 模型",
    "date:2023",
    "model date:2023-01..2024-12",
    "title:glossary",
    "author:Lovelace",
    "(model OR weights) -license",
    "model NOT weights",
    '"state of the art"',
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> LibraryIndex:
    """The sample library and the seeds, indexed in two segments with deletions in the first."""
    base = tmp_path_factory.mktemp("evaluate")
    lib = base / "lib"
    shutil.copytree(SAMPLE_LIBRARY, lib)
    seed_library(lib / "seeds")
    write(lib / "extra.md", "---\ntitle: Extra\nauthor: Ada Lovelace\n---\n\nThe model sleeps.\n")
    index = LibraryIndex(lib, base / "index", workers=1)
    index.update()
    write(
        lib / "extra.md", "---\ntitle: Extra\nauthor: Ada Lovelace\n---\n\nModels 开源.\n", bump=2
    )
    write(lib / "more.md", "# More\n\nAn open-weight model, state of the art, 大语言模型。\n")
    index.update()
    return index


def whoosh_matches(searcher: object, q: object) -> set[int]:
    return set(searcher.docs_for_query(q))  # type: ignore[attr-defined]


def test_index_has_two_segments_and_deletions(ix: LibraryIndex) -> None:
    searcher = ix._require().searcher
    subs = searcher.leaf_searchers()
    assert len(subs) == 2
    assert any(sub.reader().has_deletions() for sub, _ in subs)


@pytest.mark.parametrize("text", QUERIES)
def test_same_records_as_whoosh(ix: LibraryIndex, text: str) -> None:
    st = ix._require()
    q = compile_query(text).query
    assert q is not None
    ours = evaluate(q, ix._context(st))
    assert set(ours) == whoosh_matches(st.searcher, q), text


def test_queries_are_not_vacuous(ix: LibraryIndex) -> None:
    st = ix._require()
    ctx = ix._context(st)
    empty = [t for t in QUERIES if not evaluate(compile_query(t).query, ctx)]  # type: ignore[arg-type]
    assert empty == []


@pytest.mark.parametrize(
    ("field", "word"),
    [("body", "model"), ("body_bi", "模型"), ("title", "glossari"), ("tag", "ai")],
)
def test_postings_match_whoosh(ix: LibraryIndex, field: str, word: str) -> None:
    searcher = ix._require().searcher
    ours = read_postings(searcher, field, word, values=True)
    ids, weights, values = [], [], []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (field, word) not in reader:
            continue
        m = reader.postings(field, word)
        while m.is_active():
            ids.append(m.id() + offset)
            weights.append(m.weight())
            values.append(m.value())
            m.next()
    assert len(ids) > 3
    assert (ours.ids, ours.weights, ours.values) == (ids, weights, values)
    if field != "tag":
        fmt = searcher.schema[field].format
        assert [positions(v) for v in values] == [tuple(fmt.decode_positions(v)) for v in values]


def test_scores_rank_like_bm25(ix: LibraryIndex) -> None:
    """Ours and Whoosh's BM25F put the same records on top of a plain word query."""
    st = ix._require()
    q = compile_query("tokenizer").query
    assert q is not None
    ours = evaluate(q, ix._context(st))
    top_ours = sorted(ours, key=lambda d: (-ours[d], d))[:5]
    theirs = [hit.docnum for hit in st.searcher.search(q, limit=5)]
    assert top_ours == theirs
