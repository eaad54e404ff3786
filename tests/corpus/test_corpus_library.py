"""Walking a library folder, resolving which library to open, and the real-world files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus.errors import LibraryError
from corpus.library import SAMPLE_LIBRARY, load_library, resolve_library
from corpus.model import Skipped
from corpus.walk import iter_library


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_walk_recurses_skips_and_reports(tmp_path: Path) -> None:
    _write(tmp_path / "a.md", "# A\n\nalpha\n")
    _write(tmp_path / "sub" / "deeper" / "b.markdown", "# B\n\nbeta\n")
    _write(tmp_path / "c.txt", "Gamma\n")
    _write(tmp_path / "ignored.pdf", "not a candidate")
    _write(tmp_path / ".git" / "x.md", "# hidden\n")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing.md")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    docs, skipped = load_library(tmp_path)
    assert sorted(d.path for d in docs) == ["a.md", "c.txt", "sub/deeper/b.markdown"]
    reasons = {s.path: s.reason for s in skipped}
    assert "broken symlink" in reasons["dangling.md"]
    assert "binary" in reasons["binary.md"]
    assert "symlink loop" in reasons["sub/loop"]


def test_unreadable_file_is_reported_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "ok.md", "# OK\n")
    locked = _write(tmp_path / "locked.md", "# Locked\n")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    docs, skipped = load_library(tmp_path)
    assert [d.title for d in docs] == ["OK"]
    assert skipped == [Skipped("locked.md", "permission denied")]


def test_a_single_file_is_a_library(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.md", "# One\n")
    assert list(iter_library(path)) == [path]
    docs, _ = load_library(path)
    assert [d.path for d in docs] == ["one.md"]


def test_library_is_never_written(tmp_path: Path) -> None:
    _write(tmp_path / "a.md", "---\ntitle: x\nviews:'1'\n---\n\nbody\n")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.rglob("*")}
    load_library(tmp_path)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.rglob("*")}
    assert before == after


def test_resolve_library_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("LLAMA_READER_LIBRARY", raising=False)
    assert resolve_library(None) == SAMPLE_LIBRARY
    configured = tmp_path / "configured"
    configured.mkdir()
    _write(tmp_path / "config" / "llama-reader" / "config.toml", f'library = "{configured}"\n')
    assert resolve_library(None) == configured.resolve()
    env = tmp_path / "env"
    env.mkdir()
    monkeypatch.setenv("LLAMA_READER_LIBRARY", str(env))
    assert resolve_library(None) == env.resolve()
    assert resolve_library(str(tmp_path)) == tmp_path.resolve()
    with pytest.raises(LibraryError, match="library not found"):
        resolve_library(str(tmp_path / "nope"))


def test_bad_config_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("LLAMA_READER_LIBRARY", raising=False)
    _write(tmp_path / "llama-reader" / "config.toml", "library = [\n")
    with pytest.raises(LibraryError, match="config file"):
        resolve_library(None)


def test_every_realworld_file_loads(realworld_dir: Path) -> None:
    docs, skipped = load_library(realworld_dir)
    assert skipped == []
    by_path = {f: d for d in docs for f in d.files}
    assert by_path["youzan-vant/README.md"].title == "Vant"
    assert by_path["go-kratos/README.md"].title == "Kratos"
    rust = by_path["rustwiki/2021-05-06-Rust-1.52.0.md"]
    assert rust.date == "2021-05-06T18:00:30+08:00"
    assert set(rust.tags) >= {"Rust", "版本发布"}
    assert rust.author == "Rust 发布小组"
    hexo = by_path["jinan6-blog/next主题添加自定义友链.md"]
    assert hexo.warnings and set(hexo.tags) >= {"hexo", "Hexo", "Next"} - {"Hexo"}
    assert hexo.date == "2020-05-28T09:52:21"
    guide = by_path["angular-cn/observables-in-angular.md"]
    assert guide.lang == "bilingual"
    assert sum(r.is_pair for r in guide.rows) >= 20
    for doc in docs:
        assert doc.title.strip()
        for row in doc.rows:
            for block in row.blocks:
                assert not any(ord(c) < 32 and c not in "\n\t" for c in block.text)


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_sample_library_is_bundled_and_reads_cleanly() -> None:
    docs, skipped = load_library(SAMPLE_LIBRARY)
    assert skipped == []
    assert 8 <= len(docs) <= 12
    langs = {d.lang for d in docs}
    assert langs == {"en", "zh", "bilingual"}
    assert max(len(d.rows) for d in docs) >= 300
    assert all(not d.warnings for d in docs), [(d.path, d.warnings) for d in docs if d.warnings]
