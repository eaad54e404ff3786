"""Load-and-parse throughput of the corpus layer, end to end (walk, read, decode, frontmatter,
Markdown blocks, languages, rows), on a generated library of at least 20 MB.

    python benchmarks/bench_load.py [--docs 2200] [--seed 7] [--keep DIR]

Runs in one process, so the figure is per core.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_corpus import generate

from corpus.library import load_library


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "library"
        if not root.exists() or not any(root.iterdir()):
            generate(root, args.docs, args.seed)
        files = [p for p in root.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            docs, skipped = load_library(root)
            runs.append(time.perf_counter() - start)
        best = min(runs)
        rows = sum(len(d.rows) for d in docs)
        print("| corpus | files | MB | rows | seconds (best of 3) | MB/s per core | target |")
        print("|---|---|---|---|---|---|---|")
        print(
            f"| generated seed {args.seed} | {len(files)} | {size / 1e6:.1f} | {rows} | "
            f"{best:.2f} | {size / 1e6 / best:.2f} | ≥ 1.00 |"
        )
        if skipped:
            print(f"skipped: {len(skipped)}", file=sys.stderr)
        return 0 if size >= 20e6 else 1


if __name__ == "__main__":
    raise SystemExit(main())
