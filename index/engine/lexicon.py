"""Each segment's terms of the text fields, in a sorted table of our own: `<segment>.lex`.

Whoosh's term table spends 50-70 bytes on every term before its postings: an entry header, the
field's number, a 27-byte statistics record, pickle framing, a hash slot and a place in the key
order. A library's vocabulary is mostly terms seen in one or two paragraphs (names, numbers,
jieba's words, rare Chinese characters), so on real text that table was two thirds of the index.
Here a term costs its bytes, a byte of length, a byte of its value's length and its postings
as varints:

    MAGIC · entries, field after field, each field's in term byte order: the term's length,
    the term, the value's length, the value · block starts uint32[ceil(m / STEP) + 1] ·
    fields (JSON) · FOOTER

A value is the term's document frequency n then, for a list kept here, each posting as its
document's distance from the previous one and its frequency, followed in positional fields by
that many position deltas: all varints. Positional lists longer than the footer's `inline` live
in the segment's array file (`arrayfile`), and their value says where (`Located`). The fields
JSON gives each field's first term number, its end and whether it is positional.

Only every STEP-th entry's place is kept (4 bytes a term were a tenth of a small library's
index): a lookup bisects a list of each block's first term of the field (made when the field is
first asked for), then walks the few entries after it in the mapped file. A walk that reaches
the next block checks that it begins where the table says, so a damaged length is found there
(a lookup that stops before it may not see it: the manifest's checksums are the whole check).
Fields of bare ids stay in Whoosh's table (`kept_here`): few terms, and Whoosh's writer deletes
records by them.
"""

from __future__ import annotations

import functools
import json
import mmap
import struct
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from whoosh.formats import Frequency, Positions

from index.engine.arrayfile import EXT as ARRAY_EXT
from index.engine.arrayfile import Located, MissingList, little_endian, mapped, uint32s

EXT = ".lex"
MAGIC = b"LRLEX003"
# magic, terms m, inline limit, block table at, fields at, fields length
FOOTER = struct.Struct("<8sqqqqq")
_ENTRIES_AT = len(MAGIC)
T = TypeVar("T")
STEP = 16  # terms per block: the block table keeps where each block's first entry is
_WRITE_FROM = 1 << 20  # bytes of values buffered before they are written out

# The varint of every number below 2**14: most deltas, frequencies and positions.
_VARINT = [bytes([i]) for i in range(128)]
_VARINT += [bytes([i & 127 | 128, i >> 7]) for i in range(128, 1 << 14)]


class LexiconDamaged(MissingList):
    """A term file that does not hold together: its posting lists are lost, the index damaged."""


def kept_here(fieldobj: Any) -> bool:
    """Whether a field's terms go to the term file: those with frequencies or positions (text,
    keywords, tags). Fields of bare ids (keys, paths, kinds, dates) stay in Whoosh's table, which
    its writer deletes records by."""
    return type(fieldobj.format) in (Positions, Frequency)


def varints(numbers: Sequence[int]) -> bytes:
    table = _VARINT
    return b"".join(table[i] if 0 <= i < 16384 else _varint(i) for i in numbers)


def _varint(i: int) -> bytes:
    if i < 0:
        raise ValueError(f"a varint is never negative: {i}")
    out = bytearray()
    while i >= 128:
        out.append(i & 127 | 128)
        i >>= 7
    out.append(i)
    return bytes(out)


def unvarints(raw: bytes) -> list[int]:
    if raw.isascii():  # every number below 128: the bytes are the numbers
        return list(raw)
    out = []
    value = shift = 0
    for b in raw:
        value |= (b & 127) << shift
        if b < 128:
            out.append(value)
            value = shift = 0
        else:
            shift += 7
    return out


def positional_value(ids: Sequence[int], plists: Sequence[Sequence[int]]) -> bytes:
    """A positional list kept in the term file: ids ascending, each with its positions."""
    numbers = [len(ids)]
    last = 0
    for docnum, plist in zip(ids, plists, strict=True):
        numbers.append(docnum - last)
        last = docnum
        numbers.append(len(plist))
        at = 0
        for pos in plist:
            numbers.append(pos - at)
            at = pos
    return varints(numbers)


def frequency_value(ids: Sequence[int], freqs: Sequence[int]) -> bytes:
    numbers = [len(ids)]
    last = 0
    for docnum, freq in zip(ids, freqs, strict=True):
        numbers.append(docnum - last)
        last = docnum
        numbers.append(freq)
    return varints(numbers)


def located_value(where: Located) -> bytes:
    """A list kept in the array file: its length, then where it lies there."""
    return varints(where)


class LexiconWriter:
    """Takes terms field after field, each field's in byte order; `close` writes the tables."""

    def __init__(self, dbfile: Any, inline: int) -> None:
        self.dbfile = dbfile
        self.inline = inline
        dbfile.write(MAGIC)
        self._entries = bytearray()
        self._blocks = array("I")
        self._count = 0
        self._written = 0  # entry bytes already written out
        self._fields: dict[str, list[Any]] = {}
        self._field: str | None = None
        self._last = b""

    @property
    def count(self) -> int:
        return self._count

    def add(self, fieldname: str, tbytes: bytes, value: bytes, *, positional: bool) -> int:
        """Adds one term; returns its number."""
        number = self._count
        if fieldname != self._field:
            if fieldname in self._fields:
                raise ValueError(f"the terms of field {fieldname!r} are not together")
            self._close_field()
            self._fields[fieldname] = [number, number, positional]
            self._field = fieldname
        elif tbytes <= self._last:
            raise ValueError(f"terms must increase: {self._last!r}..{tbytes!r}")
        self._last = tbytes
        entries = self._entries
        if number % STEP == 0:
            self._blocks.append(self._written + len(entries))
        n = len(tbytes)
        entries += _VARINT[n] if n < 16384 else _varint(n)
        entries += tbytes
        n = len(value)
        entries += _VARINT[n] if n < 16384 else _varint(n)
        entries += value
        self._count = number + 1
        if len(entries) >= _WRITE_FROM:
            self.dbfile.write(bytes(entries))
            self._written += len(entries)
            entries.clear()
        return number

    def _close_field(self) -> None:
        if self._field is not None:
            self._fields[self._field][1] = self._count

    def close(self) -> None:
        self._close_field()
        dbfile = self.dbfile
        dbfile.write(bytes(self._entries))
        size = self._written + len(self._entries)
        at = len(MAGIC) + size
        if at >= 1 << 32:
            raise ValueError("a segment's term file is limited to 4 GB")
        self._blocks.append(size)
        pad = -at % 4
        dbfile.write(b"\0" * pad)
        blocks_at = at + pad
        dbfile.write(little_endian(self._blocks).tobytes())
        fields_at = blocks_at + 4 * len(self._blocks)
        fields = json.dumps(self._fields, separators=(",", ":")).encode()
        dbfile.write(fields)
        dbfile.write(
            FOOTER.pack(MAGIC, self._count, self.inline, blocks_at, fields_at, len(fields))
        )
        dbfile.close()


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Reading a damaged file raises LexiconDamaged (the index is then repaired), not whatever
    error a wrong offset or a cut varint happens to cause."""

    @functools.wraps(method)
    def read(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except LexiconDamaged:
            raise
        except (IndexError, ValueError, TypeError) as exc:
            raise LexiconDamaged(f"term file damaged: {exc!r}") from exc

    return read


class Lexicon:
    """A segment's term file, read in place (usually a memory map)."""

    def __init__(self, data: Any) -> None:
        if len(data) < FOOTER.size + len(MAGIC):
            raise LexiconDamaged("term file too short")
        magic, m, inline, blocks_at, fields_at, flen = FOOTER.unpack(data[-FOOTER.size :])
        if magic != MAGIC or data[: len(MAGIC)] != MAGIC:
            raise LexiconDamaged("not a term file")
        if m < 0 or inline < 0:
            raise LexiconDamaged("term file damaged: its footer is not one")
        self._data = data
        self._m = int(m)
        self.inline = inline
        try:
            self._blocks = uint32s(data, blocks_at, -(-m // STEP) + 1)
            fields = json.loads(bytes(data[fields_at : fields_at + flen]))
            self.fields: dict[str, tuple[int, int, bool]] = {
                name: (int(first), int(end), bool(positional))
                for name, (first, end, positional) in fields.items()
            }
        except (ValueError, TypeError, AttributeError) as exc:
            raise LexiconDamaged(f"term file damaged: {exc}") from exc
        self._end = _ENTRIES_AT + self._blocks[-1]  # where the entries end
        fits = (
            (m == 0 or self._blocks[0] == 0)
            and self._end <= blocks_at
            and fields_at + flen + FOOTER.size == len(data)
            and all(0 <= f <= e <= m for f, e, _ in self.fields.values())
        )
        if not fits:
            raise LexiconDamaged("term file damaged: its tables do not fit")
        # per field: the field's first term in each block, its number and where its entry is
        self._sparse: dict[str, tuple[list[bytes], list[int], list[int]]] = {}
        self._found = (-1, 0, 0)  # the last term found: its number and its value's bounds

    @classmethod
    def open(cls, storage: Any, segment: Any) -> Lexicon | None:
        """The segment's term file; None when the segment has none (Whoosh wrote it all);
        LexiconDamaged when it is lost or cannot be read."""
        name = segment.make_filename(EXT)
        try:
            if not storage.file_exists(name):
                # Our writer writes both files: an array file alone is a segment that lost this.
                if storage.file_exists(segment.make_filename(ARRAY_EXT)):
                    raise LexiconDamaged(f"the term file {name} is lost")
                return None
            return cls(mapped(storage, name))
        except (OSError, struct.error) as exc:
            raise LexiconDamaged(f"the term file {name} cannot be read: {exc}") from exc

    def __len__(self) -> int:
        return self._m

    def close(self) -> None:
        """Unmap the file now (queries leave theirs to the garbage collector, as the array
        files')."""
        if isinstance(self._blocks, memoryview):
            self._blocks.release()
        if isinstance(self._data, mmap.mmap):
            self._data.close()

    def _entry(self, at: int) -> tuple[int, int, int]:
        """The entry at `at`: where its term ends, where its value starts and ends (the term
        starts where its length ends: `_term_start`)."""
        data = self._data
        n = data[at]
        if n < 128:
            start = at + 1
        else:
            n, start = _long_varint(data, at)
        end = start + n
        v = data[end]
        if v < 128:
            vstart = end + 1
        else:
            v, vstart = _long_varint(data, end)
        vend = vstart + v
        if vend > self._end:
            raise LexiconDamaged("term file damaged: an entry runs past the entries")
        return end, vstart, vend

    def _term_start(self, at: int) -> int:
        n = self._data[at]
        return at + 1 if n < 128 else _long_varint(self._data, at)[1]

    def _place(self, number: int) -> int:
        """Where term `number`'s entry is: its block's start, then the entries before it."""
        at: int = _ENTRIES_AT + self._blocks[number // STEP]
        for _ in range(number % STEP):
            at = self._entry(at)[2]
        return at

    def _walk(self, number: int, stop: int) -> Iterator[tuple[int, int, int, int, int]]:
        """(number, term start, term end, value start, value end) of terms number..stop-1, one
        after the other; where a block begins, the entry must be where the block table says."""
        at = self._place(number)
        entry, blocks = self._entry, self._blocks
        while number < stop:
            if number % STEP == 0 and at != _ENTRIES_AT + blocks[number // STEP]:
                raise LexiconDamaged("term file damaged: an entry is not where its block says")
            end, vstart, vend = entry(at)
            self._found = (number, vstart, vend)
            yield number, self._term_start(at), end, vstart, vend
            number += 1
            at = vend

    def _span(self, number: int) -> tuple[int, int]:
        """Where term `number`'s value starts and ends."""
        found, vstart, vend = self._found  # one read: another thread may find another term
        if found == number:
            return vstart, vend
        if not 0 <= number < self._m:
            raise LexiconDamaged(f"no term {number} in the term file")
        for _, _, _, vstart, vend in self._walk(number, number + 1):
            return vstart, vend
        raise LexiconDamaged(f"no term {number} in the term file")  # pragma: no cover

    def _sparse_of(self, fieldname: str) -> tuple[list[bytes], list[int], list[int]]:
        sparse = self._sparse.get(fieldname)
        if sparse is None:
            first, end, _ = self.fields[fieldname]
            terms: list[bytes] = []
            numbers: list[int] = []
            ats: list[int] = []
            data = self._data
            starts = [first, *range(first - first % STEP + STEP, end, STEP)] if first < end else []
            for number in starts:  # the field's first term (inside a block), then block starts
                at = self._place(number)
                tend = self._entry(at)[0]
                terms.append(bytes(data[self._term_start(at) : tend]))
                numbers.append(number)
                ats.append(at)
            sparse = self._sparse[fieldname] = (terms, numbers, ats)
        return sparse

    def _seek(self, fieldname: str, tbytes: bytes) -> tuple[int, bool]:
        """The first term of the field not below `tbytes`: its number and whether it is
        `tbytes`; (end, False) when there is none."""
        first, end, _ = self.fields[fieldname]
        terms, numbers, ats = self._sparse_of(fieldname)
        j = bisect_right(terms, tbytes) - 1
        if j < 0:
            return first, False
        number, at = numbers[j], ats[j]
        # Where the next block begins: a walk that reaches it elsewhere met a damaged length.
        check, check_at = (numbers[j + 1], ats[j + 1]) if j + 1 < len(numbers) else (end, -1)
        data = self._data
        while number < end:  # `_entry`, written out: this loop is most of a lookup
            if number == check and at != check_at:
                raise LexiconDamaged("term file damaged: an entry is not where its block says")
            n = data[at]
            if n < 128:
                start = at + 1
            else:
                n, start = _long_varint(data, at)
            tend = start + n
            v = data[tend]
            if v < 128:
                vstart = tend + 1
            else:
                v, vstart = _long_varint(data, tend)
            vend = vstart + v
            key = data[start:tend]
            if key >= tbytes:
                if vend > self._end:
                    raise LexiconDamaged("term file damaged: an entry runs past the entries")
                self._found = (number, vstart, vend)
                return number, key == tbytes
            number += 1
            at = vend
        return end, False

    @_guarded
    def find(self, fieldname: str, tbytes: bytes) -> int:
        """The term's number, or -1. Read its value (`postings`, `doc_frequency`) right after:
        the lookup keeps where it is."""
        if fieldname not in self.fields:
            return -1
        number, there = self._seek(fieldname, tbytes)
        return number if there else -1

    def _value(self, number: int) -> bytes:
        vstart, vend = self._span(number)
        return bytes(self._data[vstart:vend])

    @_guarded
    def doc_frequency(self, number: int) -> int:
        at, vend = self._span(number)
        if at >= vend:
            raise LexiconDamaged(f"term {number} has no value")
        data = self._data
        first = data[at]
        if first < 128:
            return int(first)
        return unvarints(bytes(data[at : min(at + 10, vend)]))[0]

    @_guarded
    def postings(
        self, fieldname: str, number: int
    ) -> tuple[list[int], list[int], list[int]] | Located:
        """(ids, frequencies, positions one posting after the other) of a list kept here, the
        positions empty in a field without; where it lies for a list in the array file."""
        positional = self.fields[fieldname][2]
        numbers = unvarints(self._value(number))
        n = numbers[0]
        if positional and n > self.inline:
            if len(numbers) != len(Located._fields):
                raise LexiconDamaged(f"term {number}'s list has no place in the array file")
            return Located(*numbers)
        ids: list[int] = []
        tfs: list[int] = []
        flat: list[int] = []
        docnum = 0
        i = 1
        try:
            for _ in range(n):
                docnum += numbers[i]
                tf = numbers[i + 1]
                ids.append(docnum)
                tfs.append(tf)
                i += 2
                if positional:
                    pos = 0
                    for delta in numbers[i : i + tf]:
                        pos += delta
                        flat.append(pos)
                    i += tf
        except IndexError:
            raise LexiconDamaged(f"term {number}'s postings are cut short") from None
        if i != len(numbers):
            raise LexiconDamaged(f"term {number}'s postings do not fill its value")
        return ids, tfs, flat

    @_guarded
    def prefixed(self, fieldname: str, prefix: bytes, limit: int) -> list[tuple[bytes, int]]:
        """The first `limit` terms of the field that begin with `prefix`, in order, each with its
        document frequency."""
        if fieldname not in self.fields:
            return []
        first, _ = self._seek(fieldname, prefix)
        end = self.fields[fieldname][1]
        out: list[tuple[bytes, int]] = []
        data = self._data
        for number, start, stop, _, _ in self._walk(first, end):
            tbytes = bytes(data[start:stop])
            if not tbytes.startswith(prefix) or len(out) >= limit:
                break
            out.append((tbytes, self.doc_frequency(number)))
        return out

    def terms(self, fieldname: str) -> Iterator[bytes]:
        first, end, _ = self.fields.get(fieldname, (0, 0, False))
        data = self._data
        for _, start, stop, _, _ in self._guarded_walk(first, end):
            yield bytes(data[start:stop])

    def items(self) -> Iterator[tuple[str, bool, bytes, int]]:
        """(field, positional, term, number) of every term, in order."""
        data = self._data
        for name, (first, end, positional) in self.fields.items():
            for number, start, stop, _, _ in self._guarded_walk(first, end):
                yield name, positional, bytes(data[start:stop]), number

    def _guarded_walk(self, number: int, stop: int) -> Iterator[tuple[int, int, int, int, int]]:
        try:
            yield from self._walk(number, stop)
        except (IndexError, ValueError, TypeError) as exc:
            raise LexiconDamaged(f"term file damaged: {exc!r}") from exc


def _long_varint(data: Any, at: int) -> tuple[int, int]:
    """A varint of two bytes or more at `at`: its value and where it ends."""
    value = shift = 0
    while True:
        b = data[at]
        at += 1
        value |= (b & 127) << shift
        if b < 128:
            return value, at
        shift += 7
        if shift > 63:
            raise LexiconDamaged("term file damaged: a varint without an end")
