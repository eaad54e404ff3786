"""The library's documents as their files are read, for a list shown before the index has one.

A first build on a large library takes minutes and its first commit seconds; reading a file's
Document takes a few milliseconds (the first that needs the language model waits half a second
for it to load: a screenful is listed first, their languages once it has). So while the index
is built, the app lists the documents from here: the files in the build's own order and batches
(`index.build.batches`), each batch grouped into Documents as the build groups it, so the
entries carry the ids the index will give them. A translation pair whose two files fall in
different batches is listed as two documents until the index, which pairs across batches at its
end, lists it as one. `load_listed` opens any listed document from its files.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from corpus.errors import LibraryError
from corpus.langid import PENDING
from corpus.loader import settle_language
from corpus.model import Document
from corpus.pairs import group_documents
from corpus.roots import library_root
from index.build.batches import batches
from index.build.records import doc_info
from index.build.scan import load_documents, load_files, scan
from index.types import DocInfo

FIRST_BATCH = 8  # files read per report until SCREENFUL documents are listed
SCREENFUL = 40

Relisted = Callable[[list[str], list[DocInfo]], None]


def prepare() -> None:
    """Import what reading the first file needs (this module imports it), from a thread started
    as the app starts. Not the language model: half a second of CPU that the first screenful
    does without (see `read_listing`), loaded once it is listed."""


def read_listing(
    library: Path,
    report: Callable[[list[DocInfo]], None],
    *,
    skip: Collection[str] = (),
    stopped: Callable[[], bool] = lambda: False,
    relisted: Relisted | None = None,
) -> int:
    """Read the library's files (except those in `skip`, relative paths) and `report` each
    batch's documents as it is read, in small steps until a screenful is listed. Stops between
    two files once `stopped()`. Returns the number of documents reported.

    With `relisted`, the first screenful does not wait for the language model (half a second
    to load): a document whose language needs it is reported with `lang` PENDING, and once the
    screenful is listed, `relisted(ids, documents)` replaces the entries of those batches with
    their languages known (a translation pair told apart by its content is then one entry)."""
    found = scan(library)
    paths = sorted(p for p in found.stamps if p not in skip)
    reading = _Reading(found.root, report, stopped, relisted)
    for batch in batches(paths):
        # Small steps until a screenful is listed (a pair cut apart here is listed as two
        # documents, as the build's first commits do, until the index pairs it).
        while reading.reported < SCREENFUL and len(batch) > FIRST_BATCH and not stopped():
            head, batch = batch[:FIRST_BATCH], batch[FIRST_BATCH:]
            reading.read(head)
        if stopped():
            break
        reading.read(batch)
    if not stopped():
        reading.settle()
    return reading.reported


class _Reading:
    """The batches read so far whose languages wait for the model."""

    def __init__(
        self,
        root: Path,
        report: Callable[[list[DocInfo]], None],
        stopped: Callable[[], bool],
        relisted: Relisted | None,
    ) -> None:
        self.root = root
        self.report = report
        self.stopped = stopped
        self.relisted = relisted
        self.reported = 0
        self.waiting: list[tuple[list[str], list[Document]]] = []  # (listed ids, the files read)

    def read(self, batch: list[str]) -> None:
        """Read one batch a file at a time (a batch takes a few hundred milliseconds), group it,
        report it."""
        if self.reported >= SCREENFUL:
            self.settle()
        hurry = self.relisted is not None and self.reported < SCREENFUL
        singles: list[Document] = []
        for path in batch:
            if self.stopped():
                return
            singles += load_files(self.root, [path], wait_for_model=not hurry)[0]
        infos = [doc_info(d) for d in group_documents(singles)]
        if any(d.lang == PENDING for d in singles):
            self.waiting.append(([i.id for i in infos], singles))
        if infos:
            self.report(infos)
        self.reported += len(infos)

    def settle(self) -> None:
        """The batches read without the model, relisted with their languages (loads it)."""
        for ids, singles in self.waiting:
            if self.stopped() or self.relisted is None:
                return
            infos = [doc_info(d) for d in group_documents([settle_language(d) for d in singles])]
            self.relisted(ids, infos)
            self.reported += len(infos) - len(ids)
        self.waiting = []


def load_listed(library: Path, info: DocInfo) -> Document:
    """The Document a list entry names, read from its files; LibraryError when it cannot be."""
    files = list(info.files or (info.path,))
    docs, skipped = load_documents(library_root(library), files)
    for doc in docs:
        if doc.id == info.id:
            return doc
    reason = skipped[0].reason if skipped else "it changed since it was read"
    raise LibraryError(f"cannot open {info.path}: {reason}")
