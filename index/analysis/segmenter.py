"""Chinese word segmentation: rjieba when present (same dictionary as jieba, ~20x faster and it
releases the GIL), jieba otherwise, both loaded only on first use.

The segmenter's name and version are part of the analyser version stored in the index, so switching
or upgrading it (which can change segmentation, PITFALLS 3) rebuilds the index. Only runs of Chinese
characters are handed to the segmenter, so the two libraries' different handling of ASCII runs never
reaches the index.

jieba, when it is used, keeps its dictionary cache in the user's own cache directory (not the shared
temp dir, where another user's marshal file could be loaded) and never writes to stderr, where a
Textual app draws its screen.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

# (word, start, end) in characters, search mode: sub-words of long words are included.
Tokenize = Callable[[str], list[tuple[str, int, int]]]

_lock = threading.Lock()
_tokenize: Tokenize | None = None
_name: str | None = None


def cache_dir() -> Path:
    """The per-user directory for jieba's dictionary cache (created on demand, mode 0700)."""
    from corpus.userfiles import cache_dir as user_cache_dir

    path = user_cache_dir() / "jieba"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def configure_jieba() -> None:
    """Make jieba quiet and point its cache at the user's cache dir. Idempotent; call before any
    jieba segmentation (including the stock analyser the benchmark compares against)."""
    # jieba attaches a DEBUG StreamHandler(sys.stderr) at import; silence it before it speaks.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_dir())
    jieba.dt.cache_file = None


def _load() -> tuple[Tokenize, str]:
    try:
        import rjieba

        version = metadata.version("rjieba")

        def tokenize_r(text: str) -> list[tuple[str, int, int]]:
            return rjieba.tokenize(text, "search")

        return tokenize_r, f"rjieba-{version}"
    except ImportError:
        pass
    configure_jieba()
    import jieba

    jieba.dt.check_initialized()
    version = metadata.version("jieba")

    def tokenize_j(text: str) -> list[tuple[str, int, int]]:
        return list(jieba.tokenize(text, mode="search"))

    return tokenize_j, f"jieba-{version}"


def _ensure() -> tuple[Tokenize, str]:
    global _tokenize, _name
    if _tokenize is None or _name is None:
        with _lock:
            if _tokenize is None or _name is None:
                _tokenize, _name = _load()
    return _tokenize, _name


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Search-mode segmentation of a run of Chinese characters: (word, start, end)."""
    return _ensure()[0](text)


def segmenter_id() -> str:
    """Which segmenter (and version) will be used; part of the index's analyser version.

    Answered from package metadata, without importing (or initialising) either library."""
    if _name is not None:
        return _name
    if importlib.util.find_spec("rjieba") is not None:
        return f"rjieba-{metadata.version('rjieba')}"
    return f"jieba-{metadata.version('jieba')}"
