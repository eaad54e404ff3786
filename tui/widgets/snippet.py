"""Fitting a search snippet into one line of the result list, matches kept in view.

Everything here takes untrusted text and returns `Content` with explicit spans: nothing is ever
read as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual.content import Content, Span
from textual.style import Style

_SPACE = re.compile(r"\s")
ELLIPSIS = "…"
# Markdown punctuation that says nothing in a one-line snippet: block markers at the start,
# emphasis and code marks, and the bracket-and-URL parts of links and images.
_LEAD = re.compile(r"^\s*(?:#{1,6}\s+|(?:>\s*)+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,3}[.)]\s+)")
_INLINE = re.compile(r"\*\*|__|`+|~~")
_LINK = re.compile(r"(!?\[)([^\]\n]*)(\]\([^)\s]*(?:\s+\"[^\"]*\")?\))")


def one_line(text: str) -> str:
    """Whitespace of any kind as single spaces, same length (so offsets stay valid)."""
    return _SPACE.sub(" ", text)


def plain_snippet(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """`text` without Markdown punctuation, and `spans` moved to match. A match that fell on the
    removed punctuation shrinks to what is left of it."""
    drop: list[tuple[int, int]] = []
    lead = _LEAD.match(text)
    if lead:
        drop.append(lead.span())
    for link in _LINK.finditer(text):
        drop.append(link.span(1))
        drop.append(link.span(3))
    drop += [m.span() for m in _INLINE.finditer(text)]
    if not drop:
        return text, list(spans)
    removed = [False] * (len(text) + 1)
    for start, end in drop:
        for i in range(start, end):
            removed[i] = True
    new_index = [0] * (len(text) + 1)
    kept: list[str] = []
    for i, ch in enumerate(text):
        new_index[i] = len(kept)
        if not removed[i]:
            kept.append(ch)
    new_index[len(text)] = len(kept)
    moved = [(new_index[s], new_index[e]) for s, e in spans if 0 <= s < e <= len(text)]
    return "".join(kept), [(s, e) for s, e in moved if e > s]


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the literal terms occur in `text`, case-insensitively, merged where they overlap."""
    folded = text.casefold()
    if len(folded) != len(text):  # casefold changed lengths (ß → ss): fall back to lower()
        folded = text.lower()
    found: list[tuple[int, int]] = []
    for term in {t.casefold() for t in terms if t and t.strip()}:
        start = folded.find(term)
        while start >= 0:
            found.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    return merge_spans(found)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def fit_snippet(
    text: str,
    spans: Sequence[tuple[int, int]],
    width: int,
    *,
    style: Style,
    highlight: Style,
) -> Content:
    """One line of at most `width` cells showing the first match, with context before it."""
    text, spans = plain_snippet(one_line(text), spans)
    text = text.rstrip()
    spans = [(max(0, s), min(len(text), e)) for s, e in merge_spans(spans) if s < len(text)]
    start = 0
    if spans and width > 8:
        first, first_end = spans[0]
        # Keep about a third of the line as context before the match when it would not fit.
        if cell_len(text[:first_end]) > width - 2:
            lead = max(4, width // 3)
            start = first
            while start > 0 and cell_len(text[start - 1 : first]) <= lead:
                start -= 1
            # Prefer to begin at a word boundary for Latin text.
            space = text.find(" ", start, first)
            if 0 <= space < first and space - start < 12:
                start = space + 1
    body = text[start:]
    content = Content(body).stylize(style)
    marks = [
        Span(max(0, s - start), e - start, highlight)
        for s, e in spans
        if e > start and s - start < len(body)
    ]
    content = content.add_spans(marks)
    if start > 0:
        content = Content.styled(ELLIPSIS, style) + content
    return ellipsize(content, width)


def ellipsize(content: Content, width: int, *, pad: bool = False) -> Content:
    """`content` in at most `width` cells, cut with an ellipsis right after the last character
    that fits; `pad` fills the line to `width`. (Textual's `truncate` fills the cut to `width - 1`
    cells, which leaves a space before the ellipsis when a double-width character is cut.)"""
    if content.cell_length > width > 1:
        cells = 0
        for char in content.plain:
            if cells + cell_len(char) > width - 1:
                break
            cells += cell_len(char)
        if cells < width - 1:  # a wide character did not fit: cut before it, no gap
            cut = content.truncate(cells + 1, ellipsis=True)
            return cut.truncate(width, pad=True) if pad else cut
    return content.truncate(width, ellipsis=True, pad=pad)


def split_at_cells(content: Content, width: int) -> tuple[Content, Content]:
    """At most `width` cells of a line and the rest, breaking Latin text between words and never
    inside a wide character."""
    plain = content.plain
    cells = 0
    for index, char in enumerate(plain):
        cells += cell_len(char)
        if cells > width:
            cut = index
            if plain[index].isascii() and plain[index].isalnum():
                space = plain.rfind(" ", max(0, index - 20), index)
                if space > 0:
                    cut = space + 1
            return content[:cut], content[cut:]
    return content, Content("")
