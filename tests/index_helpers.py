"""Small libraries in temp folders for the index tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.shared_files import LAYOUTS


def layouts_library(dest: Path) -> Path:
    """A copy of the five fixture documents in tests/fixtures/layouts (English, Chinese and
    bilingual clippings, a chapter): a copy, so tests may add or change files beside them."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in LAYOUTS.iterdir():
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
