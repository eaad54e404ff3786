"""Did you mean: the query with its unknown words replaced by close, common words of the library.

Each English word the index does not know is replaced by, in this order of preference: a common word
it begins (`quantizat` → quantization), then a word one edit away (two for words of five letters or
more; a swap of two letters is one edit, rapidfuzz's optimal string alignment), those with the
same letters first (`opne` → open, never "one", which is as close but not a swap), then the
commoner. Words found in too few documents are not offered.
In a Chinese run, a word (as jieba cuts it) that the index does not hold gets one character replaced
where that makes a word it holds: a character of the same sound first (an input method's slip),
then the run found most often (`开原模型` → 开源模型). Every suggestion is tried, best first,
and the first that finds something is offered, so a multi-word query is corrected as a whole.

The work is bounded whatever is typed: words past `MAX_SUGGEST_CHARS`, vocabulary scans past a few
thousand entries and more than `MAX_TRIES` candidate queries are never looked at.
"""

from __future__ import annotations

import re
from itertools import product
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from index.analysis.tokens import english_term
from index.query.compile import Evidence, compile_query
from index.query.context import Context
from index.query.evaluate import evaluate

MAX_SUGGEST_CHARS = 40  # the edit-distance search grows with the word: no real word is this long
MAX_WORDS = 8  # words of one query that are corrected
PER_WORD = 3  # alternatives kept for each word
MAX_TRIES = 12  # candidate queries evaluated
MAX_SCAN = 2000  # vocabulary entries looked at per word
SPELL = "spell"  # unstemmed English words, per document
WORDS = "body"


def suggest(searcher: Any, text: str, ev: Evidence, ctx: Context) -> str | None:
    """A query close to `text` that finds something, or None."""
    choices: list[tuple[str, list[str]]] = []
    min_docs = max(1, len(ctx.doc_ids) // 1000)  # "common": in 0.1% of the documents at least
    for word in dict.fromkeys(ev.en_words):
        if len(choices) >= MAX_WORDS:
            break
        if len(word) > MAX_SUGGEST_CHARS or ctx.doc_frequency(WORDS, english_term(word)):
            continue
        found = english_alternatives(searcher, word.lower(), ctx, min_docs)
        if found:
            choices.append((word, found))
    for run in sorted(ev.zh_literals, key=text.find):
        if len(choices) >= MAX_WORDS:
            break
        if 2 <= len(run) <= MAX_SUGGEST_CHARS:
            found = chinese_alternatives(searcher, run, ctx)
            if found:
                choices.append((run, found))
    if not choices:
        return None
    combos = sorted(
        product(*(range(len(alts)) for _, alts in choices)), key=lambda ranks: (sum(ranks), ranks)
    )
    for ranks in combos[:MAX_TRIES]:
        out = text
        for (word, alts), rank in zip(choices, ranks, strict=True):
            out = _replace_word(out, word, alts[rank])
        if out == text:
            continue
        compiled = compile_query(out)
        if compiled.query is not None and len(evaluate(compiled.query, ctx)):
            return out
    return None


def english_alternatives(searcher: Any, word: str, ctx: Context, min_docs: int) -> list[str]:
    """Up to PER_WORD words to put in place of `word`, best first."""
    if len(word) < 2:
        return []
    out: list[str] = []
    if len(word) >= 3:
        begun = [
            (df, w) for w, df in ctx.prefixed(SPELL, word, MAX_SCAN) if w != word and df >= min_docs
        ]
        begun.sort(key=lambda c: (-c[0], c[1]))
        out.extend(w for _, w in begun[:1])  # the commonest completion first
    allowed = 1 if len(word) <= 4 else 2
    near: list[tuple[int, bool, int, str]] = []
    found = process.extract(
        word, ctx.vocabulary(), scorer=OSA.distance, score_cutoff=allowed, limit=MAX_SCAN
    )
    for cand, dist, _ in found:
        if cand == word or cand in out:
            continue
        df = ctx.doc_frequency(SPELL, cand)
        if df >= min_docs:
            near.append((int(dist), sorted(cand) != sorted(word), -df, cand))
    near.sort()
    out.extend(c for *_, c in near)
    return out[:PER_WORD]


def chinese_alternatives(searcher: Any, run: str, ctx: Context) -> list[str]:
    """Up to PER_WORD runs that differ from `run` in one character, inside a word the index does
    not hold, so that the word becomes one it holds (and the characters around still pair up as
    somewhere in the library); the commoner words first."""
    from index.analysis.tokens import segment_run

    scored: list[tuple[bool, int, str]] = []
    for word, start, end, base in segment_run(run):
        if not base or end - start < 2 or ctx.doc_frequency(WORDS, word):
            continue
        for k in range(max(start, 1), end):  # the first character has no left neighbour to try
            for c in _next_chars(ctx, run[k - 1]):
                if c == run[k]:
                    continue
                new = run[:k] + c + run[k + 1 :]
                df = ctx.doc_frequency(WORDS, new[start:end])
                if df:
                    scored.append((_sounds_alike(c, run[k]), df, new))
    # A slip of the input method is most often a character of the same sound (原 for 源), then
    # the commoner word; among the likeliest, the run found in more rows.
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    likely = list(dict.fromkeys((alike, new) for alike, _, new in scored))[: MAX_TRIES // 2]
    found = [(alike, _rows(f'"{new}"', ctx), new) for alike, new in likely]
    found.sort(key=lambda f: (-f[0], -f[1]))
    return [new for _, n, new in found if n][:PER_WORD]


def _sounds_alike(a: str, b: str) -> bool:
    """Whether two characters share a reading, tones aside (pypinyin's dictionary)."""
    from pypinyin import Style, pinyin

    def readings(c: str) -> set[str]:
        return set(pinyin(c, style=Style.NORMAL, heteronym=True)[0])

    return bool(readings(a) & readings(b))


def _rows(query: str, ctx: Context) -> int:
    compiled = compile_query(query)
    return len(evaluate(compiled.query, ctx)) if compiled.query is not None else 0


def _next_chars(ctx: Context, first: str) -> list[str]:
    """The characters that follow `first` in the library's words (jieba's, as indexed)."""
    out: list[str] = []
    for word, _df in ctx.prefixed(WORDS, first, MAX_SCAN):
        if len(word) >= 2 and word[1] not in out:
            out.append(word[1])
    return out


def _replace_word(text: str, word: str, new: str) -> str:
    if word.isascii():
        return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", new, text, count=1)
    return text.replace(word, new, 1)
