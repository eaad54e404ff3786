"""Text → index terms, the one definition shared by indexing, queries and highlighting.

Two term streams come out of every text:

* words: English words lowercased and Porter-stemmed (digits and single letters kept, hyphens and
  other punctuation split), and Chinese words from jieba's search mode. A Chinese sub-word (人民
  inside 中国人民银行) takes the position of the word it sits in, so positions count words and
  phrase queries work in both languages (stock jieba + Whoosh stores character offsets instead).
  Japanese text (kana beside the Han, `segmented` is False) is not cut by jieba, which would cut
  it as if it were Chinese: its Latin words are words, its runs of kana and Han only characters.
* characters: every Chinese character alone, at its character index (runs a position apart, so no
  phrase spans two runs). Any literal Chinese string of two or more characters is then an exact
  phrase of characters, whatever jieba made of it; a single character is a term. Characters
  instead of bigrams: a library has a few thousand distinct characters but hundreds of thousands
  of distinct bigrams, most seen once, and each distinct term costs some 100 bytes of term table
  (the sample library's index: 12.5x its text with bigrams, see benchmarks/index_bytes.py).

No Whoosh here: the Whoosh fields in `index.engine.fields` call these functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache

from corpus.hanzi import fold
from corpus.langid import script_language
from index.analysis import segmenter

# Han (BMP, Extension A, compatibility, Extensions B–H) and kana: segmented, not split on letters.
CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUNS = re.compile(f"(?P<c>[{CJK_CLASS}]+)|(?P<w>[^\\W_{CJK_CLASS}]+)")
CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
# What goes before each word, and the word, in text with no Chinese or Japanese script.
_GAP_WORD = re.compile(f"([\\W_]*?)([^\\W_{CJK_CLASS}]+)")
# Between two words, anything but spaces and joiners (open-source, GPT-3.5, don't, a/b) ends a
# phrase: "开源（模型" and "open, source" are not the phrases 开源模型 and "open source".
_BREAK = re.compile(r"[^\s\-\u2010\u2011'\u2019._/·]")

# Positions skipped between the sides of a row (or values of a field), so no phrase spans them.
SIDE_GAP = 100

# Bump whenever any function here changes the terms it produces (2: characters, not bigrams).
ANALYSER_VERSION = "4"  # 3: Traditional folded to Simplified; 4: Japanese not cut by jieba
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]")


def segmented(text: str) -> bool:
    """Whether jieba cuts the Chinese-script runs of `text`: not when kana makes it Japanese."""
    return _KANA.search(text) is None or script_language(text) != "ja"


@lru_cache(maxsize=1 << 17)
def english_term(word: str) -> str:
    """The index term of one English/Latin word: NFKC, lowercase, Porter stem (numbers as is)."""
    from whoosh.lang.porter import stem

    if not word.isascii():
        word = unicodedata.normalize("NFKC", word)
    word = word.lower()
    if word.isdigit() or len(word) < 3:
        return word
    return str(stem(word))


def segment_run(run: str) -> list[tuple[str, int, int, bool]]:
    """Search-mode words of a run of Chinese characters, in text order, as (word, start, end,
    is_base). Base words tile the run; the others are sub-words inside the preceding base word."""
    out: list[tuple[str, int, int, bool]] = []
    cursor = 0
    for word, start, end in sorted(segmenter.tokenize(run), key=lambda t: (t[1], -t[2])):
        base = start >= cursor
        if base:
            cursor = end
        out.append((word, start, end, base))
    return out


def base_words(run: str) -> list[str]:
    """The non-overlapping segmentation of a Chinese run (what a query phrase is made of)."""
    return [w for w, _, _, base in segment_run(run) if base]


def index_terms(
    texts: Sequence[str], *, chars: bool = True
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Words and Chinese characters of the texts, each term with its positions (the hot path of
    indexing)."""
    words: dict[str, list[int]] = {}
    grams: dict[str, list[int]] = {}
    wpos = 0
    gpos = 0
    for text in texts:
        if not text:
            continue
        if CJK_RUN.search(text) is None:  # most English rows: one regex call for all the words
            for n, (gap, w) in enumerate(_GAP_WORD.findall(text)):
                if n and gap != " " and _BREAK.search(gap):
                    wpos += 1
                term = english_term(w)
                plist = words.get(term)
                if plist is None:
                    words[term] = [wpos]
                else:
                    plist.append(wpos)
                wpos += 1
            wpos += SIDE_GAP
            gpos += SIDE_GAP
            continue
        last_end = -1
        segment = segmented(text)
        for m in _RUNS.finditer(text):
            if last_end >= 0 and _BREAK.search(text, last_end, m.start()):
                wpos += 1
            last_end = m.end()
            w = m.group("w")
            if w is not None:
                term = english_term(w)
                plist = words.get(term)
                if plist is None:
                    words[term] = [wpos]
                else:
                    plist.append(wpos)
                wpos += 1
                continue
            run = fold(m.group("c"))
            if segment:
                cursor = 0
                pos = wpos - 1
                for word, start, end in sorted(segmenter.tokenize(run), key=_run_order):
                    if start >= cursor:
                        cursor = end
                        pos += 1
                    plist = words.get(word)
                    if plist is None:
                        words[word] = [pos]
                    elif plist[-1] != pos:
                        plist.append(pos)
                wpos = pos + 1
            else:
                wpos += 1  # a place of its own: the words on either side are not adjacent
            if chars:
                for i, char in enumerate(run, gpos):
                    plist = grams.get(char)
                    if plist is None:
                        grams[char] = [i]
                    else:
                        plist.append(i)
                gpos += len(run) + 1
        wpos += SIDE_GAP
        gpos += SIDE_GAP
    return words, grams


def _run_order(t: tuple[str, int, int]) -> tuple[int, int]:
    return (t[1], -t[2])


def word_tokens(text: str) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, startchar, endchar) of the words stream, for Whoosh's Tokenizer protocol
    and for highlighting."""
    pos = -1
    last_end = -1
    segment = segmented(text)
    for m in _RUNS.finditer(text):
        if last_end >= 0 and _BREAK.search(text, last_end, m.start()):
            pos += 1
        last_end = m.end()
        w = m.group("w")
        if w is not None:
            pos += 1
            yield english_term(w), pos, m.start(), m.end()
            continue
        if not segment:
            pos += 1
            continue
        offset = m.start()
        for word, start, end, base in segment_run(fold(m.group("c"))):
            if base:
                pos += 1
            yield word, pos, offset + start, offset + end


def char_tokens(text: str) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, startchar, endchar) of the characters stream."""
    gpos = 0
    for m in CJK_RUN.finditer(text):
        run, offset = fold(m.group()), m.start()
        for i, char in enumerate(run):
            yield char, gpos + i, offset + i, offset + i + 1
        gpos += len(run) + 1


def spelling_words(text: str) -> set[str]:
    """Lowercased English words (letters only, 3+ long) for the "did you mean" vocabulary."""
    return {w.lower() for w in _RUNS_WORD.findall(text) if len(w) >= 3 and w.isalpha()}


_RUNS_WORD = re.compile(f"[^\\W_\\d{CJK_CLASS}]+")


@lru_cache(maxsize=256)
def words_beginning(firsts: frozenset[str], word: str) -> re.Pattern[str]:
    """The words (runs of the character class `word`) that begin with one of `firsts` in either
    case, or hold a letter that is not ASCII: the only words that can be a form of English terms
    beginning with `firsts`, since a Porter stem begins as its word does (NFKC, for words not
    ASCII, may change that). Most words of a text are then skipped without a call."""
    chars = "".join(re.escape(c) for c in sorted(firsts))
    first = f"[{chars}]|" if chars else ""
    return re.compile(
        f"(?<!{word})(?={first}{word}*?(?![\\x00-\\x7f]){word}){word}+", re.IGNORECASE
    )


def has_cjk(text: str) -> bool:
    return CJK_RUN.search(text) is not None


def split_runs(text: str) -> list[tuple[str, str]]:
    """("en", word) and ("zh", run) pieces of a query word, in order."""
    return [
        ("en", m.group("w")) if m.group("w") else ("zh", fold(m.group("c")))
        for m in _RUNS.finditer(text)
    ]
