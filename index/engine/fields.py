"""Whoosh field types and tokenizers over `index.analysis.tokens`.

The tokenizers make the fields usable by anything in Whoosh that analyses text (highlighting,
`field.process_text`). Indexing skips the Token-object pipeline: the record builder computes each
row's terms once (`tokens.index_terms`) and hands them over as `Terms`, and the fields encode
the postings directly, in Whoosh's own `Positions` format. That is where most of the speed over the
stock `ChineseAnalyzer` pipeline comes from.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.compat import dumps
from whoosh.fields import TEXT
from whoosh.system import pack_uint

from index.analysis.tokens import bigram_tokens, index_terms, word_tokens

TokenFn = Callable[[str], Iterator[tuple[str, int, int, int]]]


class Terms:
    """Terms already computed for one field of one record: term → positions."""

    __slots__ = ("positions",)

    def __init__(self, positions: dict[str, list[int]]) -> None:
        self.positions = positions

    def __reduce__(self) -> tuple[Any, ...]:
        return (Terms, (self.positions,))


class _StreamTokenizer(Tokenizer):
    """A Whoosh Tokenizer over one of the term streams of `index.analysis.tokens`."""

    stream: TokenFn

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term, pos, start, end in type(self).stream(value):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class WordTokenizer(_StreamTokenizer):
    """English words (stemmed) and Chinese words (jieba search mode), positions = word index."""

    stream = staticmethod(word_tokens)


class BigramTokenizer(_StreamTokenizer):
    """Chinese character bigrams, plus each run's last character; positions = character index."""

    stream = staticmethod(bigram_tokens)


# Shared objects for what millions of postings repeat: a big build holds them all in memory at once.
_TERM_BYTES: dict[str, bytes] = {}
_TERM_CACHE_MAX = 50_000  # 200,000 cost 16 MB more per build process and saved no time
_FLOATS = [float(i) for i in range(256)]
_SINGLE: dict[int, bytes] = {}  # the encoding of a term seen once, by position


def _encode(plist: list[int]) -> bytes:
    # Byte-for-byte what whoosh.formats.Positions.encode writes, so its decoder reads it.
    if len(plist) == 1:
        pos = plist[0]
        value = _SINGLE.get(pos)
        if value is None:
            value = _SINGLE[pos] = pack_uint(1) + dumps([pos], 2)
        return value
    deltas = [plist[0]]
    deltas.extend(b - a for a, b in itertools.pairwise(plist))
    return bytes(pack_uint(len(deltas)) + dumps(deltas, 2))


class _TermsField(TEXT):
    bigrams = False

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Terms):
            positions = value.positions
        else:
            texts = (value,) if isinstance(value, str) else tuple(value)
            words, grams = index_terms(texts, bigrams=self.bigrams)
            positions = grams if self.bigrams else words
        boost = self.format.field_boost
        cache = _TERM_BYTES
        if len(cache) > _TERM_CACHE_MAX:
            cache.clear()
        for term, plist in positions.items():
            n = len(plist)
            tbytes = cache.get(term)
            if tbytes is None:
                tbytes = cache[term] = term.encode("utf-8")
            weight = _FLOATS[n] if boost == 1.0 and n < 256 else n * boost
            yield tbytes, n, weight, _encode(plist)


class WordsField(_TermsField):
    def __init__(self, field_boost: float = 1.0) -> None:
        super().__init__(analyzer=WordTokenizer(), phrase=True, field_boost=field_boost)


class BigramField(_TermsField):
    bigrams = True

    def __init__(self, field_boost: float = 1.0) -> None:
        super().__init__(analyzer=BigramTokenizer(), phrase=True, field_boost=field_boost)
