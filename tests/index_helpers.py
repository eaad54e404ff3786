"""Small libraries in temp folders for the index tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.shared_files import SEEDS


def seed_library(dest: Path) -> Path:
    """A copy of the five seeds (the real documents must never be written to)."""
    import pytest

    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    dest.mkdir(parents=True, exist_ok=True)
    for path in SEEDS.iterdir():
        shutil.copy2(path, dest / path.name)
    return dest


def write(path: Path, text: str, *, bump: int = 0) -> Path:
    """Write a file; `bump` moves its mtime forward so a same-second rewrite is still seen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if bump:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))
    return path
