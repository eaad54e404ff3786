"""Evaluating a compiled query (a tree of Whoosh query objects) with whole posting lists.

Each word is read once as a list of postings (`index.postings`), scored with BM25F in one pass, and
combined with dict and set operations: AND intersects, OR merges, NOT and filters remove. This
gives the exact set of matching records (for the total and the tag facets) and every score (for
the ranking) at a cost that grows with the postings read, not with Python calls per posting per
query node.

Filters (`tag:`, `lang:`, `date:` and the record kind) are tests on a record's document, looked
up in the document list, instead of posting lists: a tag or a year covers thousands of rows, and
reading those lists would cost more than the words. The scores follow Whoosh's BM25F (same idf,
length normalisation and boosts); a phrase scores as the sum of its words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from math import log
from typing import Any

from whoosh import query as wq

from corpus.tags import tag_key
from index.postings import K1, Postings, length_norms, positions, read_postings
from index.records import index_date
from index.schema import DOC, FILE, ROW
from index.types import DocInfo

Scores = dict[int, float]

MAX_EXPANSIONS = 1000  # terms a prefix may stand for


@dataclass
class Context:
    """What evaluating needs besides the posting lists, built once per committed index."""

    searcher: Any
    doc_of: list[str]  # docnum → document id
    infos: dict[str, DocInfo]
    kinds: dict[str, set[int]]  # "doc" / "file" → their docnums; every other live record is a row
    doc_count: int
    norms: dict[str, list[float]] = field(default_factory=dict)
    tags: dict[str, frozenset[str]] = field(default_factory=dict)
    spelling: dict[str, str] = field(default_factory=dict)  # tag key → its commonest spelling
    dates: dict[str, str] = field(default_factory=dict)
    _live: list[int] | None = None
    _read: dict[tuple[str, str], Postings] = field(default_factory=dict)

    @classmethod
    def build(cls, searcher: Any, doc_of: list[str], infos: dict[str, DocInfo]) -> Context:
        kinds = {k: set(read_postings(searcher, "kind", k).ids) for k in (DOC, FILE)}
        ctx = cls(searcher, doc_of, infos, kinds, searcher.doc_count_all())
        spellings: dict[str, Counter[str]] = {}
        for doc_id, info in infos.items():
            keys = []
            for tag in info.tags:
                key = tag_key(tag)
                if key:
                    keys.append(key)
                    spellings.setdefault(key, Counter())[tag] += 1
            ctx.tags[doc_id] = frozenset(keys)
            date = index_date(info.date)
            if date:
                ctx.dates[doc_id] = date
        for doc_id in set(doc_of) - ctx.tags.keys():  # records of no listed document
            ctx.tags[doc_id] = frozenset()
        ctx.spelling = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
        return ctx

    def postings(self, fieldname: str, text: str, values: bool = False) -> Postings:
        """A term's postings, read once per query (a query often names a word twice: the title
        of a row and the title of a document)."""
        key = (fieldname, text)
        found = self._read.get(key)
        if found is None or (values and found.values is None):
            found = self._read[key] = read_postings(self.searcher, fieldname, text, values)
        return found

    def forget(self) -> None:
        """Drop the postings read for the last query."""
        self._read.clear()

    def norm(self, fieldname: str) -> list[float]:
        norms = self.norms.get(fieldname)
        if norms is None:
            norms = self.norms[fieldname] = length_norms(self.searcher, fieldname)
        return norms

    def live(self) -> list[int]:
        """Every record's docnum (for the rare query that must start from all of them)."""
        if self._live is None:
            deleted: set[int] = set()
            for sub, offset in self.searcher.leaf_searchers():
                deleted |= {d + offset for d in sub.reader().deleted_docs_set}
            self._live = [d for d in range(len(self.doc_of)) if d not in deleted]
        return self._live


class Filter:
    """A yes/no test on a record, applied to what the rest of the query found."""

    def __init__(
        self,
        test: Callable[[int], bool],
        start: Callable[[], Iterable[int]],
        members: set[int] | None = None,
    ) -> None:
        self.test = test
        self._start = start  # records to test when nothing else narrows them down
        self.members = members  # every record that passes, when that is a small known set

    def materialize(self) -> Scores:
        test = self.test
        return {d: 0.0 for d in self._start() if test(d)}


Result = Scores | Filter


def evaluate(q: wq.Query, ctx: Context, within: set[int] | None = None) -> Scores:
    """Every record `q` matches (among `within`, when given), with its score."""
    try:
        return _scored(_eval(q, ctx, within), within)
    finally:
        ctx.forget()


def _scored(r: Result, within: set[int] | None) -> Scores:
    if not isinstance(r, Filter):
        return r
    if within is None:
        return r.materialize()
    test = r.test
    return {d: 0.0 for d in within if test(d)}


def _eval(q: wq.Query, ctx: Context, within: set[int] | None) -> Result:
    if isinstance(q, wq.Term):
        return _term(q, ctx, within)
    if isinstance(q, wq.Phrase):
        return _phrase(q, ctx, within)
    if isinstance(q, wq.Prefix):
        return _prefix(q, ctx, within)
    if isinstance(q, wq.TermRange) and q.fieldname == "date":
        lo, hi = q.start, q.end
        return _doc_filter(ctx, lambda doc: _in_range(ctx.dates.get(doc), lo, hi))
    if isinstance(q, wq.AndMaybe):
        required = _scored(_eval(q.a, ctx, within), within)
        if not required:
            return required
        extra = _eval(q.b, ctx, set(required))
        if isinstance(extra, Filter):
            return required
        get = extra.get
        return {d: s + get(d, 0.0) for d, s in required.items()}
    if isinstance(q, wq.And):
        return _and(q.subqueries, ctx, within)
    if isinstance(q, wq.Or):
        out: Scores = {}
        for sub in q.subqueries:
            scores = _scored(_eval(sub, ctx, within), within)
            _add_into(out, scores)
        return out
    if isinstance(q, wq.Not):
        inner = _scored(_eval(q.query, ctx, within), within)
        return Filter(lambda d: d not in inner, ctx.live)
    return _whoosh(q, ctx, within)  # pragma: no cover - a query type compile_query does not make


def _and(subs: Iterable[wq.Query], ctx: Context, within: set[int] | None) -> Result:
    """Parts that read postings go rarest first, each looking only at what the earlier ones
    found; exclusions and filters then test what is left."""
    positive: list[wq.Query] = []
    negative: list[wq.Query] = []
    filters: list[Filter] = []
    for sub in subs:
        if isinstance(sub, wq.Not):
            negative.append(sub.query)
        elif _is_filter(sub):
            r = _eval(sub, ctx, within)
            if isinstance(r, Filter):
                filters.append(r)
            else:  # pragma: no cover - every filter evaluates to a Filter
                positive.append(sub)
        else:
            positive.append(sub)
    out: Scores | None = None
    scope = within
    for f in filters:
        if f.members is not None:  # e.g. document records only: look nowhere else
            scope = f.members if scope is None else scope & f.members
    for sub in sorted(positive, key=lambda q: _estimate(q, ctx)):
        scores = _scored(_eval(sub, ctx, scope), scope)
        if out is not None:
            scores = {d: s + scores[d] for d, s in out.items() if d in scores}
        out = scores
        if not out:
            return {}
        scope = set(out)
    if out is None:
        if not filters:
            if not negative:
                return {}
            out = {d: 0.0 for d in (within if within is not None else ctx.live())}
        else:
            out = _scored(filters[0], within)
            filters = filters[1:]
    for f in filters:
        test = f.test
        out = {d: s for d, s in out.items() if test(d)}
    for neg in negative:
        if not out:
            break
        scope = set(out)
        inner = _scored(_eval(neg, ctx, scope), scope)
        out = {d: s for d, s in out.items() if d not in inner}
    return out


_FILTER_FIELDS = ("kind", "tag", "lang", "date")


def _is_filter(q: wq.Query) -> bool:
    if isinstance(q, wq.Term | wq.Prefix | wq.TermRange):
        return q.fieldname in _FILTER_FIELDS
    return False


def _estimate(q: wq.Query, ctx: Context) -> int:
    """About how many records `q` can match, from term statistics (no postings read)."""
    searcher = ctx.searcher
    if isinstance(q, wq.Term):
        return int(searcher.doc_frequency(q.fieldname, q.text))
    if isinstance(q, wq.Phrase):
        return min(int(searcher.doc_frequency(q.fieldname, w)) for w in q.words)
    if isinstance(q, wq.And):
        return min((_estimate(s, ctx) for s in q.subqueries), default=0)
    if isinstance(q, wq.AndMaybe):
        return _estimate(q.a, ctx)
    if isinstance(q, wq.Or):
        return sum(_estimate(s, ctx) for s in q.subqueries)
    return len(ctx.doc_of)


# --- leaves --------------------------------------------------------------------------------------


def _term(q: wq.Term, ctx: Context, within: set[int] | None) -> Result:
    name, text = q.fieldname, q.text
    if name == "kind":
        return _kind(text, ctx)
    if name == "tag":
        return _doc_filter(ctx, lambda doc: text in ctx.tags.get(doc, ()))
    if name == "lang":
        langs = {doc for doc, info in ctx.infos.items() if info.lang == text}
        return _doc_filter(ctx, langs.__contains__)
    if name == "date":
        return _doc_filter(ctx, lambda doc: ctx.dates.get(doc) == text)
    return _scores(ctx.postings(name, text), name, text, q.boost, ctx, within)


def _scores(
    p: Postings, name: str, text: str, boost: float, ctx: Context, within: set[int] | None
) -> Scores:
    if not p.ids:
        return {}
    pairs: Iterable[tuple[int, float]] = zip(p.ids, p.weights, strict=True)
    if within is not None:
        pairs = [(d, w) for d, w in pairs if d in within]
    searcher = ctx.searcher
    if not searcher.schema[name].scorable:
        return {d: w * boost for d, w in pairs}
    df = searcher.doc_frequency(name, text)
    idf = log(ctx.doc_count / (df + 1)) + 1
    c = boost * idf * (K1 + 1)
    norm = ctx.norm(name)
    return {d: c * w / (w + norm[d]) for d, w in pairs}


def _phrase(q: wq.Phrase, ctx: Context, within: set[int] | None) -> Scores:
    name, words = q.fieldname, list(q.words)
    if len(words) == 1:
        return _scored(_term(wq.Term(name, words[0], boost=q.boost), ctx, within), within)
    n_words = len(words)
    offsets = _cover(words)
    words = [words[i] for i in offsets]
    lists = [ctx.postings(name, w, values=True) for w in words]
    if any(not p.ids for p in lists):
        return {}
    # Candidates: records with every word, tested from the rarest word's side.
    maps = [dict(zip(p.ids, p.values or (), strict=True)) for p in lists]
    order = sorted(range(len(maps)), key=lambda i: len(maps[i]))
    first = maps[order[0]].keys()
    others = [maps[i] for i in order[1:]]
    cands = [
        d for d in (first if within is None else within & first) if all(d in m for m in others)
    ]
    found = _adjacent(cands, maps, offsets)
    if not found:
        return {}
    # Each word's BM25 (its frequency is its number of positions), summed; words the cover
    # skipped count as much as the average of those read.
    out: Scores = dict.fromkeys(found, 0.0)
    norm = ctx.norm(name) if ctx.searcher.schema[name].scorable else None
    scale = q.boost * (K1 + 1) * n_words / len(words)
    for w, m in zip(words, maps, strict=True):
        df = ctx.searcher.doc_frequency(name, w)
        c = scale * (log(ctx.doc_count / (df + 1)) + 1)
        for d in found:
            tf = len(positions(m[d]))
            out[d] += c * tf / (tf + norm[d]) if norm is not None else tf * q.boost
    return out


def _adjacent(cands: list[int], maps: list[dict[int, bytes]], offsets: list[int]) -> set[int]:
    """The candidates where every word sits at its offset from the first word."""
    found: set[int] = set()
    first, rest = maps[0], list(zip(maps[1:], offsets[1:], strict=True))
    for d in cands:
        starts = positions(first[d])
        for m, off in rest:
            at = positions(m[d])
            if len(starts) == 1 and len(at) == 1:  # the usual case: each word once
                if at[0] - starts[0] != off:
                    break
                continue
            shifted = {p - off for p in at}
            starts = tuple(p for p in starts if p in shifted)
            if not starts:
                break
        else:
            found.add(d)
    return found


def _cover(words: list[str]) -> list[int]:
    """The offsets of the phrase's words that must be checked. Overlapping character bigrams
    (大语 语言 言模 模型) are pinned down by every other one plus the last (大语 言模 模型): the
    others are then implied, and their posting lists need not be read."""
    n = len(words)
    if n < 3 or not all(len(a) == 2 == len(b) and a[1] == b[0] for a, b in pairwise(words)):
        return list(range(n))
    return sorted({*range(0, n, 2), n - 1})


def _prefix(q: wq.Prefix, ctx: Context, within: set[int] | None) -> Result:
    name, text = q.fieldname, q.text
    if name == "date":
        return _doc_filter(ctx, lambda doc: ctx.dates.get(doc, "").startswith(text))
    out: Scores = {}
    reader = ctx.searcher.reader()
    for n, term in enumerate(reader.expand_prefix(name, text)):
        if n >= MAX_EXPANSIONS:
            break
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        postings = ctx.postings(name, word)
        _add_into(out, _scores(postings, name, word, q.boost, ctx, within))
    return out


def _add_into(out: Scores, scores: Scores) -> None:
    """OR: every record of either, scores summed where both have it."""
    if not out:
        out.update(scores)
        return
    get = out.get
    for d, s in scores.items():
        out[d] = get(d, 0.0) + s


def _kind(kind: str, ctx: Context) -> Filter:
    docs, files = ctx.kinds[DOC], ctx.kinds[FILE]
    if kind == ROW:
        return Filter(lambda d: d not in docs and d not in files, ctx.live)
    members = ctx.kinds.get(kind, set())
    return Filter(members.__contains__, lambda: sorted(members), members)


def _doc_filter(ctx: Context, test: Callable[[str], bool]) -> Filter:
    doc_of = ctx.doc_of
    n = len(doc_of)
    files = ctx.kinds[FILE]
    return Filter(lambda d: d < n and d not in files and test(doc_of[d]), ctx.live)


def _in_range(date: str | None, lo: str | None, hi: str | None) -> bool:
    if date is None:
        return False
    return (lo is None or date >= lo) and (hi is None or date <= hi)


def _whoosh(q: wq.Query, ctx: Context, within: set[int] | None) -> Scores:
    out: Scores = {}
    for sub, offset in ctx.searcher.leaf_searchers():
        m = q.matcher(sub)
        while m.is_active():
            d = m.id() + offset
            if within is None or d in within:
                out[d] = m.score()
            m.next()
    return out
