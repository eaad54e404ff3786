"""Each segment's long posting lists again, as flat typed arrays a query reads without unpickling.

Whoosh stores a posting list as pickled blocks of Python ints, 128 postings a block, and a query
pays about 50 µs to unpickle each block before any scoring starts: a common word costs
milliseconds to read alone. The segment writer (`index.codec`) therefore also writes every long
posting list of the text fields into one file per segment, `<segment>.arr`:

    term after term: ids int32[n] · term frequencies uint8 or int32 [n] · positions uint16 or
    int32 [sum of frequencies], each part padded to 4 bytes
    directory: postings-file offset int64[m] · array-file offset int64[m] · n int32[m] ·
    positions int32[m] · flags int32[m]
    footer: magic, directory offset, m

The directory is keyed by where the same list starts in Whoosh's postings file, which the term
table already gives, so no second term table is needed. The Whoosh files are unchanged and stay
the source of truth: a segment without this file (or a term not in it) is read from them.
"""

from __future__ import annotations

import logging
import struct
from array import array
from collections.abc import Sequence
from pickle import loads
from typing import Any

import numpy as np

log = logging.getLogger("llama_reader.index")

EXT = ".arr"
_MAGIC = b"LRARR001"
_FOOTER = struct.Struct("<8sqq")
_WIDE_TF = 1  # flags: frequencies are int32 (else uint8)
_WIDE_POS = 2  # positions are int32 (else uint16)
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
        self._decoded: dict[bytes, list[int]] = {}

    def add(self, postings_offset: int, ids: Sequence[int], values: Sequence[bytes]) -> None:
        """One term's postings: segment docnums ascending and their encoded positions."""
        decoded = self._decoded
        if len(decoded) > 100_000:
            decoded.clear()
        tfs = array("i")
        flat = array("i")
        for value in values:
            plist = decoded.get(value)
            if plist is None:
                plist = decoded[value] = _decode(value)
            tfs.append(len(plist))
            flat.extend(plist)
        flags = 0
        tf_part: array[int] = tfs
        if max(tfs) > 255:
            flags |= _WIDE_TF
        else:
            tf_part = array("B", tfs)
        pos_part: array[int] = flat
        if flat and max(flat) > 65535:
            flags |= _WIDE_POS
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
            dbfile.write(data + b"\0" * (-len(data) % 4))

    def close(self) -> None:
        dbfile = self.dbfile
        start = dbfile.tell()
        for part in (self._keys, self._offsets, self._counts, self._npos, self._flags):
            dbfile.write(_little(part).tobytes())
        dbfile.write(_FOOTER.pack(_MAGIC, start, len(self._keys)))
        dbfile.close()


def _little(a: array[int]) -> array[int]:
    if struct.pack("=i", 1) != struct.pack("<i", 1):  # pragma: no cover - big-endian hosts
        a = array(a.typecode, a)
        a.byteswap()
    return a


def _decode(value: bytes) -> list[int]:
    """Whoosh's Positions encoding (a count, then pickled deltas) as positions."""
    out = []
    pos = 0
    for delta in loads(value[_INT_SIZE:]):
        pos += delta
        out.append(pos)
    return out


class ArrayFile:
    """A segment's array file, mapped into memory; `lookup` returns one term's arrays."""

    def __init__(self, data: Any) -> None:
        self.data = data  # a numpy uint8 buffer (usually a memory map)
        magic, start, m = _FOOTER.unpack(bytes(data[-_FOOTER.size :]))
        if magic != _MAGIC:
            raise ValueError("not a posting array file")
        at = start

        def column(dtype: str) -> Any:
            nonlocal at
            out = np.frombuffer(data, dtype=dtype, count=m, offset=at)
            at += out.nbytes
            return out

        self.keys = column("<i8")
        self.offsets = column("<i8")
        self.counts = column("<i4")
        self.npos = column("<i4")
        self.flags = column("<i4")
        if not self._consistent(start):
            raise ValueError("posting array file is damaged")

    def _consistent(self, end: int) -> bool:
        """Every list lies inside the file, in order: a damaged file is refused whole, and its
        segment is read from Whoosh's blocks instead."""
        if not len(self.keys):
            return True
        n = self.counts.astype(np.int64)
        npos = self.npos.astype(np.int64)
        tf_size = np.where(self.flags & _WIDE_TF, 4, 1)
        pos_size = np.where(self.flags & _WIDE_POS, 4, 2)
        size = _pad4(4 * n) + _pad4(tf_size * n) + _pad4(pos_size * npos)
        return bool(
            (n > 0).all()
            and (npos >= 0).all()
            and (self.offsets >= 0).all()
            and (self.offsets + size <= end).all()
            and (np.diff(self.keys) > 0).all()
        )

    @classmethod
    def open(cls, storage: Any, segment: Any) -> ArrayFile | None:
        """The segment's array file, or None when it has none (written by another version)."""
        name = segment.make_filename(EXT)
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
            log.warning("reading %s from the index itself: %s", name, exc)
            return None

    def lookup(self, postings_offset: int) -> tuple[Any, Any, Any] | None:
        """(ids int32, frequencies, positions) of the list stored at `postings_offset` of the
        postings file, or None when it is not here."""
        keys = self.keys
        i = int(np.searchsorted(keys, postings_offset))
        if i >= len(keys) or keys[i] != postings_offset:
            return None
        n, npos, flags = int(self.counts[i]), int(self.npos[i]), int(self.flags[i])
        at = int(self.offsets[i])
        data = self.data
        ids = np.frombuffer(data, dtype="<i4", count=n, offset=at)
        at += _padded(ids.nbytes)
        tf_type = "<i4" if flags & _WIDE_TF else "u1"
        tfs = np.frombuffer(data, dtype=tf_type, count=n, offset=at)
        at += _padded(tfs.nbytes)
        pos_type = "<i4" if flags & _WIDE_POS else "<u2"
        pos = np.frombuffer(data, dtype=pos_type, count=npos, offset=at)
        return ids, tfs, pos


def _padded(nbytes: int) -> int:
    return nbytes + (-nbytes % 4)


def _pad4(nbytes: Any) -> Any:
    return (nbytes + 3) // 4 * 4
