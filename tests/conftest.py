"""Shared fixtures, and an environment of the suite's own.

The tests run in the environment they were written for, whatever the user's shell sets: the
app's own variables (`LLAMA_READER_*`), colour and terminal settings (`NO_COLOR`, `FORCE_COLOR`,
`TERM`, `COLUMNS`, ...) and Textual's (`TEXTUAL_*`) are cleared, and the XDG user dirs point
into a temp dir, so no test reads the user's config or library nor writes into their data,
state or cache dirs. This happens when pytest loads this file, before any test module imports
the app; Textual's constants, read when the snapshot plugin first imported Textual, are read
again from the cleaned environment.

The real documents in ../shared are used only by the tests about them, which skip when it is
missing; `LLAMA_READER_TEST_SHARED=DIR` reads them from elsewhere, and
`LLAMA_READER_TEST_SHARED=/nonexistent` runs the suite as on a clean clone (see
tests/shared_files.py).
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.shared_files import LAYOUTS, REALWORLD, SEEDS, SHARED_ENV

# Read by the app, Rich or Textual; removed whatever their value.
_CLEARED = ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLORTERM")
_CLEARED += ("COLUMNS", "LINES", "ESCDELAY")
_CLEARED_PREFIXES = ("LLAMA_READER_", "TEXTUAL_", "XDG_")
# Ours, or set by the snapshot plugin for its xdist workers.
_KEPT = {SHARED_ENV, "TEXTUAL_SNAPSHOT_TEMPDIR"}
_XDG_HOMES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")

_saved_environ: dict[str, str] | None = None
_home: Path | None = None


def _own_environment(home: Path) -> None:
    for name in list(os.environ):
        if name in _KEPT:
            continue
        if name in _CLEARED or name.startswith(_CLEARED_PREFIXES):
            del os.environ[name]
    os.environ["TERM"] = "xterm-256color"
    for name in _XDG_HOMES:
        path = home / name.removeprefix("XDG_").removesuffix("_HOME").lower()
        path.mkdir()
        os.environ[name] = str(path)


def pytest_configure(config: pytest.Config) -> None:
    global _saved_environ, _home
    _saved_environ = dict(os.environ)
    _home = Path(tempfile.mkdtemp(prefix="llama-reader-tests-"))
    _own_environment(_home)
    import textual.constants  # read when Textual was first imported

    importlib.reload(textual.constants)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _saved_environ is not None:
        os.environ.clear()
        os.environ.update(_saved_environ)
    if _home is not None:
        shutil.rmtree(_home, ignore_errors=True)


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"../shared/seeds is not present ({SEEDS})")
    return SEEDS


@pytest.fixture
def realworld_dir() -> Path:
    if not REALWORLD.is_dir():
        pytest.skip(f"../shared/realworld is not present ({REALWORLD})")
    return REALWORLD


def _loader(root: Path) -> Callable[[str], object]:
    from corpus.loader import load_document
    from corpus.model import Document

    def load(prefix: str) -> Document:
        path = next(root.glob(f"{prefix}*"))
        doc = load_document(path, root)
        assert isinstance(doc, Document), doc
        return doc

    return load


@pytest.fixture
def seed(seeds_dir: Path):  # type: ignore[no-untyped-def]
    """Load one seed by its number prefix: seed("000")."""
    return _loader(seeds_dir)


@pytest.fixture
def layout():  # type: ignore[no-untyped-def]
    """Load a document of tests/fixtures/layouts by the start of its name: layout("translated")."""
    return _loader(LAYOUTS)
