"""Sentences inside a block, as spans of its Markdown source.

English goes through sentencex (Wikimedia's rule-based segmenter, MIT), which knows abbreviations,
decimals, initials and quotes; three corrections make it fit Markdown and the honorifics it misses:
a boundary must fall on white space (so `01.AI`, `![image]` and `example.com/x.` stay whole),
closing emphasis (`**`) stays with the sentence it closes, and a split after a title such as
"Dr." is undone. Chinese ends a sentence at 。！？； and an ellipsis, taking any closing quotes,
brackets and emphasis along.

Spans index the block's source text, so the reader can map them onto what it draws and an export
can take the source or the visible words (`plain_inline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import sentencex
from markdown_it import MarkdownIt
from markdown_it.token import Token

SentenceLang = Literal["en", "zh"]

# Words sentencex sometimes takes for a sentence end: titles before a name, and abbreviations that
# an English sentence does not end with.
_NEVER_LAST = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "mt", "sr", "gen", "gov", "sen", "rep", "rev"}
    | {"approx", "fig", "figs", "eq", "vs", "cf", "e.g", "i.e", "no", "vol", "pp", "ch", "sec"}
)
_LAST_WORD = re.compile(r"([A-Za-z]+(?:\.[A-Za-z]+)*)\.\s*$")
# Characters that close what a sentence opened: emphasis, code, quotes, brackets.
_CLOSERS = "*_`~\"')]}”’」』）】》〉"
_LEADING_CLOSERS = re.compile(r"[*_~`\"'”’)\]]+(?=\s|$)")
# Chinese: a run of terminators (。！？； and the ASCII !? a Chinese text may use, or an ellipsis),
# then whatever closes around them.
_ZH_END = re.compile(r"(?:[。！？；!?…]|\.{3,})+[" + re.escape(_CLOSERS) + r"]*")


@dataclass(frozen=True, slots=True)
class Span:
    """A sentence: `source[start:end]` of its block, without surrounding white space."""

    start: int
    end: int


def split_sentences(text: str, lang: SentenceLang) -> tuple[Span, ...]:
    """The sentences of a text in reading order; white space between them belongs to none."""
    return _split(text, lang)


@lru_cache(maxsize=4096)
def _split(text: str, lang: SentenceLang) -> tuple[Span, ...]:
    cuts = _english_cuts(text) if lang == "en" else _chinese_cuts(text)
    spans: list[Span] = []
    start = 0
    for cut in [*cuts, len(text)]:
        span = _trimmed(text, start, cut)
        if span is not None:
            spans.append(span)
        start = cut
    return tuple(spans)


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    return Span(start + lead, start + lead + len(stripped))


def _english_cuts(text: str) -> list[int]:
    cuts: list[int] = []
    for bound in sentencex.get_sentence_boundaries("en", text)[:-1]:
        cut = int(bound["end_index"])
        if 0 < cut < len(text):
            cuts.append(cut)
    out: list[int] = []
    for cut in cuts:
        closers = _LEADING_CLOSERS.match(text, cut)
        if closers:  # `**Title.** Text`: the emphasis closes the first sentence
            cut = closers.end()
        if cut >= len(text):
            continue
        before = text[:cut]
        if not before[-1:].isspace() and not text[cut].isspace():
            continue  # a boundary inside a word, a URL or a name such as 01.AI
        word = _LAST_WORD.search(before)
        if word and word.group(1).lower() in _NEVER_LAST:
            continue
        if out and out[-1] >= cut:
            continue
        out.append(cut)
    return out


def _chinese_cuts(text: str) -> list[int]:
    cuts: list[int] = []
    start = 0
    for m in _ZH_END.finditer(text):
        end = m.end()
        # Emphasis after the mark closes this sentence only if the sentence opened it:
        # `**允许商用。**` versus `好。**下一句**`.
        while end > m.start() and text[end - 1] in "*_~":
            run = len(text[:end]) - len(text[:end].rstrip(text[end - 1]))
            mark = text[end - run : end]
            if text.count(mark, start, end - run) % 2 == 1:
                break
            end -= run
        if 0 < end < len(text):
            cuts.append(end)
            start = end
    return cuts


# The words a reader sees.


@lru_cache(maxsize=1)
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["strikethrough"])


# A line break between two Chinese characters is no space.
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])")
_BLOCK_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|(?:>\s?)+|(?:[-+*]|\d{1,9}[.)])\s+)+")


def plain_inline(source: str) -> str:
    """Markdown inline source (a sentence, a heading) as the words a reader sees: no emphasis
    marks, link text without its target, image alt text, a leading list, quote or heading marker
    dropped, white space collapsed."""
    source = _BLOCK_PREFIX.sub("", source)
    tokens = _inline_parser().parseInline(source)
    children = tokens[0].children if tokens and tokens[0].children else []
    text = _CJK_BREAK.sub("", _visible(children))
    return " ".join(text.split())


def _visible(tokens: list[Token]) -> str:
    out: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline", "html_inline"):
            out.append(token.content if token.type != "html_inline" else "")
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif token.type == "image":
            out.append(_visible(token.children or []))
    return "".join(out)
