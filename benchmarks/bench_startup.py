"""Time to first paint: the library on an indexed 5,000-document library vs a bare Textual app.

    python benchmarks/bench_startup.py [--docs 5000] [--runs 7] [--library DIR --index DIR]

Each run is a fresh process started headless (so imports count, as they do for a user); the time is
from launching the process to the first frame that shows the list of documents (for the bare app:
its first frame). Runs alternate, and the table reports the medians. The goal is the library within
1.3× of the bare app. The app shows the list it last read from the index (tui.list_cache) while the
index opens; the table also shows a first launch without that list, which reads the first screenful
of the index's own catalog (index.storage.catalog.peek) instead. Both must meet the goal.

Without --library, a deterministic library is generated with benchmarks/generate_corpus.py into a
temp dir and indexed there once (that takes a while; pass --library/--index to reuse one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL = 1.3

# Both programs report the moment the compositor has rendered the first frame that holds their
# content (the bare app: its first frame; the library: the first frame with documents listed).
FIRST_FRAME = textwrap.dedent(
    """
    import time
    from textual._compositor import Compositor

    _render_update = Compositor.render_update
    _reported = False

    def watch_frames(ready, app):
        def render_update(self, *args, **kwargs):
            global _reported
            update = _render_update(self, *args, **kwargs)
            if not _reported and update is not None and ready():
                _reported = True
                print(f"PAINTED {time.time():.6f} {ready()}", flush=True)
                app.call_later(app.exit)
            return update

        Compositor.render_update = render_update
    """
)

BARE = FIRST_FRAME + textwrap.dedent(
    """
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()

    app = Bare()
    watch_frames(lambda: app.screen.is_mounted, app)
    app.run(headless=True, size=(80, 24))
    """
)

LIBRARY = FIRST_FRAME + textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui.app import build_app

    app = build_app(Path(sys.argv[1]), Path(sys.argv[2]), remember_settings=False)

    def listed():
        # documents in the library, once the list shows some (first frame: the newest ones)
        try:
            screen = app.library_screen
        except Exception:
            return 0
        if not screen.doc_list.count:
            return 0
        return screen.preview_total or len(screen.all_documents)

    watch_frames(listed, app)
    app.run(headless=True, size=(80, 24))
    """
)


def first_paint(script: str, *args: str, cache: Path | None = None) -> tuple[float, str]:
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none", "PYTHONPATH": str(REPO)}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    env.pop("TEXTUAL", None)
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    for line in done.stdout.splitlines():
        if line.startswith("PAINTED "):
            parts = line.split()
            return float(parts[1]) - start, parts[2]
    raise RuntimeError(f"no paint reported:\n{done.stdout}\n{done.stderr}")


def prepare(docs: int, workdir: Path) -> tuple[Path, Path]:
    library = workdir / "library"
    index_dir = workdir / "index"
    print(f"generating {docs:,} documents into {library} …", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "generate_corpus.py"),
            str(library),
            "--docs",
            str(docs),
        ],
        check=True,
        cwd=REPO,
    )
    print("indexing (once) …", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tui.cli.main",
            "index",
            "--library",
            str(library),
            "--index",
            str(index_dir),
        ],
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    print(f"indexed in {time.perf_counter() - started:.1f} s", flush=True)
    return library, index_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--library", type=Path)
    parser.add_argument("--index", type=Path)
    args = parser.parse_args(argv)

    # An installed package is byte-compiled; this checkout may not be (PYTHONDONTWRITEBYTECODE),
    # and compiling our modules on every launch would be measured as startup.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "corpus", "index", "tui"], check=True, cwd=REPO
    )
    with tempfile.TemporaryDirectory(prefix="llama-startup-") as tmp:
        if args.library and args.index:
            library, index_dir = args.library, args.index
        else:
            library, index_dir = prepare(args.docs, Path(tmp))
        # The app keeps the list it last read from the index in the user cache dir; a private
        # cache dir here: `warm` is every launch after the first, `cold` has no list cached.
        warm_cache = Path(tmp) / "cache-warm"
        # One untimed run of each warms the OS file cache and bytecode caches (and the list).
        first_paint(BARE)
        _, listed = first_paint(LIBRARY, str(library), str(index_dir), cache=warm_cache)
        bare: list[float] = []
        app: list[float] = []
        cold: list[float] = []
        for n in range(args.runs):
            bare.append(first_paint(BARE)[0])
            app.append(first_paint(LIBRARY, str(library), str(index_dir), cache=warm_cache)[0])
            fresh = Path(tmp) / f"cache-cold-{n}"
            cold.append(first_paint(LIBRARY, str(library), str(index_dir), cache=fresh)[0])

    b, a, c = statistics.median(bare), statistics.median(app), statistics.median(cold)
    ratio = max(a, c) / b
    rows = [
        ("bare Textual app (Static + Footer)", bare, b),
        (f"llama-reader library of {listed} documents (list cached)", app, a),
        ("llama-reader library, first launch after indexing (no list cached)", cold, c),
    ]
    print()
    print(f"| first paint, headless 80×24, {args.runs} runs | median | min | max |")
    print("| --- | --- | --- | --- |")
    for name, values, median in rows:
        print(
            f"| {name} | {median * 1000:.0f} ms | {min(values) * 1000:.0f} ms "
            f"| {max(values) * 1000:.0f} ms |"
        )
    verdict = "meets" if ratio <= GOAL else "MISSES"
    print(f"\nratio library / bare = {a / b:.2f} (list cached), {c / b:.2f} (first launch)")
    print(f"the slower of the two {verdict} the {GOAL}× goal")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
