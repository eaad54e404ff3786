"""What the aligner compares, computed once per block: length, anchors a translation keeps
(numbers, URLs, inline code, Latin names), kind and ending; and the weight of each anchor in a pair
of documents."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

from corpus.align.constants import (
    COST_10,
    COST_10_NO_PROSE,
    COST_10_NOTE,
    LETTERS_PER_HAN,
    STRICT_GAIN,
    WORD_GAIN,
    WORD_GAIN_RATE,
)
from corpus.model import Block, BlockKind

_NO_TOKENS: frozenset[str] = frozenset()
PROSE: frozenset[BlockKind] = frozenset({"paragraph", "text", "quote", "list_item"})
VERBATIM: frozenset[BlockKind] = frozenset({"code", "html"})
_NO_LENGTH: frozenset[BlockKind] = frozenset({"code", "html", "image", "rule"})

KINDS: tuple[BlockKind, ...] = (
    "heading", "paragraph", "list_item", "quote", "code", "table", "image", "rule", "html", "text"
)  # fmt: skip
_KIND_ID = {k: n for n, k in enumerate(KINDS)}

# How a text ends: a full stop, no mark or any other (translators add and drop full stops), a
# colon, a question mark, or not text at all.
_ENDS: frozenset[BlockKind] = frozenset({"heading", "paragraph", "list_item", "quote", "text"})
_END_PLAIN, _END_COLON, _END_QUESTION, _END_NONE = 0, 1, 2, 3

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


@dataclass(slots=True)
class Features:
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
    kind_id: int = 0  # index of `kind` in KINDS, for the table of structure bounds
    digest: int = 0  # hash of `text`, to spot identical blocks without comparing texts
    note: bool = False  # a translator's or editor's note
    end: int = 0  # how the text ends: an index into scoring.END_SCORE
    mask: int = 0  # a bit for each anchor, shared by many: no common bit, no common anchor


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


def block_features(block: Block, vocabulary: frozenset[str] | None = None) -> Features:
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
    if block.kind in VERBATIM:
        lines = [ln for ln in text.split("\n") if not _FENCE.match(ln)]
        code = frozenset(_TOKEN.findall("\n".join(lines)))
    table = (0, 0)
    if block.kind == "table":
        rows = [ln for ln in text.split("\n") if ln.strip()]
        table = (len(rows), max((ln.strip().strip("|").count("|") + 1 for ln in rows), default=0))
    has_prose = block.kind not in _NO_LENGTH and letters > 0
    stripped = text.strip()
    note = _NOTE.match(text) is not None
    skip = COST_10_NOTE if note else COST_10 if has_prose else COST_10_NO_PROSE
    return Features(
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


def _merge(a: Features, b: Features, weight: Mapping[str, float]) -> Features | None:
    """Features of two neighbouring blocks read as one, if a translator could have joined them.

    The joined text is not kept (only identical blocks compare texts, and a joined block is never
    identical to another): its digest is made from its parts'.
    """
    if a.kind != b.kind or a.kind not in PROSE:
        return None
    strict, words = a.strict | b.strict, a.words | b.words
    strict_w = sum(map(weight.__getitem__, strict))
    words_w = sum(map(weight.__getitem__, words))
    return Features(
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
        strict_w if strict_w < STRICT_GAIN else STRICT_GAIN,
        min(WORD_GAIN, WORD_GAIN_RATE * words_w),
        a.kind_id,
        hash((a.digest, b.digest)),
        a.note or b.note,
        b.end,
        a.mask | b.mask,
    )


class Joined:
    """Features of each two neighbouring blocks read as one, built only when a step needs them;
    until then, bounds on what they could score let the programme skip them."""

    def __init__(self, fs: Sequence[Features], weight: Mapping[str, float]) -> None:
        self.fs, self.weight = fs, weight
        # What the bounds need of blocks i and i + 1 read as one (None if they cannot be): the
        # weights of their strict anchors and words, their length, whether they have prose,
        # and their mask.
        self.sums: list[tuple[float, float, float, bool, int] | None] = []
        get = weight.__getitem__
        for a, b in pairwise(fs):
            if a.kind != b.kind or a.kind not in PROSE:
                self.sums.append(None)
                continue
            strict_w, words_w = a.strict_w + b.strict_w, a.words_w + b.words_w
            if a.mask & b.mask:  # a union weighs its parts less what they share
                strict_w -= sum(map(get, a.strict & b.strict))
                words_w -= sum(map(get, a.words & b.words))
            self.sums.append(
                (strict_w, words_w, a.letters + b.letters, a.prose or b.prose, a.mask | b.mask)
            )
        self.built: dict[int, Features | None] = {}

    def __getitem__(self, i: int) -> Features | None:
        if i not in self.built:
            self.built[i] = _merge(self.fs[i], self.fs[i + 1], self.weight)
        return self.built[i]


def weigh(features: Sequence[Features], weight: Mapping[str, float]) -> None:
    # Each anchor sets one bit of a mask, which many share: a filter that tells most pairs of
    # blocks with nothing in common from the rest without comparing sets. (The bits follow the
    # hash seed; which pairs the filter lets through never changes a score.)
    bit = {k: 1 << (hash(k) % _MASK_BITS) for k in weight}
    get = weight.__getitem__
    for f in features:
        strict, words = f.strict, f.words
        if strict:
            f.strict_w = strict_w = sum(map(get, strict))
            f.strict_cap = min(STRICT_GAIN, strict_w)
        if words:
            f.words_w = words_w = sum(map(get, words))
            f.words_cap = min(WORD_GAIN, WORD_GAIN_RATE * words_w)
        if strict or words:
            # Distinct powers of two: their sum is the mask.
            f.mask = sum(set(map(bit.__getitem__, chain(strict, words))))


_MASK_BITS = 61  # small integers, cheap to build and to compare

# Anchor weights are whole multiples of this, so that a sum of them is exact in any order: a set
# iterates in an order that changes with the interpreter's hash seed, and the alignment must not.
_WEIGHT_QUANTUM = 2.0**-20


def _anchor_counts(features: Sequence[Features]) -> Counter[str]:
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


@dataclass(frozen=True, slots=True)
class Pair:
    """What every step of the programme is scored from: both block lists' features, their
    neighbours read as one, and the weight of each anchor in this pair of documents."""

    ef: list[Features]
    zf: list[Features]
    ef2: Joined
    zf2: Joined
    weight: dict[str, float]
    en_count: Counter[str]  # in how many English blocks each anchor is found
    zh_count: Counter[str]


def prepare(en: Sequence[Block], zh: Sequence[Block]) -> Pair:
    zf = [block_features(b) for b in zh]
    # English words matter only where a Chinese block keeps them.
    vocabulary = frozenset().union(*(f.words for f in zf))
    ef = [block_features(b, vocabulary) for b in en]
    en_count, zh_count = _anchor_counts(ef), _anchor_counts(zf)
    weight = _idf(en_count + zh_count, len(ef) + len(zf))
    weigh([*ef, *zf], weight)
    return Pair(ef, zf, Joined(ef, weight), Joined(zf, weight), weight, en_count, zh_count)
