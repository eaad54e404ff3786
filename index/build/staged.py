"""A first build committed in steps, so search answers from the first seconds on.

With no usable index there is nothing to keep readers on, so the build is written straight into a
new generation folder and committed every few seconds: workers hand in a segment at a time
(`index.build.parallel.Chunking`) and each commit lists the segments so far, with the document
list, the file stamps and the checksums of that commit beside it and meta.json saying the index
is partial and how much it covers. The first commit makes the generation current. A build that is
stopped (cancelled, killed) leaves its last commit searchable; the next update continues it.

A commit made while workers still write other segments into the folder cannot go through
Whoosh's writer, whose commit deletes every file it does not list: it writes the table of
contents alone (Whoosh's public `TOC`), atomically as Whoosh does, and the last commit goes
through the writer to clean up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from index.build.parallel import Chunking
from index.storage import catalog, file_stamps, manifest
from index.storage.file_stamps import FileRecord
from index.storage.store import Store
from index.types import Coverage, DocInfo

# A worker's first segment ends after this many seconds or files, each next one holds three times
# as many files: the first commit comes within seconds, and 5,000 documents end in 6-8 segments.
FIRST_CHUNK = Chunking(seconds=3.0, files=300, growth=3.0)
# The same in one process (a small library): the first commit after two seconds. A library under
# STAGED_MIN_BYTES is indexed in seconds and committed once, in one segment.
FIRST_COMMIT = Chunking(seconds=2.0, files=300, growth=3.0)
STAGED_MIN_BYTES = 2_000_000


class StagedGeneration:
    """The generation a first build (or its continuation) is committing into."""

    def __init__(
        self,
        store: Store,
        gen: Path,
        meta: dict[str, Any],
        files_total: int,
        *,
        infos: Iterable[DocInfo] = (),
        files: Iterable[FileRecord] = (),
        segments: Iterable[Any] = (),
        published: bool = False,
        check: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.check = check or (lambda: None)  # raises Cancelled when the build is to stop
        self.gen = gen
        self.meta = meta
        self.files_total = files_total
        self.infos: dict[str, DocInfo] = {i.id: i for i in infos}
        self.files: dict[str, FileRecord] = {f.path: f for f in files}
        self.segments: list[Any] = list(segments)
        self.published = published
        self.searchable = len(self.infos)
        self.commits = 0

    def take(self, infos: Iterable[DocInfo], files: Iterable[FileRecord]) -> None:
        """Documents and files that the next commit holds."""
        for info in infos:
            self.infos[info.id] = info
        for f in files:
            self.files[f.path] = f

    def drop(self, docs: Iterable[str], files: Iterable[str]) -> None:
        for doc in docs:
            self.infos.pop(doc, None)
        for path in files:
            self.files.pop(path, None)

    def commit_segments(self, new: Iterable[Any]) -> None:
        """Commit the segments so far and `new` ones while workers go on writing others."""
        from whoosh import index as wix
        from whoosh.index import TOC

        from index.engine.schema import build_schema

        self.segments += [s for s in new if s.doc_count_all()]
        wx = wix.open_dir(str(self.gen), schema=build_schema())
        toc = wx.latest_generation() + 1
        TOC(wx.schema, self.segments, toc).write(wx.storage, wx.indexname)
        self.committed(toc, partial=True, segments=[s.segment_id() for s in self.segments])

    def read_segments(self) -> None:
        """Take the segments of the last commit as the base of the next ones."""
        from whoosh import index as wix
        from whoosh.index import TOC

        from index.engine.schema import build_schema

        wx = wix.open_dir(str(self.gen), schema=build_schema())
        self.segments = list(TOC.read(wx.storage, wx.indexname, schema=wx.schema).segments)

    def committed(self, toc: int, partial: bool, segments: list[str] | None = None) -> None:
        """Write what readers need beside commit `toc` and, the first time, make the generation
        current. `segments` (ids) when other segment files are being written in the folder."""
        gen = self.gen
        if partial:  # a stop now leaves the commit without its side files: readers cope
            self.check()
        catalog.write(gen, toc, self.infos.values())
        file_stamps.write(gen, toc, self.files.values())
        if partial:  # checksums read the new segment's files: the longest step
            self.check()
        recorded = manifest.read(gen)
        manifest.write(gen, toc, recorded[1] if recorded else None, segments)
        coverage = {
            "toc": toc,
            "documents": len(self.infos),
            "files": len(self.files),
            "files_total": self.files_total,
        }
        self.store.write_meta(gen, {**self.meta, "partial": partial, "coverage": coverage})
        if not self.published:
            self.store.make_current(gen)
            self.published = True
        self.searchable = len(self.infos)
        self.commits += 1


def coverage_of(meta: dict[str, Any] | None) -> Coverage | None:
    """The coverage a partial generation's meta.json states; None for a complete one."""
    if not meta or not meta.get("partial"):
        return None
    c = meta.get("coverage")
    if not isinstance(c, dict):
        return Coverage(0, 0, None, True)
    total = c.get("files_total")
    return Coverage(
        documents=int(c.get("documents") or 0),
        files=int(c.get("files") or 0),
        files_total=int(total) if isinstance(total, int) else None,
        partial=True,
    )
