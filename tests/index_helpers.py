"""Small libraries in temp folders for the index tests."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

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


class HeldModel:
    """The language model unloaded for a test: its next load waits until `release` is set
    (`wanted` says a load is waiting), then hands back the model loaded beforehand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import corpus.langid as langid
        import corpus.langid_model as langid_model

        self.release = threading.Event()
        self.wanted = threading.Event()
        model = langid._identifier()

        def load(*args: object, **kwargs: object) -> object:
            self.wanted.set()
            assert self.release.wait(30), "the language model was never released"
            return model

        monkeypatch.setattr(langid, "_model", None)
        monkeypatch.setattr(langid_model, "load", load)
