"""Prefix sums of row heights that can change one row at a time.

Rows are measured lazily (wrapping 20,000 rows up front would take seconds), so a row's height
moves from an estimate to its exact value when it is first drawn. A Fenwick tree keeps both the
offset of a row and the row at a given line in O(log n) through those updates.

Every row starts at one shared `default` height and the tree holds only the differences from it,
so building the tree for n rows is one C-speed list allocation, not a Python loop over n rows.
"""

from __future__ import annotations


class Fenwick:
    def __init__(self, size: int, default: int = 0) -> None:
        self._default = default
        self._values = [default] * size
        self._tree = [0] * (size + 1)  # sums of (value - default)
        self._top = 1 << size.bit_length() if size else 0

    @classmethod
    def of(cls, values: list[int]) -> Fenwick:
        tree = cls(len(values))
        for i, value in enumerate(values):
            tree.set(i, value)
        return tree

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
        i = max(0, min(index, len(self._values)))
        total = self._default * i
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
        if n == 0 or y < 0:
            return 0
        pos = 0
        step = self._top
        tree = self._tree
        default = self._default
        while step:
            nxt = pos + step
            if nxt <= n:
                covered = tree[nxt] + default * step  # node nxt sums exactly `step` values
                if covered <= y:
                    pos = nxt
                    y -= covered
            step >>= 1
        return min(pos, n - 1)
