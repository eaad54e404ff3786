"""What a document without frontmatter says about itself in its first and last lines.

Saved web pages start with site chrome ("All Articles", a category, "AI5 min read18 July 2023")
before the real title, and end with a "Tags" section or a line of #hash-tags.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.dates import find_date
from corpus.language import han_count
from corpus.model import Block
from corpus.tags import clean_tag, split_tags

_CHROME = re.compile(
    r"(?i)^(all (articles|posts|stories)|home|menu|main menu|skip to (main )?content|back|"
    r"share( this)?|subscribe|sign (in|up)|log ?in|search|advertisement|sponsored|next|previous|"
    r"related( articles| posts)?|read more|categories|navigation|toggle navigation|"
    r"contents|table of contents|"
    r"返回|首页|目录|分享|登录|注册|摘要|广告)$"
)
_READ_TIME = re.compile(r"(?i)(?P<cat>^[^\d]{0,40}?)\s*(?P<n>\d+)\s*(min(ute)?s?|分钟)\s*(read)?")
_CN_READ_TIME = re.compile(r"阅读\s*\d+\s*分钟")
_TAGS_HEADING = re.compile(
    r"(?i)^(tags?|标签|tagged( with)?|keywords|关键词)\s*[:：]?\s*(?P<rest>.*)$"
)
_HASHTAG_LINE = re.compile(r"^(?:#[^\s#]+\s*)+$")
_HASHTAG = re.compile(r"#([^\s#]+)")
_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "vs", "via", "with",
}  # fmt: skip
_HEADER_BLOCKS = 6
_HEADER_LINE_MAX = 120


@dataclass(frozen=True, slots=True)
class ClippingInfo:
    title: str | None
    title_index: int | None
    date: str | None
    tags: tuple[str, ...]


def read_clipping(blocks: Sequence[Block]) -> ClippingInfo:
    header = list(blocks[:_HEADER_BLOCKS])
    title_index = _title_index(header, blocks)
    title = _one_line(blocks[title_index].text) if title_index is not None else None
    date = None
    categories: list[str] = []
    for line in (line for block in header for line in block.text.split("\n")):
        if len(line) > _HEADER_LINE_MAX:
            continue
        date = date or find_date(line)
        m = _READ_TIME.search(line)
        if m and m.group("cat").strip() and _is_chrome(line):
            categories.append(clean_tag(m.group("cat")))
    return ClippingInfo(title, title_index, date, tuple(categories) + trailing_tags(blocks))


def trailing_tags(blocks: Sequence[Block]) -> tuple[str, ...]:
    """Tags from a closing "Tags" section or a last line of #hash-tags."""
    tail = [b.text.strip() for b in blocks[-3:]]
    for i, text in enumerate(tail):
        m = _TAGS_HEADING.match(text)
        if m and "\n" not in text:
            rest = m.group("rest") or "\n".join(tail[i + 1 :])
            return tuple(_tags_from(rest))
    if tail and _HASHTAG_LINE.match(tail[-1]):
        return tuple(_tags_from(tail[-1]))
    return ()


def _tags_from(text: str) -> list[str]:
    if "#" in text:
        return [clean_tag(t) for t in _HASHTAG.findall(text)]
    return split_tags(text.replace("\n", ","))


def _is_chrome(text: str) -> bool:
    line = text.strip()
    if _CHROME.match(line) or _CN_READ_TIME.search(line):
        return True
    if _READ_TIME.search(line) and len(line) < 60:
        return True
    return find_date(line) is not None and len(line) < 40


def _title_index(header: Sequence[Block], blocks: Sequence[Block]) -> int | None:
    best: tuple[float, int] | None = None
    fallback = None
    for i, block in enumerate(header):
        text = block.text.strip()
        if "\n" in text or _is_chrome(text) or block.kind in ("code", "image", "table"):
            continue
        if fallback is None:
            fallback = i
        score = _title_score(text) - 0.1 * i
        following = blocks[i + 1].text if i + 1 < len(blocks) else ""
        if len(following) >= 80:
            score += 1.0
        if score > 1.0 and (best is None or score > best[0]):
            best = (score, i)
    return best[1] if best else fallback


def _title_score(text: str) -> float:
    if len(text) > 200 or (text.endswith((".", "。")) and len(text) > 60):
        return 0.0
    han = han_count(text)
    if han >= 4:
        return 2.0 if han <= 40 and not text.endswith("。") else 0.5
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    if len(words) < 3:
        return 0.0
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in significant if w[0].isupper())
    ratio = capitalised / len(significant) if significant else 0.0
    return 2.0 if ratio >= 0.6 else 0.8


def _one_line(text: str) -> str:
    return " ".join(text.split())
