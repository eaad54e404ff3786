"""The postings buffer of a build: every term's postings come back once, terms in order and
documents in the order they came, across spilled runs; Whoosh's field writer gets them encoded."""

from __future__ import annotations

import random
from pathlib import Path

from whoosh.formats import Positions

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
    items = list(dict.fromkeys(items))  # a term once per document, as a writer adds them
    pool = RunPool(tempdir=str(tmp_path), run_items=1_000)
    for item in items:
        pool.add(item)
    assert len(pool.runs) == len(items) // 1_000
    assert list(pool.iter_postings()) == sorted(items)
    assert not list(tmp_path.iterdir())  # each run is deleted once read


def test_positions_kept_raw_come_back_whole_and_encode_as_whoosh_does(tmp_path: Path) -> None:
    """A writer files raw positions under their terms; a term's lists from several runs come
    back as one, in document order, and Whoosh's writer reads them in Whoosh's encoding."""
    rng = random.Random(8)
    pool = RunPool(tempdir=str(tmp_path), run_items=500)
    expected: dict[bytes, list[tuple[int, list[int]]]] = {}
    for docnum in range(2_000):
        field = pool.field("body")
        added = 0
        for term in {f"w{rng.randrange(300)}".encode() for _ in range(rng.randrange(1, 6))}:
            plist = sorted(rng.sample(range(400), rng.randrange(1, 4)))
            lists = field.setdefault(term, [[], [], []])
            lists[0].append(docnum)
            lists[1].append(float(len(plist)))
            lists[2].append(plist)
            expected.setdefault(term, []).append((docnum, plist))
            added += 1
        pool.added(added)
    assert len(pool.runs) > 3

    flat = pool.iter_postings()
    groups = list(flat.groups())
    assert [term for _, term, _ in groups] == sorted(expected)
    for _, term, (ids, weights, values) in groups:
        assert list(zip(ids, values, strict=True)) == expected[term]
        assert weights == [float(len(v)) for v in values]

    again = RunPool(tempdir=str(tmp_path))
    for term, postings in expected.items():
        lists = again.field("body").setdefault(term, [[], [], []])
        for docnum, plist in postings:
            lists[0].append(docnum)
            lists[1].append(float(len(plist)))
            lists[2].append(plist)
    fmt = Positions()
    decoded = [
        (term, docnum, list(fmt.decode_positions(value)))
        for _, term, docnum, _, value in again.iter_postings()
    ]
    assert decoded == [(t, d, p) for t in sorted(expected) for d, p in expected[t]]
