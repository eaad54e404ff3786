"""Each segment's long posting lists again, as flat typed arrays a query reads without unpickling.

Whoosh stores a posting list as pickled blocks of Python ints, 128 postings a block, and a query
pays about 50 µs to unpickle each block before any scoring starts: a common word costs
milliseconds to read alone. The segment writer (`codec`) therefore also writes every long
posting list of the text fields into one file per segment, `<segment>.arr`:

    term after term: ids int32[n] · term frequencies uint8 or int32 [n] · positions uint16 or
    int32 [sum of frequencies], each part padded to 4 bytes
    directory: postings-file offset int64[m] · array-file offset int64[m] · n int32[m] ·
    positions int32[m] · flags int32[m]
    footer: magic, directory offset, m

The directory is keyed by where the same list starts in Whoosh's postings file, which the term
table already gives, so no second term table is needed. The Whoosh files keep Whoosh's format and
stay the source of truth: a segment without this file (or a term not in it) is read from them.

This module writes the file (no numpy: an update must not wait for it to import);
`index.engine.postings.ArrayFile` reads it.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from pickle import loads
from typing import Any

EXT = ".arr"
MAGIC = b"LRARR001"
FOOTER = struct.Struct("<8sqq")
WIDE_TF = 1  # flags: frequencies are int32 (else uint8)
WIDE_POS = 2  # positions are int32 (else uint16)
_INT_SIZE = 4  # the count Whoosh's Positions format writes before the pickled deltas


class ArrayFileWriter:
    """Appends posting lists to a segment's array file; `close` writes the directory."""

    def __init__(self, dbfile: Any) -> None:
        self.dbfile = dbfile
        self._keys = array("q")
        self._offsets = array("q")
        self._counts = array("i")
        self._npos = array("i")
        self._flags = array("i")

    def add(self, postings_offset: int, ids: Sequence[int], values: Sequence[bytes]) -> None:
        """One term's postings: segment docnums ascending and their encoded positions."""
        tfs = array("i")
        flat = array("i")
        for value in values:
            plist = decode(value)
            tfs.append(len(plist))
            flat.extend(plist)
        flags = 0
        tf_part: array[int] = tfs
        if max(tfs) > 255:
            flags |= WIDE_TF
        else:
            tf_part = array("B", tfs)
        pos_part: array[int] = flat
        if flat and max(flat) > 65535:
            flags |= WIDE_POS
        else:
            pos_part = array("H", flat)
        dbfile = self.dbfile
        self._keys.append(postings_offset)
        self._offsets.append(dbfile.tell())
        self._counts.append(len(ids))
        self._npos.append(len(flat))
        self._flags.append(flags)
        for part in (array("i", ids), tf_part, pos_part):
            data = _little(part).tobytes()
            dbfile.write(data + b"\0" * (padded(len(data)) - len(data)))

    def close(self) -> None:
        dbfile = self.dbfile
        start = dbfile.tell()
        for part in (self._keys, self._offsets, self._counts, self._npos, self._flags):
            dbfile.write(_little(part).tobytes())
        dbfile.write(FOOTER.pack(MAGIC, start, len(self._keys)))
        dbfile.close()


def _little(a: array[int]) -> array[int]:
    if struct.pack("=i", 1) != struct.pack("<i", 1):  # pragma: no cover - big-endian hosts
        a = array(a.typecode, a)
        a.byteswap()
    return a


def padded(nbytes: Any) -> Any:
    """`nbytes` rounded up to a multiple of 4 (each part of a list is padded so): an int or an
    array of them."""
    return (nbytes + 3) // 4 * 4


_DECODED: dict[bytes, list[int]] = {}
_DECODED_MAX = 100_000


def decode(value: bytes) -> list[int]:
    """Whoosh's Positions encoding (a count, then pickled deltas) as positions. Most values are
    short and repeat across postings, so decoded ones are kept (do not change the list)."""
    found = _DECODED.get(value)
    if found is None:
        if len(_DECODED) >= _DECODED_MAX:
            _DECODED.clear()
        found = []
        pos = 0
        for delta in loads(value[_INT_SIZE:]):
            pos += delta
            found.append(pos)
        _DECODED[value] = found
    return found
