"""Finding the library's documents: a recursive walk that never stops for one bad entry.

The walk works on strings and `os.scandir` entries: on a 5,000-file library, building a `Path`
for every entry and taking it apart again cost twice the time of the walk itself.

Symbolic links are followed only while they stay inside the library (like ripgrep without `-L`):
a link `notes.md → /etc/passwd` is reported, not read. `$LLAMA_READER_FOLLOW_LINKS=1` (set by
`--follow-links` or `follow_links = true` in the config file) follows every link.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus.loader import SUFFIXES
from corpus.model import Skipped


@dataclass(frozen=True, slots=True)
class Found:
    """A candidate document: its path relative to the library (POSIX separators) and on disk."""

    rel: str
    path: str


ENV_FOLLOW_LINKS = "LLAMA_READER_FOLLOW_LINKS"


def follows_links() -> bool:
    return os.environ.get(ENV_FOLLOW_LINKS, "") not in ("", "0")


def iter_library(root: Path) -> Iterator[Path | Skipped]:
    """Every candidate document under `root` in a stable order, plus a Skipped for each entry
    that could not be visited. A file path yields just that file."""
    for item in iter_found(root):
        yield item if isinstance(item, Skipped) else Path(item.path)


def iter_found(library: Path) -> Iterator[Found | Skipped]:
    """`iter_library`, with each document's relative path (to the library folder, or to the
    folder of a library that is one file)."""
    if library.is_file():
        yield Found(library.name, os.fspath(library))
        return
    seen: set[tuple[int, int]] = set()
    base = os.fspath(library)
    inside = None if follows_links() else os.path.realpath(base)
    yield from _walk_dir(base, "", seen, inside)


def _outside(path: str, inside: str) -> bool:
    real = os.path.realpath(path)
    return real != inside and not real.startswith(inside.rstrip(os.sep) + os.sep)


def _rel(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


def _walk_dir(
    directory: str, prefix: str, seen: set[tuple[int, int]], inside: str | None
) -> Iterator[Found | Skipped]:
    here = prefix or "."
    try:
        st = os.stat(directory)
    except OSError as exc:
        yield Skipped(here, exc.strerror or str(exc))
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield Skipped(here, "symlink loop (folder already visited)")
        return
    seen.add(key)
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        yield Skipped(here, "permission denied")
        return
    except OSError as exc:
        yield Skipped(here, exc.strerror or str(exc))
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue  # .git, .obsidian, editor swap files: never documents
        rel = _rel(prefix, name)
        try:
            is_dir = entry.is_dir()  # follows symlinks
            is_file = entry.is_file()
            is_link = entry.is_symlink()
        except OSError as exc:
            yield Skipped(rel, exc.strerror or str(exc))
            continue
        wanted = os.path.splitext(name)[1].lower() in SUFFIXES
        leaves = is_link and inside is not None and (is_dir or (wanted and is_file))
        if leaves and _outside(entry.path, inside or ""):
            yield Skipped(rel, "symlink to outside the library (--follow-links follows it)")
            continue
        if is_dir:
            yield from _walk_dir(entry.path, rel, seen, inside)
        elif wanted:
            if is_file:
                yield Found(rel, entry.path)
            elif is_link and not os.path.exists(entry.path):
                yield Skipped(rel, "broken symlink")
            else:
                yield Skipped(rel, "not a regular file")
