"""Frontmatter mappings → the few fields the library shows, whatever the site generator called them.

Hugo nests under `params`, Zola under `extra` and `taxonomies`, clippers invent their own keys; YAML
turns `title: 2024` into an int. Each field is looked up by its known names, in order of trust.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corpus.dates import normalise_date
from corpus.tags import split_tags, unique_tags

_NESTS = ("extra", "params", "taxonomies", "meta")
_URL = re.compile(r"^https?://\S+$")
_WIKILINK = re.compile(r"\[\[([^\[\]|#]+)(?:#[^\[\]|]*)?(?:\|([^\[\]]+))?\]\]")

TITLE_KEYS = ("title",)
ALT_TITLE_KEYS = ("title_en", "title_zh", "original_title", "originaltitle", "subtitle_en")
DATE_KEYS = (
    "date",
    "publishdate",
    "pubdate",
    "published",
    "updated",
    "lastmod",
    "last_updated",
    "created_date",
    "created",
)
TAG_KEYS = ("tags", "categories", "keywords", "category")
AUTHOR_KEYS = ("author", "authors", "creator", "byline")
SOURCE_KEYS = ("source", "url", "link", "canonical", "source_url", "original_url", "original")


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None
    title_alt: str | None
    date: str | None
    tags: tuple[str, ...]
    author: str | None
    source: str | None


def read_metadata(meta: Mapping[str, Any]) -> Metadata:
    title = _text(_lookup(meta, TITLE_KEYS))
    alt = _first_text(meta, ALT_TITLE_KEYS)
    if not title and alt:
        title, alt = alt, None
    if alt and title and alt.casefold() == title.casefold():
        alt = None
    date = next(
        (d for d in (normalise_date(v) for v in _all(meta, DATE_KEYS)) if d is not None), None
    )
    tags = unique_tags(tag for value in _all(meta, TAG_KEYS) for tag in split_tags(value))
    return Metadata(
        title=title or None,
        title_alt=alt or None,
        date=date,
        tags=tags,
        author=_author(meta),
        source=next(
            (v for v in (_text(x) for x in _all(meta, SOURCE_KEYS)) if v and _URL.match(v)), None
        ),
    )


def _folded(meta: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).casefold(): v for k, v in meta.items()}


def _scopes(meta: Mapping[str, Any]) -> list[dict[str, Any]]:
    top = _folded(meta)
    scopes = [top]
    for nest in _NESTS:
        inner = top.get(nest)
        if isinstance(inner, Mapping):
            scopes.append(_folded(inner))
    return scopes


def _all(meta: Mapping[str, Any], keys: Iterable[str]) -> list[Any]:
    """Every value stored under any of `keys`, top level first, then nested tables."""
    found = []
    for key in keys:
        for scope in _scopes(meta):
            if key in scope and scope[key] not in (None, "", []):
                found.append(scope[key])
    return found


def _lookup(meta: Mapping[str, Any], keys: Iterable[str]) -> Any:
    values = _all(meta, keys)
    return values[0] if values else None


def _first_text(meta: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    return next((t for t in (_text(v) for v in _all(meta, keys)) if t), None)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool | Mapping | list | tuple):
        return None
    text = " ".join(str(value).split())
    return text or None


def _author(meta: Mapping[str, Any]) -> str | None:
    for value in _all(meta, AUTHOR_KEYS):
        if isinstance(value, Mapping):
            name = _text(_folded(value).get("name"))
            if name:
                return _unlinked(name)
        elif isinstance(value, list | tuple):
            names = [_unlinked(n) for n in (_text(v) for v in value) if n]
            if names:
                return ", ".join(names)
        elif text := _text(value):
            return _unlinked(text)
    return None


def _unlinked(name: str) -> str:
    """A name as Obsidian Web Clipper writes it, `[[Ruth Adeyemi]]` or `[[page|Ruth]]`, shown as
    the name."""
    return _WIKILINK.sub(lambda m: m.group(2) or m.group(1), name).strip()
