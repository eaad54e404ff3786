"""Tags as users write them ("Open Source", "open-source ", "#LoRA") and the key they compare by."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")
_SPLIT = re.compile(r"[,，、;；]")


def tag_key(tag: str) -> str:
    """The comparison key: case-folded, whitespace collapsed, hyphens and underscores as spaces."""
    return _SPACE.sub(" ", tag.replace("-", " ").replace("_", " ")).strip().casefold()


def clean_tag(tag: str) -> str:
    """The display spelling: the user's own, trimmed, one space between words, no leading '#'."""
    return _SPACE.sub(" ", tag).strip().lstrip("#").strip()


def split_tags(value: object) -> list[str]:
    """Tags from a frontmatter value: a list, or one string separated by commas."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str):
        return [t for t in (clean_tag(p) for p in _SPLIT.split(value)) if t]
    if isinstance(value, int | float):
        return [str(value)]
    if isinstance(value, dict):
        return []
    if isinstance(value, Iterable):
        out: list[str] = []
        for item in value:
            out.extend(split_tags(item))
        return out
    return []


def unique_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Keep the first spelling of each tag key, in order."""
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        key = tag_key(tag)
        if key and key not in seen:
            seen.add(key)
            out.append(tag)
    return tuple(out)
