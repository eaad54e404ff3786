"""Bringing an index up to date: a full build into a fresh generation, or an incremental commit.

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
from corpus.pairs import PairInfo, find_pairs, pair_info
from index.build.batches import Cancelled, index_files
from index.build.parallel import PARALLEL_MIN_BYTES, build_parallel
from index.build.records import file_record
from index.build.scan import Scan, content_hash, load_files, scan
from index.engine.merging import merge_tiers
from index.engine.schema import expected_meta
from index.engine.segments import fast_writer
from index.storage import catalog, file_stamps, manifest
from index.storage.file_stamps import FileRecord, stored_files
from index.storage.store import Store
from index.types import DocInfo, IndexProgress, IndexSummary

log = logging.getLogger("llama_reader.index")

FULL_REBUILD_SHARE = 0.5  # rebuild from scratch when this share of the bytes changed
PROGRESS_EVERY = 0.1  # seconds between progress callbacks


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
        self.messages: list[str] = []

    # -------------------------------------------------------------------------------------------

    def run(self, rebuild: bool) -> IndexSummary:
        started = time.monotonic()
        ix = self.ix
        gen = ix.store.current()
        reason = self._unusable(gen) if not rebuild else None
        library = scan(ix.library)
        try:
            if rebuild or gen is None or reason is not None:
                if reason is not None and gen is not None:
                    self.messages.append(reason)
                summary = self._full(library)
            else:
                summary = self._incremental(library, gen)
        except Cancelled:
            return IndexSummary(
                seconds=time.monotonic() - started,
                messages=(*self.messages, "indexing cancelled; the previous index is unchanged"),
            )
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

    # --- full build ------------------------------------------------------------------------------

    def _full(self, library: Scan) -> IndexSummary:
        from whoosh import index as wix

        from index.engine.schema import build_schema

        store = self.ix.store
        build = store.new_build_dir()
        gc_was = gc.isenabled()
        gc.disable()  # millions of short-lived tuples and no cycles: the collector only costs time
        paths = sorted(library.stamps)
        try:
            wx = wix.create_in(str(build), build_schema())
            nbytes = sum(library.stamps[p].size for p in paths)
            workers = self.ix.workers
            if workers > 1 and nbytes >= PARALLEL_MIN_BYTES:
                added, skipped = build_parallel(
                    build, library, paths, workers, self._checked_report, self.cancel,
                    self.ix.writer_timeout,
                )  # fmt: skip
            else:
                writer = fast_writer(wx, build, self.ix.writer_timeout)
                try:
                    added, skipped = self._index_files(writer, library, paths)
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit(merge=False)
            added += self._pair_acrossbatches(build, library)
            manifest.write(build, catalog.toc_generation(build))
            target = store.publish(build, expected_meta(self.ix.library))
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        finally:
            if gc_was:
                gc.enable()
        write_catalog(target)
        return IndexSummary(added=added, skipped=skipped, rebuilt=True)

    def _pair_acrossbatches(self, build: Path, library: Scan) -> int:
        """Merge the translation pairs that batches could not see (files linked by frontmatter
        that sit far apart) in one more commit to the unpublished build; returns the change in the
        number of documents."""
        from whoosh import index as wix

        from index.engine.schema import build_schema

        wx = wix.open_dir(str(build), schema=build_schema())
        with wx.searcher() as s:
            files = stored_files(s)
        pairs, reload = regroup(files, {}, set())
        if not reload:
            return 0
        dropped = {files[p].doc for p in reload if files[p].doc}
        writer = fast_writer(wx, build, self.ix.writer_timeout)
        try:
            for doc in dropped:
                writer.delete_by_term("doc", doc)
            for p in reload:
                writer.delete_by_term("key", f"f:{p}")
            added, _ = index_files(
                writer, library.root, library.stamps, sorted(reload), _no_progress, pairs
            )
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)
        return added - len(dropped)

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
        self._report(0, total_files, 0, total_bytes, "")
        last = [0.0]

        def on_batch(files: int, nbytes: int, current: str) -> None:
            if self.cancel is not None and self.cancel.is_set():
                raise Cancelled
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY or files == total_files:
                last[0] = now
                self._report(files, total_files, nbytes, total_bytes, current)

        return index_files(
            writer, library.root, library.stamps, paths, on_batch, pairs, infos, read, files_out
        )

    def _checked_report(self, files: int, ftotal: int, nbytes: int, btotal: int, cur: str) -> None:
        self._report(files, ftotal, nbytes, btotal, cur)

    def _report(self, files: int, ftotal: int, nbytes: int, btotal: int, current: str) -> None:
        if self.progress is not None:
            self.progress(IndexProgress(files, ftotal, nbytes, btotal, current))

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
            for doc in dropped:
                writer.delete_by_term("doc", doc)
            for p in set(gone) | reload | set(touched):
                writer.delete_by_term("key", f"f:{p}")
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


def regroup(
    files: dict[str, FileRecord], fresh: dict[str, PairInfo], reload: set[str]
) -> tuple[list[tuple[str, str]], set[str]]:
    """The library's translation pairs, and `reload` grown by every file whose document must be
    rebuilt for the index to hold exactly those pairs.

    `files` are the stored file records (path → info) of the files that exist now, `fresh` the
    pairing facts of files just read again (they replace what `files` says), `reload` the files
    that will be indexed again anyway (their old documents are dropped)."""
    infos: dict[str, PairInfo] = {}
    for path, rec in files.items():
        if path in fresh:
            infos[path] = fresh[path]
        elif rec.pair is not None:
            infos[path] = rec.pair
    for path, info in fresh.items():
        infos.setdefault(path, info)
    pairs = find_pairs(infos.values())
    partner: dict[str, str] = {}
    for en, zh in pairs:
        partner[en], partner[zh] = zh, en
    members: dict[str, set[str]] = defaultdict(set)  # doc id → its files, as stored
    for path, rec in files.items():
        if rec.doc:
            members[rec.doc].add(path)
    reload = set(reload)
    grew = True
    while grew:
        grew = False
        for path, rec in files.items():
            if path in reload:
                continue
            stored = members[rec.doc] if rec.doc else {path}
            wanted = {path, partner[path]} if path in partner else {path}
            if stored != wanted or stored & reload:
                reload |= stored | wanted
                grew = True
    return pairs, reload


def stored_pairs(files: dict[str, FileRecord], paths: Iterable[str]) -> list[tuple[str, str]]:
    """The translation pairs among `paths` as the index holds them: two files of one document."""
    members: dict[str, list[FileRecord]] = defaultdict(list)
    for p in paths:
        if files[p].doc:
            members[files[p].doc].append(files[p])
    pairs: list[tuple[str, str]] = []
    for group in members.values():
        if len(group) == 2:
            a, b = group
            pairs.append((a.path, b.path) if a.pair and a.pair.lang == "en" else (b.path, a.path))
    return sorted(pairs)


def write_catalog(gen: Path) -> None:
    """The catalog and the file list of a whole generation, read from its records."""
    from whoosh import index as wix

    from index.build.records import info_from_stored
    from index.engine.schema import build_schema

    try:
        wx = wix.open_dir(str(gen), schema=build_schema())
        with wx.searcher() as s:
            infos = [info_from_stored(d["info"]) for d in s.documents(kind="doc")]
            files = stored_files(s)
            toc = s.reader().generation()
    except Exception:  # the index itself is fine; readers will list it from Whoosh
        log.exception("could not read %s for its catalog", gen)
        return
    catalog.write(gen, toc, infos)
    file_stamps.write(gen, toc, files.values())


def _no_progress(files: int, nbytes: int, current: str) -> None:
    pass
