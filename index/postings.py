"""Whole posting lists and field lengths, read straight from Whoosh's segment files.

Whoosh answers a query through a tree of matcher objects that step one posting at a time, several
Python calls per posting per level of the tree: a word found in 20,000 paragraphs costs hundreds
of milliseconds. Reading a term's postings block by block into plain lists (one unpickle per 128
postings) and combining them with dict and set operations (`index.evaluate`) does the same work
in a few milliseconds.

This reads the W3 codec's block layout through the matcher's block-level methods (Whoosh 2.7's
file format: one pickled (ids, weights, values) tuple per block, or the postings inlined in the term
table). `tests/test_index_postings.py` checks the lists against Whoosh's own matchers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

_BYTE_TO_LENGTH = [byte_to_length(i) for i in range(256)]
_INT_SIZE = 4  # the count Whoosh's Positions format writes before the pickled deltas

K1 = 1.2  # Whoosh's BM25F defaults
B = 0.75


@dataclass(slots=True)
class Postings:
    """One term's postings over the whole index: ids ascending (global docnums), weights (term
    frequency) and, when asked for, the encoded positions."""

    ids: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    values: list[bytes] | None = None


def read_postings(searcher: Any, fieldname: str, text: str, values: bool = False) -> Postings:
    out = Postings(values=[] if values else None)
    fieldobj = searcher.schema[fieldname]
    tbytes = fieldobj.to_bytes(text)
    fmt = fieldobj.format
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        try:
            m = reader._terms.matcher(fieldname, tbytes, fmt)
        except (TermNotFound, KeyError):
            continue
        deleted = reader.deleted_docs_set
        for ids, weights, vals in _blocks(m):
            if offset:
                ids = [d + offset for d in ids]
            if deleted:
                keep = [i for i, d in enumerate(ids) if d - offset not in deleted]
                ids = [ids[i] for i in keep]
                weights = [weights[i] for i in keep]
                if vals is not None:
                    vals = [vals[i] for i in keep]
            out.ids.extend(ids)
            out.weights.extend(weights)
            if out.values is not None and vals is not None:
                out.values.extend(vals)
    return out


def _blocks(m: Any) -> Any:
    """(ids, weights, values) of each block of one segment's matcher."""
    if isinstance(m, ListMatcher):
        ids = list(m._ids)
        weights = list(m._weights) if m._weights is not None else [1.0] * len(ids)
        vals = list(m._values) if m._values is not None else None
        yield ids, weights, vals
        return
    if not isinstance(m, W3LeafMatcher):  # pragma: no cover - another codec: step through it
        ids, weights, vals = [], [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            vals.append(m.value())
            m.next()
        yield ids, weights, vals
        return
    while not m._atend:
        m._read_data()
        raw_ids, raw_weights, raw_values = m._data
        ids = list(accumulate(raw_ids))  # the ids are stored as deltas
        n = len(ids)
        if raw_weights is None:
            weights = [1.0] * n
        elif isinstance(raw_weights, tuple | list):
            weights = list(raw_weights)
        else:
            weights = [float(raw_weights)] * n
        yield ids, weights, raw_values if isinstance(raw_values, tuple | list) else None
        if m._lastblock:
            break
        m._goto(m._nextoffset)


_POSITIONS: dict[bytes, tuple[int, ...]] = {}
_POSITIONS_MAX = 200_000


def positions(value: bytes) -> tuple[int, ...]:
    """The token positions of one posting (Whoosh's Positions format: a count, then pickled
    deltas). Most values are short and repeat across postings, so decoded ones are kept."""
    found = _POSITIONS.get(value)
    if found is not None:
        return found
    pos = 0
    out = []
    for delta in loads(value[_INT_SIZE:]):
        pos += delta
        out.append(pos)
    if len(_POSITIONS) >= _POSITIONS_MAX:
        _POSITIONS.clear()
    result = _POSITIONS[value] = tuple(out)
    return result


def length_norms(searcher: Any, fieldname: str) -> list[float]:
    """Per docnum, the BM25 length term `K1 * ((1 - B) + B * length / average length)`."""
    avg = searcher.avg_field_length(fieldname) or 1.0
    table = [K1 * ((1 - B) + B * length / avg) for length in _BYTE_TO_LENGTH]
    out: list[float] = []
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        count = reader.doc_count_all()
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            out.extend([table[0]] * count)
            continue
        if isinstance(column, NumericColumn.Reader) and column._typecode == "B":
            codes: Any = column._dbfile.get(column._basepos, min(column._count, count))
        else:  # pragma: no cover - another codec
            codes = column.load()
        norms = [table[b] for b in codes][:count]
        norms.extend([table[0]] * (count - len(norms)))
        out.extend(norms)
    return out


def column_strings(searcher: Any, fieldname: str) -> list[str]:
    """Per docnum, the value of a sortable text field ("" where a record has none)."""
    out: list[str] = []
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        count = reader.doc_count_all()
        if not reader.has_column(fieldname):
            out.extend([""] * count)
            continue
        column = reader.column_reader(fieldname, translate=False)
        if isinstance(column, VarBytesColumn.Reader):
            offsets, lengths = column._offsets, column._lengths
            end = offsets[-1] + lengths[-1] if count else 0
            data = column._dbfile.get(column._basepos, end)
            values = [
                data[o : o + n].decode("utf-8") for o, n in zip(offsets, lengths, strict=True)
            ]
        else:  # pragma: no cover - another codec
            values = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in column]
        values = values[:count]
        values.extend([""] * (count - len(values)))
        out.extend(values)
    return out
