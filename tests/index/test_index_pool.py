"""The postings buffer of a build: everything added comes back sorted, across spilled runs."""

from __future__ import annotations

import random
from pathlib import Path

from index.engine.pool import RunPool


def test_postings_come_back_sorted_across_runs(tmp_path: Path) -> None:
    rng = random.Random(3)
    items = [
        (
            rng.choice(["body", "body_chars", "title"]),
            f"t{rng.randrange(500)}".encode(),
            d,
            1.0,
            b"v",
        )
        for d in range(5_000)
        for _ in range(3)
    ]
    pool = RunPool(tempdir=str(tmp_path), run_items=1_000)  # 15 runs on disk
    for item in items:
        pool.add(item)
    assert len(pool.runs) == 15
    assert list(pool.iter_postings()) == sorted(items)
    assert not list(tmp_path.iterdir())  # each run is deleted once read
