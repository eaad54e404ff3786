"""Which library to open, and reading all of it.

The library folder is only ever read. Its location comes from the command line, then
$LLAMA_READER_LIBRARY, then `library = "…"` in the user's config file, then the bundled sample.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path

from corpus.errors import LibraryError
from corpus.loader import load_document
from corpus.model import Document, Skipped
from corpus.pairs import group_documents
from corpus.roots import library_root
from corpus.userfiles import config_dir
from corpus.walk import iter_library

ENV_LIBRARY = "LLAMA_READER_LIBRARY"
SAMPLE_LIBRARY = Path(__file__).resolve().parent / "sample_library"


def config_file() -> Path:
    return config_dir() / "config.toml"


def resolve_library(arg: str | None) -> Path:
    """The library the user asked for, checked to exist."""
    source = "command line"
    chosen = arg
    if not chosen and os.environ.get(ENV_LIBRARY):
        chosen, source = os.environ[ENV_LIBRARY], f"${ENV_LIBRARY}"
    if not chosen:
        chosen = _configured_library()
        source = str(config_file())
    if not chosen:
        return SAMPLE_LIBRARY
    path = Path(chosen).expanduser()
    if not path.exists():
        raise LibraryError(f"library not found: {path} (from {source})")
    return path.resolve()


def configured(key: str) -> object:
    """A setting of the user's config file (None when unset or there is no file)."""
    path = config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LibraryError(f"cannot read the config file {path}: {exc}") from exc
    return data.get(key)


def _configured_library() -> str | None:
    path = config_file()
    value = configured("library")
    if value is not None and not isinstance(value, str):
        raise LibraryError(f"{path}: `library` must be a string path")
    return value


def load_library(
    path: Path, on_skip: Callable[[Skipped], None] | None = None
) -> tuple[list[Document], list[Skipped]]:
    """Every readable document of the library, and every file that could not be read."""
    root = library_root(path)
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for item in iter_library(path):
        result = item if isinstance(item, Skipped) else load_document(item, root)
        if isinstance(result, Skipped):
            skipped.append(result)
            if on_skip:
                on_skip(result)
        else:
            documents.append(result)
    return group_documents(documents), skipped
