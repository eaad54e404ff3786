"""Words of a sentence, for the reader's word cursor: letters and digits of other scripts run
whole, Chinese cut where jieba cuts it (the index's segmenter, so the reader and search agree).

The segmenter takes most of a second to load; `warm()` loads it (call it in a thread worker) and
`ready()` says whether `words()` will answer at once.
"""

from __future__ import annotations

import re

from index.analysis import segmenter

Span = tuple[int, int]

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_RUN = re.compile(rf"[{_HAN}]+|(?:(?![{_HAN}])[^\W_])+(?:['’-](?:(?![{_HAN}])[^\W_])+)*")

_ready = False


def warm() -> None:
    """Load the segmenter now (slow the first time)."""
    global _ready
    segmenter.tokenize("中文")
    _ready = True


def ready() -> bool:
    return _ready


def words(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The words of `text[start:end]`, as spans of `text`, in reading order."""
    end = len(text) if end is None else end
    out: list[Span] = []
    for match in _RUN.finditer(text, start, end):
        a, b = match.span()
        if _HAN_CHAR.match(text, a):
            out.extend((a + s, a + e) for s, e in _segment(text[a:b]))
        else:
            out.append((a, b))
    return out


def _segment(run: str) -> list[Span]:
    """One cut of a run of Han characters: the longest word the segmenter found at each place
    (its search mode also offers the parts of long words)."""
    longest: dict[int, int] = {}
    for _word, s, e in segmenter.tokenize(run):
        longest[s] = max(longest.get(s, s + 1), e)
    out: list[Span] = []
    i = 0
    while i < len(run):
        e = longest.get(i, i + 1)
        out.append((i, e))
        i = e
    return out
