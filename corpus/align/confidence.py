"""How sure each step of the best path is: how clearly it beats the local alternatives (leaving
its blocks unpaired, joining a neighbour, moving a boundary), capped by how plausible the pair is on
its own."""

from __future__ import annotations

import math
from collections.abc import Sequence

from corpus.align.constants import COST_11, COST_21, SCORE_BIAS
from corpus.align.features import Pair
from corpus.align.scoring import evidence, sigmoid
from corpus.align.steps import MOVES, SHAPES, UNPAIRED, Bead, Step


def scored_beads(path: Sequence[Step], pair: Pair) -> list[Bead]:
    """The path's steps as beads of block indices, each with how sure it is."""
    scorer = _Scorer(pair)
    spans = []
    for i, j, move, cost in path:
        di, dj = MOVES[move]
        # The blocks the step covers: the last di English and dj Chinese blocks before (i, j).
        span = (
            () if not di else (i - 1,) if di == 1 else (i - 2, i - 1),
            () if not dj else (j - 1,) if dj == 1 else (j - 2, j - 1),
        )
        scorer.memo[span] = cost
        spans.append(span)
    pairs = [move not in UNPAIRED for _, _, move, _ in path] + [True]
    beads = []
    for k, ((en, zh), step) in enumerate(zip(spans, path, strict=True)):
        if step.move == 0 and pairs[k - 1] and pairs[k + 1]:  # a pair between pairs
            confidence = sigmoid(SCORE_BIAS + COST_11 - step.cost)
        else:
            confidence = scorer.confidence(spans, k)
        beads.append(Bead(en, zh, round(confidence, 3)))
    return beads


Span = tuple[tuple[int, ...], tuple[int, ...]]


class _Scorer:
    """Costs of single steps, and how much better each chosen step is than its local rivals."""

    def __init__(self, pair: Pair) -> None:
        self.ef, self.zf, self.ef2, self.zf2 = pair.ef, pair.zf, pair.ef2, pair.zf2
        self.weight = pair.weight
        self.memo: dict[Span, float] = {}

    def cost(self, en: tuple[int, ...], zh: tuple[int, ...]) -> float:
        key = (en, zh)
        if key in self.memo:
            return self.memo[key]
        if not zh:
            c = sum(self.ef[i].skip for i in en)
        elif not en:
            c = sum(self.zf[j].skip for j in zh)
        elif (len(en), len(zh)) not in SHAPES:
            c = math.inf
        else:
            e = self.ef[en[0]] if len(en) == 1 else self.ef2[en[0]]
            z = self.zf[zh[0]] if len(zh) == 1 else self.zf2[zh[0]]
            prior = COST_11 if len(en) == len(zh) else COST_21
            c = math.inf if e is None or z is None else prior - evidence(e, z, self.weight, -1e9)
        self.memo[key] = c
        return c

    def confidence(self, spans: Sequence[Span], k: int) -> float:
        """sigmoid of the margin by which step k beats the steps that could replace it locally
        (leaving its blocks unpaired, joining a neighbour, moving a boundary); for a pair, also
        no more than how plausible the pair is on its own."""
        en, zh = spans[k]
        chosen = self.cost(en, zh)
        if len(en) == len(zh) == 1 and all(
            spans[n][0] and spans[n][1] for n in (k - 1, k + 1) if 0 <= n < len(spans)
        ):
            # Between two pairs the only rival is leaving both blocks out, which always costs
            # more than the plausibility bound below: no need to weigh it.
            return sigmoid(SCORE_BIAS + COST_11 - chosen)
        rivals: list[float] = []
        if en and zh:
            rivals.append(self.cost(en, ()) + self.cost((), zh) - chosen)
            if len(en) == 2:
                rivals.append(self.cost(en[:1], zh) + self.cost(en[1:], ()) - chosen)
                rivals.append(self.cost(en[:1], ()) + self.cost(en[1:], zh) - chosen)
            if len(zh) == 2:
                rivals.append(self.cost(en, zh[:1]) + self.cost((), zh[1:]) - chosen)
                rivals.append(self.cost((), zh[:1]) + self.cost(en, zh[1:]) - chosen)
        for n in (k - 1, k + 1):
            if 0 <= n < len(spans):
                first, second = (spans[n], spans[k]) if n < k else (spans[k], spans[n])
                both = chosen + self.cost(*spans[n])
                rivals.extend(alt - both for alt in self._rearranged(first, second))
        margin = min(rivals, default=math.inf)
        conf = 1.0 if margin == math.inf else sigmoid(margin)
        if en and zh:
            prior = COST_11 if len(en) == len(zh) else COST_21
            conf = min(conf, sigmoid(SCORE_BIAS + prior - chosen))
        return conf

    def _rearranged(self, first: Span, second: Span) -> list[float]:
        """Costs of covering two neighbouring steps' blocks in another way."""
        (e1, z1), (e2, z2) = first, second
        out = []
        en, zh = e1 + e2, z1 + z2
        if (len(en), len(zh)) in SHAPES and bool(e1) + bool(e2) + bool(z1) + bool(z2) < 4:
            out.append(self.cost(en, zh))  # one step for both
        # A block left out changes places with the pair beside it.
        if e1 and not z1 and len(e2) == 1 and len(z2) == 1:
            out.append(self.cost(e1, z2) + self.cost(e2, ()))
        if z1 and not e1 and len(e2) == 1 and len(z2) == 1:
            out.append(self.cost(e2, z1) + self.cost((), z2))
        if e2 and not z2 and len(e1) == 1 and len(z1) == 1:
            out.append(self.cost(e2, z1) + self.cost(e1, ()))
        if z2 and not e2 and len(e1) == 1 and len(z1) == 1:
            out.append(self.cost(e1, z2) + self.cost((), z1))
        return out
