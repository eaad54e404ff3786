"""The program's own files: where they live, and writes that never leave half a file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from corpus import userfiles
from corpus.userfiles import atomic_write


def test_dirs_follow_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("LLAMA_READER_LOG", str(tmp_path / "logs" / "x.log"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert userfiles.data_dir() == tmp_path / "data"
    assert userfiles.log_file() == tmp_path / "logs" / "x.log"
    if sys.platform == "linux":  # platformdirs reads the XDG variables there
        assert userfiles.cache_dir() == tmp_path / "cache" / "llama-reader"
    monkeypatch.delenv("LLAMA_READER_LOG")
    assert userfiles.log_file().name == "llama-reader.log"


def test_atomic_write_replaces_the_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    atomic_write(path, "first")
    atomic_write(path, "第二 second")
    assert path.read_text(encoding="utf-8") == "第二 second"
    atomic_write(path, b"\x00bytes")
    assert path.read_bytes() == b"\x00bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.json"
    path.write_text("old", encoding="utf-8")

    def no_rename(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(userfiles.os, "replace", no_rename)
    with pytest.raises(OSError, match="No space"):
        atomic_write(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]  # temp file removed
