"""The library list's filtering, sorting and counting, kept apart from the widgets that show it.

Tags are compared by `corpus.tags.tag_key`, so "Open Source" and "open-source" are one tag; the
panel shows the spelling the library uses most.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from corpus.langid import PENDING
from corpus.tags import tag_key as _tag_key
from index.types import DocInfo, SearchResults, newest_first

if TYPE_CHECKING:
    from corpus.model import DocLang

# A library repeats the same few hundred tags thousands of times; the list is re-counted on every
# filter change, so each spelling is normalised once.
tag_key = lru_cache(maxsize=4096)(_tag_key)

SortKey = Literal["date", "title"]
# "other": every language but English and Chinese (a document's `lang` is then its ISO code).
LANGS: tuple[DocLang, ...] = ("en", "zh", "bilingual", "other")
LANG_BADGES: dict[str, str] = {"en": "EN", "zh": "中", "bilingual": "EN+中", "other": "Other"}
LANG_NAMES: dict[str, str] = {
    "en": "English",
    "zh": "Chinese",
    "bilingual": "bilingual",
    "other": "other-language",
}

# How much of a bilingual document is translated: every text row has both sides, or not.
Translation = Literal["full", "partly"]
TRANSLATIONS: tuple[Translation, ...] = ("full", "partly")
TRANSLATION_NAMES: dict[Translation, str] = {
    "full": "fully translated",
    "partly": "partly translated",
}


def lang_group(lang: DocLang) -> DocLang:
    """The entry of the language filter a document's `lang` falls under; none (PENDING) while
    it is not known yet."""
    return lang if lang in LANGS or lang == PENDING else "other"


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user narrowed the library to: tag keys (all must match), one language, and for
    bilingual documents how much is translated."""

    tags: tuple[str, ...] = ()
    lang: DocLang | None = None
    translation: Translation | None = None  # only with lang "bilingual"

    @property
    def active(self) -> bool:
        return bool(self.tags) or self.lang is not None

    def toggle_tag(self, key: str) -> Filters:
        tags = tuple(t for t in self.tags if t != key) if key in self.tags else (*self.tags, key)
        return Filters(tags, self.lang, self.translation)

    def next_lang(self) -> Filters:
        """All → EN → 中 → EN+中 → fully translated → partly translated → Other → All."""
        order: list[tuple[DocLang | None, Translation | None]] = [
            (None, None),
            *((lang, None) for lang in LANGS if lang != "other"),
            *(("bilingual", t) for t in TRANSLATIONS),
            ("other", None),
        ]
        lang, translation = order[(order.index((self.lang, self.translation)) + 1) % len(order)]
        return Filters(self.tags, lang, translation)


@dataclass(frozen=True, slots=True)
class TagCount:
    key: str
    label: str
    count: int
    selected: bool


def doc_tag_keys(doc: DocInfo) -> frozenset[str]:
    return _doc_keys(doc.tags)


@lru_cache(maxsize=8192)
def _doc_keys(tags: tuple[str, ...]) -> frozenset[str]:
    return frozenset(tag_key(t) for t in tags)


def translation(doc: DocInfo) -> Translation | None:
    """How much of a bilingual document is translated (None: another language, or not known)."""
    if doc.lang != "bilingual" or doc.coverage is None:
        return None
    return "full" if doc.coverage >= 1.0 else "partly"


def coverage_percent(doc: DocInfo) -> str | None:
    """ "87%" for a bilingual document (rounded down: 99.6% is not all), else None."""
    if translation(doc) is None or doc.coverage is None:
        return None
    return f"{int(doc.coverage * 100 + 1e-9)}%"  # 0.29 * 100 is 28.999…


def matches(doc: DocInfo, filters: Filters) -> bool:
    if filters.lang is not None and lang_group(doc.lang) != filters.lang:
        return False
    if filters.translation is not None and translation(doc) != filters.translation:
        return False
    if filters.tags:
        keys = doc_tag_keys(doc)
        return all(t in keys for t in filters.tags)
    return True


def filter_documents(docs: Iterable[DocInfo], filters: Filters) -> list[DocInfo]:
    return [d for d in docs if matches(d, filters)]


def filter_results(
    results: SearchResults, docs: Iterable[DocInfo], filters: Filters
) -> SearchResults:
    """The hits of documents translated as `filters` asks (the index knows languages, not how
    much of a document is translated). When some are left out, `total` counts those kept."""
    if filters.translation is None:
        return results
    wanted = {d.id for d in docs if matches(d, filters)}
    hits = tuple(h for h in results.hits if h.id in wanted)
    # The groups are the best documents, not only those of the best rows: filtered on their own.
    groups = tuple(g for g in results.groups if g.id in wanted)
    if len(hits) == len(results.hits) and len(groups) == len(results.groups):
        return results
    return replace(results, hits=hits, groups=groups, total=len(hits))


def sort_documents(
    docs: Iterable[DocInfo], key: SortKey, *, reverse: bool = False
) -> list[DocInfo]:
    """Newest first (undated last), or by title, Chinese titles by their pinyin among the
    English ones; `reverse`: oldest first (undated still last), or Z to A."""
    if key == "title":
        return sorted(docs, key=lambda d: (title_key(d.title), d.path), reverse=reverse)
    if not reverse:
        return newest_first(docs)
    items = sorted(docs, key=lambda d: (title_key(d.title), d.path))
    dated = sorted((d for d in items if d.date), key=lambda d: d.date or "")
    return dated + [d for d in items if not d.date]


@lru_cache(maxsize=65536)
def title_key(title: str) -> str:
    """A title as it sorts: Chinese characters as toneless pinyin, so 从零开始 sorts as
    "cong ling kai shi", between "Co…" and "Cr…" (not after every Latin title, as code points
    would put it). pypinyin loads on the first title sort, never for the first frame."""
    if title.isascii():
        return title.casefold()
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(title)).casefold()


def tag_labels(docs: Iterable[DocInfo]) -> dict[str, str]:
    """Each tag key's most used spelling (first seen on a tie)."""
    spellings: dict[str, Counter[str]] = {}
    for doc in docs:
        for tag in doc.tags:
            spellings.setdefault(tag_key(tag), Counter())[tag] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in spellings.items()}


def count_tags(docs: Iterable[DocInfo]) -> dict[str, int]:
    """Documents per tag key."""
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(doc_tag_keys(doc))
    return dict(counts)


def facet_counts(facets: Mapping[str, int]) -> dict[str, int]:
    """The index's tag facets keyed by tag key (spellings of one tag are added together)."""
    counts: Counter[str] = Counter()
    for tag, count in facets.items():
        counts[tag_key(tag)] += count
    return dict(counts)


def tag_rows(
    counts: Mapping[str, int], labels: Mapping[str, str], selected: Sequence[str]
) -> list[TagCount]:
    """The tag panel: selected tags first (even at zero), then the rest by count and name."""
    chosen = [TagCount(key, labels.get(key, key), counts.get(key, 0), True) for key in selected]
    rest = [
        TagCount(key, labels.get(key, key), count, False)
        for key, count in counts.items()
        if count > 0 and key not in selected
    ]
    rest.sort(key=lambda t: (-t.count, t.label.casefold()))
    return chosen + rest


def count_langs(docs: Iterable[DocInfo]) -> dict[str, int]:
    """Documents per entry of the language filter (ja, de, ru… all count as "other");
    bilingual ones also per translation level, keyed "bilingual:full" and "bilingual:partly"
    (see `translation_key`)."""
    counts: Counter[str] = Counter()
    for doc in docs:
        if doc.lang == PENDING:
            continue
        counts[lang_group(doc.lang)] += 1
        level = translation(doc)
        if level is not None:
            counts[translation_key(level)] += 1
    return dict(counts)


def translation_key(level: Translation) -> str:
    return f"bilingual:{level}"
