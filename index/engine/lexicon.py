"""Each segment's terms of the text fields, in a sorted table of our own: `<segment>.lex`.

Whoosh's term table spends 50-70 bytes on every term before its postings: an entry header, the
field's number, a 27-byte statistics record, pickle framing, a hash slot and a place in the key
order. A library's vocabulary is mostly terms seen in one or two paragraphs (names, numbers,
jieba's words, rare Chinese characters), so on real text that table was two thirds of the index.
Here a term costs its bytes, a 4-byte offset, a byte of length and its postings as varints:

    MAGIC · entries, field after field, each field's in term byte order: the term's length,
    the term, its value · entry starts uint32[m + 1] · fields (JSON) · FOOTER

A value is the term's document frequency n then, for a list kept here, each posting as its
document's distance from the previous one and its frequency, followed in positional fields by
that many position deltas: all varints. Positional lists longer than the footer's `inline` live
in the segment's array file (`arrayfile`), and their value says where (`Located`). The fields
JSON gives each field's first term number, its end and whether it is positional.

Lookups bisect a sparse list of every STEP-th term (made when a field is first asked for), then
the few terms between in the mapped file. Fields of bare ids stay in Whoosh's table
(`kept_here`): few terms, and Whoosh's writer deletes records by them.
"""

from __future__ import annotations

import functools
import json
import mmap
import struct
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from whoosh.formats import Frequency, Positions

from index.engine.arrayfile import EXT as ARRAY_EXT
from index.engine.arrayfile import Located, MissingList

EXT = ".lex"
MAGIC = b"LRLEX002"
# magic, terms m, inline limit, entry starts at, fields at, fields length
FOOTER = struct.Struct("<8sqqqqq")
_ENTRIES_AT = len(MAGIC)
T = TypeVar("T")
STEP = 32  # terms per entry of the sparse list a lookup bisects
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
        self._starts = array("I", [0])
        self._written = 0  # entry bytes already written out
        self._fields: dict[str, list[Any]] = {}
        self._field: str | None = None
        self._last = b""

    @property
    def count(self) -> int:
        return len(self._starts) - 1

    def add(self, fieldname: str, tbytes: bytes, value: bytes, *, positional: bool) -> int:
        """Adds one term; returns its number."""
        number = self.count
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
        n = len(tbytes)
        entries += _VARINT[n] if n < 16384 else _varint(n)
        entries += tbytes
        entries += value
        self._starts.append(self._written + len(entries))
        if len(entries) >= _WRITE_FROM:
            self.dbfile.write(bytes(entries))
            self._written += len(entries)
            entries.clear()
        return number

    def _close_field(self) -> None:
        if self._field is not None:
            self._fields[self._field][1] = self.count

    def close(self) -> None:
        self._close_field()
        dbfile = self.dbfile
        dbfile.write(bytes(self._entries))
        at = len(MAGIC) + self._written + len(self._entries)
        if at >= 1 << 32:
            raise ValueError("a segment's term file is limited to 4 GB")
        pad = -at % 4
        dbfile.write(b"\0" * pad)
        starts_at = at + pad
        dbfile.write(_little(self._starts).tobytes())
        fields_at = starts_at + 4 * len(self._starts)
        fields = json.dumps(self._fields, separators=(",", ":")).encode()
        dbfile.write(fields)
        dbfile.write(FOOTER.pack(MAGIC, self.count, self.inline, starts_at, fields_at, len(fields)))
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
        magic, m, inline, starts_at, fields_at, flen = FOOTER.unpack(data[-FOOTER.size :])
        if magic != MAGIC or data[: len(MAGIC)] != MAGIC:
            raise LexiconDamaged("not a term file")
        if m < 0 or inline < 0:
            raise LexiconDamaged("term file damaged: its footer is not one")
        self._data = data
        self.inline = inline
        try:
            self._starts = _uints(memoryview(data), starts_at, m + 1)
            fields = json.loads(bytes(data[fields_at : fields_at + flen]))
            self.fields: dict[str, tuple[int, int, bool]] = {
                name: (int(first), int(end), bool(positional))
                for name, (first, end, positional) in fields.items()
            }
        except (ValueError, TypeError, AttributeError) as exc:
            raise LexiconDamaged(f"term file damaged: {exc}") from exc
        fits = (
            self._starts[0] == 0
            and _ENTRIES_AT + self._starts[m] <= starts_at
            and fields_at + flen + FOOTER.size == len(data)
            and all(0 <= f <= e <= m for f, e, _ in self.fields.values())
        )
        if not fits:
            raise LexiconDamaged("term file damaged: its tables do not fit")
        self._sparse: dict[str, list[bytes]] = {}

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
            folder = getattr(storage, "folder", None)
            if folder is not None and storage.file_length(name) > 0:
                with open(f"{folder}/{name}", "rb") as fh:
                    return cls(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
            with storage.open_file(name) as fh:
                return cls(fh.read())
        except (OSError, struct.error) as exc:
            raise LexiconDamaged(f"the term file {name} cannot be read: {exc}") from exc

    def __len__(self) -> int:
        return len(self._starts) - 1

    def close(self) -> None:
        """Unmap the file now (queries leave theirs to the garbage collector, as the array
        files')."""
        if isinstance(self._starts, memoryview):
            self._starts.release()
        if isinstance(self._data, mmap.mmap):
            self._data.close()

    def _key_at(self, number: int) -> tuple[int, int]:
        """Where term `number`'s bytes start and end in the file."""
        at = _ENTRIES_AT + self._starts[number]
        data = self._data
        n = data[at]
        if n < 128:
            return at + 1, at + 1 + n
        n = (n & 127) | (data[at + 1] << 7)  # the writer's varints: below 2**14 is two bytes
        if n >= 1 << 14:
            n = unvarints(bytes(data[at : at + 10]))[0]
            head = len(_varint(n))
        else:
            head = 2
        return at + head, at + head + n

    @_guarded
    def term(self, number: int) -> bytes:
        start, end = self._key_at(number)
        return bytes(self._data[start:end])

    @_guarded
    def find(self, fieldname: str, tbytes: bytes) -> int:
        """The term's number, or -1."""
        found = self.fields.get(fieldname)
        if found is None:
            return -1
        first, end, _ = found
        sparse = self._sparse.get(fieldname)
        if sparse is None:
            sparse = self._sparse[fieldname] = [self.term(i) for i in range(first, end, STEP)]
        j = bisect_right(sparse, tbytes) - 1
        if j < 0:
            return -1
        lo = first + j * STEP
        hi = min(lo + STEP, end)
        data, key_at = self._data, self._key_at
        while lo < hi:
            mid = (lo + hi) // 2
            start, stop = key_at(mid)
            if data[start:stop] < tbytes:
                lo = mid + 1
            else:
                hi = mid
        if lo < end:
            start, stop = key_at(lo)
            if data[start:stop] == tbytes:
                return lo
        return -1

    def _value(self, number: int) -> bytes:
        return bytes(self._data[self._key_at(number)[1] : _ENTRIES_AT + self._starts[number + 1]])

    @_guarded
    def doc_frequency(self, number: int) -> int:
        at = self._key_at(number)[1]
        data = self._data
        first = data[at]
        if first < 128:
            return int(first)
        return unvarints(bytes(data[at : at + 10]))[0]

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
        found = self.fields.get(fieldname)
        if found is None:
            return []
        first, end, _ = found
        i = self.find(fieldname, prefix)
        if i < 0:  # the first term after where `prefix` would be
            sparse = self._sparse[fieldname]
            j = max(bisect_right(sparse, prefix) - 1, 0)
            i = first + j * STEP
            while i < end and self.term(i) < prefix:
                i += 1
        out: list[tuple[bytes, int]] = []
        while i < end and len(out) < limit:
            tbytes = self.term(i)
            if not tbytes.startswith(prefix):
                break
            out.append((tbytes, self.doc_frequency(i)))
            i += 1
        return out

    def terms(self, fieldname: str) -> Iterator[bytes]:
        first, end, _ = self.fields.get(fieldname, (0, 0, False))
        return map(self.term, range(first, end))

    def items(self) -> Iterator[tuple[str, bool, bytes, int]]:
        """(field, positional, term, number) of every term, in order."""
        for name, (first, end, positional) in self.fields.items():
            for number in range(first, end):
                yield name, positional, self.term(number), number


def _uints(view: memoryview, at: int, count: int) -> Any:
    part = view[at : at + 4 * count]
    if len(part) != 4 * count:
        raise ValueError("a table runs past the end of the file")
    if sys.byteorder == "little":
        return part.cast("I")
    out = array("I", part.tobytes())  # pragma: no cover - big-endian hosts
    out.byteswap()  # pragma: no cover
    return out  # pragma: no cover


def _little(a: array[int]) -> array[int]:
    if sys.byteorder != "little":  # pragma: no cover - big-endian hosts
        a = array(a.typecode, a)
        a.byteswap()
    return a
