"""Where an index lives on disk, and how it is swapped, locked and cleaned.

Layout of one library's index home (a per-user cache dir unless --index / $LLAMA_READER_INDEX say
otherwise, one subdirectory per library path)::

    CURRENT           name of the generation readers use (replaced atomically)
    writer.lock       held (flock) by the one process updating the index
    gen-000003/       a Whoosh index + meta.json (schema and analyser versions)
                      + catalog.jsonl (the document list, see index.storage.catalog)
        readers.lock  held shared by every process reading this generation
    build-…/          a full rebuild in progress (removed if found stale)

A full rebuild is written into a build directory and published by renaming it and rewriting
CURRENT, so a killed rebuild leaves the previous generation untouched. A first build (no usable
generation to keep) is instead written straight into a new generation folder that CURRENT names
from its first commit on, so search works while it goes on; its meta.json says it is partial
until its last commit. Incremental updates commit
into the current generation through Whoosh's own transaction (new segment files, then an atomic
table-of-contents rename), so a killed update leaves the last commit readable. An old generation is
deleted only when no reader holds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus.userfiles import atomic_write, cache_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no cross-process locking
    fcntl = None  # type: ignore[assignment]

ENV_INDEX = "LLAMA_READER_INDEX"
_GEN = re.compile(r"^gen-(\d{6})$")


def index_home(library: Path, index_dir: Path | None = None) -> Path:
    """This library's index directory: <base>/<folder name>-<hash of the resolved path>."""
    if index_dir is not None:
        base = Path(index_dir).expanduser()
    elif os.environ.get(ENV_INDEX):
        base = Path(os.environ[ENV_INDEX]).expanduser()
    else:
        base = cache_dir() / "index"
    resolved = Path(library).expanduser().resolve()
    digest = hashlib.sha1(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = re.sub(r"[^\w.-]+", "_", resolved.name)[:40] or "library"
    return base / f"{name}-{digest}"


class LockTimeout(Exception):
    """Another process holds the lock."""


class FileLock:
    """An flock on a file: released by the kernel if the holder dies, so never stale."""

    def __init__(self, path: Path, *, shared: bool = False) -> None:
        self.path = path
        self.shared = shared
        self._fd: int | None = None

    def acquire(self, timeout: float = 0.0) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is None:
            self._fd = fd
            return
        mode = (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, mode)
                self._fd = fd
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(str(self.path)) from None
                time.sleep(0.05)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


class Store:
    def __init__(self, home: Path) -> None:
        self.home = home

    # generations -------------------------------------------------------------------------------

    def current(self) -> Path | None:
        try:
            raw = (self.home / "CURRENT").read_bytes()
        except OSError:
            return None
        name = raw.decode("ascii", "replace").strip()  # anything else is not a generation name
        if not _GEN.match(name):
            return None
        return self.home / name

    def generations(self) -> list[Path]:
        try:
            return sorted(p for p in self.home.iterdir() if _GEN.match(p.name))
        except FileNotFoundError:
            return []

    def new_build_dir(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.home / f"build-{os.getpid()}-{time.time_ns()}"
        path.mkdir()
        return path

    def new_generation(self) -> Path:
        """An empty generation folder, numbered after the others, that nothing reads yet (a
        stale one is cleaned like an abandoned build until `make_current` names it)."""
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        gens = self.generations()
        last = int(_GEN.match(gens[-1].name).group(1)) if gens else 0  # type: ignore[union-attr]
        target = self.home / f"gen-{last + 1:06d}"
        target.mkdir()
        return target

    def make_current(self, gen: Path) -> None:
        """Point readers at `gen` (atomically)."""
        _fsync_dir(gen)
        atomic_write(self.home / "CURRENT", gen.name + "\n")
        _fsync_dir(self.home)

    @staticmethod
    def write_meta(gen: Path, meta: dict[str, Any]) -> None:
        atomic_write(gen / "meta.json", json.dumps(meta))

    def publish(self, build: Path, meta: dict[str, Any]) -> Path:
        """Make a finished build the current generation (atomically for readers)."""
        atomic_write(build / "meta.json", json.dumps(meta))
        _fsync_dir(build)
        gens = self.generations()
        last = int(_GEN.match(gens[-1].name).group(1)) if gens else 0  # type: ignore[union-attr]
        target = self.home / f"gen-{last + 1:06d}"
        os.replace(build, target)
        atomic_write(self.home / "CURRENT", target.name + "\n")
        _fsync_dir(self.home)
        return target

    @staticmethod
    def read_meta(gen: Path) -> dict[str, Any] | None:
        try:
            data = json.loads((gen / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    # locks -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, timeout: float) -> Iterator[None]:
        """Hold the writer lock (raises LockTimeout if another process keeps it)."""
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = FileLock(self.home / "writer.lock")
        lock.acquire(timeout)
        try:
            yield
        finally:
            lock.release()

    @staticmethod
    def reader_lock(gen: Path) -> FileLock | None:
        """A shared hold on a generation so no writer deletes it while it is read."""
        lock = FileLock(gen / "readers.lock", shared=True)
        try:
            lock.acquire(0.5)
        except (LockTimeout, OSError):
            return None
        return lock

    # cleaning (only while holding the writer lock) ----------------------------------------------

    def clean(self) -> None:
        """Remove abandoned builds and generations no longer current and not being read."""
        current = self.current()
        try:
            entries = list(self.home.iterdir())
        except FileNotFoundError:
            return
        for path in entries:
            if path.name.startswith(("build-", "CURRENT.")) or path.suffix in (".run", ".tmp"):
                _remove(path)
            elif _GEN.match(path.name) and path != current:
                lock = FileLock(path / "readers.lock")
                try:
                    lock.acquire(0)
                except (LockTimeout, OSError):
                    continue  # someone still reads it: next time
                try:
                    _remove(path)
                finally:
                    lock.release()


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
