"""Aligning an English block list with its Chinese translation kept in another file.

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
"""

from __future__ import annotations

import gc
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from typing import NamedTuple

from corpus.model import Block, BlockKind, Row

# English letters per Han character, and the variance of the English length around the length the
# Chinese predicts, per letter: measured on the 404 translation pairs of the seed clipping and the
# bundled sample library's interleaved documents, the variance averaged over the 7 documents
# (benchmarks/bench_align.py --fit).
LETTERS_PER_HAN = 2.93
VARIANCE_PER_LETTER = 2.13
# Extra variance, in letters, so that headings and one-line items are not judged as sharply as
# paragraphs of a hundred words.
_SHORT_SLACK = 12.0
# Free translations (and lost links) have heavier tails than the fitted Gaussian: a small share of
# pairs is drawn from one three times as wide.
_WIDE_SHARE = 0.05
_WIDE_SCALE = 3.0

# How often each step occurs between a document and its translation. Gale & Church measured
# 0.89 / 0.089 / 0.0099 for sentences of parliamentary proceedings; translated articles and READMEs
# add and drop whole blocks (notes, badges, sections) about as often as they merge two.
_PRIOR_11, _PRIOR_21, _PRIOR_10 = 0.88, 0.02, 0.02
_COST_11 = -math.log(_PRIOR_11)
_COST_21 = -math.log(_PRIOR_21)
_COST_10 = -math.log(_PRIOR_10)
# Leaving out a block that carries no prose (a badge line, an image, a rule) is common in READMEs,
# and a block that announces itself as a translator's or editor's note usually has no counterpart.
_COST_10_NO_PROSE = 2.5
_COST_10_NOTE = 1.5
# Log-odds lost when a note pairs with a block that is not one: a translator's note has no original,
# and an editor's note is translated as one.
_NOTE_ALONE = 5.0

# Rows whose confidence falls below this are worth marking in the reader.
LOW_CONFIDENCE = 0.5
# A pair with a perfect length fit and nothing else to go on scores sigmoid(_SCORE_BIAS).
_SCORE_BIAS = 1.5

_BAND = 2  # half-width of the first band at a pin, in blocks
_FULL_BELOW = 2_500  # matrices smaller than this are computed in full
_FULL_ON_DOUBT = 150_000  # and those smaller than this when the band proves too narrow
_REPAIR_ROWS = 25  # rows either side of an edge the path touched that are solved again
_PIN_MAX_REPEAT = 12  # anchors found in more blocks than this do not pin the diagonal

# Caps on what anchors can add or take away, in nats.
_STRICT_GAIN, _STRICT_LOSS, _STRICT_LOSS_RATE = 8.0, 4.0, 0.35
_WORD_GAIN, _WORD_LOSS, _WORD_GAIN_RATE, _WORD_LOSS_RATE = 6.0, 4.0, 0.8, 0.4
_IDENTICAL = 5.0  # the same text on both sides: copied, untranslated content
_MAX_STRUCTURE = 6.0

_NO_TOKENS: frozenset[str] = frozenset()
_PROSE: frozenset[BlockKind] = frozenset({"paragraph", "text", "quote", "list_item"})
_PLAIN: frozenset[BlockKind] = frozenset({"paragraph", "text", "quote"})  # no structure to compare
_VERBATIM: frozenset[BlockKind] = frozenset({"code", "html"})
_NO_LENGTH: frozenset[BlockKind] = frozenset({"code", "html", "image", "rule"})

_URL = re.compile(r"(?:https?|ftp)://[^\s)\]>\"'<]+|www\.[^\s)\]>\"'<]+")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_ATTR_URL = re.compile(r"(?:href|src)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>\n]{0,500}>")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")  # ASCII digits: what an English number can match
_ALNUM_RUN = re.compile(r"[a-z0-9\u00c0-\u024f]+")  # of lower-cased text: words and numbers
_LATIN_EXTENDED = re.compile(r"[\u00c0-\u024f]")
# The same runs from a text's UTF-8 bytes, translated and split in C, several times faster than a
# regular expression: exact for any text without the accented letters _LATIN_EXTENDED finds (every
# byte of any other non-ASCII character, Han included, becomes a space).
_ALNUM_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256)
)
_NUMBER_BYTES = bytes(c if 48 <= c <= 57 or c in b".," else 32 for c in range(256))
_LETTER_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
_TOKEN = re.compile(r"[A-Za-z0-9_]+|[^\sA-Za-z0-9_\u3400-\u9fff]")
_FENCE = re.compile(r"^\s*(```+|~~~+).*$")
# A language segment of a URL (`/zh-cn/`, `.zh-CN.md`, `_en`), removed so that a link to the
# translated page and a link to the original page count as the same anchor.
_LANG_SEGMENT = re.compile(
    r"[/._-](?:zh|cn|en)(?:[-_](?:cn|hans|hant|tw|hk|us|gb))?(?=[/._#?-]|$)", re.IGNORECASE
)
# Closing markup and quotes after the last mark of a block's text, and white space.
_TRAILING_MARKUP = "*_`)]）】」』”’\"'>" + "".join(filter(str.isspace, map(chr, range(0x3001))))
_COLONS, _QUESTION_MARKS = frozenset(":："), frozenset("?？")
_NOTE = re.compile(
    r"^[\s>*_#(（【\[-]*(?:译者注|译注|译者按|编者按|编者注|校者注|审校注|"
    r"translator'?s note|editor'?s note|note from the (?:translator|editor))",
    re.IGNORECASE,
)
# Latin words that say nothing about which paragraph a Chinese text translates.
_STOPWORDS = frozenset(
    {"an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or"}
    | {"the", "to", "was", "with", "we", "you", "this", "that"}
)


class Bead(NamedTuple):
    """One step of an alignment: the English and Chinese block indices it covers."""

    en: tuple[int, ...]
    zh: tuple[int, ...]
    confidence: float


@dataclass(slots=True)
class _Features:
    """What the scorer compares, computed once per block (or per merged pair of blocks)."""

    kind: BlockKind
    level: int
    text: str
    letters: float  # English letters, or the English letters the Chinese text predicts
    strict: frozenset[str]  # numbers, URLs, inline code: kept verbatim by a translation
    words: frozenset[str]  # Latin words: every word of English, the names kept inside Chinese
    code: frozenset[str]  # tokens of a code or HTML block
    table: tuple[int, int]  # rows and columns of a table
    prose: bool  # has letters worth a length comparison
    skip: float  # cost of leaving the block unpaired
    strict_w: float = 0.0  # summed weight of `strict`, once the document's weights are known
    words_w: float = 0.0  # summed weight of `words`
    strict_cap: float = 0.0  # the most `strict` can add to a pair's evidence
    words_cap: float = 0.0  # the most `words` can add, when this block is the Chinese side
    kind_id: int = 0  # index of `kind` in _KINDS, for the table of structure bounds
    digest: int = 0  # hash of `text`, to spot identical blocks without comparing texts
    note: bool = False  # a translator's or editor's note
    end: int = 0  # how the text ends: an index into _END_SCORE
    mask: int = 0  # a bit for each anchor, shared by many: no common bit, no common anchor


# Features.


def length_units(block: Block) -> tuple[int, int]:
    """(Latin letters and digits, Han characters) of a block, without markup, URLs and tags."""
    text = _prose_and_urls(block.text)[0]
    return _run_length(_LETTER_RUN, text), _run_length(_HAN_RUN, text)


def _run_length(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def _prose_and_urls(text: str) -> tuple[str, set[str]]:
    """The text without link targets, URLs and tags; and the URLs it names, normalised."""
    prose = text
    found: list[str] = []
    if "](" in text:
        found += _LINK_TARGET.findall(text)
        prose = _LINK_TARGET.sub("]", prose)
    if "://" in text or "www." in text:
        found += _URL.findall(text)
        if "://" in prose or "www." in prose:  # not only in the link targets just removed
            prose = _URL.sub(" ", prose)
    if "<" in text:
        if "=" in text:
            found += _HTML_ATTR_URL.findall(text)
        if "<" in prose:
            prose = _HTML_TAG.sub(" ", prose)
    return prose, {"u:" + u for u in map(_norm_url, found) if u} if found else set()


def _norm_url(url: str) -> str:
    url = url.split("://", 1)[-1].split("#", 1)[0].rstrip("/").lower()
    return _LANG_SEGMENT.sub("", url)


def _latin_runs(text: str, raw: bytes) -> tuple[list[str], int]:
    """Runs of Latin letters and digits, lower-cased (words and numbers), and their length;
    `raw` is the text in UTF-8."""
    if text.isascii() or not _LATIN_EXTENDED.search(text):
        kept = raw.translate(_ALNUM_BYTES)
        return kept.decode("latin-1").split(), len(kept) - kept.count(32)
    runs = _ALNUM_RUN.findall(text.lower())
    return runs, sum(map(len, runs))


def _numbers(raw: bytes) -> list[str]:
    """Numbers in a text (in UTF-8), with their separators: "12,500", "3.11"."""
    out: list[str] = []
    for run in raw.translate(_NUMBER_BYTES).decode("latin-1").split():
        run = run.strip(".,")
        if ".." in run or ",," in run or ".," in run or ",." in run:
            out += _NUMBER.findall(run)
        elif run:
            out.append(run)
    return out


def _features(block: Block, vocabulary: frozenset[str] | None = None) -> _Features:
    """The block's features; English words outside `vocabulary` (when given) are not kept."""
    text = block.text
    prose, strict = _prose_and_urls(text)
    no_code = prose
    if "`" in prose:
        strict.update("c:" + c.strip() for c in _INLINE_CODE.findall(prose) if c.strip())
        no_code = _INLINE_CODE.sub(" ", prose)
    raw = no_code.encode()
    numbers = _numbers(raw)
    if numbers:
        strict.update(["n:" + n.replace(",", "") for n in numbers])
    runs, latin = _latin_runs(no_code, raw)
    words: frozenset[str] | set[str]
    if vocabulary is not None:
        words = vocabulary.intersection(runs)
    elif runs:
        words = {r for r in runs if len(r) > 1 and r[0] > "9"} - _STOPWORDS
    else:
        words = _NO_TOKENS
    if no_code is not prose:
        latin = _latin_runs(prose, prose.encode())[1]
    han = 0 if prose.isascii() else _run_length(_HAN_RUN, prose)
    letters = latin + LETTERS_PER_HAN * han
    code: frozenset[str] = frozenset()
    if block.kind in _VERBATIM:
        lines = [ln for ln in text.split("\n") if not _FENCE.match(ln)]
        code = frozenset(_TOKEN.findall("\n".join(lines)))
    table = (0, 0)
    if block.kind == "table":
        rows = [ln for ln in text.split("\n") if ln.strip()]
        table = (len(rows), max((ln.strip().strip("|").count("|") + 1 for ln in rows), default=0))
    has_prose = block.kind not in _NO_LENGTH and letters > 0
    stripped = text.strip()
    note = _NOTE.match(text) is not None
    skip = _COST_10_NOTE if note else _COST_10 if has_prose else _COST_10_NO_PROSE
    return _Features(
        kind=block.kind,
        level=block.level,
        text=stripped,
        letters=letters,
        strict=frozenset(strict) if strict else _NO_TOKENS,
        words=frozenset(words) if words else _NO_TOKENS,
        code=code,
        table=table,
        prose=has_prose,
        skip=skip,
        note=note,
        end=_ending(text) if block.kind in _ENDS else _END_NONE,
        kind_id=_KIND_ID[block.kind],
        digest=hash(stripped),
    )


def _ending(text: str) -> int:
    """How a text ends. A paragraph that ends in a colon introduces what follows (a list, a code
    block) in either language, and a question stays a question."""
    text = text.rstrip(_TRAILING_MARKUP)
    if not text:
        return _END_PLAIN
    last = text[-1]
    if last in _COLONS:
        return _END_COLON
    return _END_QUESTION if last in _QUESTION_MARKS else _END_PLAIN


def _merge(a: _Features, b: _Features, weight: Mapping[str, float]) -> _Features | None:
    """Features of two neighbouring blocks read as one, if a translator could have joined them.

    The joined text is not kept (only identical blocks compare texts, and a joined block is never
    identical to another): its digest is made from its parts'.
    """
    if a.kind != b.kind or a.kind not in _PROSE:
        return None
    strict, words = a.strict | b.strict, a.words | b.words
    strict_w = sum(map(weight.__getitem__, strict))
    words_w = sum(map(weight.__getitem__, words))
    return _Features(
        a.kind,
        a.level,
        "",
        a.letters + b.letters,
        strict,
        words,
        _NO_TOKENS,
        (0, 0),
        a.prose or b.prose,
        a.skip + b.skip,
        strict_w,
        words_w,
        strict_w if strict_w < _STRICT_GAIN else _STRICT_GAIN,
        min(_WORD_GAIN, _WORD_GAIN_RATE * words_w),
        a.kind_id,
        hash((a.digest, b.digest)),
        a.note or b.note,
        b.end,
        a.mask | b.mask,
    )


class _Joined:
    """Features of each two neighbouring blocks read as one, built only when a step needs them;
    until then, bounds on what they could score let the programme skip them."""

    def __init__(self, fs: Sequence[_Features], weight: Mapping[str, float]) -> None:
        self.fs, self.weight = fs, weight
        # What the bounds need of blocks i and i + 1 read as one (None if they cannot be): the
        # weights of their strict anchors and words, their length, whether they have prose,
        # and their mask.
        self.sums: list[tuple[float, float, float, bool, int] | None] = []
        get = weight.__getitem__
        for a, b in pairwise(fs):
            if a.kind != b.kind or a.kind not in _PROSE:
                self.sums.append(None)
                continue
            strict_w, words_w = a.strict_w + b.strict_w, a.words_w + b.words_w
            if a.mask & b.mask:  # a union weighs its parts less what they share
                strict_w -= sum(map(get, a.strict & b.strict))
                words_w -= sum(map(get, a.words & b.words))
            self.sums.append(
                (strict_w, words_w, a.letters + b.letters, a.prose or b.prose, a.mask | b.mask)
            )
        self.built: dict[int, _Features | None] = {}

    def __getitem__(self, i: int) -> _Features | None:
        if i not in self.built:
            self.built[i] = _merge(self.fs[i], self.fs[i + 1], self.weight)
        return self.built[i]


def _weigh(features: Sequence[_Features], weight: Mapping[str, float]) -> None:
    # Each anchor sets one bit of a mask, which many share: a filter that tells most pairs of
    # blocks with nothing in common from the rest without comparing sets. (The bits follow the
    # hash seed; which pairs the filter lets through never changes a score.)
    bit = {k: 1 << (hash(k) % _MASK_BITS) for k in weight}
    get = weight.__getitem__
    for f in features:
        strict, words = f.strict, f.words
        if strict:
            f.strict_w = strict_w = sum(map(get, strict))
            f.strict_cap = min(_STRICT_GAIN, strict_w)
        if words:
            f.words_w = words_w = sum(map(get, words))
            f.words_cap = min(_WORD_GAIN, _WORD_GAIN_RATE * words_w)
        if strict or words:
            # Distinct powers of two: their sum is the mask.
            f.mask = sum(set(map(bit.__getitem__, chain(strict, words))))


_MASK_BITS = 61  # small integers, cheap to build and to compare

# Anchor weights are whole multiples of this, so that a sum of them is exact in any order: a set
# iterates in an order that changes with the interpreter's hash seed, and the alignment must not.
_WEIGHT_QUANTUM = 2.0**-20


def _anchor_counts(features: Sequence[_Features]) -> Counter[str]:
    """In how many of these blocks each anchor is found."""
    return Counter(chain.from_iterable(chain.from_iterable((f.strict, f.words) for f in features)))


def _idf(df: Mapping[str, int], count: int) -> dict[str, float]:
    """Weight of each anchor (`df`: how many of the `count` blocks have it): a name or number
    found in every paragraph says little."""
    by_df = {
        n: round(min(2.0, math.log(1.0 + count / (2.0 * n))) / _WEIGHT_QUANTUM) * _WEIGHT_QUANTUM
        for n in set(df.values())
    }
    return {k: by_df[n] for k, n in df.items()}


# Scoring.


def _tail_cost(delta: float) -> float:
    p = (1 - _WIDE_SHARE) * math.erfc(delta / math.sqrt(2)) + _WIDE_SHARE * math.erfc(
        delta / (_WIDE_SCALE * math.sqrt(2))
    )
    return min(20.0, -math.log(max(p, 1e-300)))


_DELTA_STEP = 50  # table entries per unit of |delta|
_DELTA_TABLE = [_tail_cost(k / _DELTA_STEP) for k in range(20 * _DELTA_STEP + 1)]
_DELTA_LEN = len(_DELTA_TABLE)
# The same cost by delta squared, rounded down: a lower bound the programme gets without a root.
_FLOOR_STEP = 4  # entries per unit of delta squared
_FLOOR_TABLE = [_tail_cost(math.sqrt(k / _FLOOR_STEP)) for k in range(400 * _FLOOR_STEP + 1)]
_DELTA_MAX = _DELTA_TABLE[-1]


def _kind_score(ek: BlockKind, zk: BlockKind) -> float:
    """Log-odds that blocks of these two kinds translate each other (same kinds: see _structure)."""
    pair = {ek, zk}
    if "code" in pair or "table" in pair or "rule" in pair:
        return -8.0
    if pair <= _PROSE:
        return -1.0 if "list_item" in pair else -0.5
    if "heading" in pair:
        return -1.0 if pair & {"paragraph", "text"} else -3.0
    if pair == {"image", "html"} or pair == {"image", "paragraph"}:
        return -0.5
    return -3.0


_KINDS: tuple[BlockKind, ...] = (
    "heading", "paragraph", "list_item", "quote", "code", "table", "image", "rule", "html", "text"
)  # fmt: skip
_KIND_TABLE = {(a, b): _kind_score(a, b) for a in _KINDS for b in _KINDS if a != b}
_KIND_ID = {k: n for n, k in enumerate(_KINDS)}
_KIND_SCORE = [[_KIND_TABLE.get((a, b), 0.0) for b in _KINDS] for a in _KINDS]
# The most _structure can give two blocks of these kinds, unless their texts are identical.
_SAME_KIND_BOUND = {"heading": 1.5, "list_item": 0.5, "code": 6.0, "html": 6.0, "table": 4.0}
_SAME_KIND_BOUND |= {"image": 1.0, "rule": 1.0}
_STRUCTURE_BOUND = [
    [_SAME_KIND_BOUND.get(a, 0.0) if a == b else _KIND_TABLE[a, b] for b in _KINDS] for a in _KINDS
]


# How a text ends: a full stop, no mark or any other (translators add and drop full stops), a
# colon, a question mark, or not text at all. In the interleaved documents every translated pair
# keeps its colon or question mark, and a quarter of neighbouring, unrelated pairs differ in them.
_ENDS: frozenset[BlockKind] = frozenset({"heading", "paragraph", "list_item", "quote", "text"})
_END_PLAIN, _END_COLON, _END_QUESTION, _END_NONE = 0, 1, 2, 3
_END_KEPT, _END_LOST = 1.0, -2.5
_END_SCORE = [
    [0.0, _END_LOST, _END_LOST, 0.0],
    [_END_LOST, _END_KEPT, _END_LOST, 0.0],
    [_END_LOST, _END_LOST, _END_KEPT, 0.0],
    [0.0, 0.0, 0.0, 0.0],
]
_END_KINDS = len(_END_SCORE)
# The most _structure and the endings can give a pair, by each side's kind and ending.
_CLASS_BOUND = [
    [_STRUCTURE_BOUND[ek][zk] + _END_SCORE[ee][ze] for zk in range(len(_KINDS)) for ze in range(4)]
    for ek in range(len(_KINDS))
    for ee in range(4)
]


def _structure(e: _Features, z: _Features) -> float:
    """Log-odds from the two blocks' kinds, levels and shapes."""
    ek = e.kind
    if ek != z.kind:
        return _KIND_TABLE[ek, z.kind]
    if e.text == z.text:
        return _IDENTICAL
    if ek == "heading":
        return 1.5 - 1.5 * min(abs(e.level - z.level), 3)
    if ek == "list_item":
        return 0.5 - 1.0 * min(abs(e.level - z.level), 2)
    if ek in _VERBATIM:
        if e.code == z.code:
            return _MAX_STRUCTURE
        union = len(e.code | z.code)
        return 7.0 * len(e.code & z.code) / union - 2.5 if union else -2.5
    if ek == "table":
        rows_same = e.table[0] == z.table[0]
        cols_same = e.table[1] == z.table[1]
        return 1.0 + 1.5 * rows_same + 1.5 * cols_same - 1.5 * (not cols_same)
    if ek == "image" or ek == "rule":
        return 1.0
    return 0.0


def _evidence(e: _Features, z: _Features, weight: Mapping[str, float], floor: float) -> float:
    """Log-odds (in nats) that z translates e, or -inf as soon as it cannot exceed `floor`.

    This runs for many cells of the programme, hence the inlined arithmetic.
    """
    if e.kind_id != z.kind_id:
        score = _KIND_SCORE[e.kind_id][z.kind_id]
    elif e.kind in _PLAIN and e.digest != z.digest:
        score = 0.0
    else:
        score = _structure(e, z)
    score += _END_SCORE[e.end][z.end]
    if e.note is not z.note:
        score -= _NOTE_ALONE
    if e.prose and z.prose:
        a, b = e.letters, z.letters
        if a != b:  # -log P(|delta|): how far the English length is from what the Chinese predicts
            var = VARIANCE_PER_LETTER * ((a + b) * 0.5 + _SHORT_SLACK)
            k = int((a - b if a > b else b - a) * _DELTA_STEP / math.sqrt(var))
            score -= _DELTA_TABLE[k] if k < _DELTA_LEN else _DELTA_MAX
    # The anchors' share can be no more than if all the lighter side's anchors were shared.
    es, zs, zw = e.strict_w, z.strict_w, z.words_w
    if es or zs:
        gain, rest = (es, zs - es) if es < zs else (zs, es - zs)
        loss = _STRICT_LOSS_RATE * rest
        strict_bound = (gain if gain < _STRICT_GAIN else _STRICT_GAIN) - (
            loss if loss < _STRICT_LOSS else _STRICT_LOSS
        )
    else:
        strict_bound = 0.0
    if zw:
        gain = e.words_w if e.words_w < zw else zw
        loss = _WORD_LOSS_RATE * (zw - gain)
        gain *= _WORD_GAIN_RATE
        words_bound = (gain if gain < _WORD_GAIN else _WORD_GAIN) - (
            loss if loss < _WORD_LOSS else _WORD_LOSS
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
        loss = _STRICT_LOSS_RATE * (es + zs - 2.0 * gain)
        score += (gain if gain < _STRICT_GAIN else _STRICT_GAIN) - (
            loss if loss < _STRICT_LOSS else _STRICT_LOSS
        )
    if zw:
        found = z.words & e.words
        gain = sum(map(weight.__getitem__, found)) if found else 0.0
        loss = _WORD_LOSS_RATE * (zw - gain)
        gain *= _WORD_GAIN_RATE
        score += (gain if gain < _WORD_GAIN else _WORD_GAIN) - (
            loss if loss < _WORD_LOSS else _WORD_LOSS
        )
    return score


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    ex = math.exp(x)
    return ex / (1.0 + ex)


def pair_score(en: Block, zh: Block) -> float:
    """How plausibly `zh` translates `en`, from 0 to 1, judged from the two blocks alone."""
    e, z = _alone(en), _alone(zh)
    return _sigmoid(_SCORE_BIAS + _evidence(e, z, _UNIT_WEIGHT, -math.inf))


@lru_cache(maxsize=4096)
def _alone(block: Block) -> _Features:
    """A block's features with every anchor weighing 1: a block is judged against both its
    neighbours when interleaved blocks are paired."""
    f = _features(block)
    _weigh([f], dict.fromkeys(chain(f.strict, f.words), 1.0))
    return f


class _Unit(dict[str, float]):
    """Every anchor weighs 1."""

    def __missing__(self, key: str) -> float:
        return 1.0


_UNIT_WEIGHT = _Unit()


# The dynamic programme.


def alignment(en: Sequence[Block], zh: Sequence[Block]) -> list[Bead]:
    """The most likely monotonic alignment of the two block lists, as index beads."""
    n, m = len(en), len(zh)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    with _collector_paused():
        return _align(en, zh)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run without the cyclic garbage collector. An alignment makes tens of thousands of small
    objects (features, sets, steps) that hold no reference cycles, so everything it frees is
    freed by reference counting; left on, the collector would walk them, and whatever else the
    process holds, dozens of times per alignment (a sixth of its time) and find nothing.
    Re-enabled only if it was on: a caller that turned it off keeps it off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _align(en: Sequence[Block], zh: Sequence[Block]) -> list[Bead]:
    n, m = len(en), len(zh)
    pair = _prepare(en, zh)
    table = _Table(pair)
    if n * m <= _FULL_BELOW:
        path, touched = table.solve([(0, m)] * (n + 1)), []
    else:
        centre, slack = _anchored_diagonal(pair)
        widths = [_BAND + s for s in slack]
        path = table.solve(_bands(centre, widths, m))
        touched = table.touched
    while touched:
        # The best path ran along an edge of the band: a better one may lie outside. Look again
        # in the whole table if that is affordable, else around each stretch that touched, in a
        # band twice as wide between the points where the path enters and leaves the stretch.
        if n * m <= _FULL_ON_DOUBT:
            path = table.solve([(0, m)] * (n + 1))
            break
        widths = [2 * w for w in widths]
        path, touched = _repair(table, path, touched, widths, n, m)
    return _beads(path, table)


def _repair(
    table: _Table, path: list[Step], touched: list[int], widths: list[int], n: int, m: int
) -> tuple[list[Step], list[int]]:
    """Solve again the stretches of the path around the rows that touched the band's edge."""
    still: list[int] = []
    bands = _bands(_path_centre(path, n), widths, m)
    for first, last in _stretches(touched, _REPAIR_ROWS, n):
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


def _anchored_diagonal(pair: _Pair) -> tuple[list[int], list[int]]:
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
    pinning = {k for k, c in pair.zh_count.items() if c <= _PIN_MAX_REPEAT and en_count.get(k) == c}
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


def _cumulative(fs: Sequence[_Features]) -> list[float]:
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


def _bands(centre: Sequence[int], widths: Sequence[int], m: int) -> list[tuple[int, int]]:
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


class Step(NamedTuple):
    """One step of the best path: it ends at cell (i, j), made by `move`, at `cost`."""

    i: int
    j: int
    move: int
    cost: float


# Move codes: (English blocks, Chinese blocks) consumed.
_MOVES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))
_SHAPES = frozenset({(1, 1), (2, 1), (1, 2)})  # the steps that pair blocks
_UNPAIRED = frozenset({1, 2})  # the moves that leave a block alone
_NO_COLUMNS = (1 << 62, -2)  # an empty range of columns


@dataclass(frozen=True, slots=True)
class _Pair:
    """What every step of the programme is scored from: both block lists' features, their
    neighbours read as one, and the weight of each anchor in this pair of documents."""

    ef: list[_Features]
    zf: list[_Features]
    ef2: _Joined
    zf2: _Joined
    weight: dict[str, float]
    en_count: Counter[str]  # in how many English blocks each anchor is found
    zh_count: Counter[str]


def _prepare(en: Sequence[Block], zh: Sequence[Block]) -> _Pair:
    zf = [_features(b) for b in zh]
    # English words matter only where a Chinese block keeps them.
    vocabulary = frozenset().union(*(f.words for f in zf))
    ef = [_features(b, vocabulary) for b in en]
    en_count, zh_count = _anchor_counts(ef), _anchor_counts(zf)
    weight = _idf(en_count + zh_count, len(ef) + len(zf))
    _weigh([*ef, *zf], weight)
    return _Pair(ef, zf, _Joined(ef, weight), _Joined(zf, weight), weight, en_count, zh_count)


class _Table:
    """The dynamic programme over one pair of block lists: the blocks' numbers unpacked once,
    and solved over any band, between any two cells."""

    def __init__(self, pair: _Pair) -> None:
        self.pair = pair
        zf, zf2 = pair.zf, pair.zf2
        # What the bounds read of each Chinese block, and of each two neighbours read as one.
        self.zs = [
            (
                f.skip,
                f.words_cap,
                f.strict_cap,
                f.digest,
                f.kind_id * _END_KINDS + f.end,
                f.prose,
                f.letters,
                f.mask,
                _STRICT_LOSS_RATE * f.strict_w,
                min(_WORD_LOSS, _WORD_LOSS_RATE * f.words_w),
            )
            for f in zf
        ]
        self.z2s = [
            None
            if sums is None
            else (
                min(_WORD_GAIN, _WORD_GAIN_RATE * sums[1]),
                min(_STRICT_GAIN, sums[0]),
                a.kind_id * _END_KINDS + b.end,
                sums[3],
                sums[2],
                sums[4],
                _STRICT_LOSS_RATE * sums[0],
                min(_WORD_LOSS, _WORD_LOSS_RATE * sums[1]),
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
        evidence, floor_table = _evidence, _FLOOR_TABLE
        floor_len, floor_max = len(floor_table), floor_table[-1]
        u_scale, slack = _FLOOR_STEP / VARIANCE_PER_LETTER, _SHORT_SLACK
        cost_11, cost_21, strict_loss = _COST_11, _COST_21, _STRICT_LOSS
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
            e_mask, e_loss = e.mask, _STRICT_LOSS_RATE * e.strict_w
            e_bounds = _CLASS_BOUND[e.kind_id * _END_KINDS + e.end]
            e_same = _IDENTICAL + _END_SCORE[e.end][e.end]
            p2lo, p2hi = _NO_COLUMNS  # the columns a 2-1 step can come from
            sums = ef2.sums[i - 2] if i - 2 >= i0 else None
            if sums is not None:
                p2lo, p2hi = bands[i - 2] if i - 2 > i0 else (j0, bands[i0][1])
                prev2 = cost[i - 2 - i0]
                e2_strict_w, _, e2_letters, e2_prose, e2_mask = sums
                e2_strict = min(_STRICT_GAIN, e2_strict_w)
                e2_half = e2_letters * 0.5 + slack
                e2_loss = _STRICT_LOSS_RATE * e2_strict_w
                # A joined block ends where its second part does.
                e2_bounds = _CLASS_BOUND[ef[i - 2].kind_id * _END_KINDS + e.end]
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
                            c = base - evidence(e, zf[j - 1], weight, need)
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
                                c = base - evidence(e, joined, weight, need)
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
                            c = base - evidence(joined, zf[j - 1], weight, need)
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
            di, dj = _MOVES[move]
            before = j0 if i - di == i0 else bands[i - di][0]
            step_cost = cost[i - i0][j - lo] - cost[i - di - i0][j - dj - before]
            path.append(Step(i, j, move, step_cost))
            i, j = i - di, j - dj
        path.reverse()
        return path


def _beads(path: Sequence[Step], table: _Table) -> list[Bead]:
    scorer = _Scorer(table.pair)
    spans = []
    for i, j, move, cost in path:
        di, dj = _MOVES[move]
        # The blocks the step covers: the last di English and dj Chinese blocks before (i, j).
        span = (
            () if not di else (i - 1,) if di == 1 else (i - 2, i - 1),
            () if not dj else (j - 1,) if dj == 1 else (j - 2, j - 1),
        )
        scorer.memo[span] = cost
        spans.append(span)
    pairs = [move not in _UNPAIRED for _, _, move, _ in path] + [True]
    beads = []
    for k, ((en, zh), step) in enumerate(zip(spans, path, strict=True)):
        if step.move == 0 and pairs[k - 1] and pairs[k + 1]:  # a pair between pairs
            confidence = _sigmoid(_SCORE_BIAS + _COST_11 - step.cost)
        else:
            confidence = scorer.confidence(spans, k)
        beads.append(Bead(en, zh, round(confidence, 3)))
    return beads


Span = tuple[tuple[int, ...], tuple[int, ...]]


class _Scorer:
    """Costs of single steps, and how much better each chosen step is than its local rivals."""

    def __init__(self, pair: _Pair) -> None:
        self.ef, self.zf, self.ef2, self.zf2 = pair.ef, pair.zf, pair.ef2, pair.zf2
        self.weight = pair.weight
        self.memo: dict[Span, float] = {}

    def cost(self, en: tuple[int, ...], zh: tuple[int, ...]) -> float:
        key = (en, zh)
        if key in self.memo:
            return self.memo[key]
        if not zh:
            c = sum(self.ef[i].skip for i in en)
        elif not en:
            c = sum(self.zf[j].skip for j in zh)
        elif (len(en), len(zh)) not in _SHAPES:
            c = math.inf
        else:
            e = self.ef[en[0]] if len(en) == 1 else self.ef2[en[0]]
            z = self.zf[zh[0]] if len(zh) == 1 else self.zf2[zh[0]]
            prior = _COST_11 if len(en) == len(zh) else _COST_21
            c = math.inf if e is None or z is None else prior - _evidence(e, z, self.weight, -1e9)
        self.memo[key] = c
        return c

    def confidence(self, spans: Sequence[Span], k: int) -> float:
        """sigmoid of the margin by which step k beats the steps that could replace it locally
        (leaving its blocks unpaired, joining a neighbour, moving a boundary); for a pair, also
        no more than how plausible the pair is on its own."""
        en, zh = spans[k]
        chosen = self.cost(en, zh)
        if len(en) == len(zh) == 1 and all(
            spans[n][0] and spans[n][1] for n in (k - 1, k + 1) if 0 <= n < len(spans)
        ):
            # Between two pairs the only rival is leaving both blocks out, which always costs
            # more than the plausibility bound below: no need to weigh it.
            return _sigmoid(_SCORE_BIAS + _COST_11 - chosen)
        rivals: list[float] = []
        if en and zh:
            rivals.append(self.cost(en, ()) + self.cost((), zh) - chosen)
            if len(en) == 2:
                rivals.append(self.cost(en[:1], zh) + self.cost(en[1:], ()) - chosen)
                rivals.append(self.cost(en[:1], ()) + self.cost(en[1:], zh) - chosen)
            if len(zh) == 2:
                rivals.append(self.cost(en, zh[:1]) + self.cost((), zh[1:]) - chosen)
                rivals.append(self.cost((), zh[:1]) + self.cost(en, zh[1:]) - chosen)
        for n in (k - 1, k + 1):
            if 0 <= n < len(spans):
                first, second = (spans[n], spans[k]) if n < k else (spans[k], spans[n])
                both = chosen + self.cost(*spans[n])
                rivals.extend(alt - both for alt in self._rearranged(first, second))
        margin = min(rivals, default=math.inf)
        conf = 1.0 if margin == math.inf else _sigmoid(margin)
        if en and zh:
            prior = _COST_11 if len(en) == len(zh) else _COST_21
            conf = min(conf, _sigmoid(_SCORE_BIAS + prior - chosen))
        return conf

    def _rearranged(self, first: Span, second: Span) -> list[float]:
        """Costs of covering two neighbouring steps' blocks in another way."""
        (e1, z1), (e2, z2) = first, second
        out = []
        en, zh = e1 + e2, z1 + z2
        if (len(en), len(zh)) in _SHAPES and bool(e1) + bool(e2) + bool(z1) + bool(z2) < 4:
            out.append(self.cost(en, zh))  # one step for both
        # A block left out changes places with the pair beside it.
        if e1 and not z1 and len(e2) == 1 and len(z2) == 1:
            out.append(self.cost(e1, z2) + self.cost(e2, ()))
        if z1 and not e1 and len(e2) == 1 and len(z2) == 1:
            out.append(self.cost(e2, z1) + self.cost((), z2))
        if e2 and not z2 and len(e1) == 1 and len(z1) == 1:
            out.append(self.cost(e2, z1) + self.cost(e1, ()))
        if z2 and not e2 and len(e1) == 1 and len(z1) == 1:
            out.append(self.cost(e1, z2) + self.cost((), z1))
        return out


# Rows.


def align_blocks(en: Sequence[Block], zh: Sequence[Block]) -> list[Row]:
    """Rows pairing each English block with the Chinese block(s) that translate it."""
    return [
        Row(_joined([en[i] for i in b.en]), _joined([zh[j] for j in b.zh]), b.confidence)
        for b in alignment(en, zh)
    ]


def _joined(blocks: Sequence[Block]) -> Block | None:
    """Two blocks a translator merged, read as one: their texts with a blank line between."""
    if not blocks:
        return None
    first = blocks[0]
    if len(blocks) == 1:
        return first
    text = "\n\n".join(b.text for b in blocks)
    return Block(first.kind, text, first.line, first.lang, first.level)
