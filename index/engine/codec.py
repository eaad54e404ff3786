"""A faster way to write Whoosh's own segment format, with the text fields' terms beside it.

A bilingual library has a large vocabulary of rare terms (names, numbers, jieba's words), and
Whoosh 2.7 spends most of a commit, and most of the index, on per-term overhead. The terms of
fields with frequencies or positions (the text, keywords, tags) go to the segment's term file
(`lexicon`), their long positional lists to its array file (`arrayfile`). The fields of bare ids
stay in Whoosh's term table, which its writer deletes records by: short posting lists inlined
there (Whoosh's writer calls `set_inline` for `set_inlined`, so its inlining is dead code), long
ones in Whoosh's block layout compressed at zlib's fastest level, both pickled more tightly than
Whoosh does (raw bytes values, whole-number weights as ints, inlined lists without memo or
header), which `pickle.loads` reads all the same.

The term table is written by `CompactTermWriter`: Whoosh's hash writer keeps a Python tuple of two
ints for every term until the segment closes and hashes keys with MD5; this one keeps them in
typed arrays and hashes with CRC-32, which the file's header names, so readers pick the same
function.

The segments record a plain `W3Codec`, so nothing of this module is pickled into the index;
stock Whoosh opens it but finds no terms of the text fields.
"""

from __future__ import annotations

import io
import pickle
import threading
from array import array
from collections.abc import Iterator
from typing import Any
from zlib import compress, crc32

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3TermInfo,
)
from whoosh.compat import dumps
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter
from whoosh.formats import Positions
from whoosh.system import emptybytes, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.numlists import GrowableArray, delta_encode

from index.engine.arrayfile import EXT as ARRAY_EXT
from index.engine.arrayfile import ArrayFileWriter, decode
from index.engine.compat import ENTRY as _LENGTHS
from index.engine.compat import SLOT as _POINTER
from index.engine.compat import TERM_INFO
from index.engine.compat import lenfield as _lenfield
from index.engine.lexicon import EXT as LEXICON_EXT
from index.engine.lexicon import (
    LexiconWriter,
    frequency_value,
    kept_here,
    located_value,
    positional_value,
)
from index.engine.pool import Flat, Group, Raw, RunPool

# Blocks are zlib-compressed (level 1: a third of their size, 1-2 s per 100 MB of postings);
# queries read the array files, so only merges and the fallback path pay for decompressing.
_ZLIB_LEVEL = 1
_COMPRESS_FROM = 64  # bytes of pickled block below which compressing gains nothing

INLINE_LIMIT = 16  # posting lists up to this long live in the term table
# Positional lists longer than this go to the array file instead (2-3 bytes a posting there,
# 3-5 as varints in the term file); 8 or 16 made the index of real text no smaller.
POSITIONAL_INLINE_LIMIT = 4
BLOCK_LIMIT = 128


class FastCodec(W3Codec):
    def __init__(self) -> None:
        super().__init__(blocklimit=BLOCK_LIMIT, compression=0, inlinelimit=1)

    def new_segment(self, storage: Any, indexname: str) -> Any:
        # The segment (which is pickled into the index's table of contents) names the stock codec.
        return W3Codec(blocklimit=BLOCK_LIMIT, compression=0).new_segment(storage, indexname)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return FastFieldWriter(self, storage, segment)


_CRC32 = 1  # Whoosh's number for its CRC-32 hash function (filetables._hash_functions)


class CompactTermWriter(OrderedHashWriter):
    """Whoosh's ordered hash file format, with the pending hash entries in typed arrays."""

    def __init__(self, dbfile: Any) -> None:
        HashWriter.__init__(self, dbfile, hashtype=_CRC32)  # the header names the hash function
        self.index = GrowableArray("H")  # as OrderedHashWriter: every key's position
        self.lastkey = emptybytes
        self._hashes = [array("I") for _ in range(256)]
        self._positions = [array("q") for _ in range(256)]

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        dbfile = self.dbfile
        pos = dbfile.tell()
        self.index.append(pos)
        dbfile.write(_LENGTHS.pack(len(key), len(value)) + key + value)
        h = crc32(key)
        self._hashes[h & 255].append(h)
        self._positions[h & 255].append(pos)
        self.lastkey = key

    def _write_hashes(self) -> None:
        # HashWriter._write_hashes over the arrays: an open-addressing table per bucket, four
        # fifths full instead of half (12 bytes a slot: 9 bytes a term less than Whoosh; a lookup
        # probes about 3 slots, 13 for a term that is not there).
        dbfile = self.dbfile
        pack = _POINTER.pack
        empty = pack(0, 0)
        for hashes, positions in zip(self._hashes, self._positions, strict=True):
            numslots = len(hashes) * 5 // 4 + 1 if hashes else 0
            self.directory.append((dbfile.tell(), numslots))
            table = [empty] * numslots
            for h, position in zip(hashes, positions, strict=True):
                slot = (h >> 8) % numslots
                while table[slot] is not empty:
                    slot = (slot + 1) % numslots
                table[slot] = pack(h, position)
            dbfile.write(b"".join(table))
        self._hashes = self._positions = []


class PositionedFile:
    """A file being written that counts where it is: `BufferedWriter.tell` asks the system each
    time (a seek call), and the writers here ask for every term."""

    def __init__(self, file: Any) -> None:
        self._file = file
        self._at: int = file.tell()

    def write(self, data: Any) -> int:
        n: int = self._file.write(data)
        self._at += n
        return n

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._at = self._file.seek(offset, whence)
        return self._at

    def __getattr__(self, name: str) -> Any:  # flush, close, fileno and the rest
        return getattr(self._file, name)


class FastFieldWriter(W3FieldWriter):
    """Writes a whole posting list at once (the stock writer makes several calls per posting)."""

    _tindex: Any

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        super().__init__(codec, storage, segment)
        # Nothing but the stock term table's header is written yet: write ours over it.
        stock = self._tindex
        stock.dbfile.seek(stock.startoffset)
        terms = CompactTermWriter(stock.dbfile)
        terms.extras["fieldmap"] = self._fieldmap
        self._tindex = terms
        self._arrays = ArrayFileWriter(segment.create_file(storage, ARRAY_EXT))
        self._lexicon = LexiconWriter(
            segment.create_file(storage, LEXICON_EXT), POSITIONAL_INLINE_LIMIT
        )
        for struct_file in (terms.dbfile, self._postfile, self._arrays.dbfile):
            struct_file.file = PositionedFile(struct_file.file)

    def close(self) -> None:
        self._lexicon.close()
        self._arrays.close()
        super().close()

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        """Write every term's posting list: `items` is a `pool.Flat` (whole lists a term at a
        time) or Whoosh's sorted (field, term, document, weight, value) tuples."""
        tindex_add = self._tindex.add
        postfile = self._postfile
        lexicon_add = self._lexicon.add
        arrays_add = self._arrays.add
        lastfn: str | None = None
        lens: Any = None
        fixed: int | None = None
        lexical = positional = False
        boost = 1.0
        groups = items.groups() if isinstance(items, Flat) else _grouped(items)
        for fieldname, btext, postings in groups:
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                fieldobj = schema[fieldname]
                self.start_field(fieldname, fieldobj)
                fixed = fieldobj.format.fixed_value_size()
                lexical = kept_here(fieldobj)
                positional = isinstance(fieldobj.format, Positions)
                boost = fieldobj.format.field_boost
                lens = None if lexical else _field_lengths(lengths, fieldname)
                lastfn = fieldname
            ids, weights, values = postings
            n = len(ids)
            if lexical:
                if not positional:
                    lexicon_add(
                        fieldname,
                        btext,
                        frequency_value(ids, _frequencies(weights, boost)),
                        positional=False,
                    )
                    continue
                if bytes in map(type, values):  # Whoosh's encoding (a stock segment merged)
                    values = [v if isinstance(v, Raw) else decode(v) for v in values]
                    if any(w != len(p) * boost for w, p in zip(weights, values, strict=True)):
                        raise ValueError("the term file keeps no record boosts")
                if n <= POSITIONAL_INLINE_LIMIT:  # most terms
                    lexicon_add(fieldname, btext, positional_value(ids, values), positional=True)
                else:
                    where = located_value(arrays_add(ids, values))
                    lexicon_add(fieldname, btext, where, positional=True)
                continue
            tlens = list(map(lens.__getitem__, ids)) if lens is not None else [0] * n
            minlength = min(filter(None, tlens), default=None)
            key = pack_ushort(self._fieldid) + btext
            if n <= INLINE_LIMIT:
                tindex_add(key, inlined_info(ids, weights, values, minlength, max(tlens)))
                continue
            ti = W3TermInfo(
                weight=float(sum(weights)),
                df=n,
                minlength=minlength,
                maxlength=max(tlens),
                maxweight=max(weights),
                minid=ids[0],
                maxid=ids[-1],
            )
            start = postfile.tell()
            postfile.write(WHOOSH3_HEADER_MAGIC)
            values = [v if v is not None else emptybytes for v in values]
            for i in range(0, n, BLOCK_LIMIT):
                _write_block(
                    postfile,
                    ids[i : i + BLOCK_LIMIT],
                    weights[i : i + BLOCK_LIMIT],
                    values[i : i + BLOCK_LIMIT],
                    tlens[i : i + BLOCK_LIMIT],
                    fixed,
                    last=i + BLOCK_LIMIT >= n,
                )
            ti.set_extent(start, postfile.tell() - start)
            tindex_add(key, ti.to_bytes())
        if lastfn is not None:
            self.finish_field()


def _frequencies(weights: list[float], boost: float) -> list[int]:
    freqs = [round(w / boost) for w in weights]
    if any(abs(f * boost - w) > 1e-6 * w for f, w in zip(freqs, weights, strict=True)):
        raise ValueError("the term file keeps no record boosts")
    return freqs


def _grouped(items: Any) -> Iterator[Group]:
    """(field, term, document, weight, value) tuples from another pool (Whoosh's, when this
    codec is given to a stock writer) as one group per term."""
    pool = RunPool()
    for item in items:
        pool.add(item)
    return pool.groups()


def inlined_info(
    ids: list[int],
    weights: list[float],
    values: list[bytes],
    minlength: int | None,
    maxlength: int,
) -> bytes:
    """`W3TermInfo(...).to_bytes()` of a posting list kept in the term table, without building the
    object (half the cost, for several terms per row)."""
    head: bytes = TERM_INFO.pack(
        1,  # inlined
        float(sum(weights)),
        len(ids),
        0 if minlength is None else length_to_byte(minlength),
        length_to_byte(maxlength),
        max(weights),
        ids[0],
        ids[-1],
    )
    # Weights of 1.0 throughout are left out (None), as Whoosh's ListMatcher reads that as 1.0.
    all_ones = all(w == 1.0 for w in weights)
    return head + _pickled((tuple(ids), None if all_ones else _compact(weights), tuple(values)))


def _pickled(obj: Any) -> bytes:
    """`obj` pickled as compactly as `pickle.loads` still reads it: protocol 3 keeps each value as
    raw bytes (protocol 2 spells bytes as a call to `_codecs.encode`, some 25 bytes more), without
    the memo (nothing repeats that is worth its 2 bytes an object) and without the protocol
    header, which the unpickler does not need. The sample library's inlined postings: 548 KB at
    protocol 3, 422 KB so. Each thread reuses one pickler: making one costs twice the pickling
    of a short list, and a segment inlines tens of thousands."""
    state = getattr(_PICKLER, "state", None)
    if state is None:
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, 3)
        pickler.fast = True
        state = _PICKLER.state = (buf, pickler)
    buf, pickler = state
    buf.seek(0)
    buf.truncate()
    pickler.dump(obj)
    return buf.getvalue()[2:]


_PICKLER = threading.local()


def _compact(weights: list[float]) -> tuple[float | int, ...]:
    """The weights (term frequencies) with whole numbers as ints: a pickled int takes 2 bytes, a
    float 9, and Whoosh computes with either."""
    return tuple(int(w) if w == int(w) else float(w) for w in weights)


_BYTE_TO_LENGTH = [byte_to_length(i) for i in range(256)]


def _field_lengths(lengths: Any, fieldname: str) -> list[int] | None:
    """Every document's length in this field (what the stock writer looks up per posting)."""
    if not lengths:
        return None
    reader = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    table = _BYTE_TO_LENGTH
    return [table[b] for b in reader.load()]


def _write_block(
    postfile: Any,
    ids: list[int],
    weights: list[float],
    values: list[bytes],
    lens: list[int],
    fixed: int | None,
    *,
    last: bool,
) -> None:
    # The layout of W3PostingsWriter._write_block.
    if all(w == 1.0 for w in weights):
        mini_weights: Any = None
    elif all(w == weights[0] for w in weights):
        mini_weights = float(weights[0])  # Whoosh tells this case from a tuple by its type
    else:
        mini_weights = _compact(weights)
    if fixed is None or fixed < 0:
        mini_values: Any = tuple(values)
    elif fixed == 0:
        mini_values = None
    else:
        mini_values = emptybytes.join(values)
    databytes = _pickled((tuple(delta_encode(ids)), mini_weights, mini_values))
    comp = 0
    if len(databytes) >= _COMPRESS_FROM:
        databytes = compress(databytes, _ZLIB_LEVEL)
        comp = _ZLIB_LEVEL
    nonzero = [x for x in lens if x]
    infobytes = dumps(
        (
            len(ids),
            ids[-1],
            max(weights),
            comp,
            length_to_byte(min(nonzero) if nonzero else None),
            length_to_byte(max(lens)),
        ),
        2,
    )
    blocklength = len(infobytes) + len(databytes)
    postfile.write_int(-blocklength if last else blocklength)
    postfile.write(infobytes)
    postfile.write(databytes)
