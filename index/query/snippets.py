"""Snippets with the matched words marked, computed from the row's own text.

Whoosh's highlighter drops the second of two overlapping Chinese tokens (PITFALLS 1.4) and stops at
32 KB; here the matches are found directly (stemmed English words, literal Chinese strings), their
character ranges merged, and the densest window of the side that matched is cut out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.hanzi import fold
from index.analysis.tokens import CJK_CLASS, english_term, words_beginning
from index.query.compile import Evidence

SNIPPET_CHARS = 160  # about two terminal lines of English, one and a half of Chinese (wide)
_WORD_CHAR = f"[^\\W_{CJK_CLASS}]"
_WORD = re.compile(f"{_WORD_CHAR}+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]
    terms: tuple[str, ...]
    matches: int


def match_ranges(text: str, ev: Evidence) -> list[tuple[int, int]]:
    """Merged (start, end) character ranges of `text` that the query matched."""
    ranges: list[tuple[int, int]] = []
    if ev.en_terms or ev.en_prefixes:
        prefixes = tuple(ev.en_prefixes)
        firsts = frozenset(t[:1] for t in (*ev.en_terms, *prefixes))
        words = _WORD if "" in firsts else words_beginning(firsts, _WORD_CHAR)
        for m in words.finditer(text):
            w = m.group()
            term = english_term(w)
            begun = bool(prefixes) and (w.lower().startswith(prefixes) or term.startswith(prefixes))
            if begun or term in ev.en_terms:
                ranges.append(m.span())
    folded = fold(text) if ev.zh_literals else text  # same length: offsets hold in `text`
    for lit in ev.zh_literals:
        start = folded.find(lit)
        while start >= 0:
            ranges.append((start, start + len(lit)))
            start = folded.find(lit, start + 1)
    return merge(ranges)


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges joined (马克 + 马克思 → one range)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def make_snippet(text: str, ev: Evidence, width: int = SNIPPET_CHARS) -> Snippet:
    """The window of `text` (one line, at most about `width` characters) holding the most matches;
    spans index into the returned text."""
    flat = _SPACES.sub(" ", text).strip()
    ranges = match_ranges(flat, ev)
    terms = tuple(dict.fromkeys(flat[s:e] for s, e in ranges))
    if len(flat) <= width:
        return Snippet(flat, tuple(ranges), terms, len(ranges))
    start = _best_start(flat, ranges, width)
    end = min(len(flat), start + width)
    if start > 0:
        start = _word_start(flat, start)
    if end < len(flat):
        end = _word_end(flat, end)
    body = flat[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    spans = tuple(
        (max(s, start) + shift, min(e, end) + shift) for s, e in ranges if e > start and s < end
    )
    return Snippet(prefix + body + suffix, spans, terms, len(ranges))


def _best_start(text: str, ranges: list[tuple[int, int]], width: int) -> int:
    if not ranges:
        return 0
    best_i, best_n = 0, 0
    j = 0
    for i, (s, _) in enumerate(ranges):
        while j < len(ranges) and ranges[j][1] <= s + width:
            j += 1
        if j - i > best_n:
            best_i, best_n = i, j - i
    first = ranges[best_i][0]
    last = ranges[best_i + best_n - 1][1]
    lead = max(0, (width - (last - first)) // 3)
    return max(0, min(first - lead, len(text) - width))


def _word_start(text: str, i: int) -> int:
    """Move forward to the start of a word if `i` cuts an English word (Chinese cuts anywhere)."""
    j = i
    while j < len(text) and j - i < 15 and text[j - 1].isalnum() and text[j - 1].isascii():
        j += 1
    return j if j - i < 15 else i


def _word_end(text: str, i: int) -> int:
    j = i
    while j > 0 and i - j < 15 and text[j].isalnum() and text[j].isascii():
        j -= 1
    return j if i - j < 15 else i
