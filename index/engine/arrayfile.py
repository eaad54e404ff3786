"""Each segment's long positional posting lists, as flat typed arrays a query reads without
unpickling.

Whoosh stores a posting list as pickled blocks of Python ints, 128 postings a block, and a query
pays about 50 µs to unpickle each block before any scoring starts: a common word costs
milliseconds to read alone. The segment writer (`codec`) therefore writes every long posting
list of the positional fields into one file per segment, `<segment>.arr`:

    list after list: id deltas [n] · term frequencies [n] (left out when all are 1) ·
    positions [sum of frequencies], each part in the narrowest of uint8, uint16, int32 that
    holds it
    footer: magic, bytes of lists

Most postings of a long list are a few records after the previous one and have one position
near the start of the record, so ids as deltas and narrow positions take about 3 bytes a posting
instead of 7. Where each list lies (`Located`: its length, positions, widths, offset and first
id) is kept with its term in the segment's term file (`lexicon`), some 8 bytes a list where a
directory here took 36. A list that runs past the lists cannot be read: the index is damaged
(`MissingList`), and rebuilt.

This module writes the file, and reads it back for merges (`ListReader`, no numpy: an update must
not wait for it to import); `index.engine.postings.ArrayFile` reads it for queries.
"""

from __future__ import annotations

import mmap
import struct
import sys
from array import array
from collections.abc import Sequence
from itertools import accumulate, chain
from operator import sub
from pickle import loads
from typing import Any, NamedTuple

EXT = ".arr"
MAGIC = b"LRARR003"
FOOTER = struct.Struct("<8sq")
# Flags: two bits per part (ids, frequencies, positions), each the index of its type in WIDTHS.
WIDTHS = ("u1", "<u2", "<i4")
SIZES = (1, 2, 4)
NO_TF = 3  # the frequencies' code when they are left out (every one is 1)
IDS_SHIFT, TF_SHIFT, POS_SHIFT = 0, 2, 4
_TYPECODES = ("B", "H", "i")
_INT_SIZE = 4  # the count Whoosh's Positions format writes before the pickled deltas
# `fields.encode_positions` of one position below 256, then that position and "a."
_ONE_SMALL = b"\x00\x00\x00\x01]K"


class MissingList(ValueError):
    """A long positional posting list that the segment's array file does not hold."""


class Located(NamedTuple):
    """Where a list lies in its segment's array file."""

    n: int  # postings
    npos: int  # positions
    flags: int  # each part's width
    offset: int
    first: int  # the first id (the deltas start from it)

    @property
    def size(self) -> int:
        codes = [(self.flags >> shift) & 3 for shift in (IDS_SHIFT, TF_SHIFT, POS_SHIFT)]
        if codes[0] > 2 or codes[2] > 2 or (codes[1] == NO_TF and self.npos != self.n):
            raise MissingList(f"a list's widths are damaged: {self.flags}")
        tf_size = 0 if codes[1] == NO_TF else SIZES[codes[1]] * self.n
        return SIZES[codes[0]] * self.n + tf_size + SIZES[codes[2]] * self.npos


class ArrayFileWriter:
    """Appends posting lists to a segment's array file; `close` writes the footer."""

    def __init__(self, dbfile: Any) -> None:
        self.dbfile = dbfile

    def add(self, ids: Sequence[int], values: Sequence[bytes | list[int]]) -> Located:
        """One term's postings: segment docnums ascending and their positions (lists of ints, or
        Whoosh's encoding)."""
        if bytes not in map(type, values):
            tfs = array("i", map(len, values))
            flat = array("i", chain.from_iterable(values))
        else:
            tfs = array("i")
            flat = array("i")
            for value in values:
                if isinstance(value, list):
                    tfs.append(len(value))
                    flat.extend(value)
                elif len(value) == 9 and value.startswith(_ONE_SMALL):  # most: 1 position
                    tfs.append(1)
                    flat.append(value[6])
                else:
                    plist = decode(value)
                    tfs.append(len(plist))
                    flat.extend(plist)
        deltas = array("i", [0])
        deltas.extend(map(sub, ids[1:], ids))
        ids_code, id_part = _narrowest(deltas)
        pos_code, pos_part = _narrowest(flat)
        parts = [id_part, pos_part]
        if len(flat) == len(ids):  # every frequency is 1
            tf_code = NO_TF
        else:
            tf_code, tf_part = _narrowest(tfs)
            parts.insert(1, tf_part)
        dbfile = self.dbfile
        flags = ids_code << IDS_SHIFT | tf_code << TF_SHIFT | pos_code << POS_SHIFT
        found = Located(len(ids), len(flat), flags, dbfile.tell(), ids[0])
        dbfile.write(b"".join(little_endian(part).tobytes() for part in parts))
        return found

    def close(self) -> None:
        dbfile = self.dbfile
        dbfile.write(FOOTER.pack(MAGIC, dbfile.tell()))
        dbfile.close()


def little_endian(a: array[int]) -> array[int]:
    """`a` as the files store it: little-endian (a byte-swapped copy on big-endian hosts)."""
    if sys.byteorder != "little":  # pragma: no cover - big-endian hosts
        a = array(a.typecode, a)
        a.byteswap()
    return a


def uint32s(data: Any, at: int, count: int) -> Any:
    """The table of `count` little-endian uint32 at `at` of a file's bytes, read in place (a
    copy on big-endian hosts); ValueError when it runs past the end."""
    part = memoryview(data)[at : at + 4 * count]
    if len(part) != 4 * count:
        raise ValueError("a table runs past the end of the file")
    if sys.byteorder == "little":
        return part.cast("I")
    out = array("I", part.tobytes())  # pragma: no cover - big-endian hosts
    out.byteswap()  # pragma: no cover
    return out  # pragma: no cover


def mapped(storage: Any, name: str) -> Any:
    """A segment file's bytes: mapped when the index is in a folder (the term file and the rows'
    text are read a few bytes at a time), read whole otherwise (tests' RAM storage)."""
    folder = getattr(storage, "folder", None)
    if folder is not None and storage.file_length(name) > 0:
        with open(f"{folder}/{name}", "rb") as fh:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    with storage.open_file(name) as fh:
        return fh.read()


def _narrowest(values: array[int]) -> tuple[int, array[int]]:
    """The code of the narrowest type in WIDTHS that holds every value (all >= 0), and the values
    in it."""
    top = max(values, default=0)
    code = 0 if top < 256 else 1 if top < 65536 else 2
    return code, values if code == 2 else array(_TYPECODES[code], values)


_DECODED: dict[bytes, list[int]] = {}
_DECODED_MAX = 30_000


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


class ListReader:
    """A segment's array file read whole, for merging its lists into another segment."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._end = lists_end(data)

    def postings(self, where: Located) -> tuple[list[int], list[int], list[list[int]]]:
        """(ids, frequencies, positions of each posting) of the list `where` says;
        MissingList when it is not inside the file."""
        n, npos, flags, at, first = where
        if at < 0 or at + where.size > self._end:
            raise MissingList(f"a posting list runs past the array file ({at}+{where.size})")
        code = (flags >> IDS_SHIFT) & 3
        deltas = _read(self._data, _TYPECODES[code], at, n)
        at += SIZES[code] * n
        code = (flags >> TF_SHIFT) & 3
        if code == NO_TF:
            tfs = [1] * n
        else:
            tfs = _read(self._data, _TYPECODES[code], at, n).tolist()
            at += SIZES[code] * n
        code = (flags >> POS_SHIFT) & 3
        flat = _read(self._data, _TYPECODES[code], at, npos).tolist()
        ids = list(accumulate(deltas, initial=first))[1:]  # the first delta is 0
        return ids, tfs, per_posting(flat, tfs)


def per_posting(flat: list[int], tfs: list[int]) -> list[list[int]]:
    """Positions one posting after the other, as each posting's list (`tfs`: how many each)."""
    return [flat[end - tf : end] for tf, end in zip(tfs, accumulate(tfs), strict=True)]


def lists_end(data: Any) -> int:
    """Where the lists of an array file end; ValueError for a file that is not one, or is cut."""
    if len(data) < FOOTER.size:
        raise ValueError("not a posting array file")
    magic, end = FOOTER.unpack(bytes(data[-FOOTER.size :]))
    if magic != MAGIC:
        raise ValueError("not a posting array file")
    if end != len(data) - FOOTER.size:
        raise ValueError("posting array file is damaged")
    return int(end)


def _read(data: bytes, typecode: str, at: int, count: int) -> array[int]:
    out = array(typecode)
    out.frombytes(data[at : at + out.itemsize * count])
    if len(out) != count:
        raise ValueError("posting array file is damaged")
    return little_endian(out)
