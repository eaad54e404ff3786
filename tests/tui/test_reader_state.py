"""Reading positions and bookmarks on disk: round trip, corrupt files, two readers at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.userfiles import DATA_ENV
from tui.reading_state import ReadingState, state_path


def test_data_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "d"))
    assert state_path() == tmp_path / "d" / "reading.json"


def test_positions_and_bookmarks_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "data" / "reading.json"
    state = ReadingState(path)
    state.set_position("abc", 12, "interleaved")
    assert state.toggle_bookmark("abc", 3, "  Some   row\ntext ")
    assert state.toggle_bookmark("abc", 9, "other")
    assert not state.toggle_bookmark("abc", 9)  # toggling again removes it
    state.save()
    again = ReadingState(path)
    assert again.position("abc") == 12
    assert again.mode("abc") == "interleaved"
    assert [(b.row, b.label) for b in again.bookmarks("abc")] == [(3, "Some row text")]
    assert again.position("unknown") is None
    assert not list(path.parent.glob(".reading-*"))  # no temporary file left behind


def test_a_corrupt_file_is_kept_aside_and_reading_starts_fresh(tmp_path: Path) -> None:
    path = tmp_path / "reading.json"
    path.write_text('{"version": 1, "documents": {"abc": {"row": 4', encoding="utf-8")
    state = ReadingState(path)
    assert state.position("abc") is None
    assert state.recovered == str(tmp_path / "reading.json.bak")
    assert (tmp_path / "reading.json.bak").read_text(encoding="utf-8").startswith('{"version"')
    state.set_position("abc", 2)
    state.save()
    assert json.loads(path.read_text(encoding="utf-8"))["documents"]["abc"]["row"] == 2


def test_bad_entries_are_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "reading.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "documents": {
                    "good": {"row": 5, "bookmarks": [{"row": 1, "label": "x"}, "junk"]},
                    "bad": "not an object",
                    "negative": {"row": -3, "bookmarks": [{"row": "two"}]},
                },
            }
        ),
        encoding="utf-8",
    )
    state = ReadingState(path)
    assert state.position("good") == 5
    assert [b.row for b in state.bookmarks("good")] == [1]
    assert state.position("bad") is None
    assert state.position("negative") == 0
    assert state.bookmarks("negative") == []
    assert state.recovered is None


def test_two_readers_do_not_erase_each_others_documents(tmp_path: Path) -> None:
    path = tmp_path / "reading.json"
    first, second = ReadingState(path), ReadingState(path)
    first.set_position("one", 1)
    first.save()
    second.set_position("two", 2)
    second.save()
    merged = ReadingState(path)
    assert merged.position("one") == 1 and merged.position("two") == 2
