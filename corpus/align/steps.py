"""The steps the programme takes through its table, and the beads of an alignment they make."""

from __future__ import annotations

from typing import NamedTuple


class Bead(NamedTuple):
    """One step of an alignment: the English and Chinese block indices it covers."""

    en: tuple[int, ...]
    zh: tuple[int, ...]
    confidence: float


class Step(NamedTuple):
    """One step of the best path: it ends at cell (i, j), made by `move`, at `cost`."""

    i: int
    j: int
    move: int
    cost: float


# Move codes: (English blocks, Chinese blocks) consumed.
MOVES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))
SHAPES = frozenset({(1, 1), (2, 1), (1, 2)})  # the steps that pair blocks
UNPAIRED = frozenset({1, 2})  # the moves that leave a block alone
