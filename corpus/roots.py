"""Where a library's relative paths start: kept apart from the loader so that code which only
needs the root (the index listing its documents at startup) does not import the parser."""

from __future__ import annotations

from pathlib import Path


def library_root(path: Path) -> Path:
    """The folder relative paths are taken from (a single file's own folder)."""
    return path.parent if path.is_file() else path
