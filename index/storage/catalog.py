"""The document list of a committed index, in one small file beside it.

Listing the library should not need Whoosh: opening the index maps every segment file, and reading
5,000 stored document records takes most of a second. Each commit leaves `catalog.jsonl` in its
generation folder, stamped with the Whoosh table-of-contents generation it describes; a catalog
whose stamp is not the latest table of contents (a crash between the commit and the catalog, an
older version's file) is ignored and rebuilt from the index.

One JSON line of header, then one line per document, newest first: the app's first frame reads the
first screenful of lines (`peek`) before anything else of the index is loaded.
"""

from __future__ import annotations

import bisect
import json
import logging
import os
import re
from collections.abc import Iterable, Set
from itertools import islice
from pathlib import Path

from corpus.userfiles import atomic_write
from index.types import DocInfo, newest_first

VERSION = 3
NAME = "catalog.jsonl"
_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")

log = logging.getLogger("llama_reader.index")


def toc_generation(gen: Path) -> int | None:
    """The newest Whoosh table of contents in this generation folder."""
    try:
        found = [int(m.group(1)) for name in os.listdir(gen) if (m := _TOC.match(name))]
    except OSError:
        return None
    return max(found) if found else None


def read_listing(
    gen: Path, toc: int | None = None, limit: int | None = None
) -> tuple[list[DocInfo], int] | None:
    """The first `limit` documents (newest first; default all) of the catalog of the index in
    `gen` at table of contents `toc` (default: the newest), and how many it lists in all; None
    when there is no such catalog."""
    if toc is None:
        toc = toc_generation(gen)
        if toc is None:
            return None
    try:
        with open(gen / NAME, encoding="utf-8") as fh:
            header = json.loads(fh.readline())
            if (
                header.get("version") != VERSION
                or header.get("toc") != toc
                or header.get("fields") != list(DocInfo.FIELDS)
            ):
                return None
            total = int(header["total"])
            if limit is None:
                documents = _parsed(gen, fh)
            else:
                documents = [DocInfo.from_row(json.loads(line)) for line in islice(fh, limit)]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.info("ignoring the index catalog in %s: %s", gen, exc)
        return None
    if len(documents) != (total if limit is None else min(limit, total)):
        log.info("ignoring the index catalog in %s: it was cut short", gen)
        return None
    return documents, total


# The folder and lines of the last catalog read whole, parsed: each commit rewrites the
# catalog, but a running app reads it again after every commit, and most lines are unchanged
# (20,000 documents: 100 ms to parse, 10 ms to look up). One at a time: the app reads one
# library.
_last: tuple[Path, dict[str, DocInfo]] | None = None


def _parsed(gen: Path, lines: Iterable[str]) -> list[DocInfo]:
    global _last
    last = _last
    before = last[1] if last is not None and last[0] == gen else {}
    now: dict[str, DocInfo] = {}
    out = []
    for line in lines:
        info = before.get(line)
        if info is None:
            info = DocInfo.from_row(json.loads(line))
        now[line] = info
        out.append(info)
    _last = (gen, now)
    return out


def read(gen: Path, toc: int | None = None) -> list[DocInfo] | None:
    """Every document of the catalog (see `read_listing`), or None."""
    found = read_listing(gen, toc)
    return found[0] if found else None


def peek(
    library: Path, index_dir: Path | None = None, limit: int | None = None
) -> tuple[list[DocInfo], int] | None:
    """The newest `limit` documents of this library's current index and the number in all, as
    cheaply as possible (no Whoosh, no segmenter): for a first frame. The index may still need
    an update or a rebuild; whoever opens it will find out."""
    from index.storage.store import Store, index_home

    gen = Store(index_home(library, index_dir)).current()
    return read_listing(gen, limit=limit) if gen is not None else None


def write(gen: Path, toc: int, documents: Iterable[DocInfo]) -> None:
    """Replace the catalog atomically; a failure only costs the next reader a slower start."""
    _write_lines(gen, toc, [_line(d) for d in newest_first(documents)])


def update(gen: Path, old_toc: int, toc: int, dropped: Set[str], added: Iterable[DocInfo]) -> bool:
    """Turn the catalog of commit `old_toc` into that of commit `toc`: without the documents
    whose ids are in `dropped`, with those `added`, in the same order as `write` gives. The lines
    of the other documents are copied, not parsed, which makes re-indexing one file of a 5,000
    document library some 70 ms faster. False, with nothing written, when there is no intact
    catalog of `old_toc`."""
    try:
        lines = (gen / NAME).read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0])
        intact = (
            header.get("version") == VERSION
            and header.get("toc") == old_toc
            and header.get("fields") == list(DocInfo.FIELDS)
            and header.get("total") == len(lines) - 1
        )
    except (OSError, ValueError, IndexError, AttributeError):
        return False
    if not intact:
        return False
    body = [line for line in lines[1:] if _line_id(line) not in dropped]
    try:
        for doc in added:
            bisect.insort(body, _line(doc), key=_line_order)
    except (ValueError, TypeError):  # a line that is not a document entry after all
        return False
    _write_lines(gen, toc, body)
    return True


def _line(doc: DocInfo) -> str:
    return json.dumps(doc.to_row(), ensure_ascii=False)


def _line_id(line: str) -> str:
    """The document id a catalog line starts with (ids are hex: no escapes)."""
    return line[2 : line.find('"', 2)]


def _line_order(line: str) -> tuple[int, tuple[int, ...], str, str]:
    """A key that sorts catalog lines as `newest_first` sorts their documents: dated ones by date,
    newest first, then undated ones; ties by title, then path."""
    row = json.loads(line)
    path, title, date = row[1], row[2], row[4]
    if date:
        # Descending dates as an ascending key; the 1 puts "2023" after "2023-07".
        return (0, (*(-ord(c) for c in date), 1), title.casefold(), path)
    return (1, (), title.casefold(), path)


def _write_lines(gen: Path, toc: int, body: list[str]) -> None:
    header = {"version": VERSION, "toc": toc, "fields": DocInfo.FIELDS, "total": len(body)}
    lines = [json.dumps(header), *body]
    try:
        atomic_write(gen / NAME, "\n".join(lines) + "\n")
    except OSError as exc:
        log.info("could not write the index catalog in %s: %s", gen, exc)
