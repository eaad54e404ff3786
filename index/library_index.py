"""The index of one library: the only object the app and the CLI use.

    ix = LibraryIndex(library)
    if not ix.is_current():
        ix.update(progress=...)
    results = ix.search("llama 开源", tags=["AI"])

Updating and reading are both safe with other processes doing the same: one process writes at a
time (the others wait up to `writer_timeout` seconds, then keep the last committed index), and
readers always see a committed index. See `index.storage.store` for the on-disk layout.

A first build commits every few seconds, so `search`, `documents` and `coverage` answer from
another thread or process while it runs: for the documents indexed so far, with
`SearchResults.coverage` saying how much of the library that is.
"""

from __future__ import annotations

import errno
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.errors import LibraryError
from corpus.model import Document
from corpus.roots import library_root
from corpus.tags import tag_key
from corpus.text import printable
from index.storage import catalog, manifest
from index.storage.store import FileLock, LockTimeout, Store, index_home
from index.types import Coverage, DocInfo, IndexProgress, IndexSummary, SearchResults

if TYPE_CHECKING:
    from index.query.context import Context
    from index.storage.file_stamps import FileRecord

Progress = Callable[[IndexProgress], None]

WRITER_TIMEOUT = 10.0


class IndexUnavailable(LibraryError):
    """There is no usable index yet (run `update()` first)."""


class IndexWriteError(LibraryError):
    """The index could not be written (its folder, a lock, the disk); the last one is kept."""


class IndexDamaged(IndexUnavailable):
    """A file of the current index is not what its commit wrote; `update()` rebuilds it."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"the search index is damaged ({reason}): `llama-reader index` rebuilds it"
        )
        self.reason = reason


def _forget_replaced(gen: Path) -> None:
    """Forget what was kept of the segments of the generations `gen` replaced (a rebuild's old
    one is deleted: its maps would hold the disk space)."""
    from index.engine import kept

    kept.forget_others(str(gen.parent), str(gen))


@dataclass
class _Open:
    """One opened generation, with what is cached per commit."""

    gen: Path
    ix: Any
    searcher: Any
    lock: FileLock | None
    infos: dict[str, DocInfo] | None = None
    files: dict[str, FileRecord] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    damage: str | None = None  # found by the background check of the large files

    def close(self, *, forget: bool = True) -> None:
        """`forget`: also what was kept of the segments (`engine.kept`), whose maps hold their
        files open; an update keeps it, since its commit keeps most segments."""
        try:
            self.searcher.close()
        finally:
            if forget:
                from index.engine import kept

                kept.forget(str(self.gen))
            if self.lock is not None:
                self.lock.release()


class LibraryIndex:
    def __init__(
        self,
        library: Path,
        index_dir: Path | None = None,
        *,
        writer_timeout: float = WRITER_TIMEOUT,
        workers: int | None = None,
    ) -> None:
        """`workers`: processes for a large full build (default: up to 2, one per core)."""
        self.library = Path(library).expanduser()
        self.root = library_root(self.library)
        self.home = index_home(self.library, index_dir)
        self.store = Store(self.home)
        self.writer_timeout = writer_timeout
        if workers is None:
            from index.build.parallel import default_workers

            workers = default_workers()
        self.workers = workers
        self._lock = threading.RLock()
        self._open: _Open | None = None
        self._damage: str | None = None  # why the current generation cannot be used

    # --- reading ---------------------------------------------------------------------------------

    def _state(self) -> _Open | None:
        """The current generation, opened (reopened when another commit landed)."""
        with self._lock:
            gen = self.store.current()
            st = self._open
            if st is not None:
                if gen == st.gen:
                    try:
                        if st.searcher.up_to_date():
                            return st
                        st.searcher = st.searcher.refresh()
                        st.infos = st.files = None
                        st.extra.clear()
                        return st
                    except Exception:
                        pass
                st.close()
                self._open = None
            self._damage = None
            if gen is None:
                return None
            if not self._built_as_expected(gen):
                return None
            self._damage = manifest.damaged(gen)
            if self._damage is not None:
                return None
            found, large = manifest.check(gen, catalog.toc_generation(gen))
            if found:
                self._damage = "; ".join(str(d) for d in found)
                manifest.mark_damaged(gen, found)
                return None
            lock = self.store.reader_lock(gen)
            try:
                from whoosh import index as wix

                from index.engine.schema import build_schema

                ix = wix.open_dir(str(gen), schema=build_schema())
                searcher = ix.searcher()
            except Exception:
                if lock is not None:
                    lock.release()
                return None
            self._open = _Open(gen, ix, searcher, lock)
            _forget_replaced(gen)
            if large:
                threading.Thread(
                    target=self._verify_large, args=(self._open, large), daemon=True
                ).start()
            return self._open

    def _verify_large(self, st: _Open, names: list[str]) -> None:
        """Check the large files of an opened generation whole, off the caller's thread."""
        found = manifest.verify_large(st.gen, names)
        if found:
            st.damage = "; ".join(str(d) for d in found)
            manifest.mark_damaged(st.gen, found)

    def _built_as_expected(self, gen: Path) -> bool:
        """True when `gen` was built with this schema and analyser, for this library."""
        from index.engine.schema import expected_meta

        meta = self.store.read_meta(gen)
        want = expected_meta(self.library)
        if meta is None and (gen / "meta.json").exists():
            self._damage = "meta.json is unreadable"
        return meta is not None and all(meta.get(k) == v for k, v in want.items())

    def _require(self) -> _Open:
        st = self._state()
        damage = self._damage if st is None else st.damage
        if damage is not None:
            raise IndexDamaged(damage)
        if st is None:
            raise IndexUnavailable(
                f"no search index for {self.library} yet: run `llama-reader index`"
            )
        return st

    def _read_failed(self, st: _Open, exc: Exception) -> IndexUnavailable:
        """The error to raise for an index that could not be read: damage when a whole check of
        its files finds any (the generation is then marked for rebuilding)."""
        files = manifest.index_files(st.gen)
        found = manifest.verify_large(st.gen, files)
        if found:
            manifest.mark_damaged(st.gen, found)
            return IndexDamaged("; ".join(str(d) for d in found))
        from index.engine.arrayfile import MissingList

        if isinstance(exc, MissingList):  # a posting list's only copy is lost
            manifest.mark_damaged(st.gen, str(exc))
            return IndexDamaged(str(exc))
        kind = type(exc).__name__
        return IndexUnavailable(f"the search index could not be read ({kind}: {exc})")

    def close(self) -> None:
        with self._lock:
            if self._open is not None:
                self._open.close()
                self._open = None

    def _close_readers(self) -> None:
        """Close the searcher once an update has committed (or given up); the next search opens
        the new commit and reuses what was read of the segments it keeps."""
        with self._lock:
            if self._open is not None:
                self._open.close(forget=False)
                self._open = None

    def _infos(self, st: _Open) -> dict[str, DocInfo]:
        if st.infos is None:
            from index.build.records import info_from_stored
            from index.storage import catalog

            toc = st.searcher.reader().generation()
            listed = catalog.read(st.gen, toc)
            if listed is None:
                listed = [info_from_stored(s["info"]) for s in st.searcher.documents(kind="doc")]
                catalog.write(st.gen, toc, listed)  # for the next process that lists them
            st.infos = {info.id: info for info in listed}
        return st.infos

    def _files(self, st: _Open) -> dict[str, FileRecord]:
        if st.files is None:
            from index.storage import file_stamps

            st.files = file_stamps.read(st.gen, st.searcher.reader().generation())
            if st.files is None:
                st.files = file_stamps.stored_files(st.searcher)
        return st.files

    def _context(self, st: _Open) -> Context:
        ctx = st.extra.get("context")
        if ctx is None:
            from index.query.context import Context

            ctx = Context.build(st.searcher, self._infos(st))
            st.extra["context"] = ctx
        return ctx

    def is_current(self) -> bool:
        """True when the index exists, has the current format and matches every file's stamp."""
        with self._lock:
            try:
                st = self._state()
                if st is None or self._coverage(st) is not None:
                    return False
                files = self._files(st)
            except Exception:
                return False
        from index.build.scan import scan

        stamps = scan(self.library).stamps
        if len(stamps) != len(files):
            return False
        for path, stamp in stamps.items():
            rec = files.get(path)
            if rec is None or rec.size != stamp.size or rec.mtime_ns != stamp.mtime_ns:
                return False
        return True

    def _coverage(self, st: _Open) -> Coverage | None:
        """The coverage of a partial generation at the commit `st` reads, None when complete
        (cached per commit: meta.json is rewritten with each commit of a first build)."""
        if "coverage" not in st.extra:
            from index.build.staged import coverage_of

            found = coverage_of(self.store.read_meta(st.gen))
            if found is not None:
                # What this commit holds, whatever commit meta.json was written for.
                docs = len(self._infos(st))
                files = len(self._files(st))
                found = replace(found, documents=docs, files=files)
            st.extra["coverage"] = found
        cov: Coverage | None = st.extra["coverage"]
        return cov

    def coverage(self) -> Coverage:
        """How much of the library search answers for: while a first build runs (in this or
        another process) or after one was stopped, `partial`, with the documents and files of
        its last commit out of the library's files; else every document. Before the first
        commit, nothing (0 documents, `files_total` None)."""
        with self._lock:
            try:
                st = self._state()
            except Exception:
                st = None
            if st is None:
                return Coverage(0, 0, None, True)
            found = self._coverage(st)
            if found is not None:
                return found
            docs, files = len(self._infos(st)), len(self._files(st))
            return Coverage(docs, files, files, False)

    def documents(self) -> list[DocInfo]:
        """Every document, by path; from the catalog file when it is current (Whoosh is not
        opened), else from the index."""
        with self._lock:
            if self._open is None:
                from index.storage import catalog

                gen = self.store.current()
                if gen and self._built_as_expected(gen):
                    listed = catalog.read(gen)
                    if listed is not None:
                        return sorted(listed, key=lambda d: d.path)
            st = self._require()
            return sorted(self._infos(st).values(), key=lambda d: d.path)

    def prepare(self) -> None:
        """Open the index and load what every search needs (the word segmenter, length norms),
        so the first query typed is as quick as the others. Safe to call from a worker."""
        from index.query.compile import compile_query

        compile_query("prepare 准备")
        with self._lock:
            ctx = self._context(self._require())
            for name in ("body", "body_chars", "title", "title_chars", "author"):
                ctx.norm(name)

    def tag_counts(self) -> dict[str, int]:
        with self._lock:
            st = self._require()
            return _count_tags(self._infos(st).values())

    def load_document(self, doc_id: str) -> Document:
        with self._lock:
            st = self._require()
            info = self._infos(st).get(doc_id)
        if info is None:
            raise LibraryError(f"no document {doc_id} in the index")
        from index.build.listing import load_listed

        return load_listed(self.library, info)

    def search(
        self,
        query: str,
        *,
        tags: Sequence[str] = (),
        lang: str | None = None,
        limit: int = 50,
        repair: bool = False,
        typing: bool = False,
        per_document: int = 0,
        document: str | None = None,
    ) -> SearchResults:
        """Hits for `query`, the best `limit` rows first.

        `typing`: the query is still being typed (the search box as each key lands), so its last
        word also finds the longer words it begins, ranked below the word itself; a space after
        it makes it a word. `per_document`: also group the hits by document (`results.groups`: up
        to `limit` documents, each with its best `per_document` rows and its count of matching
        rows). `document`: only the rows of that document (to list all of one group).
        With `repair`, a damaged index is rebuilt first (the results then say so in `notes`);
        without, IndexDamaged is raised."""
        from index.query.search import run_search

        notes: tuple[str, ...] = ()
        for attempt in range(4):
            with self._lock:
                try:
                    st = self._require()
                except IndexDamaged as exc:
                    if not repair or notes:
                        raise
                    notes = (f"the search index was damaged ({exc.reason}); rebuilt it",)
                    self.update(rebuild=True)
                    continue
                try:
                    found = run_search(
                        st.searcher,
                        query,
                        tags,
                        lang,
                        limit,
                        self._context(st),
                        typing=typing,
                        per_document=per_document,
                        document=document,
                    )
                    if st.damage is not None:  # the background check finished meanwhile
                        continue
                    partial = self._coverage(st)
                    if partial is not None:
                        found = replace(found, coverage=partial)
                    return replace(found, notes=notes) if notes else found
                except Exception as exc:
                    # The generation may have been replaced or cleaned under us: reopen once.
                    st.close()
                    self._open = None
                    if attempt:
                        error = self._read_failed(st, exc)
                        if isinstance(error, IndexDamaged) and repair and not notes:
                            continue
                        raise error from exc
        raise self._read_failed(st, RuntimeError("the index kept failing"))

    # --- writing ---------------------------------------------------------------------------------

    def update(
        self,
        progress: Progress | None = None,
        rebuild: bool = False,
        cancel: threading.Event | None = None,
        wait: float | None = None,
    ) -> IndexSummary:
        """Bring the index up to date with the library (a full rebuild when asked, when the format
        changed, or when the index cannot be read). A first build commits every few seconds and,
        when `cancel` is set (or the process is killed), keeps what it committed: the next
        update continues it. `wait`: seconds to wait for another process's update (default
        `writer_timeout`)."""
        started = time.monotonic()
        from index.build.parallel import WorkerFailed

        try:
            return self._update(progress, rebuild, cancel, started, wait)
        except WorkerFailed as exc:
            if exc.no_space:
                raise IndexWriteError(self._full_disk()) from None
            raise IndexWriteError(f"indexing failed ({exc}); {self._kept()}") from None
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise IndexWriteError(self._full_disk()) from None
            where = exc.filename or self.home
            reason = exc.strerror or type(exc).__name__
            raise IndexWriteError(
                f"cannot write the search index at {printable(str(where))}: {reason}; "
                f"{self._kept()} (--index or $LLAMA_READER_INDEX puts it elsewhere)"
            ) from None

    def _partial(self) -> bool:
        from index.build.staged import coverage_of

        gen = self.store.current()
        return gen is not None and coverage_of(self.store.read_meta(gen)) is not None

    def _kept(self) -> str:
        if self.store.current() is None:
            return "there is no earlier index to search"
        return "the previous index is kept and still searched"

    def _full_disk(self) -> str:
        return f"the disk holding {printable(str(self.home))} is full; {self._kept()}"

    def _update(
        self,
        progress: Progress | None,
        rebuild: bool,
        cancel: threading.Event | None,
        started: float,
        wait: float | None = None,
    ) -> IndexSummary:
        try:
            with self.store.writing(self.writer_timeout if wait is None else wait):
                from index.build.updating import Target, Updater

                target = Target(
                    self.library, self.store, self.workers, self.writer_timeout, self._close_readers
                )
                self.store.clean()
                summary = Updater(target, progress, cancel).run(rebuild)
                self.store.clean()
                current = self.store.current()
                if current is not None:  # unmapped now, not at the next search
                    _forget_replaced(current)
        except (LockTimeout, _whoosh_lock_error()):
            return IndexSummary(
                seconds=time.monotonic() - started,
                messages=(
                    "another llama-reader process is updating this index; "
                    + (
                        "searching what it has indexed so far"
                        if self._partial()
                        else "searching the last complete one"
                    ),
                ),
                locked=True,
            )
        return summary


def _whoosh_lock_error() -> type[Exception]:
    """Whoosh's own writer lock held by another process (an update of the same generation)."""
    from whoosh.index import LockError

    return LockError  # type: ignore[no-any-return]


def _count_tags(infos: Any) -> dict[str, int]:
    """Documents per tag, keyed by the most common spelling of each tag key."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for info in infos:
        for tag in info.tags:
            key = tag_key(tag)
            counts[key] += 1
            spellings.setdefault(key, Counter())[tag] += 1
    return {spellings[k].most_common(1)[0][0]: n for k, n in counts.most_common()}


__all__ = ["IndexDamaged", "IndexUnavailable", "IndexWriteError", "LibraryIndex"]
