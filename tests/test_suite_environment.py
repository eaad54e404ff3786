"""The environment tests/conftest.py gives the suite: nothing the user's shell sets reaches the
tests, and every user dir the app reads or writes lies in the suite's temp dir."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import textual.constants

from corpus.library import config_file
from corpus.userfiles import data_dir, log_file
from index.analysis.segmenter import cache_dir
from index.storage.store import index_home
from tests.shared_files import SAMPLE_LIBRARY
from tui.list_cache import cache_path

USER_SETTINGS = (
    "NO_COLOR", "FORCE_COLOR", "COLORTERM", "COLUMNS", "LINES", "LLAMA_READER_LIBRARY",
    "LLAMA_READER_INDEX", "LLAMA_READER_THEME", "LLAMA_READER_LOG", "LLAMA_READER_DATA",
    "TEXTUAL_THEME", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_ANIMATIONS",
)  # fmt: skip


def test_the_users_settings_do_not_reach_the_tests() -> None:
    assert [name for name in USER_SETTINGS if name in os.environ] == []
    assert os.environ["TERM"] == "xterm-256color"
    # Textual read its settings when the snapshot plugin imported it, before conftest ran.
    assert textual.constants.COLOR_SYSTEM == "auto"
    assert textual.constants.DEFAULT_THEME == "textual-dark"


def test_the_apps_user_dirs_are_in_a_temp_dir() -> None:
    home = Path(os.environ["XDG_CONFIG_HOME"]).parent
    assert Path(tempfile.gettempdir()).resolve() in home.resolve().parents
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        assert Path(os.environ[name]).parent == home
    paths = {
        "config": config_file(),
        "settings and reading positions": data_dir(),
        "log": log_file(),
        "list cache": cache_path(SAMPLE_LIBRARY, None),
        "index": index_home(SAMPLE_LIBRARY),
        "dictionary cache": cache_dir(),
    }
    for what, path in paths.items():
        assert home in path.parents, (what, path)
