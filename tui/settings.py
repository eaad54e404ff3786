"""The app's own settings (the theme chosen last, the side study mode hides), one small JSON file
in the user data dir.

A file that cannot be read counts as no settings; one that cannot be written is logged and
forgotten: a read-only home must not stop the app.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Literal

from corpus.userfiles import atomic_write, data_dir

FILE_NAME = "ui.json"
# The side the reader's study mode hides: "zh" (the default: the library's translations are mostly
# Chinese, so an English reader checks them) or "en" (for a reader of the Chinese).
STUDY_HIDE = "study_hide"
STUDY_HIDE_DEFAULT: Literal["en", "zh"] = "zh"

log = logging.getLogger("llama_reader.app")


def default_path() -> Path:
    return data_dir() / FILE_NAME


class Settings:
    """Settings kept in `path`; None keeps nothing (tests, benchmarks)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def load(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def save(self, changes: dict[str, Any]) -> None:
        """Merge `changes` into the file."""
        if self.path is None:
            return
        settings = {**self.load(), **changes}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(settings, indent=2))
        except OSError as exc:
            log.warning("could not save settings: %s", exc)


def study_hidden_side(values: dict[str, Any]) -> Literal["en", "zh"]:
    """The side study mode hides, from the settings' `study_hide` (anything else: the default)."""
    value = values.get(STUDY_HIDE)
    return value if value in ("en", "zh") else STUDY_HIDE_DEFAULT
