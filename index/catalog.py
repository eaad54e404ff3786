"""The document list of a committed index, in one small file beside it.

Listing the library should not need Whoosh: opening the index maps every segment file, and reading
5,000 stored document records takes most of a second. Each commit leaves `catalog.json` in its
generation folder, stamped with the Whoosh table-of-contents generation it describes; a catalog
whose stamp is not the latest table of contents (a crash between the commit and the catalog, an
older version's file) is ignored and rebuilt from the index.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

from index.types import DocInfo

VERSION = 2
NAME = "catalog.json"
_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")

log = logging.getLogger("llama_reader.index")


def toc_generation(gen: Path) -> int | None:
    """The newest Whoosh table of contents in this generation folder."""
    try:
        found = [int(m.group(1)) for name in os.listdir(gen) if (m := _TOC.match(name))]
    except OSError:
        return None
    return max(found) if found else None


def read(gen: Path, toc: int | None = None) -> list[DocInfo] | None:
    """The catalog of the index in `gen` at table of contents `toc` (default: the newest), or
    None when there is no such catalog."""
    if toc is None:
        toc = toc_generation(gen)
        if toc is None:
            return None
    try:
        data = json.loads((gen / NAME).read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data.get("toc") != toc:
            return None
        return [DocInfo.from_row(row) for row in data["documents"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.info("ignoring the index catalog in %s: %s", gen, exc)
        return None


def write(gen: Path, toc: int, documents: Iterable[DocInfo]) -> None:
    """Replace the catalog atomically; a failure only costs the next reader a slower start."""
    data = {"version": VERSION, "toc": toc, "documents": [d.to_row() for d in documents]}
    tmp = gen / f"{NAME}.{os.getpid()}.tmp"
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, gen / NAME)
    except OSError as exc:
        log.info("could not write the index catalog in %s: %s", gen, exc)
        with contextlib.suppress(OSError):
            tmp.unlink()
