"""The library's documents as their files are read, for a list shown before the index has one.

A first build on a large library takes minutes and its first commit seconds; reading a file's
Document takes a few milliseconds (the first one also loads the language model, under a second).
So while the index is built, the app lists the documents from here: the files in the build's own
order and batches (`index.build.batches`), each batch grouped into Documents as the build groups
it, so the entries carry the ids the index will give them. A translation pair whose two files
fall in different batches is listed as two documents until the index, which pairs across
batches at its end, lists it as one. `load_listed` opens any listed document from its files.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from corpus.errors import LibraryError
from corpus.model import Document
from corpus.pairs import group_documents
from corpus.roots import library_root
from index.build.batches import batches
from index.build.records import doc_info
from index.build.scan import load_documents, load_files, scan
from index.types import DocInfo

FIRST_BATCH = 8  # files read per report until SCREENFUL documents are listed
SCREENFUL = 40


def prepare() -> None:
    """Load ahead what reading the first file needs (these modules, the language model), from
    a thread started as the app starts: most of a second the first listed documents need not
    wait for."""
    from corpus.langid import load_model

    load_model()


def read_listing(
    library: Path,
    report: Callable[[list[DocInfo]], None],
    *,
    skip: Collection[str] = (),
    stopped: Callable[[], bool] = lambda: False,
) -> int:
    """Read the library's files (except those in `skip`, relative paths) and `report` each
    batch's documents as it is read, in small steps until a screenful is listed. Stops between
    two files once `stopped()`. Returns the number of documents reported."""
    found = scan(library)
    paths = sorted(p for p in found.stamps if p not in skip)
    reported = 0
    for batch in batches(paths):
        # Small steps until a screenful is listed (a pair cut apart here is listed as two
        # documents, as the build's first commits do, until the index pairs it).
        while reported < SCREENFUL and len(batch) > FIRST_BATCH and not stopped():
            head, batch = batch[:FIRST_BATCH], batch[FIRST_BATCH:]
            reported += _report(found.root, head, report, stopped)
        if stopped():
            break
        reported += _report(found.root, batch, report, stopped)
    return reported


def _report(
    root: Path,
    batch: list[str],
    report: Callable[[list[DocInfo]], None],
    stopped: Callable[[], bool],
) -> int:
    """Read one batch a file at a time (a batch takes a few hundred milliseconds), group it."""
    singles: list[Document] = []
    for path in batch:
        if stopped():
            return 0
        singles += load_files(root, [path])[0]
    infos = [doc_info(d) for d in group_documents(singles)]
    if infos:
        report(infos)
    return len(infos)


def load_listed(library: Path, info: DocInfo) -> Document:
    """The Document a list entry names, read from its files; LibraryError when it cannot be."""
    files = list(info.files or (info.path,))
    docs, skipped = load_documents(library_root(library), files)
    for doc in docs:
        if doc.id == info.id:
            return doc
    reason = skipped[0].reason if skipped else "it changed since it was read"
    raise LibraryError(f"cannot open {info.path}: {reason}")
