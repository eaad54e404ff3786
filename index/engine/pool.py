"""The postings sort buffer of a Whoosh writer, rewritten for large builds.

Whoosh's `PostingPool` holds one (field, term, document, weight, value) tuple per posting, sorts
them all, spills to disk after a million and then pickles and unpickles every posting one by one.
This pool files each posting under its term as it comes, so only the terms are ever sorted (the
generated benchmark corpus has some twenty postings a term) and runs on disk and their merge move
whole posting lists. Documents come in increasing order (new ones, and the segments of a merge one
after the other), so each term's postings are already in document order, run after run.

Postings of the positional text fields may keep their positions as a list of ints (`Raw`) rather
than Whoosh's encoding: the segment writer stores most lists as arrays of ints, and encodes only
the few it inlines. Whoosh's own field writer is handed encoded postings (`Flat`).
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import os
import struct
import tempfile
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from index.engine.fields import encode_positions

# A term's postings in document order, as three lists: documents, weights and values (Whoosh's
# bytes, or positions as they are: `Raw`). Three lists take a third of the memory of a tuple per
# posting, and spill to disk faster.
Postings = list[list[Any]]
Raw = list  # positions in the record, as a value: a list of ints, never Whoosh's bytes
Group = tuple[str, bytes, Postings]

RUN_ITEMS = 150_000  # postings held in memory before they are written out as a run
_CHUNK = 1_000  # postings per marshal chunk; a merge holds one chunk per run
# Each chunk is stored after its length and read whole: `marshal.load` on a file object reads
# each object with its own small read call, twenty times slower than `marshal.loads` on bytes.
_SIZE = struct.Struct("<Q")
_KEY = itemgetter(0, 1)


class RunPool:
    def __init__(self, tempdir: str | None = None, run_items: int = RUN_ITEMS) -> None:
        self.tempdir = tempdir
        self.run_items = run_items
        self.terms: dict[str, dict[bytes, Postings]] = {}  # field → term → postings
        self.count = 0  # postings in `terms`
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()

    def field(self, fieldname: str) -> dict[bytes, Postings]:
        """The postings of one field by term, for a writer to append to (then `added`)."""
        found = self.terms.get(fieldname)
        if found is None:
            found = self.terms[fieldname] = {}
        return found

    def added(self, n: int) -> None:
        """`n` postings were appended to a `field`'s lists."""
        self.count += n
        if self.count >= self.run_items:
            self.save()

    def add(self, item: tuple[str, bytes, int, float, Any]) -> None:
        """One posting as Whoosh's writers give it: (field, term, document, weight, value)."""
        fieldname, tbytes, docnum, weight, value = item
        if docnum == -1:  # a spelling-graph marker, unused by the W3 codec
            return
        terms = self.field(fieldname)
        found = terms.get(tbytes)
        if found is None:
            terms[tbytes] = [[docnum], [weight], [value]]
        else:
            ids, weights, values = found
            ids.append(docnum)
            weights.append(weight)
            values.append(value)
        self.added(1)

    def _sorted(self) -> list[Group]:
        out = [
            (fieldname, tbytes, terms[tbytes])
            for fieldname, terms in sorted(self.terms.items())
            for tbytes in sorted(terms)
        ]
        self.terms = {}
        self.count = 0
        return out

    def save(self) -> None:
        if not self.count:
            return
        groups = self._sorted()
        fd, path = tempfile.mkstemp(suffix=".run", dir=self.tempdir)
        with os.fdopen(fd, "wb") as fh:
            chunk: list[Group] = []
            size = 0
            for group in groups:
                chunk.append(group)
                size += len(group[2][0])
                if size >= _CHUNK:
                    _write_chunk(fh, chunk)
                    chunk, size = [], 0
            if chunk:
                _write_chunk(fh, chunk)
        self.runs.append(path)

    def _read_run(self, path: str) -> Iterator[Group]:
        with open(path, "rb") as fh:
            while header := fh.read(_SIZE.size):
                (size,) = _SIZE.unpack(header)
                yield from marshal.loads(fh.read(size))
        os.unlink(path)

    def groups(self) -> Iterator[Group]:
        """Every term's postings, terms in (field, term) order, each term once."""
        if not self.runs:
            yield from self._sorted()
            return
        self.save()
        last: Group | None = None
        # heapq.merge keeps equal keys in the order of the runs: earlier documents first.
        for group in heapq.merge(*(self._read_run(p) for p in self.runs), key=_KEY):
            if last is not None and last[:2] == group[:2]:
                for mine, more in zip(last[2], group[2], strict=True):
                    mine.extend(more)
                continue
            if last is not None:
                yield last
            last = group
        if last is not None:
            yield last
        self.runs = []

    def iter_postings(self) -> Flat:
        return Flat(self)

    def cleanup(self) -> None:
        for path in self.runs:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        self.runs = []
        self.terms = {}
        self.count = 0


class Flat:
    """The pool's postings as Whoosh's field writer takes them: sorted (field, term, document,
    weight, value) tuples with encoded values. `groups` gives them a term at a time."""

    def __init__(self, pool: RunPool) -> None:
        self.groups = pool.groups

    def __iter__(self) -> Iterator[tuple[str, bytes, int, float, Any]]:
        for fieldname, tbytes, (ids, weights, values) in self.groups():
            for docnum, weight, value in zip(ids, weights, values, strict=True):
                if isinstance(value, Raw):
                    value = encode_positions(value)
                yield fieldname, tbytes, docnum, weight, value


def _write_chunk(fh: Any, chunk: list[Group]) -> None:
    data = marshal.dumps(chunk, 2)
    fh.write(_SIZE.pack(len(data)))
    fh.write(data)
