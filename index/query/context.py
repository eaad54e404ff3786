"""What evaluating a query needs besides the posting lists, built once per committed index:
which records are rows, documents and files, each record's document, and each document's
language, date and tags as arrays the filters compare at once."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corpus.tags import tag_key
from index.analysis.dates import index_date
from index.analysis.tokens import english_term
from index.engine.postings import (
    Floats,
    Ints,
    Leaf,
    Postings,
    byte_column,
    column_codes,
    doc_frequency,
    field_terms,
    leaves,
    length_norms,
    prefixed_terms,
    read_postings,
)
from index.engine.rowtext import GroupReader
from index.engine.schema import DOC, DOC_FIELDS, FILE
from index.types import DocInfo

Mask = NDArray[np.bool_]

MAX_COMPLETIONS = 24  # words a word being typed may stand for: the commonest that it begins
MAX_COMPLETION_SCAN = 2000  # vocabulary entries looked at to find them
MAX_CHUNKS = 256  # stored row texts kept between queries (groups of up to 4 KB: some 1-2 MB)


@dataclass
class Context:
    """What evaluating needs besides the posting lists, built once per committed index."""

    searcher: Any
    infos: dict[str, DocInfo]
    segments: list[Leaf]
    live: Mask  # records not deleted
    is_doc: Mask
    is_file: Mask
    is_row: Mask  # live records that are neither a document's nor a file's
    listed: Mask  # live rows and document records of a listed document
    rec_doc: Ints  # docnum → index into `doc_ids` (-1: no listed document)
    doc_ids: list[str]
    doc_langs: NDArray[np.str_]  # per document index
    doc_dates: NDArray[np.str_]  # per document index: YYYY-MM-DD or shorter, "" when undated
    tag_keys: list[str]
    tag_index: dict[str, int]
    pair_doc: Ints  # one entry per (document, tag) pair: the document's index …
    pair_tag: Ints  # … and the tag's index in `tag_keys`
    spelling: dict[str, str]  # tag key → its commonest spelling
    doc_count: int
    norms: dict[str, Floats] = field(default_factory=dict)
    _read: dict[tuple[str, str], Postings] = field(default_factory=dict)
    _df: dict[tuple[str, str], int] = field(default_factory=dict)
    _completions: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    _vocabulary: list[str] | None = None
    _chunks: OrderedDict[int, Any] = field(default_factory=OrderedDict)
    _chunks_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, searcher: Any, infos: dict[str, DocInfo]) -> Context:
        segments = leaves(searcher)
        n = searcher.doc_count_all()
        live = np.ones(n, dtype=np.bool_)
        for leaf in segments:
            if leaf.live is not None:
                live[leaf.offset : leaf.offset + len(leaf.live)] &= leaf.live
        kinds = {}
        for kind in (DOC, FILE):
            mask = np.zeros(n, dtype=np.bool_)
            mask[read_postings(segments, searcher.schema, "kind", kind).ids] = True
            kinds[kind] = mask
        doc_ids = list(infos)
        index_of = {doc_id: i for i, doc_id in enumerate(doc_ids)}
        codes, names = column_codes(searcher, "doc")
        # Each distinct document id of the records, looked up once; -1 (no id) takes the last.
        lookup = np.array([index_of.get(d, -1) for d in names] + [-1], dtype=np.int64)
        rec_doc = lookup[codes]
        spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
        tag_index: dict[str, int] = {}
        pair_doc: list[int] = []
        pair_tag: list[int] = []
        key_of: dict[str, str] = {}  # a library has far fewer tags than tagged documents
        for i, info in enumerate(infos.values()):
            keys = set()
            for tag in info.tags:
                key = key_of.get(tag)
                if key is None:
                    key = key_of[tag] = tag_key(tag)
                if key:
                    keys.add(key)
                    spellings[key][tag] += 1
            for key in keys:
                pair_doc.append(i)
                pair_tag.append(tag_index.setdefault(key, len(tag_index)))
        return cls(
            searcher=searcher,
            infos=infos,
            segments=segments,
            live=live,
            is_doc=kinds[DOC],
            is_file=kinds[FILE],
            is_row=live & ~kinds[DOC] & ~kinds[FILE],
            listed=live & ~kinds[FILE] & (rec_doc >= 0),
            rec_doc=rec_doc,
            doc_ids=doc_ids,
            doc_langs=np.array([info.lang for info in infos.values()], dtype=np.str_),
            doc_dates=np.array([index_date(i.date) or "" for i in infos.values()], dtype=np.str_),
            tag_keys=list(tag_index),
            tag_index=tag_index,
            pair_doc=np.array(pair_doc, dtype=np.int64),
            pair_tag=np.array(pair_tag, dtype=np.int64),
            spelling={k: c.most_common(1)[0][0] for k, c in spellings.items()},
            doc_count=n,
        )

    def info_of(self, docnum: int) -> DocInfo | None:
        """The listed document record `docnum` belongs to, or None."""
        index = int(self.rec_doc[docnum])
        return self.infos.get(self.doc_ids[index]) if index >= 0 else None

    def postings(self, fieldname: str, text: str, positions: bool = False) -> Postings:
        """A term's postings, read once per query (a query often names a word twice: the title
        of a row and the title of a document)."""
        key = (fieldname, text)
        found = self._read.get(key)
        if found is None or (positions and found.pos is None):
            schema = self.searcher.schema
            found = read_postings(self.segments, schema, fieldname, text, positions)
            self._read[key] = found
        return found

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """Records with the term (the index's statistic, which counts deleted ones as Whoosh
        does; live documents for a field only documents have, as `records` counts them); kept
        for the life of the commit."""
        key = (fieldname, text)
        found = self._df.get(key)
        if found is None:
            if len(self._df) > 100_000:
                self._df.clear()
            schema = self.searcher.schema
            if fieldname in DOC_FIELDS:
                found = len(read_postings(self.segments, schema, fieldname, text).ids)
            else:
                found = doc_frequency(self.segments, schema, fieldname, text)
            self._df[key] = found
        return found

    def prefixed(self, fieldname: str, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The first `limit` index terms of the field that begin with `prefix`, in order, each
        with its document frequency."""
        return prefixed_terms(self.segments, self.searcher.schema, fieldname, prefix, limit)

    def completions(self, prefix: str) -> list[tuple[str, float]]:
        """Index terms of the commonest words that begin with `prefix`, commonest first, each with
        its weight (the square root of its frequency relative to the commonest's).

        Words are looked up unstemmed (the spelling vocabulary) and then stemmed, so that
        `quantizat` still finds "quantization" although its stem, "quantiz", is shorter than what
        was typed."""
        found = self._completions.get(prefix)
        if found is not None:
            return found
        counted = [(df, w) for w, df in self.prefixed("spell", prefix, MAX_COMPLETION_SCAN)]
        counted.sort(key=lambda c: (-c[0], c[1]))
        top = max((df for df, _ in counted), default=1) or 1
        terms: dict[str, float] = {}
        for df, word in counted[:MAX_COMPLETIONS]:
            terms.setdefault(english_term(word), (df / top) ** 0.5)
        if len(self._completions) > 1000:
            self._completions.clear()
        found = self._completions[prefix] = list(terms.items())
        return found

    def vocabulary(self) -> list[str]:
        """The library's English words as written (lowercased, unstemmed), for "did you mean";
        read once per commit, when first asked for."""
        if self._vocabulary is None:
            self._vocabulary = field_terms(self.segments, self.searcher.schema, "spell")
        return self._vocabulary

    @cached_property
    def back(self) -> NDArray[np.uint8]:
        """Per record, how many records after the first row of its text group it is (0 for that
        row and for records that are not rows): `schema.stored_row`."""
        return byte_column(self.searcher, "back")

    @cached_property
    def _row_runs(self) -> tuple[Ints, Ints]:
        """Per document index: its first live row record (-1 for none) and how many it has."""
        rows = np.flatnonzero(self.is_row & (self.rec_doc >= 0))
        docs = self.rec_doc[rows]
        starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]]) if len(rows) else rows
        first = np.full(len(self.doc_ids), self.doc_count, dtype=np.int64)
        np.minimum.at(first, docs[starts], rows[starts])
        first[first == self.doc_count] = -1
        counts = np.bincount(docs, minlength=len(self.doc_ids)).astype(np.int64)
        return first, counts

    def rows_of(self, docnums: Ints) -> tuple[Ints, Ints]:
        """For document records: the first of their rows and how many (0 for a document with
        no listed rows)."""
        first, counts = self._row_runs
        docs = self.rec_doc[docnums]
        listed = docs >= 0
        at = np.where(listed, docs, 0)
        return np.where(listed, first[at], docnums), np.where(listed, counts[at], 0)

    def records(self, fieldname: str) -> int:
        """How many records a field's statistics (idf) are over: the live documents for a field
        only documents have."""
        return max(self._documents, 1) if fieldname in DOC_FIELDS else self.doc_count

    def rows_per_document(self) -> float:
        return self._rows / self._documents if self._documents else 1.0

    @cached_property
    def _documents(self) -> int:
        return int(self.is_doc.sum())

    @cached_property
    def _rows(self) -> int:
        return int(self.is_row.sum())

    def rows_text(self, docnum: int) -> Any:
        """The rows of the text group that begins at record `docnum` (None for none), kept for
        later queries of this commit: typing searches again at every key, and the best rows of
        `mode` are those of `mod` (5,000 documents: typing p99 27 -> 20 ms)."""
        with self._chunks_lock:
            if docnum in self._chunks:
                self._chunks.move_to_end(docnum)
                return self._chunks[docnum]
            found = self._groups.group(docnum)
            self._chunks[docnum] = found
            if len(self._chunks) > MAX_CHUNKS:
                self._chunks.popitem(last=False)
        return found

    @cached_property
    def _groups(self) -> GroupReader:
        return GroupReader(self.searcher)

    def forget(self) -> None:
        """Drop the postings read for the last query."""
        self._read.clear()

    def norm(self, fieldname: str) -> Floats:
        norms = self.norms.get(fieldname)
        if norms is None:
            over = self.is_doc if fieldname in DOC_FIELDS else None
            norms = self.norms[fieldname] = length_norms(self.searcher, fieldname, over)
        return norms

    def facets(self, ids: Ints) -> dict[str, int]:
        """Documents per tag among the documents of these records, most first."""
        docs = self.rec_doc[ids]
        mask = np.zeros(len(self.doc_ids), dtype=np.bool_)
        mask[docs[docs >= 0]] = True
        counts = np.bincount(self.pair_tag[mask[self.pair_doc]], minlength=len(self.tag_keys))
        found = np.flatnonzero(counts)
        keys = self.tag_keys
        ranked = sorted(found.tolist(), key=lambda t: (-int(counts[t]), keys[t]))
        return {self.spelling.get(keys[t], keys[t]): int(counts[t]) for t in ranked}
