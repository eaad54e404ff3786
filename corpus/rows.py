"""Blocks → rows: pairing each English block with the Chinese block that translates it.

Three shapes of bilingual writing are recognised inside one file:
- interleaved blocks (translation extensions save an English paragraph, then its Chinese one; some
  sites put the Chinese first), unless the aligner's scorer finds two neighbours unrelated;
- one block holding both halves, split at a line boundary (a list item whose English line is
  followed by an indented Chinese line, with `**` opened in one half and closed in the other);
- a heading that names itself in both languages: `## 引言 (Introduction)`,
  `## Introduction 引言`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise

from corpus.align import align_blocks, pair_score
from corpus.immersive import split_fragment
from corpus.langid import script_language
from corpus.language import block_lang, han_count, has_han
from corpus.model import Block, BlockKind, BlockLang, DocLang, Row

_PAIRABLE_KINDS: set[BlockKind] = {"heading", "paragraph", "list_item", "quote", "text", "table"}
_SPLITTABLE_KINDS: set[BlockKind] = {"paragraph", "list_item", "quote", "text"}
_TEXT_KINDS = {"en", "zh", "mixed"}
# Blocks that can hold a translation extension's inline markup.
_MARKUP_KINDS: set[BlockKind] = {"html", "paragraph", "heading", "list_item", "quote", "text"}
_LIST_MARKER = re.compile(r"^((?:[-+*]|\d{1,9}[.)]) )")
_QUOTE_PREFIX = re.compile(r"^(>[ \t]?)+")
_HEADING_MARKS = re.compile(r"^(#{1,6}[ \t]+)(.*?)([ \t]+#+)?[ \t]*$")
_PAREN_PAIR = re.compile(r"^(?P<a>.*?\S)\s*[(（](?P<b>[^()（）]+)[)）]\s*[:：]?$")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_MD_NOISE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|https?://\S+|[*_`#>|\[\]-]")
_EMPHASIS = ("**", "__", "*", "_")
_MIN_PAIRED_SHARE = 0.5
# Sections pair when the English has between 1/3 and 3 times the letters a translation of the
# Chinese would (2.5 a character), and pairs of sections must hold this share of the text.
_SECTION_RATIO = 3.0
_MIN_SECTION_SHARE = 0.6
# and their aligned blocks must look like translations on average (real translated sections of
# the fixtures score 0.58-0.78; unrelated English and Chinese paragraphs in turn 0.1-0.2).
_MIN_SECTION_CONFIDENCE = 0.4
_MIN_SECTION_PAIRED = 0.75  # share of the two sections' blocks that found a partner
# Neighbours the aligner's scorer finds this unlikely to translate each other (lengths, anchors,
# endings and notes all against it) are left unpaired: an untranslated note beside a paragraph
# whose translation is missing, say. The weakest real pair of the seeds and the sample library
# scores 0.11 (a machine translation that lost half a sentence).
_IMPLAUSIBLE = 0.05
# Characters that continue a sentence rather than start a title.
_PARTICLES = set("的之与和及或在是对将把被让了着过而")


def build_rows(blocks: Sequence[Block], *, saved_translations: bool = True) -> list[Row]:
    """Rows in reading order for the blocks of one file (`saved_translations`: whether the file
    may hold a translation extension's markup, which a caller that read it can rule out)."""
    units: list[Block | Row] = []
    for block in blocks:
        saved = (
            split_fragment(block) if saved_translations and block.kind in _MARKUP_KINDS else None
        )
        if saved is not None:
            units.append(saved if saved.is_pair else saved.blocks[0])
            continue
        lines = _alternating_lines(block)
        if lines:
            units.extend(lines)
            continue
        split = split_bilingual(block)
        units.append(Row(*split) if split else block)
    singles = [u for u in units if isinstance(u, Block)]
    if not _looks_interleaved(singles):
        return _section_rows(units) or _singles(units, _primary(blocks))
    en_first = _pair_units(units, first="en")
    zh_first = _pair_units(units, first="zh")
    rows = en_first if _pairing_score(en_first) >= _pairing_score(zh_first) else zh_first
    if _paired_share(rows, units) < _MIN_PAIRED_SHARE:
        # A few neighbours in two languages (a Chinese post with English headings) are not a
        # translation: pairing them would put unrelated text side by side.
        return _section_rows(units) or _singles(units, _primary(blocks))
    return rows


# Section against section: an English section (heading, paragraphs, a list) followed by its
# Chinese translation, or the reverse.


def _section_rows(units: Sequence[Block | Row]) -> list[Row] | None:
    """Rows of a document that alternates whole sections of English and Chinese, each pair of
    neighbouring sections aligned block by block; None when it does not."""
    runs = _language_runs(units)
    if sum(1 for run in runs if run[0] in ("en", "zh")) < 2:
        return None
    weights = [_run_weight(lang, run) for lang, run in runs]
    total = sum(weights)
    # Text that may be left unpaired before the document cannot be sections in turn: once it is
    # spent, stop (aligning is the expensive part).
    spare = (1 - _MIN_SECTION_SHARE) * total
    if total == 0 or _fitting_weight(runs, weights) < _MIN_SECTION_SHARE * total:
        return None
    rows: list[Row] = []
    i = 0
    while i < len(runs):
        lang, run = runs[i]
        if i + 1 < len(runs) and {lang, runs[i + 1][0]} == {"en", "zh"}:
            other = runs[i + 1][1]
            en_run, zh_run = (run, other) if lang == "en" else (other, run)
            en = [u for u in en_run if isinstance(u, Block)]  # runs of one language hold
            zh = [u for u in zh_run if isinstance(u, Block)]  # only blocks
            aligned = align_blocks(en, zh) if _sections_fit(en, zh) else []
            if _translated(aligned):
                rows += aligned
                i += 2
                continue
        rows += [u if isinstance(u, Row) else _single(u, lang) for u in run]
        spare -= weights[i]
        if total == 0 or spare < 0:
            return None
        i += 1
    return rows


def _fitting_weight(runs: Sequence[tuple[str, list[Block | Row]]], weights: list[float]) -> float:
    """The most text that pairs of sections could hold, by their lengths alone (no aligning)."""
    fitting = 0.0
    i = 0
    while i + 1 < len(runs):
        (lang, run), (other_lang, other) = runs[i], runs[i + 1]
        if {lang, other_lang} == {"en", "zh"}:
            en, zh = (run, other) if lang == "en" else (other, run)
            if _sections_fit(
                [u for u in en if isinstance(u, Block)], [u for u in zh if isinstance(u, Block)]
            ):
                fitting += weights[i] + weights[i + 1]
                i += 2
                continue
        i += 1
    return fitting


def _translated(aligned: Sequence[Row]) -> bool:
    """Most blocks of two aligned sections found a partner, and the pairs look like
    translations on average (weighted by length)."""
    pairs = [r for r in aligned if r.is_pair]
    if not pairs or 2 * len(pairs) < _MIN_SECTION_PAIRED * sum(len(r.blocks) for r in aligned):
        return False
    # Weighted by length: short headings always look alike, the paragraphs tell.
    weights = [max(1.0, _weight(r.en)[0]) if r.en else 1.0 for r in pairs]
    sure = sum(w * (r.confidence or 0.0) for w, r in zip(weights, pairs, strict=True))
    return sure / sum(weights) >= _MIN_SECTION_CONFIDENCE


def _language_runs(units: Sequence[Block | Row]) -> list[tuple[str, list[Block | Row]]]:
    """Units grouped into runs of one language; code, images and rules stay in the run they
    sit in, and a unit that already pairs both languages is a run of its own."""
    runs: list[tuple[str, list[Block | Row]]] = []
    for unit in units:
        if isinstance(unit, Row):
            runs.append(("both", [unit]))
            continue
        lang = {"en": "en", "zh": "zh", "mixed": "zh"}.get(unit.lang)
        if lang is None:
            if runs and runs[-1][0] in ("en", "zh"):
                runs[-1][1].append(unit)
            else:
                runs.append(("none", [unit]))
        elif runs and runs[-1][0] == lang:
            runs[-1][1].append(unit)
        elif runs and runs[-1][0] == "none":
            runs[-1] = (lang, [*runs[-1][1], unit])
        else:
            runs.append((lang, [unit]))
    return runs


def _run_weight(lang: str, run: Sequence[Block | Row]) -> float:
    index = 0 if lang == "en" else 1
    return sum(_weight(u)[index] for u in run if isinstance(u, Block))


def _sections_fit(en: Sequence[Block], zh: Sequence[Block]) -> bool:
    """Two neighbouring runs that could translate each other: as long as a translation is, with
    about as many blocks of text."""
    en_text = [b for b in en if b.lang != "none"]
    zh_text = [b for b in zh if b.lang != "none"]
    if not en_text or not zh_text or any(_japanese(b) for b in zh_text):
        return False
    if len(en_text) == len(zh_text) == 1:  # two blocks: the neighbours' own test
        return _compatible(en_text[0], zh_text[0]) and _plausible(en_text[0], zh_text[0])
    if max(len(en_text), len(zh_text)) > 2 * min(len(en_text), len(zh_text)) + 1:
        return False
    en_len = sum(_weight(b)[0] for b in en_text)
    zh_len = sum(_weight(b)[1] for b in zh_text)
    if en_len == 0 or zh_len == 0:
        return False
    return abs(math.log(en_len / zh_len / 2.5)) <= math.log(_SECTION_RATIO)


def document_lang(rows: Sequence[Row]) -> DocLang:
    """bilingual when many rows pair English with Chinese; a Chinese text that leaves headings,
    sponsor lists or code comments in English is Chinese (until it is paired with its original)."""
    pairs = singles = 0
    en_chars = zh_chars = 0.0
    for row in rows:
        if row.is_pair:
            pairs += 1
        for block in row.blocks:
            latin, weighted = _weight(block)
            if block.lang == "en":
                en_chars += latin
            elif block.lang in ("zh", "mixed"):
                zh_chars += weighted * 2.5
        if not row.is_pair and any(b.lang in ("en", "zh", "mixed") for b in row.blocks):
            singles += 1
    if pairs and pairs >= 0.3 * (pairs + singles):
        return "bilingual"
    return "zh" if zh_chars > en_chars else "en"


# Splitting one block into its English and Chinese halves.


def split_bilingual(block: Block) -> tuple[Block, Block] | None:
    """(english, chinese) halves of a block that holds both, or None."""
    if block.kind == "heading":
        return _split_heading(block)
    if block.kind not in _SPLITTABLE_KINDS or block.lang == "none" or "\n" not in block.text:
        return None
    if not (has_han(block.text) and _LATIN_LETTER.search(block.text)):
        return None
    prefix, lines = _content_lines(block)
    langs = [_line_lang(line) for line in lines]
    cut = _language_cut(langs)
    if cut is None:
        return None
    first, second = _repair_emphasis("\n".join(_trim(lines[:cut])), "\n".join(_trim(lines[cut:])))
    a = replace(block, text=_rebuild(block, prefix, first), lang=block_lang(first))
    b_line = block.line + cut
    b = replace(block, text=_rebuild(block, prefix, second), lang=block_lang(second), line=b_line)
    return (a, b) if a.lang == "en" else (b, a)


def _alternating_lines(block: Block) -> list[Row] | None:
    """Rows of a paragraph whose lines alternate between English and Chinese, two pairs or more
    (bilingual_book_maker joins each paragraph and its translation with one newline, and some
    books lose the blank lines between the pairs too)."""
    if block.kind not in ("paragraph", "text") or block.text.count("\n") < 3:
        return None
    lines = block.text.split("\n")
    if len(lines) % 2 or not all(line.strip() for line in lines):
        return None
    langs = [block_lang(line) for line in lines]
    first: BlockLang = langs[0]
    if first not in ("en", "zh"):
        return None
    second: BlockLang = "zh" if first == "en" else "en"
    if any(lang != (first if k % 2 == 0 else second) for k, lang in enumerate(langs)):
        return None
    rows = []
    for k in range(0, len(lines), 2):
        a = replace(block, text=lines[k].strip(), lang=first, line=block.line + k)
        b = replace(block, text=lines[k + 1].strip(), lang=second, line=block.line + k + 1)
        rows.append(Row(a, b) if first == "en" else Row(b, a))
    return rows


def _content_lines(block: Block) -> tuple[str, list[str]]:
    lines = block.text.split("\n")
    if block.kind == "list_item":
        m = _LIST_MARKER.match(lines[0])
        prefix = m.group(1) if m else ""
        pad = len(prefix)
        return prefix, [lines[0][pad:]] + [
            line[pad:] if line[:pad].isspace() else line.lstrip() for line in lines[1:]
        ]
    if block.kind == "quote":
        return "> ", [_QUOTE_PREFIX.sub("", line) for line in lines]
    return "", lines


def _rebuild(block: Block, prefix: str, text: str) -> str:
    lines = text.split("\n")
    if block.kind == "list_item":
        pad = " " * len(prefix)
        return (
            prefix + lines[0] + "".join("\n" + (pad + ln if ln.strip() else "") for ln in lines[1:])
        )
    if block.kind == "quote":
        return "\n".join(prefix + ln if ln.strip() else ">" for ln in lines)
    return text


def _line_lang(line: str) -> str:
    return block_lang(line) if line.strip() else "blank"


def _language_cut(langs: list[str]) -> int | None:
    """Where a run of one language gives way to the other, if the lines split cleanly in two."""
    text = [(i, lang) for i, lang in enumerate(langs) if lang in ("en", "zh")]
    if len(text) < 2:
        return None
    switches = [k for k in range(1, len(text)) if text[k][1] != text[k - 1][1]]
    if len(switches) != 1:
        return None
    if any(lang == "mixed" for lang in langs):
        return None
    return text[switches[0]][0]


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return [line.rstrip() for line in lines]


def _count(text: str, delim: str) -> int:
    char = re.escape(delim[0])
    return len(re.findall(rf"(?<!{char}|\\){re.escape(delim)}(?!{char})", text))


def _repair_emphasis(first: str, second: str) -> tuple[str, str]:
    """Close in the first half, and reopen in the second, any emphasis that spanned the cut."""
    for delim in _EMPHASIS:
        a, b = _count(first, delim), _count(second, delim)
        if a % 2 == 1 and b % 2 == 1:
            first, second = first + delim, delim + second
        elif a % 2 == 1 and first.startswith(delim):
            first += delim
        elif b % 2 == 1 and second.endswith(delim):
            second = delim + second
    return first, second


def _split_heading(block: Block) -> tuple[Block, Block] | None:
    m = _HEADING_MARKS.match(block.text.strip())
    if not m:
        return None
    marks, title = m.group(1), m.group(2).strip()
    parts = _heading_halves(title)
    if parts is None:
        return None
    en, zh = parts
    return (
        replace(block, text=marks + en, lang="en"),
        replace(block, text=marks + zh, lang="zh"),
    )


def _heading_halves(title: str) -> tuple[str, str] | None:
    m = _PAREN_PAIR.match(title)
    if m:
        a, b = m.group("a").strip(), m.group("b").strip()
        # In the bracketed form the Chinese side may name things in Latin letters:
        # "Llama 3：更多的数据 (More Data)".
        if block_lang(a) == "zh" and _english_name(b) and _title_lengths_fit(b, a):
            return b, a
        if _english_name(a) and block_lang(b) == "zh" and _title_lengths_fit(a, b):
            return a, b
    words = title.split()
    for k in range(1, len(words)):
        a, b = " ".join(words[:k]), " ".join(words[k:])
        # "Introduction 引言", but not "Meta 的开源战略", "LLaMA 1：开源革命" or "Angular 中的…".
        if _english_name(a, loose=False) and _pure_zh(b) and _starts_phrase(b):
            return (a, b) if _title_lengths_fit(a, b) else None
        if _pure_zh(a) and _english_name(b, loose=False) and has_han(a[-1]):
            return (b, a) if _title_lengths_fit(b, a) else None
    return None


def _title_lengths_fit(en: str, zh: str) -> bool:
    """A translated title has 1.2–8 English letters per Chinese character; a name in a sentence
    ("Angular 中的可观察对象") has fewer."""
    ratio = len(_LATIN_LETTER.findall(en)) / max(1, han_count(zh))
    return 1.2 <= ratio <= 8


def _english_name(text: str, *, loose: bool = True) -> bool:
    """Text that could be a heading's English title, not an acronym or a brand inside Chinese."""
    letters = _LATIN_LETTER.findall(text)
    if has_han(text) or len(letters) < 4 or text.isupper():
        return False
    if loose or len(text.split()) >= 2:
        return True
    # One word: a capitalised ordinary word ("Introduction"), not an identifier ("mkcreds").
    return len(letters) >= 6 and text[0].isupper() and text[1:].islower()


def _starts_phrase(zh: str) -> bool:
    return has_han(zh[0]) and zh[0] not in _PARTICLES


def _pure_zh(text: str) -> bool:
    return has_han(text) and not _LATIN_LETTER.search(text)


def _pure_en(text: str) -> bool:
    return not has_han(text) and len(_LATIN_LETTER.findall(text)) >= 2


# Pairing neighbouring blocks.


def _looks_interleaved(blocks: Sequence[Block]) -> bool:
    """Enough English and Chinese blocks that sit next to each other to be translations."""
    text = [b for b in blocks if b.lang in ("en", "zh")]
    if len(text) < 2:
        return False
    adjacent = sum(
        1 for a, b in pairwise(text) if {a.lang, b.lang} == {"en", "zh"} and _compatible(a, b)
    )
    return adjacent >= 0.3 * len(text)


def _paired_share(rows: Sequence[Row], units: Sequence[Block | Row]) -> float:
    """Share of the English and Chinese single blocks that found a partner."""
    singles = sum(1 for u in units if isinstance(u, Block) and u.lang in ("en", "zh"))
    split = sum(1 for u in units if isinstance(u, Row))
    paired = sum(1 for row in rows if row.is_pair) - split
    same_kind = sum(1 for r in rows if r.en and r.zh and r.en.kind == r.zh.kind)
    if same_kind - split <= 0:
        return 0.0  # only headings beside paragraphs: a heading and its body, not a translation
    return 2 * paired / singles if singles else 0.0


def _pair_units(units: Sequence[Block | Row], first: str) -> list[Row]:
    primary = "en"
    rows: list[Row] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if isinstance(unit, Row):
            rows.append(unit)
            i += 1
            continue
        nxt = units[i + 1] if i + 1 < len(units) else None
        second = "zh" if first == "en" else "en"
        if (
            isinstance(nxt, Block)
            and unit.lang == first
            and nxt.lang == second
            and _compatible(unit, nxt)
            and _plausible(unit, nxt)
        ):
            en, zh = (unit, nxt) if first == "en" else (nxt, unit)
            rows.append(Row(en, zh))
            i += 2
            continue
        rows.append(_single(unit, primary))
        i += 1
    return rows


def _pairing_score(rows: Sequence[Row]) -> float:
    score = 0.0
    for row in rows:
        if row.en is not None and row.zh is not None:
            score += 1.0 + _length_fit(row.en, row.zh)
    return score


def _compatible(a: Block, b: Block) -> bool:
    if a.kind not in _PAIRABLE_KINDS or b.kind not in _PAIRABLE_KINDS:
        return False
    if a.kind == b.kind:
        return True
    # Translation extensions often drop a heading's markup on the translated copy.
    return {a.kind, b.kind} <= {"heading", "paragraph", "text"}


@lru_cache(maxsize=4096)
def _weight(block: Block) -> tuple[float, float]:
    text = _MD_NOISE.sub("", block.text)
    han = han_count(text)
    latin = len(_LATIN_LETTER.findall(text))
    return float(latin), han + latin * 0.5


def _length_fit(en: Block, zh: Block) -> float:
    """1 when the Chinese is as long as a translation of the English usually is, falling to 0."""
    en_len, _ = _weight(en)
    _, zh_len = _weight(zh)
    if en_len == 0 or zh_len == 0:
        return 0.0
    ratio = en_len / zh_len  # English letters per Chinese character: about 2.5 in translations
    return max(0.0, 1.0 - abs(math.log(ratio / 2.5)) / math.log(6))


def _plausible(en_or_zh: Block, other: Block) -> bool:
    en, zh = (en_or_zh, other) if en_or_zh.lang == "en" else (other, en_or_zh)
    if _japanese(zh):
        return False
    return _lengths_plausible(en, zh) and pair_score(en, zh) >= _IMPLAUSIBLE


@lru_cache(maxsize=4096)
def _japanese(block: Block) -> bool:
    """A block in Han and kana: Japanese, never the Chinese translation of its neighbour."""
    return script_language(block.text) == "ja"


def _lengths_plausible(en: Block, zh: Block) -> bool:
    en_len, _ = _weight(en)
    _, zh_len = _weight(zh)
    if en.kind != zh.kind:
        # A heading whose translation lost its markup: the paragraph is as short as a heading.
        return (
            "\n" not in zh.text.strip()
            and max(en_len / 2.5, zh_len) <= 40
            and (_length_fit(en, zh) > 0.2)
        )
    if min(en_len, zh_len) < 12:  # short lines: headings, captions, list labels
        return True
    return _length_fit(en, zh) > 0.0


def _singles(units: Sequence[Block | Row], primary: str) -> list[Row]:
    return [u if isinstance(u, Row) else _single(u, primary) for u in units]


def _primary(blocks: Sequence[Block]) -> str:
    en = sum(len(b.text) for b in blocks if b.lang == "en")
    zh = sum(len(b.text) * 2 for b in blocks if b.lang in ("zh", "mixed"))
    return "zh" if zh > en else "en"


def _single(block: Block, primary: str) -> Row:
    if block.lang == "en":
        return Row(block, None)
    if block.lang == "zh":
        return Row(None, block)
    return Row(block, None) if primary == "en" else Row(None, block)
