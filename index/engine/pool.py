"""The postings sort buffer of a Whoosh writer, rewritten for large builds.

Whoosh's `PostingPool` spills to disk after a million postings and then pickles and unpickles every
posting one by one, which made a 50 MB build spend most of its time in `pickle`. This pool keeps
more in memory (bounded by an item count sized for the build's memory budget), writes sorted runs
in large `marshal` chunks, and merges them with `heapq.merge`.
"""

from __future__ import annotations

import contextlib
import heapq
import marshal
import os
import struct
import tempfile
from collections.abc import Iterator
from typing import Any

Posting = tuple[str, bytes, int, float, bytes]

RUN_ITEMS = 200_000  # about 30 MB of Python tuples: one run in memory at a time
_CHUNK = 1_000  # items per marshal chunk; a merge holds one chunk per run (a 4,000-file segment
# has some 90 runs: 15 MB of chunks)
# Each chunk is stored after its length and read whole: `marshal.load` on a file object reads
# each object with its own small read call, twenty times slower than `marshal.loads` on bytes.
_SIZE = struct.Struct("<Q")


class RunPool:
    def __init__(self, tempdir: str | None = None, run_items: int = RUN_ITEMS) -> None:
        self.tempdir = tempdir
        self.run_items = run_items
        self.current: list[Posting] = []
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, item: Posting) -> None:
        current = self.current
        current.append(item)
        if len(current) >= self.run_items:
            self.save()

    def extend(self, items: list[Posting]) -> None:
        current = self.current
        current.extend(items)
        if len(current) >= self.run_items:
            self.save()

    def save(self) -> None:
        if not self.current:
            return
        self.current.sort()
        fd, path = tempfile.mkstemp(suffix=".run", dir=self.tempdir)
        with os.fdopen(fd, "wb") as fh:
            items = self.current
            for i in range(0, len(items), _CHUNK):
                data = marshal.dumps(items[i : i + _CHUNK])
                fh.write(_SIZE.pack(len(data)))
                fh.write(data)
        self.runs.append(path)
        self.current = []

    def _read_run(self, path: str) -> Iterator[Posting]:
        with open(path, "rb") as fh:
            while header := fh.read(_SIZE.size):
                (size,) = _SIZE.unpack(header)
                yield from marshal.loads(fh.read(size))
        os.unlink(path)

    def iter_postings(self) -> Iterator[Any]:
        if not self.runs:
            self.current.sort()
            items, self.current = self.current, []
            return iter(items)
        self.save()
        return heapq.merge(*(self._read_run(p) for p in self.runs))

    def cleanup(self) -> None:
        for path in self.runs:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        self.runs = []
        self.current = []
