"""The dynamic programme over one pair of block lists: the best path through any band of its
table, between any two cells."""

from __future__ import annotations

import math
from collections.abc import Sequence

from corpus.align.constants import (
    COST_11,
    COST_21,
    IDENTICAL,
    SHORT_SLACK,
    STRICT_GAIN,
    STRICT_LOSS,
    STRICT_LOSS_RATE,
    VARIANCE_PER_LETTER,
    WORD_GAIN,
    WORD_GAIN_RATE,
    WORD_LOSS,
    WORD_LOSS_RATE,
)
from corpus.align.features import Pair
from corpus.align.scoring import (
    CLASS_BOUND,
    END_KINDS,
    END_SCORE,
    FLOOR_STEP,
    FLOOR_TABLE,
    evidence,
)
from corpus.align.steps import MOVES, Step

_NO_COLUMNS = (1 << 62, -2)  # an empty range of columns


class Table:
    """The dynamic programme over one pair of block lists: the blocks' numbers unpacked once,
    and solved over any band, between any two cells."""

    def __init__(self, pair: Pair) -> None:
        self.pair = pair
        zf, zf2 = pair.zf, pair.zf2
        # What the bounds read of each Chinese block, and of each two neighbours read as one.
        self.zs = [
            (
                f.skip,
                f.words_cap,
                f.strict_cap,
                f.digest,
                f.kind_id * END_KINDS + f.end,
                f.prose,
                f.letters,
                f.mask,
                STRICT_LOSS_RATE * f.strict_w,
                min(WORD_LOSS, WORD_LOSS_RATE * f.words_w),
            )
            for f in zf
        ]
        self.z2s = [
            None
            if sums is None
            else (
                min(WORD_GAIN, WORD_GAIN_RATE * sums[1]),
                min(STRICT_GAIN, sums[0]),
                a.kind_id * END_KINDS + b.end,
                sums[3],
                sums[2],
                sums[4],
                STRICT_LOSS_RATE * sums[0],
                min(WORD_LOSS, WORD_LOSS_RATE * sums[1]),
            )
            for sums, a, b in zip(zf2.sums, zf[:-1], zf[1:], strict=True)
        ]
        self.touched: list[int] = []  # rows where the last path found ran along a band edge

    def solve(
        self,
        bands: Sequence[tuple[int, int]],
        start: tuple[int, int] = (0, 0),
        end: tuple[int, int] | None = None,
    ) -> list[Step]:
        """The best path from cell `start` to cell `end` (the far corner) inside the band.

        This loop visits every cell, so it is written for speed: before a step is scored, a
        bound on its evidence (kinds, endings, anchor weights and masks, and a root-free floor
        on the length cost) says whether it could beat the best step so far. The three pairing
        steps spell that bound out each in turn, with the numbers of its own blocks: scoring
        each kind of step in a pass of its own over the row, through one shared function, made
        this loop 60% slower.
        """
        pair = self.pair
        ef, zf, ef2, zf2, weight = pair.ef, pair.zf, pair.ef2, pair.zf2, pair.weight
        zs, z2s = self.zs, self.z2s
        i0, j0 = start
        i1, j1 = end if end is not None else (len(ef), len(zf))
        inf = math.inf
        step_evidence, floor_table = evidence, FLOOR_TABLE
        floor_len, floor_max = len(floor_table), floor_table[-1]
        u_scale, slack = FLOOR_STEP / VARIANCE_PER_LETTER, SHORT_SLACK
        cost_11, cost_21, strict_loss = COST_11, COST_21, STRICT_LOSS
        lo, hi = j0, bands[i0][1]
        row = [0.0] * (hi - lo + 1)
        for k in range(1, hi - lo + 1):
            row[k] = row[k - 1] + zs[lo + k - 1][0]
        cost: list[list[float]] = [row]
        back: list[list[int]] = [[-1] + [2] * (hi - lo)]
        for i in range(i0 + 1, i1 + 1):
            lo, hi = bands[i]
            plo, phi = bands[i - 1] if i - 1 > i0 else (j0, bands[i0][1])
            prev = cost[i - 1 - i0]
            e = ef[i - 1]
            e_skip, e_strict, e_prose, e_letters, e_digest = (
                e.skip, e.strict_cap, e.prose, e.letters, e.digest
            )  # fmt: skip
            e_half = e_letters * 0.5 + slack
            e_mask, e_loss = e.mask, STRICT_LOSS_RATE * e.strict_w
            e_bounds = CLASS_BOUND[e.kind_id * END_KINDS + e.end]
            e_same = IDENTICAL + END_SCORE[e.end][e.end]
            p2lo, p2hi = _NO_COLUMNS  # the columns a 2-1 step can come from
            sums = ef2.sums[i - 2] if i - 2 >= i0 else None
            if sums is not None:
                p2lo, p2hi = bands[i - 2] if i - 2 > i0 else (j0, bands[i0][1])
                prev2 = cost[i - 2 - i0]
                e2_strict_w, _, e2_letters, e2_prose, e2_mask = sums
                e2_strict = min(STRICT_GAIN, e2_strict_w)
                e2_half = e2_letters * 0.5 + slack
                e2_loss = STRICT_LOSS_RATE * e2_strict_w
                # A joined block ends where its second part does.
                e2_bounds = CLASS_BOUND[ef[i - 2].kind_id * END_KINDS + e.end]
            width = hi - lo + 1
            row = [inf] * width
            moves = [-1] * width
            left = inf  # the cell before this one in the row
            first = lo
            if lo == 0:  # the first column: only 1-0
                if plo == 0:
                    row[0] = left = prev[0] + e_skip
                    moves[0] = 1
                first = 1
            phi1, plo1, phi2, p2hi1 = phi + 1, plo + 1, phi + 2, p2hi + 1
            for j in range(first, hi + 1):
                (
                    z_skip, z_words, z_strict, z_digest, z_class, z_prose, z_letters,
                    z_mask, z_loss, z_words_loss,
                ) = zs[j - 1]  # fmt: skip
                best = left + z_skip  # 0-1 (nothing when this is the row's first cell)
                move = 2
                if plo <= j <= phi:  # 1-0
                    c = prev[j - plo] + e_skip
                    if c < best:
                        best, move = c, 1
                # Each pairing step needs evidence above `need` to win. Its bound: what the
                # kinds and endings can give; what the anchors can, which is only a loss when
                # the masks say nothing is shared; and, when that is not enough to rule the
                # step out, a floor on the length cost, which is dearer to compute.
                if plo < j <= phi1:  # 1-1
                    base = prev[j - 1 - plo] + cost_11
                    need = base - best
                    cap = e_same if e_digest == z_digest else e_bounds[z_class]
                    if e_mask & z_mask:
                        cap += z_words + (e_strict if e_strict < z_strict else z_strict)
                    else:
                        loss = e_loss + z_loss
                        cap -= (loss if loss < strict_loss else strict_loss) + z_words_loss
                    if cap > need:
                        if e_prose and z_prose:
                            d = e_letters - z_letters
                            u = int(d * d * u_scale / (e_half + z_letters * 0.5))
                            cap -= floor_table[u] if u < floor_len else floor_max
                        if cap > need:
                            c = base - step_evidence(e, zf[j - 1], weight, need)
                            if c < best:
                                best, move = c, 0
                if plo1 < j <= phi2:  # 1-2
                    z2 = z2s[j - 2]
                    if z2 is not None:
                        j_words, j_strict, j_class, j_prose, j_letters, j_mask, j_loss, j_wl = z2
                        base = prev[j - 2 - plo] + cost_21
                        need = base - best
                        cap = e_bounds[j_class]
                        if e_mask & j_mask:
                            cap += j_words + (e_strict if e_strict < j_strict else j_strict)
                        else:
                            loss = e_loss + j_loss
                            cap -= (loss if loss < strict_loss else strict_loss) + j_wl
                        if cap > need:
                            if e_prose and j_prose:  # a joined block is seldom the right length
                                d = e_letters - j_letters
                                u = int(d * d * u_scale / (e_half + j_letters * 0.5))
                                cap -= floor_table[u] if u < floor_len else floor_max
                            if cap > need:
                                joined = zf2[j - 2]
                                assert joined is not None
                                c = base - step_evidence(e, joined, weight, need)
                                if c < best:
                                    best, move = c, 4
                if p2lo < j <= p2hi1:  # 2-1
                    base = prev2[j - 1 - p2lo] + cost_21
                    need = base - best
                    cap = e2_bounds[z_class]
                    if e2_mask & z_mask:
                        cap += z_words + (e2_strict if e2_strict < z_strict else z_strict)
                    else:
                        loss = e2_loss + z_loss
                        cap -= (loss if loss < strict_loss else strict_loss) + z_words_loss
                    if cap > need:
                        if e2_prose and z_prose:
                            d = e2_letters - z_letters
                            u = int(d * d * u_scale / (e2_half + z_letters * 0.5))
                            cap -= floor_table[u] if u < floor_len else floor_max
                        if cap > need:
                            joined = ef2[i - 2]
                            assert joined is not None
                            c = base - step_evidence(joined, zf[j - 1], weight, need)
                            if c < best:
                                best, move = c, 3
                k = j - lo
                row[k] = left = best
                moves[k] = move
            cost.append(row)
            back.append(moves)

        self.touched = []
        path: list[Step] = []
        i, j = i1, j1
        while (i, j) != (i0, j0):
            lo, hi = (j0 if i == i0 else bands[i][0]), bands[i][1]
            move = back[i - i0][j - lo]
            if (j == lo and lo > j0) or (j == hi and hi < j1):
                self.touched.append(i)
            di, dj = MOVES[move]
            before = j0 if i - di == i0 else bands[i - di][0]
            step_cost = cost[i - i0][j - lo] - cost[i - di - i0][j - dj - before]
            path.append(Step(i, j, move, step_cost))
            i, j = i - di, j - dj
        path.reverse()
        return path
