"""The stamps of the library files a committed index was built from, in one file beside it.

An update compares every file's size and modification time with what the index holds, and pairs
translations across the whole library from each file's `PairInfo`. Reading those 5,000 records
from Whoosh's stored fields took about 100 ms, a tenth of the time of re-indexing one file;
`files.json` holds the same records as rows of plain values and loads in about 10 ms.

Like the catalog it is stamped with the Whoosh table of contents it describes and written after
each commit; a missing, stale or damaged file is ignored and the records are read from the index
(`from_stored`), which stays the source of truth.
"""

from __future__ import annotations

import json
import logging
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


def read(gen: Path, toc: int) -> dict[str, FileRecord] | None:
    """The file records (by path) of the index in `gen` at table of contents `toc`, or None when
    the file is missing, describes another commit or cannot be read."""
    try:
        with open(gen / NAME, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("version") != VERSION or data.get("toc") != toc:
            return None
        records = [FileRecord.from_row(row) for row in data["files"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.info("ignoring the file list in %s: %s", gen, exc)
        return None
    return {r.path: r for r in records}


def write(gen: Path, toc: int, records: Iterable[FileRecord]) -> None:
    """Replace the file list atomically; a failure only costs the next update a slower start."""
    rows = [r.to_row() for r in sorted(records, key=lambda r: r.path)]
    text = json.dumps({"version": VERSION, "toc": toc, "files": rows}, ensure_ascii=False)
    try:
        atomic_write(gen / NAME, text)
    except OSError as exc:
        log.info("could not write the file list in %s: %s", gen, exc)
