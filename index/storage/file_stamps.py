"""The stamps of the library files a committed index was built from, in one file beside it.

An update compares every file's size and modification time with what the index holds, and pairs
translations across the whole library from each file's `PairInfo`. Reading those 5,000 records
from Whoosh's stored fields took about 100 ms, a tenth of the time of re-indexing one file;
`files.json` holds the same records as rows of plain values and loads in about 10 ms.

Like the catalog it is stamped with the Whoosh table of contents it describes and written after
each commit; a missing, stale or damaged file is ignored and the records are read from the index
(`from_stored`), which stays the source of truth.

A process keeps the records it last wrote or read (20,000 of them take ~100 ms to parse, a tenth of
re-indexing one file of such a library), for as long as the file holds the same bytes (its CRC-32
takes a few milliseconds).
"""

from __future__ import annotations

import gc
import json
import logging
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.pairs import PairInfo
from corpus.userfiles import atomic_write

NAME = "files.json"
VERSION = 1
_PAIR_FIELDS = (
    "lang",
    "title",
    "title_alt",
    "translation_key",
    "translation_of",
    "original_title",
)

log = logging.getLogger("llama_reader.index")


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One library file as the index last saw it; `doc` is "" for a skipped file (`reason`)."""

    path: str
    size: int
    mtime_ns: int
    hash: str
    doc: str
    reason: str
    pair: PairInfo | None  # what pairing needs to know, None for a file that could not be read

    @classmethod
    def from_stored(cls, info: Mapping[str, Any]) -> FileRecord:
        """The record as a file record's stored `info` field holds it."""
        pair = info.get("pair")
        return cls(
            path=info["path"],
            size=info["size"],
            mtime_ns=info["mtime_ns"],
            hash=info["hash"],
            doc=info["doc"],
            reason=info["reason"],
            pair=PairInfo.from_dict(pair) if pair else None,
        )

    def to_row(self) -> list[Any]:
        row: list[Any] = [self.path, self.size, self.mtime_ns, self.hash, self.doc, self.reason]
        if self.pair is not None:
            row += [getattr(self.pair, name) for name in _PAIR_FIELDS]
        return row

    @classmethod
    def from_row(cls, row: list[Any]) -> FileRecord:
        if len(row) not in (6, 6 + len(_PAIR_FIELDS)):
            raise ValueError(f"not a file record: {row[:3]!r}")
        path, size, mtime_ns, digest, doc, reason = row[:6]
        if not (isinstance(path, str) and isinstance(size, int) and isinstance(mtime_ns, int)):
            raise ValueError(f"not a file record: {row[:3]!r}")
        pair = PairInfo(path, *row[6:]) if len(row) > 6 else None
        return cls(path, size, mtime_ns, str(digest), str(doc), str(reason), pair)

    def stored(self) -> dict[str, Any]:
        """The stored `info` field of the file's index record."""
        return {
            "path": self.path,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "hash": self.hash,
            "doc": self.doc,
            "reason": self.reason,
            "pair": self.pair.to_dict() if self.pair is not None else None,
        }


def stored_files(searcher: Any) -> dict[str, FileRecord]:
    """The file records of an index, read from Whoosh's stored fields."""
    records = (FileRecord.from_stored(d["info"]) for d in searcher.documents(kind="file"))
    return {r.path: r for r in records}


_FileStamp = tuple[int, int]  # size and CRC-32 of files.json
# The records this process last wrote or read: file → (its stamp, toc, records by path).
_kept: dict[Path, tuple[_FileStamp, int, dict[str, FileRecord]]] = {}
_kept_lock = threading.Lock()


def _stamp(data: bytes) -> _FileStamp:
    return len(data), zlib.crc32(data)


def read(gen: Path, toc: int) -> dict[str, FileRecord] | None:
    """The file records (by path) of the index in `gen` at table of contents `toc`, or None when
    the file is missing, describes another commit or cannot be read."""
    path = gen / NAME
    try:
        raw = path.read_bytes()
        stamp = _stamp(raw)
        with _kept_lock:
            kept = _kept.get(path)
        if kept is not None and kept[0] == stamp and kept[1] == toc:
            return dict(kept[2])
        data = json.loads(raw)
        if data.get("version") != VERSION or data.get("toc") != toc:
            return None
        gc_was = gc.isenabled()
        gc.disable()  # tens of thousands of small objects and no cycles
        try:
            records = {r.path: r for r in map(FileRecord.from_row, data["files"])}
        finally:
            if gc_was:
                gc.enable()
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.info("ignoring the file list in %s: %s", gen, exc)
        return None
    _keep(path, stamp, toc, records)
    return dict(records)


def write(gen: Path, toc: int, records: Iterable[FileRecord]) -> None:
    """Replace the file list atomically; a failure only costs the next update a slower start."""
    ordered = sorted(records, key=lambda r: r.path)
    rows = [r.to_row() for r in ordered]
    text = json.dumps({"version": VERSION, "toc": toc, "files": rows}, ensure_ascii=False)
    path = gen / NAME
    raw = text.encode("utf-8")
    try:
        atomic_write(path, raw)
        _keep(path, _stamp(raw), toc, {r.path: r for r in ordered})
    except OSError as exc:
        log.info("could not write the file list in %s: %s", gen, exc)


def _keep(path: Path, stamp: _FileStamp, toc: int, records: dict[str, FileRecord]) -> None:
    with _kept_lock:
        _kept.clear()  # one library's records at a time
        _kept[path] = (stamp, toc, records)
