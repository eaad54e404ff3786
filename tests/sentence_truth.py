"""The hand-made sentence alignment of sample documents (tests/fixtures/sentence_truth.txt), and
the share of it an aligner gets right."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

TRUTH = Path(__file__).parent / "fixtures" / "sentence_truth.txt"

Pair = tuple[str, str]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def load_truth(path: Path = TRUTH) -> dict[str, dict[int, list[Pair]]]:
    """{document path: {row index: [(English, Chinese)]}}, white space removed."""
    out: dict[str, dict[int, list[Pair]]] = {}
    doc: dict[int, list[Pair]] = {}
    row = -1
    english = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("@ row "):
            row = int(line.removeprefix("@ row "))
            doc[row] = []
        elif line.startswith("@ "):
            doc = out.setdefault(line.removeprefix("@ "), {})
        elif line.startswith("# ") and row < 0:
            continue
        elif line.startswith("= "):
            doc[row].append((_norm(english), _norm(line.removeprefix("= "))))
        else:
            english = line
    return out


def share_right(
    truth: dict[int, list[Pair]], predict: Callable[[int], Iterable[Pair]]
) -> tuple[int, int, int]:
    """(pairs of the truth found, pairs of the truth, pairs predicted) over the rows of one
    document; `predict(row)` gives a row's (English, Chinese) source pairs."""
    right = total = predicted = 0
    for row, pairs in truth.items():
        got = {(_norm(en), _norm(zh)) for en, zh in predict(row)}
        predicted += len(got)
        total += len(pairs)
        right += sum(pair in got for pair in pairs)
    return right, total, predicted
