"""Simplified and Traditional Chinese as one form, so `开源` and `開源` find each other.

OpenCC's data (through its official Python binding, about 24 million characters a second here;
the pure-Python port managed 0.5 million) maps Traditional to Simplified characters and, with the
Taiwan phrase table, words that differ as well (`軟體` → `软件`). Simplified text passes through
unchanged. Nothing here changes what the reader shows: the index folds what it stores and what it
is asked, and highlights the text as written.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from corpus.language import has_han


@cache  # three configurations, each a few hundred ms to load: kept, all of them
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Simplified Chinese for `text`, Taiwan and Hong Kong words included (`軟體` → `软件`,
    `記憶體` → `内存`); the length may change."""
    if not has_han(text):
        return text
    return str(_converter("tw2sp.json").convert(text))


def fold(text: str) -> str:
    """`text` with each Traditional character replaced by its Simplified form, character for
    character (the same length, so offsets found in the folded text hold in the original)."""
    if not has_han(text):
        return text
    converter = _converter("t2s.json")
    folded = str(converter.convert(text))
    if len(folded) == len(text):
        return folded
    return "".join(c if len(s := str(converter.convert(c))) != 1 else s for c in text)


def variants(run: str) -> list[str]:
    """The folded forms a Chinese query string should match: itself, and where OpenCC's phrase
    tables map it to other words (`软件` ↔ `軟體`), those words folded (`软体`)."""
    out = [fold(run)]
    if has_han(run):
        for other in (str(_converter("s2twp.json").convert(run)), to_simplified(run)):
            folded = fold(other)
            if folded not in out:
                out.append(folded)
    return out
