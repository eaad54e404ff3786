"""Benchmark the first launch on a never-indexed library: how soon search answers, and one table.

    python benchmarks/bench_first_launch.py [--docs 5000] [--seed 11] [--corpus DIR] [--type-at 10]
        [--app-seconds 20] [--no-build]

A fresh process builds the index of a generated library (benchmarks/generate_corpus.py) into an
empty index folder, as the app's first launch does; this process meanwhile searches it as another
reader would (a second process, like `llama-reader search` during the build). Measured from the
builder's start:
  * the first committed generation (the builder's progress first reports searchable documents);
  * the first search that returns hits (searched every 0.25 s from this process);
  * a query typed `--type-at` seconds after the start (10 s): its hits and what it covers;
  * the phases of the build (when each began), and the full build;
  * the finished index: its segments, and the latency of benchmarks/index_queries.txt (p50/p99).

Then the app itself, in a fresh process on another empty index folder (and empty user dirs, so no
remembered list helps), driven headless by Textual's Pilot for `--app-seconds`, times measured
from its first frame:
  * the first frame listing documents, and a screenful (20) of them; the count listed as it grows;
  * the first frame whose listed documents all show their language (those read before the
    language model loaded show none until it has);
  * the query typed `--type-at` seconds in (`/model`): when its first hits show, and what the
    status line says it covers;
  * `q` pressed while the build still runs: how long the app takes to exit.
`--no-build` measures the app only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUERY = "model"  # a word of the generated corpus's vocabulary, in most documents

BUILDER = """
import json, sys, time
from pathlib import Path
from index.library_index import LibraryIndex
t0 = float(sys.argv[3])
ix = LibraryIndex(Path(sys.argv[1]), Path(sys.argv[2]))
phase = None
first = None
def progress(p):
    global phase, first
    now = time.time() - t0
    if p.phase != phase:
        phase = p.phase
        print(json.dumps({"phase": phase, "at": now}), flush=True)
    if p.searchable and first is None:
        first = now
        print(json.dumps({"committed": now, "documents": p.searchable}), flush=True)
s = ix.update(progress=progress)
print(json.dumps({"done": time.time() - t0, "added": s.added, "workers": ix.workers}), flush=True)
"""


APP = """
import asyncio, json, sys, time
from pathlib import Path
from tui.library_service import prepare_first_launch

library, index_dir = Path(sys.argv[1]), Path(sys.argv[2])
prepare_first_launch(library, index_dir)  # as `llama-reader` does, before Textual is imported
from textual import events
from textual._compositor import Compositor
from tui.app import build_app

type_at, seconds = float(sys.argv[3]), float(sys.argv[4])
app = build_app(library, index_dir, remember_settings=False)
first_frame = None
counts = []
def say(**kw):
    print(json.dumps(kw), flush=True)
def listed():
    try:
        return len(app.library_screen.doc_list.documents)
    except Exception:
        return 0
def languages_known():
    try:
        documents = app.library_screen.doc_list.documents
    except Exception:
        return False
    return bool(documents) and all(d.lang for d in documents)
known_at = None
render_update = Compositor.render_update
def watched(self, *args, **kwargs):
    global first_frame, known_at
    update = render_update(self, *args, **kwargs)
    if update is not None:
        now = time.monotonic()
        if first_frame is None:
            first_frame = now
            say(first_frame=time.process_time())
        n = listed()
        if not counts or n != counts[-1][1]:
            counts.append((now - first_frame, n))
            if len(counts) == 2:  # the first frame with documents
                say(listed_cpu=time.process_time())
        if known_at is None and languages_known():
            known_at = now - first_frame
            say(languages=known_at)
    return update
Compositor.render_update = watched

async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.library_screen
        while first_frame is None:
            await pilot.pause(0.01)
        while time.monotonic() - first_frame < type_at:
            await pilot.pause(0.05)
        # Keys sent as a terminal sends them, 50 ms apart: Pilot's `press` waits after each
        # key until the process is idle, which it is not while the build's threads work.
        typed = time.monotonic()
        for key, char in [("slash", "/"), *((c, c) for c in "model")]:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
            await asyncio.sleep(0.05)
        hits_at = note = None
        # Until `seconds`, and at least 15 s after the query (a busy machine types late).
        while time.monotonic() - max(first_frame + seconds, typed + 15) < 0:
            results = screen.results
            shown = results is not None and results.query == "model" and results.hits
            if hits_at is None and shown:
                hits_at = time.monotonic() - first_frame
                note = screen.coverage_note()
            await pilot.pause(0.05)
        say(typed=typed - first_frame, hits=hits_at, note=note, indexing=screen.indexing,
            listed=listed(), complete=app.service.listing_complete)
        for at, n in counts:
            say(at=at, count=n)
        say(pressed=time.time())
        await pilot.press("ctrl+q")

asyncio.run(main())
from tui.cli.app import leave_now
leave_now(0)  # as `llama-reader` ends
"""


def measure_app(corpus: Path, type_at: float, seconds: float) -> list[tuple[str, str]]:
    """The app's own first launch (see the module's docstring), as rows of the table."""
    work = Path(tempfile.mkdtemp(prefix="llama-first-launch-app-"))
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none", "PYTHONPATH": str(REPO)}
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        env[name] = str(work / name.lower())
    args = [str(corpus), str(work / "index"), str(type_at), str(seconds)]
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", APP, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env, cwd=REPO,
        )  # fmt: skip
        out, err = proc.communicate(timeout=seconds + 120)
        exited = time.time()  # the process is gone: the quit measured to here
    finally:
        shutil.rmtree(work, ignore_errors=True)
    items = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if not any("pressed" in i for i in items):
        raise RuntimeError(f"the app run failed:\n{out}\n{err[-3000:]}")
    counts = [(i["at"], i["count"]) for i in items if "at" in i]
    search = next(i for i in items if "typed" in i)
    rows: list[tuple[str, str]] = []
    first = next(((at, n) for at, n in counts if n), None)
    screenful = next((at for at, n in counts if n >= 20), None)
    rows.append(
        ("app: first documents listed", f"{first[0]:.2f} s ({first[1]})" if first else "never")
    )
    rows.append(("app: a screenful (20) listed", f"{screenful:.2f} s" if screenful else "never"))
    known = next((i["languages"] for i in items if "languages" in i), None)
    rows.append(
        ("app: every listed language known", f"{known:.2f} s" if known is not None else "never")
    )  # fmt: skip
    cpu = [next((i[k] for i in items if k in i), None) for k in ("first_frame", "listed_cpu")]
    if cpu[0] is not None and cpu[1] is not None:
        used = f"{cpu[1] - cpu[0]:.2f} s (to the first frame {cpu[0]:.2f} s)"
        rows.append(("app: CPU, first frame to listed", used))
    for mark in (1, 2, 5, 10, seconds - 1):
        n = max((c for at, c in counts if at <= mark), default=0)
        rows.append((f"app: documents listed at {mark:.0f} s", f"{n:,}"))
    hits = search["hits"]
    said = f" ({search['note']})" if search["note"] else ""
    found = f"hits at {hits:.1f} s{said}" if hits else "no hits"
    rows.append((f"app: '/model' typed at {search['typed']:.1f} s", found))
    rows.append(("app: still indexing when quit", "yes" if search["indexing"] else "no"))
    quit_s = exited - next(i["pressed"] for i in items if "pressed" in i)
    rows.append(("app: ctrl+q to the process gone", f"{quit_s:.2f} s"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="first-launch benchmark")
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--corpus", type=Path, default=None, help="default: generated in /tmp")
    parser.add_argument("--type-at", type=float, default=10.0, help="seconds (10)")
    parser.add_argument("--app-seconds", type=float, default=20.0, help="the app's run (20)")
    parser.add_argument("--no-build", action="store_true", help="measure the app only")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    corpus = args.corpus or Path(tempfile.gettempdir()) / f"llama-corpus-{args.docs}-{args.seed}"
    if not corpus.exists():
        print(f"generating {args.docs} documents into {corpus} …", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(HERE / "generate_corpus.py"), str(corpus),
             "--docs", str(args.docs), "--seed", str(args.seed)],
            check=True,
        )  # fmt: skip
    load = os.getloadavg()[0]
    rows: list[tuple[str, str]] = []
    workers = "?"
    if not args.no_build:
        build_rows, workers = measure_build(corpus, args.type_at)
        rows += build_rows
    rows += measure_app(corpus, args.type_at, args.app_seconds)
    print(
        f"first launch: {args.docs} documents ({corpus}), {workers} workers, "
        f"load average {load:.1f} at the start, {os.cpu_count()} cores"
    )
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    return 0


def measure_build(corpus: Path, type_at: float) -> tuple[list[tuple[str, str]], str]:
    """A build in one process searched from another (see the module's docstring)."""
    from index.library_index import IndexUnavailable, LibraryIndex

    work = Path(tempfile.mkdtemp(prefix="llama-first-launch-"))
    try:
        t0 = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-c", BUILDER, str(corpus), str(work), str(t0)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        reader = LibraryIndex(corpus, work)
        events = _Events(proc)
        first_hit: float | None = None
        typed: tuple[int, object] | None = None
        while proc.poll() is None:
            now = time.time() - t0
            if first_hit is None or (typed is None and now >= type_at):
                try:
                    r = reader.search(QUERY, limit=20)
                except IndexUnavailable:
                    r = None
                if r is not None and r.total and first_hit is None:
                    first_hit = time.time() - t0
                if typed is None and now >= type_at:
                    typed = (r.total if r else 0, r.coverage if r else None)
            time.sleep(0.25)
        proc.wait()
        events.join()
        rows = _table(events.items, first_hit, typed, type_at)
        rows += _finished(reader)
        reader.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    done = next((e for e in events.items if "done" in e), {})
    return rows, str(done.get("workers", "?"))


class _Events:
    def __init__(self, proc: subprocess.Popen[str]) -> None:
        import threading

        self.items: list[dict[str, float]] = []
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.items.append(json.loads(line))

    def join(self) -> None:
        self._thread.join()


def _table(
    events: list[dict[str, float]],
    first_hit: float | None,
    typed: tuple[int, object] | None,
    type_at: float,
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    committed = next((e for e in events if "committed" in e), None)
    done = next((e for e in events if "done" in e), None)
    if committed:
        rows.append(
            ("first committed generation",
             f"{committed['committed']:.1f} s ({committed['documents']:.0f} documents)")
        )  # fmt: skip
    rows.append(("first search hit", f"{first_hit:.1f} s" if first_hit else "never"))
    if typed is not None:
        total, cov = typed
        if total == 0:
            covers = ""
        elif cov is not None:
            covers = f", covering {cov.documents:,} documents"
        else:
            covers = ", the index complete"
        rows.append((f"query typed at {type_at:.0f} s", f"{total:,} hits{covers}"))
    for e in events:
        if "phase" in e:
            rows.append((f"  phase '{e['phase']}' began", f"{e['at']:.1f} s"))
    if done:
        rows.append(("full build", f"{done['done']:.1f} s ({done['added']:.0f} documents)"))
    return rows


def _finished(reader: object) -> list[tuple[str, str]]:
    """Segments and query latency of the finished index."""
    from index.library_index import LibraryIndex

    assert isinstance(reader, LibraryIndex)
    gen = reader.store.current()
    segments = len(list(gen.glob("*.trm"))) if gen else 0
    lines = (HERE / "index_queries.txt").read_text(encoding="utf-8").splitlines()
    queries = [q for q in lines if q.strip() and not q.startswith("#")]
    for q in queries:
        reader.search(q, limit=20)
    lat = []
    for q in queries:
        t = time.perf_counter()
        reader.search(q, limit=20)
        lat.append(time.perf_counter() - t)
    lat.sort()
    p50, p99 = (lat[min(len(lat) - 1, round(p * (len(lat) - 1)))] for p in (0.5, 0.99))
    return [
        ("segments in the finished index", str(segments)),
        (f"query p50 / p99 ({len(queries)} queries)", f"{p50 * 1000:.1f} / {p99 * 1000:.1f} ms"),
    ]


if __name__ == "__main__":
    sys.exit(main())
