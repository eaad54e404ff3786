"""What a step of the alignment is worth: the log-odds that one block (or two read as one)
translates another, from their lengths, kinds, endings and shared anchors; and the bounds on it
that let the programme skip steps without scoring them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from itertools import chain

from corpus.align.constants import (
    END_KEPT,
    END_LOST,
    IDENTICAL,
    MAX_STRUCTURE,
    NOTE_ALONE,
    SCORE_BIAS,
    SHORT_SLACK,
    STRICT_GAIN,
    STRICT_LOSS,
    STRICT_LOSS_RATE,
    VARIANCE_PER_LETTER,
    WIDE_SCALE,
    WIDE_SHARE,
    WORD_GAIN,
    WORD_GAIN_RATE,
    WORD_LOSS,
    WORD_LOSS_RATE,
)
from corpus.align.features import KINDS, PROSE, VERBATIM, Features, block_features, weigh
from corpus.model import Block, BlockKind

_PLAIN: frozenset[BlockKind] = frozenset({"paragraph", "text", "quote"})  # no structure to compare


def _tail_cost(delta: float) -> float:
    p = (1 - WIDE_SHARE) * math.erfc(delta / math.sqrt(2)) + WIDE_SHARE * math.erfc(
        delta / (WIDE_SCALE * math.sqrt(2))
    )
    return min(20.0, -math.log(max(p, 1e-300)))


_DELTA_STEP = 50  # table entries per unit of |delta|
_DELTA_TABLE = [_tail_cost(k / _DELTA_STEP) for k in range(20 * _DELTA_STEP + 1)]
_DELTA_LEN = len(_DELTA_TABLE)
# The same cost by delta squared, rounded down: a lower bound the programme gets without a root.
FLOOR_STEP = 4  # entries per unit of delta squared
FLOOR_TABLE = [_tail_cost(math.sqrt(k / FLOOR_STEP)) for k in range(400 * FLOOR_STEP + 1)]
_DELTA_MAX = _DELTA_TABLE[-1]


def _kind_score(ek: BlockKind, zk: BlockKind) -> float:
    """Log-odds that blocks of these two kinds translate each other (same kinds: see _structure)."""
    pair = {ek, zk}
    if "code" in pair or "table" in pair or "rule" in pair:
        return -8.0
    if pair <= PROSE:
        return -1.0 if "list_item" in pair else -0.5
    if "heading" in pair:
        return -1.0 if pair & {"paragraph", "text"} else -3.0
    if pair == {"image", "html"} or pair == {"image", "paragraph"}:
        return -0.5
    return -3.0


_KIND_TABLE = {(a, b): _kind_score(a, b) for a in KINDS for b in KINDS if a != b}
_KIND_SCORE = [[_KIND_TABLE.get((a, b), 0.0) for b in KINDS] for a in KINDS]
# The most _structure can give two blocks of these kinds, unless their texts are identical.
_SAME_KIND_BOUND = {"heading": 1.5, "list_item": 0.5, "code": 6.0, "html": 6.0, "table": 4.0}
_SAME_KIND_BOUND |= {"image": 1.0, "rule": 1.0}
_STRUCTURE_BOUND = [
    [_SAME_KIND_BOUND.get(a, 0.0) if a == b else _KIND_TABLE[a, b] for b in KINDS] for a in KINDS
]


# Log-odds from how the two texts end (plain, colon, question mark, not text: the codes of
# features._ending): a colon or question mark kept counts for the pair, one lost against it.
END_SCORE = [
    [0.0, END_LOST, END_LOST, 0.0],
    [END_LOST, END_KEPT, END_LOST, 0.0],
    [END_LOST, END_LOST, END_KEPT, 0.0],
    [0.0, 0.0, 0.0, 0.0],
]
END_KINDS = len(END_SCORE)
# The most _structure and the endings can give a pair, by each side's kind and ending.
CLASS_BOUND = [
    [_STRUCTURE_BOUND[ek][zk] + END_SCORE[ee][ze] for zk in range(len(KINDS)) for ze in range(4)]
    for ek in range(len(KINDS))
    for ee in range(4)
]


def _structure(e: Features, z: Features) -> float:
    """Log-odds from the two blocks' kinds, levels and shapes."""
    ek = e.kind
    if ek != z.kind:
        return _KIND_TABLE[ek, z.kind]
    if e.text == z.text:
        return IDENTICAL
    if ek == "heading":
        return 1.5 - 1.5 * min(abs(e.level - z.level), 3)
    if ek == "list_item":
        return 0.5 - 1.0 * min(abs(e.level - z.level), 2)
    if ek in VERBATIM:
        if e.code == z.code:
            return MAX_STRUCTURE
        union = len(e.code | z.code)
        return 7.0 * len(e.code & z.code) / union - 2.5 if union else -2.5
    if ek == "table":
        rows_same = e.table[0] == z.table[0]
        cols_same = e.table[1] == z.table[1]
        return 1.0 + 1.5 * rows_same + 1.5 * cols_same - 1.5 * (not cols_same)
    if ek == "image" or ek == "rule":
        return 1.0
    return 0.0


def evidence(e: Features, z: Features, weight: Mapping[str, float], floor: float) -> float:
    """Log-odds (in nats) that z translates e, or -inf as soon as it cannot exceed `floor`.

    This runs for many cells of the programme, hence the inlined arithmetic.
    """
    if e.kind_id != z.kind_id:
        score = _KIND_SCORE[e.kind_id][z.kind_id]
    elif e.kind in _PLAIN and e.digest != z.digest:
        score = 0.0
    else:
        score = _structure(e, z)
    score += END_SCORE[e.end][z.end]
    if e.note is not z.note:
        score -= NOTE_ALONE
    if e.prose and z.prose:
        a, b = e.letters, z.letters
        if a != b:  # -log P(|delta|): how far the English length is from what the Chinese predicts
            var = VARIANCE_PER_LETTER * ((a + b) * 0.5 + SHORT_SLACK)
            k = int((a - b if a > b else b - a) * _DELTA_STEP / math.sqrt(var))
            score -= _DELTA_TABLE[k] if k < _DELTA_LEN else _DELTA_MAX
    # The anchors' share can be no more than if all the lighter side's anchors were shared.
    es, zs, zw = e.strict_w, z.strict_w, z.words_w
    if es or zs:
        gain, rest = (es, zs - es) if es < zs else (zs, es - zs)
        loss = STRICT_LOSS_RATE * rest
        strict_bound = (gain if gain < STRICT_GAIN else STRICT_GAIN) - (
            loss if loss < STRICT_LOSS else STRICT_LOSS
        )
    else:
        strict_bound = 0.0
    if zw:
        gain = e.words_w if e.words_w < zw else zw
        loss = WORD_LOSS_RATE * (zw - gain)
        gain *= WORD_GAIN_RATE
        words_bound = (gain if gain < WORD_GAIN else WORD_GAIN) - (
            loss if loss < WORD_LOSS else WORD_LOSS
        )
    else:
        words_bound = 0.0
    if score + strict_bound + words_bound <= floor:
        return -math.inf
    if es or zs:
        gain = 0.0
        if es and zs:
            shared = e.strict & z.strict
            if shared:
                gain = sum(map(weight.__getitem__, shared))
        loss = STRICT_LOSS_RATE * (es + zs - 2.0 * gain)
        score += (gain if gain < STRICT_GAIN else STRICT_GAIN) - (
            loss if loss < STRICT_LOSS else STRICT_LOSS
        )
    if zw:
        found = z.words & e.words
        gain = sum(map(weight.__getitem__, found)) if found else 0.0
        loss = WORD_LOSS_RATE * (zw - gain)
        gain *= WORD_GAIN_RATE
        score += (gain if gain < WORD_GAIN else WORD_GAIN) - (
            loss if loss < WORD_LOSS else WORD_LOSS
        )
    return score


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    ex = math.exp(x)
    return ex / (1.0 + ex)


def pair_score(en: Block, zh: Block) -> float:
    """How plausibly `zh` translates `en`, from 0 to 1, judged from the two blocks alone."""
    e, z = _alone(en), _alone(zh)
    return sigmoid(SCORE_BIAS + evidence(e, z, _UNIT_WEIGHT, -math.inf))


@lru_cache(maxsize=4096)
def _alone(block: Block) -> Features:
    """A block's features with every anchor weighing 1: a block is judged against both its
    neighbours when interleaved blocks are paired."""
    f = block_features(block)
    weigh([f], dict.fromkeys(chain(f.strict, f.words), 1.0))
    return f


class _Unit(dict[str, float]):
    """Every anchor weighs 1."""

    def __missing__(self, key: str) -> float:
        return 1.0


_UNIT_WEIGHT = _Unit()
