"""Whole posting lists and field lengths as numpy arrays.

Whoosh answers a query through a tree of matcher objects that step one posting at a time, several
Python calls per posting per level of the tree: a word found in 20,000 paragraphs costs hundreds
of milliseconds. Here a term's postings are read whole, from the segment's array file
(`arrayfile`) for long positional lists and otherwise from the term table or Whoosh's own
blocks, and `index.query.evaluate` combines them with array operations.

`tests/test_index_evaluate.py` checks the lists against Whoosh's own matchers.
"""

from __future__ import annotations

import logging
import mmap
import operator
import struct
from bisect import bisect_left
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher, W3TermInfo
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from index.engine.arrayfile import EXT as ARRAY_EXT
from index.engine.arrayfile import (
    IDS_SHIFT,
    NO_TF,
    POS_SHIFT,
    SIZES,
    TF_SHIFT,
    WIDTHS,
    Located,
    MissingList,
    decode,
    lists_end,
)
from index.engine.compat import ENTRY as _LENGTHS  # an entry: key and value lengths
from index.engine.compat import SLOT as _SLOT  # a hash slot: the key's hash, where
from index.engine.compat import TERM_INFO as _TERM_INFO
from index.engine.compat import lenfield as _lenfield
from index.engine.kept import keep_only, kept
from index.engine.lexicon import EXT as LEXICON_EXT
from index.engine.lexicon import Lexicon, kept_here

log = logging.getLogger("llama_reader.index")

# A term info begins with its statistics (`_TERM_INFO`): a flag, the weight, the document
# frequency, …; the frequency is read where it lies, without decoding the rest.
_DF = struct.Struct("!I")
_DF_AT = struct.calcsize(_TERM_INFO.format[:3])
# The typecodes of the key order that Whoosh's ordered hash file writes (big-endian, `!`).
_ORDER_TYPES = {"B": "u1", "H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}

_BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)

K1 = 1.2  # Whoosh's BM25F defaults
B = 0.75

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
_NO_INTS: Ints = np.zeros(0, dtype=np.int64)
_NO_FLOATS: Floats = np.zeros(0, dtype=np.float64)


@dataclass(slots=True)
class Postings:
    """One term's postings over the whole index: ids ascending (global docnums), weights (term
    frequency) and, when asked for, each posting's positions: `pos[starts[i] : starts[i] +
    lens[i]]`."""

    ids: Ints
    weights: Floats
    starts: Ints | None = None
    lens: Ints | None = None
    pos: Ints | None = None


class ArrayFile:
    """A segment's array file, mapped into memory; `views` returns one list's arrays."""

    def __init__(self, data: Any) -> None:
        self.data = data  # a numpy uint8 buffer (usually a memory map)
        self.end = lists_end(data)

    @classmethod
    def open(cls, storage: Any, segment: Any) -> ArrayFile | None:
        """The segment's array file, or None when it is missing or damaged (a query that needs
        one of its lists then finds the index damaged)."""
        name = segment.make_filename(ARRAY_EXT)
        try:
            if not storage.file_exists(name):
                return None
            folder = getattr(storage, "folder", None)
            data: Any
            if folder is not None and storage.file_length(name) > 0:
                data = np.memmap(f"{folder}/{name}", dtype=np.uint8, mode="r")
            else:
                with storage.open_file(name) as fh:
                    data = np.frombuffer(fh.read(), dtype=np.uint8)
            return cls(data)
        except (OSError, ValueError, struct.error) as exc:
            log.warning("the array file %s is damaged: %s", name, exc)
            return None

    def views(self, where: Located) -> tuple[Any, Any, Any] | None:
        """The list's parts as they lie in the file, without copying: id deltas (the first 0),
        frequencies (None when all are 1) and positions; None when it is not inside the file."""
        n, npos, flags, at, _ = where
        if at < 0 or at + where.size > self.end:
            return None
        data = self.data
        code = (flags >> IDS_SHIFT) & 3
        deltas = np.frombuffer(data, dtype=WIDTHS[code], count=n, offset=at)
        at += SIZES[code] * n
        code = (flags >> TF_SHIFT) & 3
        tfs = None
        if code != NO_TF:
            tfs = np.frombuffer(data, dtype=WIDTHS[code], count=n, offset=at)
            at += SIZES[code] * n
        code = (flags >> POS_SHIFT) & 3
        pos = np.frombuffer(data, dtype=WIDTHS[code], count=npos, offset=at)
        return deltas, tfs, pos


class TermTable:
    """A segment's term table (Whoosh's hash file), mapped into memory and searched in place.

    Whoosh looks a term up with a seek and a read call per probe, about 15-20 µs; a query reads
    each of its terms in every segment, and an index that has taken a few updates has ten
    segments. Slicing the mapped file takes a few µs. Same hash function, table directory and
    probing as `whoosh.filedb.filetables.HashReader.ranges_for_key`."""

    def __init__(self, terms: Any, data: mmap.mmap) -> None:
        index = terms._tindex
        self._coder = terms._keycoder
        self._hash = index.hashfn
        self._tables = index.tables
        self._data = data
        # Where each key starts, in key order (the ordered hash file's index array).
        self._order_at = (index.indexbase, index.indexlen, _ORDER_TYPES[index.extras["indextype"]])
        self._order: Ints | None = None

    @classmethod
    def open(cls, terms: Any) -> TermTable | None:
        """The mapped table of a `W3TermsReader`, or None where its file is not a plain file of
        its own (a compound segment, another storage): Whoosh's own lookup is used there."""
        index = getattr(terms, "_tindex", None)
        dbfile = getattr(index, "dbfile", None)
        if index is None or dbfile is None or not dbfile.is_real or index.startoffset != 0:
            return None
        try:
            return cls(terms, mmap.mmap(dbfile.fileno(), 0, access=mmap.ACCESS_READ))
        except (OSError, ValueError, AttributeError) as exc:
            log.info("looking terms up through Whoosh: %s", exc)
            return None

    def term_info(self, fieldname: str, tbytes: bytes) -> Any:
        """The term's `W3TermInfo`; KeyError when the segment does not have it."""
        key = self._coder(fieldname, tbytes)  # KeyError for a field the segment lacks
        keyhash = self._hash(key)
        start, slots = self._tables[keyhash & 255]
        if slots:
            data = self._data
            end = start + slots * _SLOT.size
            at = start + ((keyhash >> 8) % slots) * _SLOT.size
            for _ in range(slots):
                slothash, item = _SLOT.unpack_from(data, at)
                if not item:
                    break
                if slothash == keyhash:
                    keylen, datalen = _LENGTHS.unpack_from(data, item)
                    keyat = item + _LENGTHS.size
                    if keylen == len(key) and data[keyat : keyat + keylen] == key:
                        valueat = keyat + keylen
                        return W3TermInfo.from_bytes(data[valueat : valueat + datalen])
                at += _SLOT.size
                if at == end:
                    at = start
        raise KeyError(key)

    def prefixed(self, fieldname: str, prefix: bytes, limit: int) -> list[tuple[bytes, int]]:
        """The first `limit` terms of the field that begin with `prefix`, in order, each with its
        document frequency. Whoosh walks the key order with a seek and a read per key and
        decodes each term's whole info; a word being typed looks at hundreds of terms in every
        segment."""
        start = self._coder(fieldname, prefix)
        skip = len(start) - len(prefix)  # the field's number before each term
        order = self._key_order()
        data = self._data
        size = _LENGTHS.size

        def key_at(i: int) -> bytes:
            at = int(order[i])
            keylen = _LENGTHS.unpack_from(data, at)[0]
            return data[at + size : at + size + keylen]

        out: list[tuple[bytes, int]] = []
        for i in range(bisect_left(range(len(order)), start, key=key_at), len(order)):
            if len(out) >= limit:
                break
            at = int(order[i])
            keylen = _LENGTHS.unpack_from(data, at)[0]
            key = data[at + size : at + size + keylen]
            if not key.startswith(start):
                break
            out.append((key[skip:], _DF.unpack_from(data, at + size + keylen + _DF_AT)[0]))
        return out

    def _key_order(self) -> Ints:
        if self._order is None:
            base, count, dtype = self._order_at
            # Copied out of the map, which stays free to close.
            self._order = np.frombuffer(self._data, dtype=dtype, count=count, offset=base).astype(
                np.int64
            )
        return self._order


@dataclass(slots=True)
class Leaf:
    """One segment: its reader, its first global docnum, its array file, its mapped term table,
    its term file of the text fields (None for a segment Whoosh wrote whole) and which docnums
    are live (None when nothing is deleted)."""

    reader: Any
    offset: int
    arrays: ArrayFile | None
    live: NDArray[np.bool_] | None
    terms: TermTable | None = None
    lexicon: Lexicon | None = None

    def lexicon_for(self, fieldobj: Any) -> Lexicon | None:
        """The term file that holds this field's terms, or None: Whoosh's table holds them."""
        return self.lexicon if self.lexicon is not None and kept_here(fieldobj) else None


def leaves(searcher: Any) -> list[Leaf]:
    out = []
    subs = searcher.leaf_searchers()
    for sub, offset in subs:
        reader = sub.reader()
        arrays = ArrayFile.open(reader._storage, reader._segment)
        live = None
        deleted = reader.deleted_docs_set if reader.has_deletions() else None
        if deleted:
            live = np.ones(reader.doc_count_all(), dtype=np.bool_)
            live[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
        segment = reader._segment
        lexicon = kept(
            reader,
            "lexicon",
            segment.make_filename(LEXICON_EXT),
            partial(Lexicon.open, reader._storage, segment),
        )
        out.append(Leaf(reader, offset, arrays, live, TermTable.open(reader._terms), lexicon))
    if subs:
        storage = subs[0][0].reader()._storage
        ids = (leaf.reader._segment.segment_id() for leaf in out)
        keep_only(getattr(storage, "folder", None), ids)
    return out


def read_postings(
    segments: list[Leaf], schema: Any, fieldname: str, text: str, positions: bool = False
) -> Postings:
    fieldobj = schema[fieldname]
    tbytes = fieldobj.to_bytes(text)
    fmt = fieldobj.format
    in_files = [leaf.lexicon_for(fieldobj) is not None for leaf in segments]
    if any(in_files):
        if not all(in_files):  # our writer writes a term file with every segment
            raise MissingList(f"a segment of the index has no term file for {fieldname}")
        return _from_lexicons(segments, fieldname, tbytes, fmt.field_boost, positions)
    parts: list[_Part] = []  # an index Whoosh wrote whole
    for leaf in segments:
        terms = leaf.reader._terms
        try:
            info = (leaf.terms or terms).term_info(fieldname, tbytes)
        except (TermNotFound, KeyError):
            continue
        matcher = terms._codec.postings_reader(terms._postfile, info, fmt, term=(fieldname, tbytes))
        part = _from_blocks(matcher, positions)
        if part.lens is not None:
            part.starts = np.zeros(len(part.lens), dtype=np.int64)
            np.cumsum(part.lens[:-1], out=part.starts[1:])
        _place(part, leaf)
        parts.append(part)
    return _join(parts, positions)


def _from_lexicons(
    segments: list[Leaf], fieldname: str, tbytes: bytes, boost: float, positions: bool
) -> Postings:
    """The term's postings in every segment's term and array files, put together with a few
    array operations for the whole list rather than a dozen a segment (a query reads some ten
    terms in each of ten segments)."""
    deltas: list[Any] = []  # each segment's id deltas, the first 0
    bases: list[int] = []  # each segment's first global id
    counts: list[int] = []
    tfs: list[Any] = []
    poses: list[Any] = []
    deleting: list[tuple[int, Leaf]] = []  # (index of the part, its segment) with deletions
    positional = False
    for leaf in segments:
        lexicon = leaf.lexicon
        assert lexicon is not None
        number = lexicon.find(fieldname, tbytes)
        if number < 0:
            continue
        positional = lexicon.fields[fieldname][2]
        kept = lexicon.postings(fieldname, number)
        if isinstance(kept, Located):
            if leaf.arrays is None:
                raise MissingList(f"the array file of segment {leaf.reader._segment} is lost")
            found = leaf.arrays.views(kept)
            if found is None:
                raise MissingList(f"{fieldname}:{tbytes!r} is not in its segment's array file")
            part_deltas, part_tfs, part_pos = found
            first, n = kept.first, kept.n
            if part_tfs is None:
                part_tfs = np.ones(n, dtype=np.uint8)
        else:
            ids, part_tfs, part_pos = kept
            first, n = ids[0], len(ids)
            part_deltas = [0, *map(operator.sub, ids[1:], ids)]
        if leaf.live is not None:
            deleting.append((len(counts), leaf))
        deltas.append(part_deltas)
        bases.append(first + leaf.offset)
        counts.append(n)
        tfs.append(part_tfs)
        poses.append(part_pos)
    if not counts:
        return _join([], positions)
    sizes = np.array(counts, dtype=np.int64)
    ends = np.cumsum(sizes)
    summed = np.cumsum(np.concatenate(deltas, dtype=np.int64))
    # Each part's running sum starts again from its first id: the sums before it, taken off.
    ids = summed + np.repeat(np.array(bases, dtype=np.int64) - summed[ends - sizes], sizes)
    tf = np.concatenate(tfs, dtype=np.int64)
    weights: Floats = tf.astype(np.float64)
    if boost != 1.0:
        weights *= boost
    out = Postings(ids, weights)
    if positions and positional:
        out.lens = tf
        out.starts = np.cumsum(tf) - tf
        out.pos = np.concatenate(poses, dtype=np.int64)
    if deleting:
        keep = np.ones(len(ids), dtype=np.bool_)
        for i, leaf in deleting:
            assert leaf.live is not None
            start, end = int(ends[i] - sizes[i]), int(ends[i])
            keep[start:end] = leaf.live[ids[start:end] - leaf.offset]
        if not keep.all():
            out.ids, out.weights = out.ids[keep], out.weights[keep]
            if out.lens is not None and out.starts is not None:
                out.lens, out.starts = out.lens[keep], out.starts[keep]
    return out


def _place(part: _Part, leaf: Leaf) -> None:
    """Drop the part's deleted postings and make its ids global."""
    if leaf.live is not None:
        part.keep(leaf.live[part.ids])
    if leaf.offset:
        part.ids = part.ids + leaf.offset


def doc_frequency(segments: list[Leaf], schema: Any, fieldname: str, text: str) -> int:
    """Records with the term in these segments, deleted ones included (Whoosh's statistic)."""
    fieldobj = schema[fieldname]
    tbytes = fieldobj.to_bytes(text)
    total = 0
    for leaf in segments:
        lexicon = leaf.lexicon_for(fieldobj)
        if lexicon is not None:
            number = lexicon.find(fieldname, tbytes)
            total += lexicon.doc_frequency(number) if number >= 0 else 0
            continue
        try:
            info = (leaf.terms or leaf.reader._terms).term_info(fieldname, tbytes)
        except (TermNotFound, KeyError):
            continue
        total += info.doc_frequency()
    return total


def prefixed_terms(
    segments: list[Leaf], schema: Any, fieldname: str, prefix: str, limit: int
) -> list[tuple[str, int]]:
    """The first `limit` terms of the field beginning with `prefix` in any segment, in order, each
    with its document frequency over all of them."""
    fieldobj = schema[fieldname]
    pbytes = fieldobj.to_bytes(prefix)
    totals: dict[bytes, int] = {}
    for leaf in segments:
        lexicon = leaf.lexicon_for(fieldobj)
        if lexicon is not None:
            found = lexicon.prefixed(fieldname, pbytes, limit)
        elif leaf.terms is not None:
            found = leaf.terms.prefixed(fieldname, pbytes, limit)
        else:
            found = []
            for n, (tbytes, info) in enumerate(leaf.reader.iter_prefix(fieldname, prefix)):
                if n >= limit:
                    break
                found.append((tbytes, info.doc_frequency()))
        for tbytes, df in found:
            totals[tbytes] = totals.get(tbytes, 0) + df
    first = sorted(totals)[:limit]
    return [(fieldobj.from_bytes(t), totals[t]) for t in first]


def field_terms(segments: list[Leaf], schema: Any, fieldname: str) -> list[str]:
    """Every term of the field in any segment, in order."""
    fieldobj = schema[fieldname]
    found: set[bytes] = set()
    for leaf in segments:
        lexicon = leaf.lexicon_for(fieldobj)
        if lexicon is not None:
            found.update(lexicon.terms(fieldname))
        else:
            found.update(leaf.reader.lexicon(fieldname))
    return [fieldobj.from_bytes(t) for t in sorted(found)]


@dataclass(slots=True)
class _Part:
    """One segment's share of a posting list."""

    ids: Ints
    weights: Floats
    lens: Ints | None = None
    pos: Ints | None = None
    starts: Ints | None = None

    def keep(self, mask: NDArray[np.bool_]) -> None:
        self.ids, self.weights = self.ids[mask], self.weights[mask]
        if self.lens is not None and self.starts is not None:
            self.lens, self.starts = self.lens[mask], self.starts[mask]


def _join(parts: list[_Part], positions: bool) -> Postings:
    if not parts:
        if positions:
            return Postings(_NO_INTS, _NO_FLOATS, _NO_INTS, _NO_INTS, _NO_INTS)
        return Postings(_NO_INTS, _NO_FLOATS)
    if len(parts) == 1:
        p = parts[0]
        return Postings(p.ids, p.weights, p.starts, p.lens, p.pos)
    out = Postings(
        np.concatenate([p.ids for p in parts]), np.concatenate([p.weights for p in parts])
    )
    if positions:
        shift = 0
        starts = []
        for p in parts:
            assert p.starts is not None and p.pos is not None
            starts.append(p.starts + shift)
            shift += len(p.pos)
        out.starts = np.concatenate(starts)
        out.lens = np.concatenate([p.lens for p in parts if p.lens is not None])
        out.pos = np.concatenate([p.pos for p in parts if p.pos is not None])
    return out


def _from_blocks(m: Any, positions: bool) -> _Part:
    """One segment's list from Whoosh's own matcher."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for b_ids, b_weights, b_values in _blocks(m):
        ids.extend(b_ids)
        weights.extend(b_weights)
        if positions:
            values.extend(b_values or ())
    part = _Part(np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64))
    if positions:
        decoded = [decode(v) for v in values]
        part.lens = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
        part.pos = np.fromiter(
            (p for plist in decoded for p in plist), dtype=np.int64, count=int(part.lens.sum())
        )
    return part


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


def length_norms(searcher: Any, fieldname: str, over: NDArray[np.bool_] | None = None) -> Floats:
    """Per docnum, the BM25 length term `K1 * ((1 - B) + B * length / average length)`; the
    average is over the records of `over` when given (a field only they have), else Whoosh's."""
    codes = _length_codes(searcher, fieldname)
    if over is not None:
        lengths = _BYTE_TO_LENGTH[codes[over]]
        avg = float(lengths.mean()) if len(lengths) else 1.0
    else:
        avg = searcher.avg_field_length(fieldname)
    table = K1 * ((1 - B) + B * _BYTE_TO_LENGTH / (avg or 1.0))
    norms: Floats = table[codes]
    return norms


def _length_codes(searcher: Any, fieldname: str) -> NDArray[np.uint8]:
    """Per docnum, the field's length as Whoosh stores it (one byte, `byte_to_length`)."""
    return _byte_column(searcher, _lenfield(fieldname), LENGTHS_COLUMN)


def byte_column(searcher: Any, fieldname: str) -> NDArray[np.uint8]:
    """Per docnum, the value of a field's one-byte numeric column (0 where a record has none)."""
    return _byte_column(searcher, fieldname, searcher.schema[fieldname].column_type)


def _byte_column(searcher: Any, name: str, column_type: Any) -> NDArray[np.uint8]:
    out: list[NDArray[np.uint8]] = []
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        count = reader.doc_count_all()
        codes = np.zeros(count, dtype=np.uint8)
        column = reader._perdoc._cached_reader(name, column_type)
        if column is not None:
            if isinstance(column, NumericColumn.Reader) and column._typecode == "B":
                raw: Any = column._dbfile.get(column._basepos, min(column._count, count))
            else:  # pragma: no cover - another codec
                raw = bytes(column.load())
            got = np.frombuffer(raw, dtype=np.uint8)[:count]
            codes[: len(got)] = got
        out.append(codes)
    return np.concatenate(out) if out else np.zeros(0, dtype=np.uint8)


def column_codes(searcher: Any, fieldname: str) -> tuple[Ints, list[str]]:
    """Per docnum, the index of its value of a sortable text field in the list returned with
    them, -1 where a record has none. Each segment's are read once (`kept`): a commit that adds
    a small segment reads only that one."""
    codes: list[Ints] = []
    values: list[str] = []
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        name = W3Codec.column_filename(reader._segment, fieldname)
        part, distinct = kept(
            reader, f"codes:{fieldname}", name, partial(_codes, reader, fieldname)
        )
        codes.append(np.where(part >= 0, part + len(values), -1))
        values.extend(distinct)
    return (np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)), values


def _codes(reader: Any, fieldname: str) -> tuple[Ints, list[str]]:
    count = reader.doc_count_all()
    if not reader.has_column(fieldname):
        return np.full(count, -1, dtype=np.int64), []
    column = reader.column_reader(fieldname, translate=False)
    index: dict[bytes, int] = {b"": -1}
    if isinstance(column, VarBytesColumn.Reader):
        offsets, lengths = column._offsets, column._lengths
        end = offsets[-1] + lengths[-1] if count else 0
        data = column._dbfile.get(column._basepos, end)
        raw: Any = (data[o : o + n] for o, n in zip(offsets, lengths, strict=True))
    else:  # pragma: no cover - another codec
        raw = (v if isinstance(v, bytes) else str(v).encode() for v in column)
    add = index.setdefault
    found = np.fromiter((add(v, len(index) - 1) for v in raw), dtype=np.int64)[:count]
    codes = np.full(count, -1, dtype=np.int64)
    codes[: len(found)] = found
    del index[b""]
    return codes, [v.decode("utf-8") for v in index]
