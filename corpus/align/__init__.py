"""Aligning an English block list with its Chinese translation kept in another file: given the two
lists, `align_blocks` returns rows pairing each English block with the Chinese block(s) that
translate it (or with nothing), in order, each with a confidence from 0 to 1.

A monotonic dynamic programme in the spirit of Gale & Church (1993): each step pairs one English
block with one Chinese block (1–1), merges two blocks a translator joined or split (2–1, 1–2), or
leaves a block unpaired (1–0, 0–1). A step costs the negative log of how likely it is, from

- a length model: English letters against the letters the Chinese predicts (Han characters times a
  ratio, plus the Latin letters and digits a translation keeps verbatim), with a variance that grows
  with length. Ratio and variance are measured on interleaved bilingual documents
  (`python benchmarks/bench_align.py --fit`);
- anchors a translation keeps: numbers, URLs, inline code and Latin names inside the Chinese text
  (weighted by how rare they are in the document), identical code blocks, heading levels, list and
  table structure, images, a final colon or question mark, a translator's or editor's note.

All but the shortest pairs are aligned inside a band around a diagonal drawn through anchors the
two files share; wherever the best path runs along the band's edge, that stretch is solved again
(in the whole table when that is affordable, else in a band twice as wide), so the band buys speed
without changing the answer. Inside the band, a cheap bound on each step's evidence (kinds,
endings, anchor weights, a mask of the anchors, a floor on the length cost) rules out most steps
before they are scored. Each row's confidence is how clearly its step beats the local
alternatives (leaving its blocks unpaired, joining a neighbour, moving a boundary), capped by how
plausible the pair is on its own.

The layers, each importing only those before it: `constants` (the fitted numbers), `features`
(what is compared, per block), `scoring` (what a step is worth), `steps`, `table` (the programme),
`band` (where the band lies), `confidence`, `aligner` (the whole, and the rows).
"""

from corpus.align.aligner import align_blocks, alignment
from corpus.align.constants import LETTERS_PER_HAN, VARIANCE_PER_LETTER
from corpus.align.features import length_units
from corpus.align.scoring import pair_score
from corpus.model import LOW_CONFIDENCE

__all__ = [
    "LETTERS_PER_HAN",
    "LOW_CONFIDENCE",
    "VARIANCE_PER_LETTER",
    "align_blocks",
    "alignment",
    "length_units",
    "pair_score",
]
