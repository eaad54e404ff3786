"""Where a row's sentences show: `corpus.sentence_align` pairs mapped onto the rendered text.

The aligner's spans index the Markdown source, but the reader draws rendered text (markup gone,
lines joined, a heading's `#` dropped). Each sentence's visible words are found in turn in the
rendered text of its side, white space ignored; when markup makes that fail (an image label, an
escape), a character alignment of all the sentences against the rendered text places them anyway.
The result is in the units `tui.layout.find` uses, so the view highlights a sentence exactly as it
highlights a find match, across wrapped lines and in every mode.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from textual.cache import LRUCache

from corpus.sentence_align import SentencePair, sentence_pairs
from tui.layout.find import Ranges
from tui.layout.markdown import Rendered
from tui.layout.rows import RowLayout, Side

Span = tuple[int, int]  # start, end in a side's rendered plain text ("\n" between units)

ALIGN_LIMIT = 2_000_000  # characters squared: beyond, sentences not found verbatim stay unplaced


@dataclass(frozen=True, slots=True)
class RowSentences:
    """A row's sentence pairs, and for each the span it covers on each side (None: not shown)."""

    pairs: tuple[SentencePair, ...]
    en: tuple[Span | None, ...]
    zh: tuple[Span | None, ...]

    def __len__(self) -> int:
        return len(self.pairs)

    def span(self, pair: int, side: Side) -> Span | None:
        return (self.en if side == "en" else self.zh)[pair]


EMPTY = RowSentences((), (), ())


class SentenceMap:
    """Sentence spans of one document's rows, computed when a row is first asked for."""

    def __init__(self, layout: RowLayout) -> None:
        self.layout = layout
        self._rows: LRUCache[int, RowSentences] = LRUCache(256)

    def row(self, index: int) -> RowSentences:
        found = self._rows.get(index)
        if found is None:
            found = self._rows[index] = self._make(index)
        return found

    def _make(self, index: int) -> RowSentences:
        pairs = sentence_pairs(self.layout.rows[index])
        if not pairs:
            return EMPTY
        spans: dict[Side, tuple[Span | None, ...]] = {}
        for side in ("en", "zh"):
            rendered = self.layout.rendered(index, side)
            groups = [p.en if side == "en" else p.zh for p in pairs]
            texts = [" ".join(s.text for s in group) for group in groups]
            if rendered is None:
                spans[side] = tuple(None for _ in pairs)
                continue
            present = [t for t in texts if t]
            if len(present) == 1:  # one sentence (a table, a code block, a heading): all of it
                plain = rendered.plain
                start = len(plain) - len(plain.lstrip())
                located: list[Span | None] = [(start, len(plain.rstrip()))]
            else:
                located = locate(rendered.plain, present)
            it = iter(located)
            spans[side] = tuple(next(it) if t else None for t in texts)
        return RowSentences(pairs, spans["en"], spans["zh"])


def locate(plain: str, texts: Sequence[str]) -> list[Span | None]:
    """Where each of `texts` (in order) shows in `plain`, white space ignored."""
    squashed, where = _squash(plain)
    found: list[Span | None] = []
    at = 0
    for text in texts:
        needle = "".join(text.split())
        k = squashed.find(needle, at) if needle else -1
        if k < 0:
            found.append(None)
            continue
        end = k + len(needle)
        found.append((where[k], where[end - 1] + 1))
        at = end
    if None in found and len(squashed) * sum(len(t) for t in texts) <= ALIGN_LIMIT:
        return _align(squashed, where, texts)
    return found


def _squash(text: str) -> tuple[str, list[int]]:
    """`text` without white space, and where each of its characters was."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def _align(squashed: str, where: list[int], texts: Sequence[str]) -> list[Span | None]:
    """Place the sentences by a character alignment of all of them against the text: each gets
    the characters matched to its own (None when none are)."""
    needles = ["".join(t.split()) for t in texts]
    joined = "".join(needles)
    matcher = difflib.SequenceMatcher(None, joined, squashed, autojunk=False)
    target = [-1] * len(joined)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            target[a + k] = b + k
    out: list[Span | None] = []
    start = 0
    for needle in needles:
        hits = [t for t in target[start : start + len(needle)] if t >= 0]
        start += len(needle)
        out.append((where[min(hits)], where[max(hits)] + 1) if hits else None)
    return out


def unit_spans(rendered: Rendered, span: Span) -> Ranges:
    """A span of the rendered plain text in the units find highlighting uses."""
    out: Ranges = {}
    start, end = span
    offset = 0
    for unit, text in enumerate(rendered.units):
        lo, hi = max(start, offset), min(end, offset + len(text))
        if lo < hi:
            out[unit] = [(lo - offset, hi - offset)]
        offset += len(text) + 1
    return out
