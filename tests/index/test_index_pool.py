"""The postings buffer of a build: every term's postings come back once, terms in order and
documents in the order they came, across spilled runs; Whoosh's field writer gets them encoded."""

from __future__ import annotations

import random
from pathlib import Path

from whoosh.formats import Positions

from index.engine.fields import Terms, WordsField
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
    """The text fields file raw positions under their terms; a term's lists from several runs
    come back as one, in document order, and Whoosh's writer reads them in Whoosh's encoding."""
    rng = random.Random(8)
    field = WordsField()

    def fill(pool: RunPool) -> dict[bytes, list[tuple[int, list[int]]]]:
        expected: dict[bytes, list[tuple[int, list[int]]]] = {}
        for docnum in range(2_000):
            terms = {
                f"w{rng.randrange(300)}": sorted(rng.sample(range(400), rng.randrange(1, 4)))
                for _ in range(rng.randrange(1, 6))
            }
            n, length = field.add_postings(Terms(terms), docnum, pool.field("body"))
            pool.added(n)
            assert (n, length) == (len(terms), sum(map(len, terms.values())))
            for term, plist in terms.items():
                expected.setdefault(term.encode(), []).append((docnum, plist))
        return expected

    pool = RunPool(tempdir=str(tmp_path), run_items=500)
    expected = fill(pool)
    assert len(pool.runs) > 3
    groups = list(pool.iter_postings().groups())
    assert [term for _, term, _ in groups] == sorted(expected)
    for _, term, (ids, weights, values) in groups:
        assert list(zip(ids, values, strict=True)) == expected[term]
        assert weights == [float(len(v)) for v in values]

    again = RunPool(tempdir=str(tmp_path), run_items=500)
    expected = fill(again)
    fmt = Positions()
    decoded = [
        (term, docnum, list(fmt.decode_positions(value)))
        for _, term, docnum, _, value in again.iter_postings()
    ]
    assert decoded == [(t, d, p) for t in sorted(expected) for d, p in expected[t]]
