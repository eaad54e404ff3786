"""Finding the library's documents: a recursive walk that never stops for one bad entry."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from corpus.loader import SUFFIXES, relative_path
from corpus.model import Skipped


def iter_library(root: Path) -> Iterator[Path | Skipped]:
    """Every candidate document under `root` in a stable order, plus a Skipped for each entry
    that could not be visited. A file path yields just that file."""
    if root.is_file():
        yield root
        return
    seen: set[tuple[int, int]] = set()
    yield from _walk_dir(root, root, seen)


def _walk_dir(directory: Path, root: Path, seen: set[tuple[int, int]]) -> Iterator[Path | Skipped]:
    try:
        st = directory.stat()
    except OSError as exc:
        yield Skipped(relative_path(directory, root) or ".", exc.strerror or str(exc))
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield Skipped(relative_path(directory, root), "symlink loop (folder already visited)")
        return
    seen.add(key)
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        yield Skipped(relative_path(directory, root) or ".", "permission denied")
        return
    except OSError as exc:
        yield Skipped(relative_path(directory, root) or ".", exc.strerror or str(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # .git, .obsidian, editor swap files: never documents
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows symlinks
            is_file = entry.is_file()
        except OSError as exc:
            yield Skipped(relative_path(path, root), exc.strerror or str(exc))
            continue
        if is_dir:
            yield from _walk_dir(path, root, seen)
        elif path.suffix.lower() in SUFFIXES:
            if is_file:
                yield path
            elif entry.is_symlink():
                yield Skipped(relative_path(path, root), "broken symlink")
            else:
                yield Skipped(relative_path(path, root), "not a regular file")
