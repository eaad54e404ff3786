"""The library list as last read from the index, kept so the next launch can show it at once.

Opening a Whoosh index of a large library takes about a second (its segment files are mapped and
read in); the list the user first looks at needs none of that. The app draws its first frame from a
small "head" file (the newest documents, enough to fill a screen, and the total), reads the whole
list right after, then reads the index in a worker and replaces the list if anything changed. It is
a cache: two JSON files per (library, index dir) in the user cache dir, rewritten after every read
of the index, ignored when unreadable or from another version.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from corpus.userfiles import atomic_write, cache_dir
from index.types import DocInfo

VERSION = 2
HEAD = 120  # documents in the head file: more than any terminal shows at once

log = logging.getLogger("llama_reader.list_cache")


def cache_path(library: Path, index_dir: Path | None) -> Path:
    key = f"{Path(library).expanduser().resolve()}\0{index_dir and Path(index_dir).resolve()}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "lists" / f"{digest}.json"


def _head_path(path: Path) -> Path:
    return path.with_name(path.stem + ".head.json")


def _read(path: Path) -> tuple[list[DocInfo], int] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data.get("fields") != list(DocInfo.FIELDS):
            return None
        documents = [DocInfo.from_row(row) for row in data["documents"]]
        return documents, int(data.get("total", len(documents)))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:  # any bad file
        log.info("ignoring the cached library list %s: %s", path, exc)
        return None


def load(library: Path, index_dir: Path | None) -> list[DocInfo] | None:
    """The cached list, or None when there is none (or it cannot be used)."""
    found = _read(cache_path(library, index_dir))
    return found[0] if found else None


def load_head(library: Path, index_dir: Path | None) -> tuple[list[DocInfo], int] | None:
    """The newest cached documents (newest first) and the number of documents in all."""
    return _read(_head_path(cache_path(library, index_dir)))


def _write(path: Path, documents: list[DocInfo], total: int) -> None:
    rows = [d.to_row() for d in documents]
    data = {"version": VERSION, "fields": DocInfo.FIELDS, "total": total, "documents": rows}
    atomic_write(path, json.dumps(data, ensure_ascii=False))


def save(library: Path, index_dir: Path | None, documents: list[DocInfo]) -> None:
    from tui.widgets.library_filters import sort_documents

    path = cache_path(library, index_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, documents, len(documents))
        head = sort_documents(documents, "date")[:HEAD]
        _write(_head_path(path), head, len(documents))
    except OSError as exc:
        log.warning("could not cache the library list in %s: %s", path, exc)
