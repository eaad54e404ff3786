"""A full build split over worker processes, each writing its own segment of the new index.

Workers are fresh `python -m index.build.parallel` processes (never forked, and unlike
multiprocessing's spawn they never re-run the caller's main script), so this is safe from a
threaded program such as the Textual app; each worker loads only rjieba's dictionary. Whoosh's own
`procs>1` writer is avoided (PITFALLS 2.6); this is its multisegment mode done directly. The parent
hands out batches of files one at a time to whichever worker is free (files cost very different
amounts of work per byte, so fixed shares left one worker idle for a minute), relays progress and
writes the table of contents naming the workers' segments.

A first build is committed in steps (`index.build.staged`): each worker then finishes a segment
every `Chunking` (a few seconds or a few hundred files at first, growing geometrically so the
finished index holds a few segments per worker, not dozens) and hands it, with its documents'
list entries and file stamps, to the parent, which commits the segments it has so far.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.build.scan import Scan, Stamp
from index.storage.file_stamps import FileRecord
from index.types import DocInfo

ProgressFn = Callable[[int, int, int, int, str], None]  # files, total, bytes, total, current
# A finished worker segment, the list entries of its documents and the stamps of its files.
SegmentFn = Callable[[Any, list[DocInfo], list[FileRecord]], None]
# Once every file is indexed: (workers that finished their last segment, workers), and the
# seconds the slowest of the others is expected to take still (None until one segment is done).
TailFn = Callable[[int, int, float | None], None]

PARALLEL_MIN_BYTES = 8_000_000  # below this, starting workers costs more than it saves
FIRST_BATCH_FILES = 16  # the batches of a first build's first files (see `first_batches`)


class WorkerFailed(RuntimeError):
    """An indexing worker process stopped with an error (its message: type and text)."""

    @property
    def no_space(self) -> bool:
        return "[Errno 28]" in str(self) or "No space left" in str(self)


@dataclass(frozen=True)
class Chunking:
    """When a worker finishes a segment: the first after `seconds` of indexing or `files` files,
    whichever comes first (a commit within seconds, however slow the machine); each next one
    after `growth` times as many files as the one before. Counting files, not seconds, after the
    first keeps the number of segments the same on a busy machine: 5,000 documents end in three
    or four segments per worker, so queries stay quick and no tier of sizes is full enough for
    the first incremental update to merge it."""

    seconds: float
    files: int
    growth: float = 3.0
    # Files in a segment at most: a worker's memory grows with its segment, and the first
    # segment's seconds would otherwise let a faster build grow bigger ones (20,000 documents:
    # up to 5,700 files, a summed PSS of 500 MB; with 4,000, 465-499 MB from run to run).
    most: int = 3_500

    def after(self, files: int) -> Chunking:
        """The chunking of the next segment, after one of `files` files (at least `files` of the
        first chunk: a first segment cut short by its seconds does not make all the others
        small)."""
        grown = min(self.most, max(self.files, int(files * self.growth)))
        return replace(self, seconds=float("inf"), files=max(1, grown))


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def build_parallel(
    build: Path,
    library: Scan,
    paths: list[str],
    workers: int,
    report: ProgressFn,
    cancel: threading.Event | None,
    timeout: float,
    chunking: Chunking | None = None,
    on_segment: SegmentFn | None = None,
    on_tail: TailFn | None = None,
) -> tuple[int, int]:
    """Index `paths` into the index at `build` with `workers` processes. Without `on_segment`,
    each worker writes one segment and they are committed together at the end (the index must
    be empty); with it, the parent commits nothing and `on_segment` gets each segment as a
    worker finishes it (every `chunking`, and at the end). Returns (documents added, files
    skipped)."""
    from index.build.batches import Cancelled, first_batches
    from index.build.batches import batches as file_batches
    from index.engine.segments import commit_segments

    total_files = len(paths)
    total_bytes = sum(library.stamps[p].size for p in paths)
    if chunking is None:
        batches = deque(file_batches(paths))
    else:  # small batches first: the first segments are due within seconds
        head = workers * FIRST_BATCH_FILES * 4
        batches = deque(first_batches(paths, head, FIRST_BATCH_FILES))
    stamps = {p: (library.stamps[p].size, library.stamps[p].mtime_ns) for p in paths}
    messages: queue.Queue[tuple[Any, ...]] = queue.Queue()
    procs: list[subprocess.Popen[bytes]] = []
    done: dict[int, tuple[int, int]] = {}
    results: dict[int, tuple[Any, int, int]] = {}
    finishing: dict[int, tuple[float, int]] = {}  # worker → (since, files of its segment)
    per_file: list[float] = []  # seconds a worker took to finish a segment, per file in it
    indexed = not paths  # every file indexed: the workers are finishing their segments
    report(0, total_files, 0, total_bytes, "")
    try:
        n = max(1, min(workers, len(batches)))
        for i in range(n):
            proc = subprocess.Popen(
                [sys.executable, "-m", "index.build.parallel"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=_import_root(),
            )
            procs.append(proc)
            _send(proc, (i, str(build), str(library.root), stamps, _staggered(chunking, i, n)))
            threading.Thread(target=_relay, args=(i, proc, messages), daemon=True).start()
        while len(results) < len(procs):
            if cancel is not None and cancel.is_set():
                raise Cancelled
            try:
                msg = messages.get(timeout=0.2)
            except queue.Empty:
                continue
            kind, i = msg[0], msg[1]
            if kind == "ready":  # a worker finished its batch: the next one, or the end
                _send(procs[i], batches.popleft() if batches else None)
            elif kind == "progress":
                done[i] = (msg[2], msg[3])
                files = sum(f for f, _ in done.values())
                nbytes = sum(b for _, b in done.values())
                report(files, total_files, nbytes, total_bytes, msg[4])
                indexed = files >= total_files
            elif kind == "finishing":
                finishing[i] = (time.monotonic(), msg[2])
            elif kind in ("segment", "done"):
                since, nfiles = finishing.pop(i, (time.monotonic(), 0))
                if nfiles:
                    per_file.append((time.monotonic() - since) / nfiles)
                if on_segment is not None:
                    on_segment(msg[2], msg[-2], msg[-1])
                if kind == "done":
                    results[i] = (msg[2], msg[3], msg[4])
            else:
                raise WorkerFailed(msg[2])
            if indexed and on_tail is not None and kind != "ready":
                on_tail(len(results), len(procs), _tail_seconds(finishing, per_file))
        for proc in procs:
            proc.wait()
    except BaseException:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        raise
    if on_segment is None:
        commit_segments(build, [results[i][0] for i in sorted(results)], timeout)
    return sum(r[1] for r in results.values()), sum(r[2] for r in results.values())


def _staggered(chunking: Chunking | None, i: int, workers: int) -> Chunking | None:
    """Worker i's first segment is (i + 1) / workers of the first chunk, so the workers' segments
    (and so the commits) come one after the other instead of in pairs."""
    if chunking is None:
        return None
    share = (i + 1) / workers
    files = max(1, int(chunking.files * share))
    return replace(chunking, seconds=chunking.seconds * share, files=files)


def _tail_seconds(finishing: dict[int, tuple[float, int]], per_file: list[float]) -> float | None:
    """How long the workers still finishing their segments should take, from how long earlier
    segments took per file."""
    if not per_file:
        return None
    rate = sorted(per_file)[len(per_file) // 2]
    now = time.monotonic()
    return max((n * rate - (now - since) for since, n in finishing.values()), default=0.0)


def _send(proc: subprocess.Popen[bytes], item: Any) -> None:
    """One pickled item to a worker's stdin; None is the last (its stdin is then closed)."""
    assert proc.stdin is not None
    try:
        pickle.dump(item, proc.stdin)
        proc.stdin.flush()
        if item is None:
            proc.stdin.close()
    except (BrokenPipeError, OSError):  # it died: its relay reports that
        pass


def _import_root() -> str:
    """The folder the `index` package is imported from, so `python -m index.build.parallel`
    finds it."""
    return str(Path(__file__).resolve().parents[2])


def _relay(i: int, proc: subprocess.Popen[bytes], messages: queue.Queue[tuple[Any, ...]]) -> None:
    """Forward a worker's pickled messages; report its death if it ends without "done"."""
    assert proc.stdout is not None
    finished = False
    try:
        while True:
            msg = pickle.load(proc.stdout)
            finished = finished or msg[0] in ("done", "error")
            messages.put(msg)
    except (EOFError, pickle.UnpicklingError, OSError):
        pass
    code = proc.wait()
    if not finished:
        messages.put(("error", i, f"worker exited with code {code}"))


def _worker() -> None:
    """Entry point of a worker process: arguments on stdin, messages on stdout (pickled)."""
    import gc
    import signal

    gc.disable()
    # Ctrl-C reaches the whole process group: the parent decides (it kills its workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the message stream
    source = sys.stdin.buffer
    i, build, root, stamps, chunking = pickle.load(source)
    parent = os.getppid()

    def send(*msg: Any) -> None:
        pickle.dump(msg, out)
        out.flush()

    try:
        import time

        from index.build.batches import index_files
        from index.engine.segments import finish_segment, segment_writer

        writer = segment_writer(build)
        files_before = bytes_before = added = skipped = seg_files = 0
        infos: list[DocInfo] = []
        files: dict[str, FileRecord] = {}
        started = time.monotonic()

        def on_batch(files: int, nbytes: int, current: str) -> None:
            if os.getppid() != parent:  # the parent died: nobody will use this segment
                raise SystemExit(1)
            send("progress", i, files_before + files, bytes_before + nbytes, current)

        while True:
            send("ready", i)
            batch = pickle.load(source)
            if batch is None:
                break
            full = {p: Stamp(p, *stamps[p]) for p in batch}
            n_added, n_skipped = index_files(
                writer, Path(root), full, batch, on_batch, infos_out=infos, files_out=files
            )
            added, skipped = added + n_added, skipped + n_skipped
            files_before += len(batch)
            bytes_before += sum(stamps[p][0] for p in batch)
            seg_files += len(batch)
            due = chunking is not None and (
                seg_files >= chunking.files or time.monotonic() - started >= chunking.seconds
            )
            if due:
                send("finishing", i, seg_files)
                send("segment", i, finish_segment(writer), infos, list(files.values()))
                writer = segment_writer(build)
                chunking = chunking.after(seg_files)
                infos, files, seg_files = [], {}, 0
                started = time.monotonic()
        send("finishing", i, seg_files)
        segment = finish_segment(writer)
        send("done", i, segment, added, skipped, infos, list(files.values()))
    except BaseException as exc:
        with contextlib.suppress(Exception):
            send("error", i, f"{type(exc).__name__}: {exc}")
        raise


if __name__ == "__main__":
    _worker()
