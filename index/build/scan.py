"""What the index reads from the library: file stamps, and files → Documents.

`load_documents` is the one place that turns files into Documents; it groups them the way the
library view does (translation pairs become one Document whose `files` lists both), so the index
records a file → document mapping instead of assuming one file per document.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus.loader import load_document
from corpus.model import Document, Skipped
from corpus.pairs import group_by_pairs, group_documents
from corpus.roots import library_root
from corpus.walk import iter_found


@dataclass(frozen=True, slots=True)
class Stamp:
    """What tells a file changed without reading it."""

    path: str  # relative to the library root, POSIX separators
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Scan:
    root: Path
    stamps: dict[str, Stamp]
    unreadable: tuple[Skipped, ...]  # entries the walk could not visit


def scan(library: Path) -> Scan:
    """Stat every candidate file of the library (no file is opened)."""
    root = library_root(library)
    stamps: dict[str, Stamp] = {}
    unreadable: list[Skipped] = []
    for item in iter_found(library):
        if isinstance(item, Skipped):
            unreadable.append(item)
            continue
        try:
            st = os.stat(item.path)
        except OSError as exc:
            unreadable.append(Skipped(item.rel, exc.strerror or str(exc)))
            continue
        # chmod 000 keeps the size and mtime. A file anyone may read is taken as readable
        # without asking (a third of the scan of 20,000 files); reading it says otherwise.
        if not st.st_mode & stat.S_IROTH and not os.access(item.path, os.R_OK):
            unreadable.append(Skipped(item.rel, "permission denied"))
            continue
        stamps[item.rel] = Stamp(item.rel, st.st_size, st.st_mtime_ns)
    return Scan(root, stamps, tuple(unreadable))


def content_hash(root: Path, rel: str) -> str:
    """A digest of the file's bytes ("" when it cannot be read: it then counts as changed)."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        with open(root / rel, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def load_files(
    root: Path, paths: Sequence[str], *, wait_for_model: bool = True
) -> tuple[list[Document], list[Skipped]]:
    """One Document per readable file (translation pairs not merged), and the files that could
    not be read. Without `wait_for_model`, see `corpus.loader.load_document`."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for rel in paths:
        result = load_document(root / rel, root, wait_for_model=wait_for_model)
        if isinstance(result, Skipped):
            skipped.append(result)
        else:
            documents.append(result)
    return documents, skipped


def load_documents(
    root: Path, paths: Sequence[str], pairs: Iterable[tuple[str, str]] | None = None
) -> tuple[list[Document], list[Skipped]]:
    """The Documents made of these files and the files that could not be read. Translation pairs
    are merged: the given (English, Chinese) pairs, or else those found among these files."""
    singles, skipped = load_files(root, paths)
    if pairs is None:
        return group_documents(singles), skipped
    return group_by_pairs(singles, pairs), skipped
