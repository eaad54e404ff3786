"""The posting-list evaluator against Whoosh's own matchers: same records, same postings.

Long positional posting lists live only in our array files, which stock Whoosh cannot read, so
the oracle is the same library indexed by the same record builder with Whoosh's own
`add_document` and field writer (every list in Whoosh's blocks), queried with Whoosh's own
matchers; records are compared by what they are (a document's key, or a document and row), not
by their numbers in either index.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.library import SAMPLE_LIBRARY
from index.engine.arrayfile import Located, MissingList
from index.engine.postings import leaves, read_postings
from index.library_index import LibraryIndex
from index.query.compile import compile_query
from index.query.evaluate import evaluate
from index.query.search import stored_fields
from tests.index_helpers import (
    layouts_library,
    postings_by_record,
    whoosh_postings_by_record,
    write,
)

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
    # words of titles and authors, which only document records have: their rows match too
    "kestrel 模型",
    "model -title:llama",
    "title:开源 OR weights",
    '"open source" title:llama',
    "author:lovelace -title:extra",
    "llam* title:开*",
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


@pytest.fixture(scope="module")
def oracle(ix: LibraryIndex, tmp_path_factory: pytest.TempPathFactory) -> LibraryIndex:
    """The library of `ix` as it now is, indexed in one go with Whoosh's own `add_document` and
    field writer, and with each row carrying its document's title, author, kind, tags, language
    and date as terms: what a row shares with its document, spelled out for Whoosh's matchers
    (our rows leave them to the document's record)."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import SegmentWriter

    from index.build import batches
    from index.build.records import document_records
    from index.engine.codec import FastCodec
    from index.engine.schema import ROW
    from index.engine.segments import FastSegmentWriter

    def filters_on_rows(doc: Any) -> Any:
        records = list(document_records(doc))
        shared = ("tag", "lang", "date", "title", "title_chars", "author")
        common = {k: v for k, v in records[-1].items() if k in shared}
        for rec in records[:-1]:
            rec.update(common, kind=ROW)
        return iter(records)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(FastCodec, "field_writer", W3Codec.field_writer)
        mp.setattr(FastSegmentWriter, "add_document", SegmentWriter.add_document)
        mp.setattr(batches, "document_records", filters_on_rows)
        index = LibraryIndex(ix.library, tmp_path_factory.mktemp("oracle") / "index", workers=1)
        index.update()
    assert not list(index._require().gen.rglob("*.arr"))  # nothing of ours to read
    return index


def identity(index: LibraryIndex, docnum: int) -> Any:
    """What a record is, whatever its number: a document's or file's key, a row's place."""
    st = index._require()
    ctx = index._context(st)
    stored = stored_fields(st.searcher, ctx)(docnum)
    info = ctx.info_of(docnum)
    return stored.get("key") or (info.id if info else None, stored["row"][0])


def records(index: LibraryIndex, docnums: Any) -> set[Any]:
    return {identity(index, int(d)) for d in docnums}


def whoosh_matches(oracle: LibraryIndex, q: object) -> set[Any]:
    return records(oracle, oracle._require().searcher.docs_for_query(q))


def test_oracle_holds_the_same_records(ix: LibraryIndex, oracle: LibraryIndex) -> None:
    def everything(index: LibraryIndex) -> set[Any]:
        reader = index._require().searcher.reader()
        return records(index, reader.all_doc_ids())

    assert everything(ix) == everything(oracle)


def test_index_has_two_segments_and_deletions(ix: LibraryIndex) -> None:
    searcher = ix._require().searcher
    subs = searcher.leaf_searchers()
    assert len(subs) == 2
    assert any(sub.reader().has_deletions() for sub, _ in subs)


def test_field_lengths_and_stored_fields_match_whoosh(
    ix: LibraryIndex, oracle: LibraryIndex
) -> None:
    """Our `add_document` records what Whoosh's does: each record's field lengths (which BM25
    reads) and stored fields."""
    fields = ("body", "body_chars", "title", "title_chars", "author", "spell")

    def facts(index: LibraryIndex) -> dict[Any, tuple[Any, ...]]:
        searcher = index._require().searcher
        out = {}
        for docnum in searcher.reader().all_doc_ids():
            stored = searcher.stored_fields(docnum)
            lengths = tuple(searcher.doc_field_length(docnum, f) or 0 for f in fields)
            out[identity(index, docnum)] = (lengths, stored)
        return out

    def own(facts: dict[Any, tuple[Any, ...]]) -> dict[Any, tuple[Any, ...]]:
        # A row's own fields: its title and author are its document's (the oracle's rows
        # repeat them, ours leave them to the document's record).
        return {
            key: ((lengths[:2], stored) if isinstance(key, tuple) else (lengths, stored))
            for key, (lengths, stored) in facts.items()
        }

    ours = facts(ix)
    assert any(lengths[0] for lengths, _ in ours.values())
    assert own(ours) == own(facts(oracle))


@pytest.mark.parametrize("text", QUERIES)
def test_same_records_as_whoosh(ix: LibraryIndex, oracle: LibraryIndex, text: str) -> None:
    st = ix._require()
    q = compile_query(text).query
    assert q is not None
    ours = evaluate(q, ix._context(st))
    assert records(ix, ours.ids) == whoosh_matches(oracle, q), text


def test_queries_are_not_vacuous(ix: LibraryIndex) -> None:
    st = ix._require()
    ctx = ix._context(st)
    empty = [t for t in QUERIES if not evaluate(compile_query(t).query, ctx)]  # type: ignore[arg-type]
    assert empty == []


@pytest.mark.parametrize(
    ("field", "word"),
    [
        ("body", "model"),
        ("body_chars", "模"),
        ("title", "llama"),
        ("title_chars", "开"),
        ("tag", "open source"),
        ("spell", "model"),
    ],
)
def test_postings_match_whoosh(
    ix: LibraryIndex, oracle: LibraryIndex, field: str, word: str
) -> None:
    searcher = ix._require().searcher
    positional = field not in ("tag", "spell")
    ours = read_postings(leaves(searcher), searcher.schema, field, word, positions=positional)
    got = postings_by_record(ours, lambda docnum: identity(ix, docnum), positional)
    theirs = oracle._require().searcher
    expected = whoosh_postings_by_record(
        theirs, field, word, lambda docnum: identity(oracle, docnum), positional
    )
    if field in ("tag", "title", "title_chars", "spell"):  # document records (oracle: rows too)
        expected = {k: v for k, v in expected.items() if str(k).startswith("d:")}
    assert len(expected) > 3
    assert got == expected
    assert len(got) == len(ours.ids)  # no record twice


@pytest.mark.parametrize(("field", "word"), [("body", "model"), ("body_chars", "模")])
def test_long_lists_live_only_in_the_array_files(ix: LibraryIndex, field: str, word: str) -> None:
    """A long positional list is written once, to the array file, where the segment's term file
    says; Whoosh's table does not have the term, and without the array file the list cannot be
    read."""
    from whoosh.reading import TermNotFound

    searcher = ix._require().searcher
    segments = leaves(searcher)
    assert all(leaf.arrays is not None and leaf.lexicon is not None for leaf in segments)
    first = segments[0]
    assert first.lexicon is not None and first.arrays is not None
    number = first.lexicon.find(field, word.encode("utf-8"))
    assert number >= 0
    where = first.lexicon.postings(field, number)
    assert isinstance(where, Located)  # not kept in the term file
    assert first.lexicon.doc_frequency(number) == where.n > first.lexicon.inline
    assert first.arrays.views(where) is not None
    with pytest.raises(TermNotFound):
        first.reader._terms.term_info(field, word.encode("utf-8"))
    for leaf in segments:
        leaf.arrays = None
    with pytest.raises(MissingList):
        read_postings(segments, searcher.schema, field, word, positions=True)


def test_scores_rank_like_bm25(ix: LibraryIndex, oracle: LibraryIndex) -> None:
    """Ours and Whoosh's BM25F put the same records on top of a plain word query."""
    st = ix._require()
    q = compile_query("tokenizer").query
    assert q is not None
    ours = evaluate(q, ix._context(st)).as_dict()
    top_ours = sorted(ours, key=lambda d: (-ours[d], d))[:5]
    theirs = oracle._require().searcher
    top_theirs = [identity(oracle, hit.docnum) for hit in theirs.search(q, limit=5)]
    assert [identity(ix, d) for d in top_ours] == top_theirs


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
def test_generated_queries_match_what_whoosh_matches(
    ix: LibraryIndex, oracle: LibraryIndex, text: str
) -> None:
    st_ = ix._require()
    q = compile_query(text).query
    if q is None:
        return
    ours = evaluate(q, ix._context(st_))
    assert records(ix, ours.ids) == whoosh_matches(oracle, q), text
    assert len(ours.ids) == len(set(ours.ids.tolist()))
    assert (ours.ids[1:] > ours.ids[:-1]).all()  # ascending, as every set operation expects
