"""Where the band of the programme lies: around a diagonal pinned by anchors both files share,
and, where the best path ran along the band's edge, around that path again, wider."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from itertools import pairwise

from corpus.align.constants import PIN_MAX_REPEAT, REPAIR_ROWS
from corpus.align.features import Features, Pair
from corpus.align.steps import Step
from corpus.align.table import Table


def repair(
    table: Table, path: list[Step], touched: list[int], widths: list[int], n: int, m: int
) -> tuple[list[Step], list[int]]:
    """Solve again the stretches of the path around the rows that touched the band's edge."""
    still: list[int] = []
    bands = band_around(_path_centre(path, n), widths, m)
    for first, last in _stretches(touched, REPAIR_ROWS, n):
        enter = max((k for k, step in enumerate(path) if step.i <= first), default=-1)
        leave = min(k for k, step in enumerate(path) if step.i >= last)
        start = (path[enter].i, path[enter].j) if enter >= 0 else (0, 0)
        end = (path[leave].i, path[leave].j)
        clipped = [(max(lo, start[1]), min(hi, end[1])) for lo, hi in bands]
        middle = table.solve(clipped, start, end)
        still += table.touched
        path = path[: enter + 1] + middle + path[leave + 1 :]
    if still and min(widths) >= max(n, m):
        still = []
    return path, still


def _stretches(rows: list[int], reach: int, n: int) -> list[tuple[int, int]]:
    """Rows grouped into stretches of `reach` rows either side, overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for r in sorted(rows):
        first, last = max(0, r - reach), min(n, r + reach)
        if out and first <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


def anchored_diagonal(pair: Pair) -> tuple[list[int], list[int]]:
    """For each English prefix, the Chinese prefix expected to translate it, and how far from it
    the path may stray.

    An anchor (a URL, a number, a name) found in as many English blocks as Chinese ones, and not
    too often, pins its k-th English block to its k-th Chinese block; the longest chain of pins
    that agree in order fixes the diagonal, which between pins follows the share of text, as in
    Gale & Church. Far from any pin the diagonal is a guess, so the slack grows like a random
    walk: with the square root of the distance to the nearest pin.
    """
    ef, zf = pair.ef, pair.zf
    n, m = len(ef), len(zf)
    en_count = pair.en_count
    pinning = {k for k, c in pair.zh_count.items() if c <= PIN_MAX_REPEAT and en_count.get(k) == c}
    where: list[dict[str, list[int]]] = []
    for fs in (ef, zf):
        where.append({k: [] for k in pinning})
        for idx, f in enumerate(fs):
            for keys in (f.strict & pinning, f.words & pinning):
                for k in keys:
                    where[-1][k].append(idx)
    points = {p for k in pinning for p in zip(where[0][k], where[1][k], strict=True)}
    pins = _increasing(sorted(points))
    # A pin counts only beside another that agrees with it: a lone coincidence can mislead.
    kept = [(0, 0)]
    for (i0, j0), (i1, j1) in pairwise(pins):
        if i1 - i0 <= 4 and abs((j1 - j0) - (i1 - i0)) <= 1:  # they agree: keep both
            if kept[-1] != (i0, j0):
                kept.append((i0, j0))
            kept.append((i1, j1))
    kept.append((n, m))
    pins = kept
    ce, cz = _cumulative(ef), _cumulative(zf)
    centre = [0] * (n + 1)
    slack = [0] * (n + 1)
    isqrt = math.isqrt
    for (i0, j0), (i1, j1) in pairwise(pins):
        e0, z0 = ce[i0], cz[j0]
        span_e = ce[i1] - e0 or 1.0
        span_z = cz[j1] - z0
        centre[i0 : i1 + 1] = [
            min(j1, max(j0, bisect_left(cz, z0 + span_z * (x - e0) / span_e, j0, j1 + 1)))
            for x in ce[i0 : i1 + 1]
        ]
        slack[i0 : i1 + 1] = [isqrt(min(i - i0, i1 - i)) for i in range(i0, i1 + 1)]
    return centre, slack


def _cumulative(fs: Sequence[Features]) -> list[float]:
    out = [0.0]
    for f in fs:
        out.append(out[-1] + f.letters + 20.0)  # every block takes some room
    return out


def _increasing(points: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of points increasing in both coordinates (patience sorting)."""
    tails: list[int] = []  # j of the last point of the best chain of each length
    tail_idx: list[int] = []
    parent = [-1] * len(points)
    for idx, (i, j) in enumerate(points):
        if tail_idx and points[tail_idx[-1]][0] == i:
            continue  # one pin per English block
        pos = bisect_left(tails, j)
        if pos and points[tail_idx[pos - 1]][0] == i:
            continue
        parent[idx] = tail_idx[pos - 1] if pos else -1
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(idx)
        else:
            tails[pos] = j
            tail_idx[pos] = idx
    chain = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        chain.append(points[k])
        k = parent[k]
    chain.reverse()
    return [(i + 1, j + 1) for i, j in chain]


def _path_centre(path: Sequence[Step], n: int) -> list[int]:
    centre = [0] * (n + 1)
    for step in path:
        centre[step.i] = max(centre[step.i], step.j)
    for i in range(1, n + 1):  # rows a 2-1 step passed over
        centre[i] = max(centre[i], centre[i - 1])
    return centre


def band_around(centre: Sequence[int], widths: Sequence[int], m: int) -> list[tuple[int, int]]:
    """Inclusive column range of each DP row, wide enough for consecutive rows to connect."""
    n = len(centre) - 1
    bands = [
        (max(0, (c if c < before else before) - w), min(m, (c if c > after else after) + w))
        for c, before, after, w in zip(
            centre, [0, *centre[:-1]], [*centre[1:], m], widths, strict=True
        )
    ]
    bands[0] = (0, bands[0][1])
    bands[n] = (bands[n][0], m)
    return bands
