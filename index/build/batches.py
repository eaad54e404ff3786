"""Files → index records, a batch at a time, with translation pairs kept within a batch.

Shared by the in-process build and update (`index.build.updating`) and the worker processes of a
parallel build (`index.build.parallel`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from corpus.model import Document
from corpus.pairs import find_pairs, group_by_pairs, pair_info, pair_key
from index.build.records import doc_info, document_records, file_record
from index.build.scan import Stamp, content_hash, load_files
from index.storage.file_stamps import FileRecord
from index.types import DocInfo

BATCH_FILES = 64  # files loaded (and grouped) together


class Cancelled(Exception):
    """The build was asked to stop (the app quits, or the user cancelled)."""


def first_batches(paths: list[str], head: int, limit: int) -> Iterator[list[str]]:
    """`batches`, the first `head` files in batches of at most `limit` (a first build's first
    commit is due seconds in, and a batch of BATCH_FILES can take that long on a busy machine).
    A translation pair cut at `head` is paired by the build's last pass."""
    yield from batches(paths[:head], limit=limit)
    yield from batches(paths[head:])


def batches(
    paths: list[str], pairs: Iterable[tuple[str, str]] = (), limit: int = BATCH_FILES
) -> Iterator[list[str]]:
    """Files in groups of about `limit` that keep together the files whose names say they
    translate each other (`content/en/x.md`, `content/zh/x.md`) and the given pairs, so each
    batch can be paired on its own; otherwise in path order, a folder at a time where possible."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    key = {p: pair_key(p) for p in paths}
    for en, zh in pairs:
        if en in key and zh in key:
            a, b = find(key[en]), find(key[zh])
            if a != b:
                parent[max(a, b)] = min(a, b)
    clusters: dict[str, list[str]] = {}
    for p in paths:
        clusters.setdefault(find(key[p]), []).append(p)
    batch: list[str] = []
    folder: str | None = None
    for p in paths:
        cluster = clusters.pop(find(key[p]), None)
        if cluster is None:
            continue  # already sent with an earlier file of its cluster
        here = str(PurePosixPath(p).parent)
        if batch and (len(batch) + len(cluster) > limit or here != folder):
            yield batch
            batch = []
        batch.extend(cluster)
        folder = here
    if batch:
        yield batch


def index_files(
    writer: Any,
    root: Path,
    stamps: dict[str, Stamp],
    paths: list[str],
    on_batch: Callable[[int, int, str], None],
    pairs: list[tuple[str, str]] | None = None,
    infos_out: list[DocInfo] | None = None,
    read: dict[str, Document] | None = None,
    files_out: dict[str, FileRecord] | None = None,
    stop: threading.Event | None = None,
) -> tuple[int, int]:
    """Load these files batch by batch and add their records (rows, documents, file stamps);
    `on_batch(files done, bytes done, last file)` runs after each batch and may raise to stop.
    Translation pairs are merged: `pairs` (found over the whole library), or else those found
    within each batch (a batch keeps files whose names say they translate each other together).
    The added documents' DocInfos go into `infos_out` when given; `read` holds files the caller
    already loaded (one Document each), by path, so they are not read twice; the files' records
    go into `files_out` when given. `stop`, once set, raises Cancelled between two files (a
    batch can take seconds). Returns (documents added, files skipped)."""

    def check() -> None:
        if stop is not None and stop.is_set():
            raise Cancelled

    done_files = done_bytes = added = skipped = 0
    for batch in batches(paths, pairs or ()):
        hashes = {p: content_hash(root, p) for p in batch}
        known = read or {}
        singles, skips = [], []
        for p in batch:
            if p not in known:
                check()
                loaded, skip = load_files(root, [p])
                singles += loaded
                skips += skip
        if known:
            by_path = {d.path: d for d in singles}
            by_path.update((p, known[p]) for p in batch if p in known)
            singles = [by_path[p] for p in batch if p in by_path]
        infos = {d.path: pair_info(d) for d in singles}
        found = pairs if pairs is not None else find_pairs(infos.values())
        owner: dict[str, str] = {}
        for doc in group_by_pairs(singles, found):
            check()
            for record in document_records(doc):
                writer.add_document(**record)
            for f in doc.files or (doc.path,):
                owner[f] = doc.id
            added += 1
            if infos_out is not None:
                infos_out.append(doc_info(doc))
        reasons = {s.path: s.reason for s in skips}
        for p in batch:
            st = stamps[p]
            doc_id = owner.get(p, "")
            stamp = FileRecord(
                p, st.size, st.mtime_ns, hashes[p], doc_id, reasons.get(p, ""), infos.get(p)
            )
            writer.add_document(**file_record(stamp))
            if files_out is not None:
                files_out[p] = stamp
            if not doc_id:
                skipped += 1
        done_files += len(batch)
        done_bytes += sum(stamps[p].size for p in batch)
        on_batch(done_files, done_bytes, batch[-1])
    return added, skipped
