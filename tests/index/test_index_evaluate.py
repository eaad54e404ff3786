"""The posting-list evaluator against Whoosh's own matchers: same records, same postings."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.library import SAMPLE_LIBRARY
from index.engine.postings import leaves, read_postings
from index.library_index import LibraryIndex
from index.query.compile import compile_query
from index.query.evaluate import evaluate
from tests.index_helpers import layouts_library, write

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
    "model tag:Weather",
    "tag:Weather",
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
    """The sample library and the fixture layouts, in two segments with deletions in the first."""
    base = tmp_path_factory.mktemp("evaluate")
    lib = base / "lib"
    shutil.copytree(SAMPLE_LIBRARY, lib)
    layouts_library(lib / "layouts")
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
    [("body", "model"), ("body_chars", "模"), ("title", "glossari"), ("tag", "weather")],
)
def test_postings_match_whoosh(ix: LibraryIndex, field: str, word: str) -> None:
    searcher = ix._require().searcher
    positional = field != "tag"
    ours = read_postings(leaves(searcher), searcher.schema, field, word, positions=positional)
    fmt = searcher.schema[field].format
    ids, weights, poses = [], [], []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (field, word) not in reader:
            continue
        m = reader.postings(field, word)
        while m.is_active():
            ids.append(m.id() + offset)
            weights.append(m.weight())
            if positional:
                poses.append(list(fmt.decode_positions(m.value())))
            m.next()
    assert len(ids) > 3
    assert (ours.ids.tolist(), ours.weights.tolist()) == (ids, weights)
    if positional:
        assert ours.starts is not None and ours.lens is not None and ours.pos is not None
        got = [
            ours.pos[s : s + n].tolist()
            for s, n in zip(ours.starts.tolist(), ours.lens.tolist(), strict=True)
        ]
        assert got == poses


@pytest.mark.parametrize(("field", "word"), [("body", "model"), ("body_chars", "模")])
def test_long_lists_come_from_the_array_files(ix: LibraryIndex, field: str, word: str) -> None:
    """The array files hold the same postings as Whoosh's (compressed) blocks, and are what
    queries read."""
    searcher = ix._require().searcher
    segments = leaves(searcher)
    assert all(leaf.arrays is not None for leaf in segments)
    info = segments[0].reader._terms.term_info(field, word.encode("utf-8"))
    assert not info.is_inlined()
    assert segments[0].arrays.lookup(info.extent()[0]) is not None  # type: ignore[union-attr]
    fmt = searcher.schema[field].format
    blocks = segments[0].reader._terms.matcher(field, word.encode("utf-8"), fmt)
    assert blocks._compression > 0  # Whoosh's own blocks are zlib-compressed and still read
    from_arrays = read_postings(segments, searcher.schema, field, word, positions=True)
    for leaf in segments:
        leaf.arrays = None
    from_blocks = read_postings(segments, searcher.schema, field, word, positions=True)
    for name in ("ids", "weights", "lens"):
        assert getattr(from_arrays, name).tolist() == getattr(from_blocks, name).tolist()
    assert from_arrays.pos is not None and from_blocks.pos is not None
    assert from_arrays.starts is not None and from_blocks.starts is not None
    assert [from_arrays.pos[s] for s in from_arrays.starts.tolist()] == [
        from_blocks.pos[s] for s in from_blocks.starts.tolist()
    ]


def test_scores_rank_like_bm25(ix: LibraryIndex) -> None:
    """Ours and Whoosh's BM25F put the same records on top of a plain word query."""
    st = ix._require()
    q = compile_query("tokenizer").query
    assert q is not None
    ours = evaluate(q, ix._context(st)).as_dict()
    top_ours = sorted(ours, key=lambda d: (-ours[d], d))[:5]
    theirs = [hit.docnum for hit in st.searcher.search(q, limit=5)]
    assert top_ours == theirs


_WORDS = [
    "model",
    "open",
    "source",
    "weights",
    "the",
    "license",
    "开源",
    "模型",
    "人工智能",
    "语言",
]
_FILTERS = ["tag:AI", "lang:zh", "lang:en", "lang:bilingual", "date:2023", "title:glossary"]


@st.composite
def _queries(draw: st.DrawFn) -> str:
    """Words, phrases, prefixes, OR, NOT, parentheses and filters in any combination."""

    def atom() -> str:
        kind = draw(st.sampled_from(["word", "phrase", "prefix", "filter"]))
        if kind == "phrase":
            words = draw(st.lists(st.sampled_from(_WORDS), min_size=2, max_size=3))
            return '"' + " ".join(words) + '"'
        if kind == "prefix":
            return draw(st.sampled_from(["mod", "op", "lic", "开"])) + "*"
        if kind == "filter":
            return draw(st.sampled_from(_FILTERS))
        return draw(st.sampled_from(_WORDS))

    parts = []
    for _ in range(draw(st.integers(1, 4))):
        a = atom()
        shape = draw(st.sampled_from(["plain", "not", "or", "group"]))
        if shape == "not":
            a = "-" + a
        elif shape == "or":
            a = f"{a} OR {atom()}"
        elif shape == "group":
            a = f"({a} OR {atom()})"
        parts.append(a)
    return " ".join(parts)


@settings(max_examples=150, deadline=None)
@given(text=_queries())
def test_generated_queries_match_what_whoosh_matches(ix: LibraryIndex, text: str) -> None:
    st_ = ix._require()
    q = compile_query(text).query
    if q is None:
        return
    ours = evaluate(q, ix._context(st_))
    assert set(ours) == whoosh_matches(st_.searcher, q), text
    assert len(ours.ids) == len(set(ours.ids.tolist()))
    assert (ours.ids[1:] > ours.ids[:-1]).all()  # ascending, as every set operation expects
