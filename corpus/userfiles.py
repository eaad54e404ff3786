"""Where llama-reader keeps its own files, and how it writes them.

The user's library is only ever read; everything the program keeps (config, reading positions,
settings, the log, caches) lives in the platform's user dirs (platformdirs), or where an environment
variable says. One place for those names, so the app, the index and the command line agree. Writes
go through `atomic_write`: a crash or a full disk leaves the old file, never half of a new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

APP_NAME = "llama-reader"
DATA_ENV = "LLAMA_READER_DATA"  # reading positions and settings (tests point it at a temp dir)
LOG_ENV = "LLAMA_READER_LOG"  # the log file itself


def config_dir() -> Path:
    """The user config dir (`config.toml` names the library)."""
    from platformdirs import user_config_path  # imported on use: not needed for a first frame

    return user_config_path(APP_NAME)


def data_dir() -> Path:
    """Reading positions, bookmarks and settings: `$LLAMA_READER_DATA`, else the user data dir."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


def state_dir() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME))


def log_file() -> Path:
    """Where the app's log goes: `$LLAMA_READER_LOG`, else `<user state dir>/llama-reader.log`."""
    override = os.environ.get(LOG_ENV)
    if override:
        return Path(override).expanduser()
    return state_dir() / f"{APP_NAME}.log"


def cache_dir() -> Path:
    """The user cache dir: the search index, jieba's dictionary cache, the last library list.

    Without an app-author folder (on Windows platformdirs would otherwise nest the name twice), as
    the index has always been kept."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def atomic_write(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Replace `path` with `data` in one step: written to a temporary file beside it, flushed to
    disk, then renamed over it. On any error the temporary file is removed and the error raised
    (OSError for the disk); the folder must exist. The temporary file is `.<stem>-….tmp`, private
    to the user (mode 0600)."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
