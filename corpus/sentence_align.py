"""Which sentences of a row's English side translate which sentences of its Chinese side.

The same kind of model as the paragraph aligner (corpus.align), at sentence scale: a monotonic
dynamic programme whose steps pair one sentence with one (1–1), join two that a translator split
or merged (2–1, 1–2, and 2–2 where two sentences were cut at another place), or leave one
unpaired (1–0, 0–1). A step costs the negative log of its prior plus the evidence against it:

- length: English letters against those the Chinese predicts (Han characters times the paragraph
  aligner's measured ratio, plus Latin letters and digits kept verbatim), with its variance;
- anchors: numbers and the Latin names a Chinese sentence keeps, found (or not) in the English;
- a question stays a question.

Translators of articles join and split sentences far more often than they join paragraphs
(Chinese prefers long sentences cut by commas, and 。 or ； where English has a comma), so the
priors of the joining steps are higher than the paragraph aligner's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from corpus.align import LETTERS_PER_HAN, VARIANCE_PER_LETTER, length_units
from corpus.model import Block, BlockKind, Row
from corpus.sentences import SentenceLang, Span, plain_inline, split_sentences

_PRIORS = {(1, 1): 0.80, (2, 1): 0.07, (1, 2): 0.07, (2, 2): 0.02, (1, 0): 0.02, (0, 1): 0.02}
_STEP_COST = {step: -math.log(p) for step, p in _PRIORS.items()}
_SHORT_SLACK = 12.0  # letters of variance so short sentences are not judged sharply
_WIDE_SHARE, _WIDE_SCALE = 0.05, 3.0  # free translations: a heavier tail
_NUMBER_GAIN, _NAME_GAIN, _MISSING_LOSS, _ANCHOR_CAP = 1.5, 1.0, 1.0, 6.0
_QUESTION_KEPT, _QUESTION_LOST = 0.5, 1.5
_SCORE_BIAS = 1.5  # a pair with a perfect length fit and nothing else scores sigmoid(1.5)

_SPLIT_KINDS: frozenset[BlockKind] = frozenset({"paragraph", "text", "quote", "list_item"})
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]")
_QUESTION = re.compile(r"[?？][\s\"'”’」』）)*_]*$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a block: `source` is `block.text[start:end]` (Markdown), `text` the words
    a reader sees."""

    start: int
    end: int
    source: str
    text: str


@dataclass(frozen=True, slots=True)
class SentencePair:
    """English sentences and the Chinese sentences that translate them (either may be empty).

    `confidence` (0–1) is how plausible the pairing is from the sentences alone; unpaired
    sentences have 0."""

    en: tuple[Sentence, ...]
    zh: tuple[Sentence, ...]
    confidence: float

    @property
    def en_text(self) -> str:
        return " ".join(s.text for s in self.en)

    @property
    def zh_text(self) -> str:
        return "".join(s.text for s in self.zh)


class SentenceBead(NamedTuple):
    """One step of a sentence alignment: the indices it covers on each side."""

    en: tuple[int, ...]
    zh: tuple[int, ...]
    confidence: float


def block_sentences(block: Block | None, lang: SentenceLang) -> tuple[Sentence, ...]:
    """The sentences of a block; headings, code, tables and images are one "sentence" each."""
    if block is None or not block.text.strip():
        return ()
    text = block.text
    if block.kind in _SPLIT_KINDS:
        spans = split_sentences(text, lang)
    else:
        stripped = text.strip()
        start = text.index(stripped)
        spans = (Span(start, start + len(stripped)),)
    out = []
    for span in spans:
        source = text[span.start : span.end]
        visible = source if block.kind in ("code", "text") else plain_inline(source)
        out.append(Sentence(span.start, span.end, source, visible or source))
    return tuple(out)


def sentence_pairs(row: Row) -> tuple[SentencePair, ...]:
    """The row's sentences, English against Chinese, in reading order; computed once per row."""
    return _pairs(row)


@lru_cache(maxsize=2048)
def _pairs(row: Row) -> tuple[SentencePair, ...]:
    en = block_sentences(row.en, "en")
    zh = block_sentences(row.zh, "zh")
    beads = align_sentences([s.text for s in en], [s.text for s in zh])
    return tuple(
        SentencePair(tuple(en[i] for i in b.en), tuple(zh[j] for j in b.zh), b.confidence)
        for b in beads
    )


# The model.


@dataclass(frozen=True, slots=True)
class _Features:
    letters: float  # English letters, or those the Chinese predicts
    numbers: frozenset[str]
    names: frozenset[str]  # Latin words, lower-cased
    question: bool


def _features(text: str, lang: SentenceLang) -> _Features:
    latin, han = length_units(Block("paragraph", text, 0, lang))
    numbers = frozenset(n.replace(",", "") for n in _NUMBER.findall(text))
    names = frozenset(w.lower() for w in _LATIN_WORD.findall(text))
    return _Features(latin + LETTERS_PER_HAN * han, numbers, names, bool(_QUESTION.search(text)))


def _joined(fs: Sequence[_Features]) -> _Features:
    if len(fs) == 1:
        return fs[0]
    return _Features(
        sum(f.letters for f in fs),
        frozenset().union(*(f.numbers for f in fs)),
        frozenset().union(*(f.names for f in fs)),
        fs[-1].question,
    )


def _tail_cost(delta: float) -> float:
    root2 = math.sqrt(2)
    p = (1 - _WIDE_SHARE) * math.erfc(delta / root2) + _WIDE_SHARE * math.erfc(
        delta / (_WIDE_SCALE * root2)
    )
    return min(20.0, -math.log(max(p, 1e-300)))


def _evidence(e: _Features, z: _Features) -> float:
    """Log-odds (nats) that the Chinese sentences translate the English ones."""
    score = 0.0
    if e.letters or z.letters:
        var = VARIANCE_PER_LETTER * ((e.letters + z.letters) / 2 + _SHORT_SLACK)
        score -= _tail_cost(abs(e.letters - z.letters) / math.sqrt(var))
    # What the Chinese keeps verbatim should be in the English it translates; English numbers
    # may be spelled out in Chinese, so only the Chinese side's anchors count against a pair.
    shared_numbers = len(z.numbers & e.numbers)
    shared_names = len(z.names & e.names)
    missing = len(z.numbers - e.numbers) + len(z.names - e.names)
    gain = _NUMBER_GAIN * shared_numbers + _NAME_GAIN * shared_names
    score += min(_ANCHOR_CAP, gain) - min(_ANCHOR_CAP, _MISSING_LOSS * missing)
    if e.question or z.question:
        score += _QUESTION_KEPT if e.question and z.question else -_QUESTION_LOST
    return score


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def align_sentences(en: Sequence[str], zh: Sequence[str]) -> list[SentenceBead]:
    """The most likely monotonic alignment of English sentences with Chinese ones."""
    n, m = len(en), len(zh)
    if n == 0 or m == 0:
        return [SentenceBead((i,), (), 0.0) for i in range(n)] + [
            SentenceBead((), (j,), 0.0) for j in range(m)
        ]
    ef = [_features(t, "en") for t in en]
    zf = [_features(t, "zh") for t in zh]
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float]]] = [[(0, 0, 0.0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            for (di, dj), step_cost in _STEP_COST.items():
                a, b = i + di, j + dj
                if a > n or b > m:
                    continue
                if di and dj:
                    evidence = _evidence(_joined(ef[i:a]), _joined(zf[j:b]))
                    total = here + step_cost - evidence
                else:
                    evidence, total = -inf, here + step_cost
                if total < cost[a][b]:
                    cost[a][b] = total
                    back[a][b] = (di, dj, evidence)
    beads: list[SentenceBead] = []
    i, j = n, m
    while i or j:
        di, dj, evidence = back[i][j]
        confidence = _sigmoid(_SCORE_BIAS + evidence) if evidence != -inf else 0.0
        beads.append(
            SentenceBead(tuple(range(i - di, i)), tuple(range(j - dj, j)), round(confidence, 3))
        )
        i, j = i - di, j - dj
    beads.reverse()
    return beads
