"""Prefix sums of row heights that can change one row at a time.

Rows are measured lazily (wrapping 20,000 rows up front would take seconds), so a row's height
moves from an estimate to its exact value when it is first drawn. A Fenwick tree keeps both the
offset of a row and the row at a given line in O(log n) through those updates.
"""

from __future__ import annotations

from collections.abc import Sequence


class Fenwick:
    def __init__(self, values: Sequence[int]) -> None:
        n = len(values)
        tree = [0] * (n + 1)
        for i, v in enumerate(values, 1):
            tree[i] += v
            parent = i + (i & -i)
            if parent <= n:
                tree[parent] += tree[i]
        self._tree = tree
        self._values = list(values)
        self._top = 1 << n.bit_length() if n else 0

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: int) -> int:
        return self._values[index]

    def set(self, index: int, value: int) -> None:
        delta = value - self._values[index]
        if not delta:
            return
        self._values[index] = value
        i = index + 1
        tree = self._tree
        n = len(tree) - 1
        while i <= n:
            tree[i] += delta
            i += i & -i

    def prefix(self, index: int) -> int:
        """Sum of values[0:index]."""
        total = 0
        i = min(index, len(self._values))
        tree = self._tree
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    @property
    def total(self) -> int:
        return self.prefix(len(self._values))

    def find(self, y: int) -> int:
        """The index whose span [prefix(i), prefix(i+1)) holds y, clamped to the valid range."""
        n = len(self._values)
        if n == 0:
            return 0
        if y < 0:
            return 0
        pos = 0
        step = self._top
        tree = self._tree
        while step:
            nxt = pos + step
            if nxt <= n and tree[nxt] <= y:
                pos = nxt
                y -= tree[nxt]
            step >>= 1
        return min(pos, n - 1)
