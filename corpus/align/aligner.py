"""Aligning two block lists: the programme solved in a band (or in full, for short pairs or
when the band proves too narrow), its path turned into beads and rows."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from corpus.align.band import anchored_diagonal, band_around, repair
from corpus.align.confidence import scored_beads
from corpus.align.constants import BAND, FULL_BELOW, FULL_ON_DOUBT
from corpus.align.features import prepare
from corpus.align.steps import Bead
from corpus.align.table import Table
from corpus.model import Block, Row


def alignment(en: Sequence[Block], zh: Sequence[Block]) -> list[Bead]:
    """The most likely monotonic alignment of the two block lists, as index beads."""
    n, m = len(en), len(zh)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    with _collector_paused():
        return _align(en, zh)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run without the cyclic garbage collector. An alignment makes tens of thousands of small
    objects (features, sets, steps) that hold no reference cycles, so everything it frees is
    freed by reference counting; left on, the collector would walk them, and whatever else the
    process holds, dozens of times per alignment (a sixth of its time) and find nothing.
    Re-enabled only if it was on: a caller that turned it off keeps it off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _align(en: Sequence[Block], zh: Sequence[Block]) -> list[Bead]:
    n, m = len(en), len(zh)
    pair = prepare(en, zh)
    table = Table(pair)
    if n * m <= FULL_BELOW:
        path, touched = table.solve([(0, m)] * (n + 1)), []
    else:
        centre, slack = anchored_diagonal(pair)
        widths = [BAND + s for s in slack]
        path = table.solve(band_around(centre, widths, m))
        touched = table.touched
    while touched:
        # The best path ran along an edge of the band: a better one may lie outside. Look again
        # in the whole table if that is affordable, else around each stretch that touched, in a
        # band twice as wide between the points where the path enters and leaves the stretch.
        if n * m <= FULL_ON_DOUBT:
            path = table.solve([(0, m)] * (n + 1))
            break
        widths = [2 * w for w in widths]
        path, touched = repair(table, path, touched, widths, n, m)
    return scored_beads(path, table.pair)


def align_blocks(en: Sequence[Block], zh: Sequence[Block]) -> list[Row]:
    """Rows pairing each English block with the Chinese block(s) that translate it."""
    return [
        Row(_joined([en[i] for i in b.en]), _joined([zh[j] for j in b.zh]), b.confidence)
        for b in alignment(en, zh)
    ]


def _joined(blocks: Sequence[Block]) -> Block | None:
    """Two blocks a translator merged, read as one: their texts with a blank line between."""
    if not blocks:
        return None
    first = blocks[0]
    if len(blocks) == 1:
        return first
    text = "\n\n".join(b.text for b in blocks)
    return Block(first.kind, text, first.line, first.lang, first.level, first.file)
