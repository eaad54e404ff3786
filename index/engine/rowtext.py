"""The rows' text, a column of its own: each group's rows (`schema.stored_row`) pickled and
compressed with Zstandard, kept only on the group's first row.

A search reads the text of its best rows twice a query (the exact-form rerank, then snippets):
some 40 groups of up to 4 KB. In Whoosh's stored-fields column each cost 32 us (zlib 22 us of it)
and a length entry on every record; here 13 us (Zstandard 7 us), and 8 bytes a group:

    MAGIC · blobs · uint32 first record of each group [k] · uint32 end of each blob [k] · FOOTER

The footer is the magic and k. Queries map the file (`GroupReader`); Whoosh's merges read and
write it through the column interface (`RowsColumn`), record by record.
"""

from __future__ import annotations

import pickle
import struct
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

import zstandard
from whoosh.columns import Column, ColumnReader, ColumnWriter

from index.engine.arrayfile import MissingList, little_endian, mapped, uint32s

MAGIC = b"LRROWS01"
FOOTER = struct.Struct("<8sQ")
LEVEL = 5  # 85 MB/s, a third faster than zlib's level 3; 3% larger (level 9: as large, 54 MB/s)

_local = threading.local()


class RowTextDamaged(MissingList):
    """The rows' text column does not hold together: the index is damaged (and rebuilt)."""


def _decompress(blob: bytes) -> bytes:
    d = getattr(_local, "d", None)
    if d is None:  # a decompressor is reused (2 us a call against 16 for a new one), per thread
        d = _local.d = zstandard.ZstdDecompressor()
    out: bytes = d.decompress(blob)
    return out


def _unpack(blob: bytes) -> Any:
    try:
        rows = pickle.loads(_decompress(blob))
    except Exception as exc:  # whatever garbled bytes make pickle raise
        raise RowTextDamaged(f"a text group cannot be read: {exc!r}") from exc
    if not isinstance(rows, list):
        raise RowTextDamaged("a text group holds something else than rows")
    return rows


class RowsColumn(Column):
    """Whoosh's column interface to the file: a value is a group's rows, or None."""

    reversible = False
    _default = None  # a record without a group (Whoosh's `default_value`)

    def writer(self, dbfile: Any) -> ColumnWriter:
        return _Writer(dbfile)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> ColumnReader:
        return _Reader(_Table(dbfile.get(basepos, length)), doccount)


class _Writer(ColumnWriter):
    def __init__(self, dbfile: Any) -> None:
        self._dbfile = dbfile
        # The frame's checksum (4 bytes) finds a garbled group before pickle reads it.
        self._compressor = zstandard.ZstdCompressor(level=LEVEL, write_checksum=True)
        self._firsts = array("I")
        self._ends = array("I")
        self._size = 0
        dbfile.write(MAGIC)

    def add(self, docnum: int, value: Any) -> None:
        if not value:
            return
        blob = self._compressor.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        self._dbfile.write(blob)
        self._size += len(blob)
        if self._size >= 1 << 32:
            raise ValueError("a segment's rows' text is limited to 4 GB")
        self._firsts.append(docnum)
        self._ends.append(self._size)

    def finish(self, doccount: int) -> None:
        for table in (self._firsts, self._ends):
            self._dbfile.write(little_endian(table).tobytes())
        self._dbfile.write(FOOTER.pack(MAGIC, len(self._firsts)))


class _Table:
    """The file's tables, over its bytes (a map or a bytes object)."""

    def __init__(self, data: Any) -> None:
        if len(data) < len(MAGIC) + FOOTER.size or bytes(data[: len(MAGIC)]) != MAGIC:
            raise RowTextDamaged("not a rows' text column")
        magic, k = FOOTER.unpack(data[-FOOTER.size :])
        tables_at = len(data) - FOOTER.size - 8 * k
        if magic != MAGIC or tables_at < len(MAGIC):
            raise RowTextDamaged("the rows' text column's footer is not one")
        self.data = data
        try:
            self.firsts = uint32s(data, tables_at, k)
            self.ends = uint32s(data, tables_at + 4 * k, k)
        except ValueError as exc:
            raise RowTextDamaged(f"the rows' text column's tables: {exc}") from exc
        if k and self.ends[k - 1] != tables_at - len(MAGIC):
            raise RowTextDamaged("the rows' text column's tables do not fit")

    def group(self, docnum: int) -> Any:
        """The rows of the group whose first row is record `docnum`, or None."""
        firsts = self.firsts
        i = bisect_left(firsts, docnum)
        if i == len(firsts) or firsts[i] != docnum:
            return None
        start = self.ends[i - 1] if i else 0
        end = self.ends[i]
        if end < start:
            raise RowTextDamaged("the rows' text column's tables do not fit")
        at = len(MAGIC)
        return _unpack(bytes(self.data[at + start : at + end]))


class _Reader(ColumnReader):
    def __init__(self, table: _Table, doccount: int) -> None:
        self._table = table
        self._doccount = doccount

    def __len__(self) -> int:
        return self._doccount

    def __getitem__(self, docnum: int) -> Any:
        return self._table.group(docnum)

    def __iter__(self) -> Iterator[Any]:
        return (self._table.group(d) for d in range(self._doccount))


class GroupReader:
    """The groups of every segment of a searcher, each file mapped once."""

    def __init__(self, searcher: Any) -> None:
        from whoosh.codec.whoosh3 import W3Codec

        self._offsets: list[int] = []
        self._tables: list[_Table | None] = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            name = W3Codec.column_filename(reader._segment, "rows")
            self._offsets.append(offset)
            self._tables.append(_open(reader._storage, name))

    def group(self, docnum: int) -> Any:
        """The rows of the group whose first row is record `docnum` (a global number), or
        None."""
        i = bisect_right(self._offsets, docnum) - 1
        table = self._tables[i] if i >= 0 else None
        return table.group(docnum - self._offsets[i]) if table is not None else None


def _open(storage: Any, name: str) -> _Table | None:
    try:
        if not storage.file_exists(name):
            return None  # a segment without rows
        return _Table(mapped(storage, name))
    except (OSError, ValueError, struct.error) as exc:
        if isinstance(exc, RowTextDamaged):
            raise
        raise RowTextDamaged(f"the rows' text column {name} cannot be read: {exc}") from exc
