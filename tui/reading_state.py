"""Where the reader was in each document, and its bookmarks, kept across launches.

One small JSON file in the user data dir (`$LLAMA_READER_DATA` overrides the dir, for tests).
Writes go to a temporary file that replaces the old one, so a crash never leaves half a file;
a file that cannot be read is kept as `.bak` and reading starts fresh rather than failing. Saving
merges into what is on disk, so two running readers do not erase each other's documents.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corpus.userfiles import atomic_write, data_dir

FILE_NAME = "reading.json"
VERSION = 1
LABEL_CHARS = 80


def state_path() -> Path:
    return data_dir() / FILE_NAME


@dataclass(frozen=True, slots=True)
class Bookmark:
    row: int
    label: str  # the start of the row's text when it was marked, to recognise it in a list
    created: str = ""


@dataclass(slots=True)
class DocState:
    row: int = 0
    mode: str | None = None
    bookmarks: dict[int, Bookmark] = field(default_factory=dict)
    updated: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "updated": self.updated}
        if self.mode:
            out["mode"] = self.mode
        out["bookmarks"] = [
            {"row": b.row, "label": b.label, "created": b.created}
            for b in sorted(self.bookmarks.values(), key=lambda b: b.row)
        ]
        return out

    @staticmethod
    def from_json(data: object) -> DocState | None:
        if not isinstance(data, dict):
            return None
        row = data.get("row", 0)
        state = DocState(row=row if isinstance(row, int) and row >= 0 else 0)
        mode = data.get("mode")
        state.mode = mode if isinstance(mode, str) else None
        updated = data.get("updated")
        state.updated = updated if isinstance(updated, str) else ""
        marks = data.get("bookmarks")
        for mark in marks if isinstance(marks, list) else []:
            if not isinstance(mark, dict):
                continue
            mrow, label = mark.get("row"), mark.get("label", "")
            if isinstance(mrow, int) and mrow >= 0:
                created = mark.get("created", "")
                state.bookmarks[mrow] = Bookmark(
                    mrow, str(label)[:LABEL_CHARS], created if isinstance(created, str) else ""
                )
        return state


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReadingState:
    """Positions and bookmarks of every document, by document id."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else state_path()
        self._docs: dict[str, DocState] = {}
        self._dirty: set[str] = set()
        self.recovered: str | None = None  # set when a damaged file was moved aside
        self._docs = self._read()

    def _read(self) -> dict[str, DocState]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError:
            return {}
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
                raise ValueError("not a reading-state file")
        except (ValueError, UnicodeDecodeError):
            self._set_aside()
            return {}
        docs: dict[str, DocState] = {}
        for doc_id, entry in data["documents"].items():
            state = DocState.from_json(entry)
            if state is not None:
                docs[str(doc_id)] = state
        return docs

    def _set_aside(self) -> None:
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            os.replace(self.path, backup)
            self.recovered = str(backup)
        except OSError:
            self.recovered = None

    # Reading

    def position(self, doc_id: str) -> int | None:
        state = self._docs.get(doc_id)
        return state.row if state is not None else None

    def mode(self, doc_id: str) -> str | None:
        state = self._docs.get(doc_id)
        return state.mode if state is not None else None

    def bookmarks(self, doc_id: str) -> list[Bookmark]:
        state = self._docs.get(doc_id)
        if state is None:
            return []
        return sorted(state.bookmarks.values(), key=lambda b: b.row)

    def all_bookmarks(self) -> list[tuple[str, Bookmark]]:
        """Every document's bookmarks, as (document id, bookmark), by document then row."""
        return [(doc_id, mark) for doc_id in self._docs for mark in self.bookmarks(doc_id)]

    def is_bookmarked(self, doc_id: str, row: int) -> bool:
        state = self._docs.get(doc_id)
        return state is not None and row in state.bookmarks

    # Changing

    def _doc(self, doc_id: str) -> DocState:
        self._dirty.add(doc_id)
        state = self._docs.setdefault(doc_id, DocState())
        state.updated = _now()
        return state

    def set_position(self, doc_id: str, row: int, mode: str | None = None) -> None:
        state = self._docs.get(doc_id)
        if state is not None and state.row == row and (mode is None or state.mode == mode):
            return
        state = self._doc(doc_id)
        state.row = max(0, row)
        if mode is not None:
            state.mode = mode

    def toggle_bookmark(self, doc_id: str, row: int, label: str = "") -> bool:
        """Add a bookmark at `row`, or remove the one there; True when one was added."""
        state = self._doc(doc_id)
        if row in state.bookmarks:
            del state.bookmarks[row]
            return False
        label = " ".join(label.split())[:LABEL_CHARS]
        state.bookmarks[row] = Bookmark(row, label, _now())
        return True

    def move_bookmarks(self, doc_id: str, moved: Callable[[int], int | None]) -> None:
        """Bookmarks follow their rows when the document's rows change (an alignment
        correction merges, splits or moves rows); one whose row is gone is dropped."""
        state = self._docs.get(doc_id)
        if state is None or not state.bookmarks:
            return
        kept: dict[int, Bookmark] = {}
        for mark in sorted(state.bookmarks.values(), key=lambda b: b.row):
            row = moved(mark.row)
            if row is not None and row not in kept:
                kept[row] = Bookmark(row, mark.label, mark.created)
        if kept != state.bookmarks:
            state.bookmarks = kept
            self._dirty.add(doc_id)

    # Writing

    def save(self) -> None:
        """Write the documents changed here into the file, atomically. Raises OSError."""
        if not self._dirty:
            return
        on_disk = ReadingState.__new__(ReadingState)
        on_disk.path = self.path
        on_disk.recovered = None
        merged = on_disk._read()
        if on_disk.recovered:
            self.recovered = on_disk.recovered
        for doc_id in self._dirty:
            if doc_id in self._docs:
                merged[doc_id] = self._docs[doc_id]
        payload = {
            "version": VERSION,
            "documents": {k: v.to_json() for k, v in sorted(merged.items())},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(payload, ensure_ascii=False, indent=1))
        for doc_id, state in merged.items():
            self._docs.setdefault(doc_id, state)
        self._dirty.clear()
