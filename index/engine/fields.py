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
from whoosh.fields import TEXT
from whoosh.system import pack_uint

from index.analysis.tokens import char_tokens, index_terms, word_tokens

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


class CharTokenizer(_StreamTokenizer):
    """Chinese characters one by one; positions = character index."""

    stream = staticmethod(char_tokens)


# Shared objects for what millions of postings repeat: a big build holds them all in memory at once.
_TERM_BYTES: dict[str, bytes] = {}
_TERM_CACHE_MAX = 50_000  # 200,000 cost 16 MB more per build process and saved no time
_FLOATS = [float(i) for i in range(256)]
_SINGLE: dict[int, bytes] = {}  # the encoding of a term seen once, by position


def encode_positions(plist: list[int]) -> bytes:
    # What whoosh.formats.Positions.encode writes (a count, then the pickled deltas), pickled at
    # protocol 1 without the memo: Whoosh's decoder unpickles any protocol, and a posting with one
    # position takes 9 bytes instead of 13.
    if len(plist) == 1:
        pos = plist[0]
        value = _SINGLE.get(pos)
        if value is None:
            value = _SINGLE[pos] = pack_uint(1) + b"]" + _pickled_int(pos) + b"a."
        return value
    items = [_pickled_int(plist[0])]
    items.extend(_pickled_int(b - a) for a, b in itertools.pairwise(plist))
    count: bytes = pack_uint(len(items))
    return count + b"](" + b"".join(items) + b"e."


_SMALL = [b"K" + bytes([i]) for i in range(256)]


def _pickled_int(i: int) -> bytes:
    """The pickle opcode of a non-negative int (BININT1, BININT2 or BININT)."""
    if i < 256:
        return _SMALL[i]
    if i < 65536:
        return b"M" + i.to_bytes(2, "little")
    return b"J" + i.to_bytes(4, "little", signed=True)


class _TermsField(TEXT):
    chars = False

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Terms):
            positions = value.positions
        else:
            texts = (value,) if isinstance(value, str) else tuple(value)
            words, chars = index_terms(texts, chars=self.chars)
            positions = chars if self.chars else words
        boost = self.format.field_boost
        for term, plist in positions.items():
            yield term.encode("utf-8"), len(plist), len(plist) * boost, encode_positions(plist)

    def add_postings(
        self, terms: Terms, docnum: int, into: dict[bytes, list[list[Any]]]
    ) -> tuple[int, int]:
        """File one record's postings under their terms in a pool's field (`RunPool.field`),
        positions as they are (the pool's `Raw` values); returns (postings, the field's length
        in the record). A loop of its own: Whoosh's makes a tuple and a call per posting."""
        boost = self.format.field_boost
        floats = _FLOATS if boost == 1.0 else [n * boost for n in range(256)]
        cache = _TERM_BYTES
        if len(cache) > _TERM_CACHE_MAX:
            cache.clear()
        length = 0
        for term, plist in terms.positions.items():
            n = len(plist)
            length += n
            tbytes = cache.get(term)
            if tbytes is None:
                tbytes = cache[term] = term.encode("utf-8")
            weight = floats[n] if n < 256 else n * boost
            found = into.get(tbytes)
            if found is None:
                into[tbytes] = [[docnum], [weight], [plist]]
            else:
                ids, weights, values = found
                ids.append(docnum)
                weights.append(weight)
                values.append(plist)
        return len(terms.positions), length


class WordsField(_TermsField):
    def __init__(self, field_boost: float = 1.0) -> None:
        super().__init__(analyzer=WordTokenizer(), phrase=True, field_boost=field_boost)


class CharField(_TermsField):
    chars = True

    def __init__(self, field_boost: float = 1.0) -> None:
        super().__init__(analyzer=CharTokenizer(), phrase=True, field_boost=field_boost)
