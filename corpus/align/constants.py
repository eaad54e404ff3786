"""The aligner's fitted numbers: the length model, the step priors, what anchors, structure and
endings may add or take away, and the band's widths.

The length model's ratio and variance are measured by `python benchmarks/bench_align.py --fit`
(tests/test_align_accuracy.py checks they still match that fit). The rest are judgements, the
reason for each beside it, whose effect the same benchmark measures on pairs with known truth:
run `python benchmarks/bench_align.py` before and after changing any of them.
"""

from __future__ import annotations

import math

# English letters per Han character, and the variance of the English length around the length the
# Chinese predicts, per letter: measured on the 404 translation pairs of the seed clipping and the
# bundled sample library's interleaved documents, the variance averaged over the 7 documents
# (benchmarks/bench_align.py --fit).
LETTERS_PER_HAN = 2.93
VARIANCE_PER_LETTER = 2.13
# Extra variance, in letters, so that headings and one-line items are not judged as sharply as
# paragraphs of a hundred words.
SHORT_SLACK = 12.0
# Free translations (and lost links) have heavier tails than the fitted Gaussian: a small share of
# pairs is drawn from one three times as wide.
WIDE_SHARE = 0.05
WIDE_SCALE = 3.0

# How often each step occurs between a document and its translation. Gale & Church measured
# 0.89 / 0.089 / 0.0099 for sentences of parliamentary proceedings; translated articles and READMEs
# add and drop whole blocks (notes, badges, sections) about as often as they merge two.
PRIOR_11, PRIOR_21, PRIOR_10 = 0.88, 0.02, 0.02
COST_11 = -math.log(PRIOR_11)
COST_21 = -math.log(PRIOR_21)
COST_10 = -math.log(PRIOR_10)
# Leaving out a block that carries no prose (a badge line, an image, a rule) is common in READMEs,
# and a block that announces itself as a translator's or editor's note usually has no counterpart.
COST_10_NO_PROSE = 2.5
COST_10_NOTE = 1.5
# Log-odds lost when a note pairs with a block that is not one: a translator's note has no original,
# and an editor's note is translated as one.
NOTE_ALONE = 5.0

# A pair with a perfect length fit and nothing else to go on scores sigmoid(SCORE_BIAS).
SCORE_BIAS = 1.5

BAND = 2  # half-width of the first band at a pin, in blocks
FULL_BELOW = 2_500  # matrices smaller than this are computed in full
FULL_ON_DOUBT = 150_000  # and those smaller than this when the band proves too narrow
REPAIR_ROWS = 25  # rows either side of an edge the path touched that are solved again
PIN_MAX_REPEAT = 12  # anchors found in more blocks than this do not pin the diagonal

# Caps on what anchors can add or take away, in nats.
STRICT_GAIN, STRICT_LOSS, STRICT_LOSS_RATE = 8.0, 4.0, 0.35
WORD_GAIN, WORD_LOSS, WORD_GAIN_RATE, WORD_LOSS_RATE = 6.0, 4.0, 0.8, 0.4
IDENTICAL = 5.0  # the same text on both sides: copied, untranslated content
MAX_STRUCTURE = 6.0

# Log-odds of two texts ending alike (both in a colon, or both in a question mark) or not. In the
# interleaved documents every translated pair keeps its colon or question mark, and a quarter of
# neighbouring, unrelated pairs differ in them.
END_KEPT, END_LOST = 1.0, -2.5
