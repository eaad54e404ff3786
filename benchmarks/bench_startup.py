"""Time to first paint: the library on an indexed 5,000-document library vs a bare Textual app.

    python benchmarks/bench_startup.py [--docs 5000] [--runs 7] [--library DIR --index DIR]

Each run is a fresh process started headless (so imports count, as they do for a user); the time is
from launching the process to the first frame that shows the list of documents (for the bare app:
its first frame). Runs of the two alternate, and the table reports the medians. The goal is the
library within 1.3× of the bare app.

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

BARE = textwrap.dedent(
    """
    import sys, time
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.painted)

        def painted(self) -> None:
            print(f"PAINTED {time.time():.6f}", flush=True)
            self.exit()

    Bare().run(headless=True, size=(80, 24))
    """
)

LIBRARY = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tui.app import build_app
    from tui.screens.library import LibraryScreen

    shown = LibraryScreen.on_documents_loaded

    def on_documents_loaded(self, message):
        shown(self, message)
        if message.documents:
            def painted():
                count = self.doc_list.count
                print(f"PAINTED {time.time():.6f} {count}", flush=True)
                self.app.exit()
            self.app.call_after_refresh(painted)

    LibraryScreen.on_documents_loaded = on_documents_loaded
    app = build_app(Path(sys.argv[1]), Path(sys.argv[2]), remember_settings=False)
    app.run(headless=True, size=(80, 24))
    """
)


def first_paint(script: str, *args: str) -> tuple[float, str]:
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none", "PYTHONPATH": str(REPO)}
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
            return float(parts[1]) - start, " ".join(parts[2:])
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

    with tempfile.TemporaryDirectory(prefix="llama-startup-") as tmp:
        if args.library and args.index:
            library, index_dir = args.library, args.index
        else:
            library, index_dir = prepare(args.docs, Path(tmp))
        # One untimed run of each warms the OS file cache and bytecode caches.
        first_paint(BARE)
        _, listed = first_paint(LIBRARY, str(library), str(index_dir))
        bare: list[float] = []
        app: list[float] = []
        for _ in range(args.runs):
            bare.append(first_paint(BARE)[0])
            app.append(first_paint(LIBRARY, str(library), str(index_dir))[0])

    b, a = statistics.median(bare), statistics.median(app)
    ratio = a / b
    rows = [
        ("bare Textual app (Static + Footer)", bare, b),
        (f"llama-reader library ({listed} documents listed)", app, a),
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
    print(f"\nratio library / bare = {ratio:.2f} ({verdict} the {GOAL}× goal)")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
