"""Bringing an index up to date: a first build committed in steps, a full rebuild into a fresh
generation, the continuation of a stopped first build, or an incremental commit.

Called by `LibraryIndex.update` with the writer lock held.
"""

from __future__ import annotations

import gc
import logging
import shutil
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.model import Document
from corpus.pairs import pair_info
from index.build.batches import Cancelled, first_batches, index_files
from index.build.pairing import regroup, stored_pairs
from index.build.parallel import FIRST_BATCH_FILES, PARALLEL_MIN_BYTES, build_parallel
from index.build.progress import Reporter
from index.build.records import file_record, write_catalog
from index.build.scan import Scan, content_hash, load_files, scan
from index.build.staged import (
    FIRST_CHUNK,
    FIRST_COMMIT,
    STAGED_MIN_BYTES,
    StagedGeneration,
    coverage_of,
)
from index.engine.merging import full_tiers, merge_tiers, trim_tiers
from index.engine.schema import expected_meta
from index.engine.segments import fast_writer
from index.storage import catalog, file_stamps, manifest
from index.storage.file_stamps import FileRecord, stored_files
from index.storage.store import Store
from index.types import INDEXING, MERGING, READING, WRITING, DocInfo, IndexProgress, IndexSummary

log = logging.getLogger("llama_reader.index")

FULL_REBUILD_SHARE = 0.5  # rebuild from scratch when this share of the bytes changed


@dataclass(frozen=True)
class Target:
    """The index being brought up to date, as the facade (`index.library_index`) hands it over."""

    library: Path
    store: Store
    workers: int
    writer_timeout: float
    close_readers: Callable[[], None]  # readers of the facade reopen the new commit


class Updater:
    def __init__(
        self,
        ix: Target,
        progress: Callable[[IndexProgress], None] | None,
        cancel: threading.Event | None,
    ) -> None:
        self.ix = ix
        self.progress = progress
        self.cancel = cancel
        self.report = Reporter(progress, cancel)
        self.messages: list[str] = []

    # -------------------------------------------------------------------------------------------

    def run(self, rebuild: bool) -> IndexSummary:
        started = time.monotonic()
        ix = self.ix
        gen = ix.store.current()
        reason = self._unusable(gen) if not rebuild else None
        self.report.enter(READING, 0, "files")
        library = scan(ix.library)
        self.report.step(len(library.stamps))
        staged: list[StagedGeneration] = []
        try:
            if rebuild and gen is not None:
                summary = self._full(library)
            elif gen is None or reason is not None:
                if reason is not None and gen is not None:
                    self.messages.append(reason)
                summary = self._first_build(library, staged)
            elif coverage_of(ix.store.read_meta(gen)) is not None:
                summary = self._resume(library, gen, staged)
            else:
                summary = self._incremental(library, gen)
        except Cancelled:
            ix.close_readers()
            if staged and staged[0].published:
                st = staged[0]
                note = (
                    f"indexing stopped; search covers {len(st.files):,} of "
                    f"{st.files_total:,} files, and the next update continues from there"
                )
            else:
                note = "indexing cancelled; the previous index is unchanged"
            return IndexSummary(seconds=time.monotonic() - started, messages=(*self.messages, note))
        ix.close_readers()
        skipped_walk = len(library.unreadable)
        return IndexSummary(
            added=summary.added,
            updated=summary.updated,
            removed=summary.removed,
            skipped=summary.skipped + skipped_walk,
            seconds=time.monotonic() - started,
            rebuilt=summary.rebuilt,
            messages=tuple(self.messages),
        )

    def _unusable(self, gen: Path | None) -> str | None:
        """Why the current generation cannot be updated in place (None if it can)."""
        if gen is None:
            return None
        meta = self.ix.store.read_meta(gen)
        want = expected_meta(self.ix.library)
        if meta is None:
            return "the index was unreadable (no metadata); rebuilt it"
        if meta.get("schema") != want["schema"] or meta.get("analyser") != want["analyser"]:
            return "the index format or the word segmenter changed; rebuilt the index"
        if meta.get("library") != want["library"]:
            return "the index belonged to another library path; rebuilt it"
        reason = manifest.damaged(gen)
        if reason is None:
            found, _large = manifest.check(gen, catalog.toc_generation(gen))
            reason = "; ".join(str(d) for d in found) or None
        if reason is not None:
            return f"the index was damaged ({reason}); rebuilt it"
        try:
            from whoosh import index as wix

            from index.engine.schema import build_schema

            wx = wix.open_dir(str(gen), schema=build_schema())
            with wx.searcher() as s:
                next(iter(s.documents(kind="doc")), None)
        except Exception as exc:
            return f"the index was unreadable ({type(exc).__name__}: {exc}); rebuilt it"
        return None

    # --- full rebuild (a usable index is kept until the new one is done) -----------------------

    def _full(self, library: Scan) -> IndexSummary:
        from whoosh import index as wix

        from index.engine.schema import build_schema

        store = self.ix.store
        build = store.new_build_dir()
        gc_was = gc.isenabled()
        gc.disable()  # millions of short-lived tuples and no cycles: the collector only costs time
        paths = sorted(library.stamps)
        report = self.report
        try:
            wx = wix.create_in(str(build), build_schema())
            nbytes = sum(library.stamps[p].size for p in paths)
            report.enter(INDEXING, nbytes, "bytes")
            workers = self.ix.workers
            if workers > 1 and nbytes >= PARALLEL_MIN_BYTES:
                added, skipped = build_parallel(
                    build, library, paths, workers, report.files, self.cancel,
                    self.ix.writer_timeout, on_tail=self._tail,
                )  # fmt: skip
                self._merging(2)
                report.step()  # build_parallel committed the segments
            else:
                writer = fast_writer(wx, build, self.ix.writer_timeout)
                try:
                    added, skipped = self._index_files(writer, library, paths)
                except BaseException:
                    writer.cancel()
                    raise
                self._merging(1)
                writer.commit(merge=False)
            added += self._pair_acrossbatches(build, library)
            report.step()
            report.enter(WRITING, 3, "steps")
            manifest.write(build, catalog.toc_generation(build))
            report.step()
            target = store.publish(build, expected_meta(self.ix.library))
            report.step()
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        finally:
            if gc_was:
                gc.enable()
        write_catalog(target)
        report.step()
        return IndexSummary(added=added, skipped=skipped, rebuilt=True)

    def _tail(self, finished: int, workers: int, seconds: float | None) -> None:
        """Workers finishing their last segments once every file is indexed: the first steps of
        merging (then the commit of all segments, then pairing across batches)."""
        self._merging(workers + 2)
        self.report.step(finished, seconds)

    def _merging(self, steps: int) -> None:
        if self.report.phase != MERGING:
            self.report.enter(MERGING, steps, "steps")

    def _pair_acrossbatches(
        self,
        build: Path,
        library: Scan,
        files: dict[str, FileRecord] | None = None,
        infos_out: list[DocInfo] | None = None,
        files_out: dict[str, FileRecord] | None = None,
        dropped_out: set[str] | None = None,
    ) -> int:
        """Merge the translation pairs that batches could not see (files linked by frontmatter
        that sit far apart) in one more commit; returns the change in the number of documents.
        `files`: the build's file records when the caller has them (else read from the index);
        the re-indexed documents and files, and the ids of those dropped, go into the `_out`s."""
        from whoosh import index as wix

        from index.engine.schema import build_schema

        wx = wix.open_dir(str(build), schema=build_schema())
        if files is None:
            with wx.searcher() as s:
                files = stored_files(s)
        pairs, reload = regroup(files, {}, set())
        if not reload:
            return 0
        dropped = {files[p].doc for p in reload if files[p].doc}
        writer = fast_writer(wx, build, self.ix.writer_timeout)
        try:
            drop(writer, dropped, reload)
            added, _ = index_files(
                writer, library.root, library.stamps, sorted(reload), _no_progress, pairs,
                infos_out, None, files_out, stop=self.cancel,
            )  # fmt: skip
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)
        if dropped_out is not None:
            dropped_out |= dropped
        return added - len(dropped)

    # --- first build, committed in steps ---------------------------------------------------------

    def _first_build(self, library: Scan, staged: list[StagedGeneration]) -> IndexSummary:
        """Build into a new generation that becomes current at its first commit (seconds in),
        so search answers for what is indexed while the rest goes on."""
        from whoosh import index as wix

        from index.engine.schema import build_schema

        store = self.ix.store
        gen = store.new_generation()
        meta = expected_meta(self.ix.library)
        st = StagedGeneration(store, gen, meta, len(library.stamps), check=self.report.check)
        staged.append(st)
        try:
            wix.create_in(str(gen), build_schema())
            added, skipped = self._staged_build(library, sorted(library.stamps), st)
        except BaseException as exc:
            if not st.published:
                shutil.rmtree(gen, ignore_errors=True)
            elif not isinstance(exc, Cancelled):
                log.warning("the first build stopped after %d commits: %s", st.commits, exc)
            raise
        return IndexSummary(added=added, skipped=skipped, rebuilt=True)

    def _resume(self, library: Scan, gen: Path, staged: list[StagedGeneration]) -> IndexSummary:
        """Go on with a first build that was stopped: index the files its commits lack (and
        again those changed or gone since), into the same generation."""
        from whoosh import index as wix

        from index.build.records import info_from_stored
        from index.engine.schema import build_schema

        wx = wix.open_dir(str(gen), schema=build_schema())
        toc = catalog.toc_generation(gen)
        files = file_stamps.read(gen, toc) if toc is not None else None
        infos = catalog.read(gen, toc) if toc is not None else None
        if files is None or infos is None:
            with wx.searcher() as s:
                files = stored_files(s)
                infos = [info_from_stored(d["info"]) for d in s.documents(kind="doc")]
        now = library.stamps
        stale = {
            p
            for p, rec in files.items()
            if p not in now or (rec.size, rec.mtime_ns) != (now[p].size, now[p].mtime_ns)
        }
        dropped = {files[p].doc for p in stale if files[p].doc}
        redo = stale | {p for p, rec in files.items() if rec.doc and rec.doc in dropped}
        # Whoosh's commit also deletes the segment files a stopped build left unlisted.
        writer = fast_writer(wx, gen, self.ix.writer_timeout)
        try:
            drop(writer, dropped, redo)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)
        st = StagedGeneration(
            self.ix.store,
            gen,
            expected_meta(self.ix.library),
            len(now),
            infos=(i for i in infos if i.id not in dropped),
            files=(f for p, f in files.items() if p not in redo),
            published=True,
            check=self.report.check,
        )
        staged.append(st)
        st.read_segments()
        todo = sorted(p for p in now if p not in st.files)
        gone = len([p for p in stale if p not in now])
        added, skipped = self._staged_build(library, todo, st)
        return IndexSummary(added=added, skipped=skipped, removed=gone)

    def _staged_build(
        self, library: Scan, paths: list[str], st: StagedGeneration
    ) -> tuple[int, int]:
        """Index `paths` into the staged generation, committing as it goes, then pair
        translations across batches and make the last commit; returns (added, skipped)."""
        from whoosh import index as wix

        from index.engine.schema import build_schema
        from index.engine.segments import commit_segments

        report = self.report
        report.searchable = st.searchable
        nbytes = sum(library.stamps[p].size for p in paths)
        report.enter(INDEXING, nbytes, "bytes")
        gc_was = gc.isenabled()
        gc.disable()
        try:
            if not paths:
                added = skipped = 0
                self._merging(1)
            elif self.ix.workers > 1 and nbytes >= PARALLEL_MIN_BYTES:

                def on_segment(segment: Any, infos: list[DocInfo], files: list[FileRecord]) -> None:
                    st.take(infos, files)
                    st.commit_segments([segment])
                    report.searchable = st.searchable

                added, skipped = build_parallel(
                    st.gen, library, paths, self.ix.workers, report.files, self.cancel,
                    self.ix.writer_timeout, FIRST_CHUNK, on_segment, self._tail,
                )  # fmt: skip
                self._merging(2)
                commit_segments(st.gen, st.segments, self.ix.writer_timeout)
                report.step()
            else:
                added, skipped = self._index_in_steps(library, paths, st)
                self._merging(1)
            fresh: list[DocInfo] = []
            fresh_files: dict[str, FileRecord] = {}
            dropped: set[str] = set()
            added += self._pair_acrossbatches(
                st.gen, library, st.files, fresh, fresh_files, dropped
            )
            st.drop(dropped, fresh_files)
            st.take(fresh, fresh_files.values())
            report.step()
            report.check()
            report.enter(WRITING, 2, "steps")
            wx = wix.open_dir(str(st.gen), schema=build_schema())
            self._tidy_segments(wx, st.gen)
            report.step()
            st.committed(wx.latest_generation(), partial=False)
            report.searchable = st.searchable
            report.step()
        finally:
            if gc_was:
                gc.enable()
        return added, skipped

    def _index_in_steps(
        self, library: Scan, paths: list[str], st: StagedGeneration
    ) -> tuple[int, int]:
        """The staged build in this process: a commit after the first seconds, then after ever
        more files (each commit adds a segment; see `Chunking`)."""
        from whoosh import index as wix

        from index.engine.schema import build_schema

        report = self.report
        wx = wix.open_dir(str(st.gen), schema=build_schema())
        stamps = library.stamps
        total_files = len(paths)
        total_bytes = sum(stamps[p].size for p in paths)
        done_files = done_bytes = added = skipped = 0
        chunking = FIRST_COMMIT if total_bytes >= STAGED_MIN_BYTES else None
        since = time.monotonic()
        seg_files = 0
        infos: list[DocInfo] = []
        files: dict[str, FileRecord] = {}

        def on_batch(n: int, nbytes: int, current: str) -> None:
            report.files(done_files + n, total_files, done_bytes + nbytes, total_bytes, current)

        writer: Any = fast_writer(wx, st.gen, self.ix.writer_timeout)
        try:
            for batch in first_batches(paths, FIRST_BATCH_FILES * 4, FIRST_BATCH_FILES):
                a, s = index_files(
                    writer, library.root, stamps, batch, on_batch,
                    infos_out=infos, files_out=files, stop=self.cancel,
                )  # fmt: skip
                added, skipped = added + a, skipped + s
                done_files += len(batch)
                done_bytes += sum(stamps[p].size for p in batch)
                seg_files += len(batch)
                due = chunking is not None and (
                    seg_files >= chunking.files or time.monotonic() - since >= chunking.seconds
                )
                if chunking is not None and due and done_files < total_files:
                    writer.commit(merge=False)
                    writer = None
                    st.take(infos, files.values())
                    st.committed(wx.latest_generation(), partial=True)
                    report.searchable = st.searchable
                    infos, files = [], {}
                    chunking = chunking.after(seg_files)
                    seg_files = 0
                    writer = fast_writer(wx, st.gen, self.ix.writer_timeout)
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise
        writer.commit(merge=False)
        st.take(infos, files.values())
        return added, skipped

    def _tidy_segments(self, wx: Any, gen: Path) -> None:
        """Merge the smallest segments of any tier of sizes that an incremental update would
        otherwise merge whole on a one-file edit (`merge_tiers`), so the first edit stays quick
        and this costs only the small segments."""
        from whoosh.index import TOC

        for _ in range(4):
            segs = TOC.read(wx.storage, wx.indexname, schema=wx.schema).segments
            if not full_tiers(segs):
                return
            writer = fast_writer(wx, gen, self.ix.writer_timeout)
            writer.commit(mergetype=trim_tiers)

    def _index_files(
        self,
        writer: Any,
        library: Scan,
        paths: list[str],
        pairs: list[tuple[str, str]] | None = None,
        infos: list[DocInfo] | None = None,
        read: dict[str, Document] | None = None,
        files_out: dict[str, FileRecord] | None = None,
    ) -> tuple[int, int]:
        """Add the records of these files; returns (documents added, files skipped)."""
        total_files = len(paths)
        total_bytes = sum(library.stamps[p].size for p in paths)
        report = self.report
        if report.phase != INDEXING:
            report.enter(INDEXING, total_bytes, "bytes")
        report.files(0, total_files, 0, total_bytes, "")

        def on_batch(files: int, nbytes: int, current: str) -> None:
            report.check()
            report.files(files, total_files, nbytes, total_bytes, current)

        return index_files(
            writer, library.root, library.stamps, paths, on_batch, pairs, infos, read, files_out,
            stop=self.cancel,
        )  # fmt: skip

    # --- incremental -----------------------------------------------------------------------------

    def _incremental(self, library: Scan, gen: Path) -> IndexSummary:
        from whoosh import index as wix

        from index.engine.schema import build_schema

        wx = wix.open_dir(str(gen), schema=build_schema())
        toc = catalog.toc_generation(gen)
        listed = file_stamps.read(gen, toc) if toc is not None else None
        if listed is None:
            with wx.searcher() as s:
                listed = stored_files(s)
        files = listed
        now = library.stamps
        new = [p for p in now if p not in files]
        gone = [p for p in files if p not in now]
        maybe = [
            p
            for p in now
            if p in files and (files[p].size, files[p].mtime_ns) != (now[p].size, now[p].mtime_ns)
        ]
        if not (new or gone or maybe):
            return IndexSummary()
        changed: list[str] = []
        touched: list[str] = []
        for p in maybe:
            if content_hash(library.root, p) == files[p].hash and files[p].hash:
                touched.append(p)
            else:
                changed.append(p)
        # A new file with the bytes of a vanished one is that file renamed.
        gone_by_hash: dict[str, list[str]] = defaultdict(list)
        for p in gone:
            if files[p].hash:
                gone_by_hash[files[p].hash].append(p)
        renamed: set[str] = set()
        for p in new:
            h = content_hash(library.root, p)
            if gone_by_hash.get(h):
                renamed.add(gone_by_hash[h].pop())
        changed_bytes = sum(now[p].size for p in new + changed)
        total_bytes = sum(s.size for s in now.values()) or 1
        if changed_bytes / total_bytes > FULL_REBUILD_SHARE and len(new) + len(changed) > 50:
            summary = self._full(library)
            return IndexSummary(
                added=summary.added, skipped=summary.skipped, removed=len(gone), rebuilt=True
            )

        # Documents to drop: those built from a changed or vanished file, and those whose pairing
        # changes with them. Their other files (a translation's partner) are read again too.
        dropped: set[str] = {files[p].doc for p in changed + gone if files[p].doc}
        reload: set[str] = set(new) | set(changed)
        for p, rec in files.items():
            if rec.doc in dropped and p in now:
                reload.add(p)
        singles, _ = load_files(library.root, sorted(set(new) | set(changed)))
        current = {p: rec for p, rec in files.items() if p in now}
        fresh_pairing = {d.path: pair_info(d) for d in singles}
        if not new and not gone and fresh_pairing == {p: files[p].pair for p in changed}:
            # Only contents changed, not what pairing reads: the pairs stay as they are.
            pairs = stored_pairs(current, reload)
        else:
            pairs, reload = regroup(current, fresh_pairing, reload)
        dropped |= {files[p].doc for p in reload if p in files and files[p].doc}
        touched = [p for p in touched if p not in reload]
        writer = fast_writer(wx, self.ix.store.home, self.ix.writer_timeout)
        try:
            drop(writer, dropped, set(gone) | reload | set(touched))
            kept_files = {p: rec for p, rec in current.items() if p not in reload}
            for p in touched:
                kept_files[p] = replace(files[p], size=now[p].size, mtime_ns=now[p].mtime_ns)
                writer.add_document(**file_record(kept_files[p]))
            fresh: list[DocInfo] = []
            read = {d.path: d for d in singles}
            _added, skipped = self._index_files(
                writer, library, sorted(reload), pairs, fresh, read, kept_files
            )
        except BaseException:
            writer.cancel()
            raise
        self.report.enter(WRITING, 1, "steps")
        writer.commit(mergetype=merge_tiers)
        old_toc, toc = toc, catalog.toc_generation(gen)
        recorded = manifest.read(gen)
        try:
            manifest.write(gen, toc, recorded[1] if recorded else None)
        except OSError:  # the commit stands; readers check what the last manifest lists
            log.exception("could not write the manifest of %s", gen)
        if toc is not None:
            file_stamps.write(gen, toc, kept_files.values())
            if old_toc is not None:  # else the next reader lists the documents from Whoosh
                catalog.update(gen, old_toc, toc, dropped, fresh)
        n_renamed = len(renamed)
        n_new = len(new) - n_renamed
        return IndexSummary(
            added=max(0, n_new),
            updated=len(changed) + n_renamed,
            removed=len(gone) - n_renamed,
            skipped=skipped,
        )


def _no_progress(files: int, nbytes: int, current: str) -> None:
    pass


def drop(writer: Any, documents: Iterable[str], files: Iterable[str]) -> None:
    """Delete these documents' records and these files' stamps in the writer's commit."""
    for doc in documents:
        writer.delete_by_term("doc", doc)
    for path in files:
        writer.delete_by_term("key", f"f:{path}")
