"""The library list while the index is first built: read from the files, growing as they are read.

No Textual here. A first build takes minutes on a large library and lists nothing until its first
commit; `Listing` reads the files in a thread of its own (`index.build.listing`) and reports the
list as it grows (each batch at once until a screenful is listed, then at most every
REPORT_INTERVAL seconds), with the documents the index already lists (a build continued) kept
first. It remembers each entry, so a listed document opens from its files before the index
holds it. The first screenful comes before the language model is loaded: an entry whose
language needs it has `lang` PENDING (no badge) until the reading relists it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.langid import PENDING
from index.types import DocInfo

if TYPE_CHECKING:
    from corpus.model import Document

log = logging.getLogger("llama_reader.app")

REPORT_INTERVAL = 0.5  # seconds between two reports of the growing list
# The longest the reading waits between two files while searches hold it (`held`): a search run
# while the list is read shares the interpreter with the reading, and took seconds on a busy
# machine.
HOLD_MAX = 2.0
SCREENFUL = 40  # documents reported as soon as they are read, before the reports are spaced


class Listing:
    """One reading of the library's files, reported through `report(documents)`."""

    def __init__(
        self,
        library: Path,
        report: Callable[[list[DocInfo]], None],
        *,
        known: Iterable[DocInfo] = (),
        cancel: threading.Event | None = None,
    ) -> None:
        self.library = library
        self._report = report
        self.known = list(known)
        self._listed: list[DocInfo] = []
        self._by_id = {d.id: d for d in self.known}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._cancel = cancel
        self._last = 0.0
        self._pending = False
        self._complete = False
        self.finished = threading.Event()  # every file read (or the reading given up)
        self.first_report = threading.Event()  # the first documents reported (or none to report)
        # A screenful reported with every language known (or the reading over).
        self.head_listed = threading.Event()
        self._holds = 0
        self._resume = threading.Event()  # set while no search holds the reading
        self._resume.set()
        self._thread = threading.Thread(target=self._run, name="library-listing", daemon=True)

    def start(self) -> Listing:
        self._thread.start()
        return self

    @property
    def documents(self) -> list[DocInfo]:
        """The documents listed so far: those the index knew, then those read."""
        with self._lock:
            return self.known + self._listed

    @property
    def running(self) -> bool:
        return not self._stop.is_set() and not self.finished.is_set()

    @property
    def complete(self) -> bool:
        """Every file was read and reported."""
        return self._complete

    def entry(self, doc_id: str) -> DocInfo | None:
        with self._lock:
            return self._by_id.get(doc_id)

    @contextmanager
    def held(self) -> Iterator[None]:
        """The reading waits between two files while this lasts (at most HOLD_MAX at a time)."""
        with self._lock:
            self._holds += 1
            self._resume.clear()
        try:
            yield
        finally:
            with self._lock:
                self._holds -= 1
                if not self._holds:
                    self._resume.set()

    def stop(self) -> None:
        """Stop reading and reporting (the index lists the library now); waits for the thread,
        which stops between two files."""
        self._stop.set()
        self._resume.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=2.0)

    def load(self, doc_id: str) -> Document | None:
        """A listed document read from its files (None: not listed here)."""
        info = self.entry(doc_id)
        if info is None:
            return None
        from index.build.listing import load_listed

        return load_listed(self.library, info)

    # ---- the reading thread ----------------------------------------------------------------------

    def _stopped(self) -> bool:
        if not self._resume.is_set():
            waited = time.monotonic()
            while not self._resume.wait(0.05) and time.monotonic() - waited < HOLD_MAX:
                if self._cancel is not None and self._cancel.is_set():
                    break
        return self._stop.is_set() or (self._cancel is not None and self._cancel.is_set())

    def _run(self) -> None:
        from index.build.listing import read_listing

        skip = {f for d in self.known for f in (d.files or (d.path,))}
        try:
            read_listing(
                self.library, self._add, skip=skip, stopped=self._stopped, relisted=self._relist
            )
            if not self._stopped():
                self._complete = True
                if self._pending:
                    self._send()
        except Exception as exc:  # the index's list comes at its commits all the same
            log.error("listing the library's files failed: %s", exc, exc_info=exc)
        finally:
            self.finished.set()
            self.first_report.set()
            self.head_listed.set()

    def _add(self, infos: list[DocInfo]) -> None:
        with self._lock:
            for info in infos:
                if info.id not in self._by_id:
                    self._by_id[info.id] = info
                    self._listed.append(info)
        self._pending = True
        early = len(self._listed) <= SCREENFUL  # until a screenful is listed, at once
        if early or time.monotonic() - self._last >= REPORT_INTERVAL:
            self._send()

    def _relist(self, ids: list[str], infos: list[DocInfo]) -> None:
        """Entries listed before the language model was loaded, replaced where they stood by
        the same documents with their languages (reported at once: the badges change)."""
        gone = set(ids)
        with self._lock:
            for doc_id in ids:
                self._by_id.pop(doc_id, None)
            first = next((n for n, d in enumerate(self._listed) if d.id in gone), 0)
            before = [d for d in self._listed[:first] if d.id not in gone]
            after = [d for d in self._listed[first:] if d.id not in gone]
            fresh = [d for d in infos if d.id not in self._by_id]
            self._by_id.update((d.id, d) for d in fresh)
            self._listed = before + fresh + after
        self._send()

    def _send(self) -> None:
        if self._stopped():
            return
        self._pending = False
        self._last = time.monotonic()
        documents = self.documents
        self._report(documents)
        self.first_report.set()
        if len(documents) >= SCREENFUL and all(d.lang != PENDING for d in documents):
            self.head_listed.set()
