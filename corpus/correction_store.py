"""Where hand corrections of alignment are kept: one JSON file in the user data dir.

The library is only read, so corrections live beside the reading positions
(`$LLAMA_READER_DATA/alignment.json`). Each document's list is kept under the hash of its text
as read (`corpus.corrections.rows_key`) and its path: the same text finds its corrections under
another name, and an edited file finds them by its path, each correction then finding its own
rows by their text. Saving merges into what is on disk, so two readers keep each other's lists.
A file that cannot be read counts as empty and is never overwritten by a load; the first save
then sets it aside as `alignment.json.bak` (as the reading state does) rather than write over it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.corrections import Corrected, Correction, apply_corrections, rows_key
from corpus.model import Document
from corpus.userfiles import atomic_write, data_dir

FILE_NAME = "alignment.json"
VERSION = 1


def store_path() -> Path:
    return data_dir() / FILE_NAME


@dataclass(frozen=True, slots=True)
class CorrectedDocument:
    """A document as read, its corrections and the document they make."""

    original: Document
    corrected: Corrected
    document: Document

    @property
    def corrections(self) -> tuple[Correction, ...]:
        return self.corrected.applied


def corrected_document(doc: Document, corrections: Sequence[Correction]) -> CorrectedDocument:
    """`doc` with `corrections` applied (`document` is `doc` itself when there are none)."""
    result = apply_corrections(doc.rows, corrections)
    document = doc
    if result.applied:
        document = replace(doc, rows=result.rows)
    return CorrectedDocument(doc, result, document)


class CorrectionStore:
    """The corrections of every document, read when first asked for."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else store_path()
        self._entries: list[dict[str, Any]] | None = None

    def _load(self) -> list[dict[str, Any]]:
        if self._entries is None:
            self._entries, _ = _read(self.path)
        return self._entries

    def corrections(self, doc: Document) -> tuple[Correction, ...]:
        """The corrections kept for `doc`: under its text's hash, else under its path."""
        entry = _entry(self._load(), rows_key(doc.rows), doc.path)
        return _corrections(entry) if entry is not None else ()

    def open(self, doc: Document) -> CorrectedDocument:
        return corrected_document(doc, self.corrections(doc))

    def save(self, doc: Document, corrections: Sequence[Correction]) -> None:
        """Keep `corrections` for `doc` (the document as read); none removes its entry.
        OSError when the file cannot be written."""
        key = rows_key(doc.rows)
        on_disk, foreign = _read(self.path)
        if foreign:  # damaged, or written by a newer version
            os.replace(self.path, self.path.with_name(self.path.name + ".bak"))
        entries = [e for e in on_disk if e.get("key") != key and e.get("path") != doc.path]
        if corrections:
            entries.append(
                {"key": key, "path": doc.path, "corrections": [_to_json(c) for c in corrections]}
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": VERSION, "documents": entries}, ensure_ascii=False, indent=1)
        atomic_write(self.path, text + "\n")
        self._entries = entries


def _read(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """The entries this version can read, and whether the file holds something it cannot
    (damaged, or written by a newer version): what a save must set aside, not write over."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], False
    except (OSError, ValueError):
        return [], True
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return [], True
    docs = data.get("documents")
    entries = [d for d in docs if isinstance(d, dict)] if isinstance(docs, list) else []
    return entries, bool(docs) and not entries


def _entry(entries: list[dict[str, Any]], key: str, path: str) -> dict[str, Any] | None:
    for entry in entries:
        if entry.get("key") == key:
            return entry
    for entry in entries:
        if entry.get("path") == path:
            return entry
    return None


def _to_json(c: Correction) -> dict[str, Any]:
    out: dict[str, Any] = {"op": c.op, "row": c.row, "anchor": c.anchor}
    if c.side is not None:
        out["side"] = c.side
    if c.op == "split":
        out["cut"] = list(c.cut)
    return out


def _corrections(entry: dict[str, Any]) -> tuple[Correction, ...]:
    out: list[Correction] = []
    items = entry.get("corrections")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        op, row, anchor = item.get("op"), item.get("row"), item.get("anchor")
        side, cut = item.get("side"), item.get("cut", [0, 0])
        if op not in ("merge", "split", "gap") or not isinstance(row, int) or row < 0:
            continue
        if not isinstance(anchor, str) or side not in (None, "en", "zh"):
            continue
        if (op == "split") != (side is None):
            continue
        if not (isinstance(cut, list) and len(cut) == 2 and all(isinstance(x, int) for x in cut)):
            continue
        out.append(Correction(op, row, anchor, side, (cut[0], cut[1])))
    return tuple(out)
