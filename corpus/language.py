"""Which language a piece of text is in: English, Chinese, mixed, or neither.

Chinese prose is full of Latin names and numbers ("Llama 2 提供 7b、13b 和 70b"), so counting
characters would call it English. One Han character carries about as much as two or three Latin
letters, so Latin letters are weighted down before the two are compared.
"""

from __future__ import annotations

import re

from corpus.model import BlockLang

# CJK Unified Ideographs with extension A, the compatibility block and extensions B–F.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|\S+@\S+\.\w+")
_MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]{0,500}>")
_MAYBE_NOISE = re.compile(r"[`<@]|\]\(|://|www\.")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_CODE_SPAN = re.compile(r"(`+)[^`]+?\1")

# Share of the weighted text that must be Han for "zh", and below which it is "en".
_ZH_AT_LEAST = 0.25
_EN_AT_MOST = 0.16
_LATIN_WEIGHT = 0.5


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def strip_non_prose(text: str) -> str:
    """Remove what says nothing about the language: link targets, code, URLs, HTML tags."""
    if not _MAYBE_NOISE.search(text):
        return text
    text = _CODE_SPAN.sub(" ", _MD_LINK_TARGET.sub("]", text))
    return _URL.sub(" ", _HTML_TAG.sub(" ", text))


def han_share(text: str) -> float | None:
    """Weighted share of Han characters, or None when the text has no letters at all."""
    prose = strip_non_prose(text)
    han = han_count(prose)
    runs = _LATIN_RUN.findall(prose)
    latin = sum(map(len, runs))
    if han == 0 and not any(len(run) >= 2 for run in runs):
        return None
    return han / (han + latin * _LATIN_WEIGHT)


def block_lang(text: str) -> BlockLang:
    share = han_share(text)
    if share is None:
        return "none"
    if share >= _ZH_AT_LEAST:
        return "zh"
    if share <= _EN_AT_MOST:
        return "en"
    return "mixed"
