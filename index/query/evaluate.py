"""Evaluating a compiled query (a tree of Whoosh query objects) with whole posting lists.

Each word is read once as arrays of postings (`engine.postings`), scored with BM25F in one array
expression, and combined with sorted-array set operations: AND intersects, OR merges, NOT and
filters remove. This gives the exact set of matching records (for the total and the tag facets)
and every score (for the ranking) at the cost of a few array operations per query node, however
many postings a word has.

Filters (`tag:`, `lang:`, `date:` and the record kind) are masks over the records, computed from
each record's document, instead of posting lists: a tag or a year covers thousands of rows, and
reading those lists would cost more than the words. Titles and authors are indexed on document
records only: the parts of a query over them are evaluated there (`OnDocuments`) and each
document's score goes to its rows. The scores follow Whoosh's BM25F (same idf, length
normalisation and boosts; over documents for titles and authors); a phrase scores as the sum of
its words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from math import log

import numpy as np
from numpy.typing import NDArray
from whoosh import query as wq

from index.analysis.tokens import english_term
from index.engine.postings import (
    K1,
    Floats,
    Ints,
    Postings,
)
from index.engine.schema import DOC, DOC_FIELDS, FILE, ROW
from index.query.compile import Completion
from index.query.context import MAX_COMPLETIONS, Context, Mask

MAX_EXPANSIONS = 1000  # terms a prefix may stand for
MIN_COMPLETION = 2  # letters typed before they stand for longer words (one letter is a word)
DENSE_SHARE = 16  # lists joined over a dense array once they hold 1/16 of the records


@dataclass(slots=True)
class Scored:
    """Matching records (global docnums, ascending) and their scores."""

    ids: Ints
    scores: Floats

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids.tolist())

    def as_dict(self) -> dict[int, float]:
        return dict(zip(self.ids.tolist(), self.scores.tolist(), strict=True))


def _empty() -> Scored:
    return Scored(np.zeros(0, dtype=np.int64), np.zeros(0))


def _zero(ids: Ints) -> Scored:
    return Scored(ids, np.zeros(len(ids)))


class Filter:
    """A yes/no test on every record, applied to what the rest of the query found."""

    def __init__(self, make: Callable[[], Mask], members: Ints | None = None) -> None:
        self._make = make
        self._mask: Mask | None = None
        self.members = members  # every record that passes, when that is a small known set

    @property
    def mask(self) -> Mask:
        if self._mask is None:
            self._mask = self._make()
        return self._mask


Result = Scored | Filter


def evaluate(
    q: wq.Query, ctx: Context, within: Ints | None = None, *, keep: bool = False
) -> Scored:
    """Every record `q` matches (among `within`, sorted docnums, when given), with its score.
    `keep`: the postings read stay in `ctx` for the caller, who then calls `ctx.forget()`."""
    try:
        return _scored(_eval(_plan(q), ctx, within), within)
    finally:
        if not keep:
            ctx.forget()


class OnDocuments(wq.Query):
    """A part of a query over the fields only document records have (title, author): it is
    evaluated over the document records, and each document found gives its score to its rows."""

    def __init__(self, query: wq.Query) -> None:
        self.query = query

    def __repr__(self) -> str:
        return f"OnDocuments({self.query!r})"


def _plan(q: wq.Query) -> wq.Query:
    """`q` with each largest part that reads only document fields wrapped in `OnDocuments`."""
    if _documents_only(q):
        return OnDocuments(q)
    if isinstance(q, wq.Not):
        return wq.Not(_plan(q.query))
    if isinstance(q, wq.CompoundQuery | wq.AndMaybe):
        return q.apply(_plan)
    return q


def _documents_only(q: wq.Query) -> bool:
    if isinstance(q, wq.Term | wq.Phrase | wq.Prefix):  # Completion is a Prefix
        return q.fieldname in DOC_FIELDS
    if isinstance(q, wq.And | wq.Or):
        return bool(q.subqueries) and all(_documents_only(sub) for sub in q.subqueries)
    if isinstance(q, wq.AndMaybe):
        return _documents_only(q.a) and _documents_only(q.b)
    return False


def _on_documents(q: OnDocuments, ctx: Context, within: Ints | None) -> Scored:
    found = _scored(_eval(q.query, ctx, None), None)  # document records only
    if not len(found):
        return found
    if within is not None:  # the records asked about, each with its document's score
        docs = ctx.rec_doc[within]
        dense = np.zeros(len(ctx.doc_ids) + 1)  # the last entry: no listed document
        hit = np.zeros(len(ctx.doc_ids) + 1, dtype=np.bool_)
        index = ctx.rec_doc[found.ids]
        dense[index], hit[index] = found.scores, True
        hit[-1] = False
        keep = hit[docs]
        scores = dense[docs]
        unlisted = docs < 0  # a document record the catalog does not list: its own score
        if unlisted.any():
            at = np.minimum(np.searchsorted(found.ids, within[unlisted]), len(found) - 1)
            own = found.ids[at] == within[unlisted]
            keep[unlisted], scores[unlisted] = own, np.where(own, found.scores[at], 0.0)
        return Scored(within[keep], scores[keep])
    # Every document record found, after its rows (the run of records just before its own).
    first, count = ctx.rows_of(found.ids)
    total = count + 1
    which = np.repeat(np.arange(len(found)), total)
    offset = np.arange(len(which)) - np.repeat(np.cumsum(total) - total, total)
    ids = np.where(offset < count[which], first[which] + offset, found.ids[which])
    scores = found.scores[which]
    if len(ids) > 1 and not (ids[1:] > ids[:-1]).all():  # pragma: no cover - never written so
        order = np.argsort(ids, kind="stable")
        ids, scores = ids[order], scores[order]
    return Scored(ids, scores)


def _scored(r: Result, within: Ints | None) -> Scored:
    if not isinstance(r, Filter):
        return r
    mask = r.mask
    if within is None:
        return _zero(np.flatnonzero(mask).astype(np.int64))
    return _zero(within[mask[within]])


DENSE_SPAN = 16  # see `_member`


def _member(ids: Ints, among: Ints) -> Mask:
    """Which of `ids` are in `among` (both sorted). Long lists over a range not much longer
    than they are are looked up in a mask of the range (one pass each), not by binary search."""
    if not len(among) or not len(ids):
        return np.zeros(len(ids), dtype=np.bool_)
    span = int(max(ids[-1], among[-1])) + 1
    if span <= DENSE_SPAN * (len(ids) + len(among)):
        mask = np.zeros(span, dtype=np.bool_)
        mask[among] = True
        dense: Mask = mask[ids]
        return dense
    at = np.searchsorted(among, ids)
    at[at == len(among)] = 0
    found: Mask = among[at] == ids
    return found


def _common(a: Ints, b: Ints) -> Ints:
    """The values in both `a` and `b` (each sorted, without repeats), sorted. Two lists of about
    the same length are merged (a stable sort of two sorted runs is one linear merge), twice as
    fast as a binary search of each value; a short one is looked up in a long one."""
    if not len(a) or not len(b):
        return a[:0]
    if len(a) * 8 < len(b) or len(b) * 8 < len(a):
        short, long = (a, b) if len(a) < len(b) else (b, a)
        return short[_member(short, long)]
    both = np.concatenate((a, b))
    both.sort(kind="stable")
    same = both[1:] == both[:-1]
    found: Ints = both[1:][same]
    return found


def _take(s: Scored, keep: Mask) -> Scored:
    return Scored(s.ids[keep], s.scores[keep])


def _both(a: Scored, b: Scored) -> Scored:
    """AND: the records of both, scores summed."""
    ids, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return Scored(ids, a.scores[ia] + b.scores[ib])


def _any(parts: list[Scored], size: int = 0) -> Scored:
    """OR: every record of any part, scores summed where several have it. `size`: the number of
    records, when known: long lists are then summed over a dense array instead of sorted."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty()
    if len(parts) == 1:
        return parts[0]
    if size and sum(len(p) for p in parts) * DENSE_SHARE >= size:
        summed = np.zeros(size)
        hit = np.zeros(size, dtype=np.bool_)
        for p in parts:
            summed[p.ids] += p.scores
            hit[p.ids] = True
        ids = np.flatnonzero(hit).astype(np.int64)
        return Scored(ids, summed[ids])
    ids, inverse = np.unique(np.concatenate([p.ids for p in parts]), return_inverse=True)
    weights = np.concatenate([p.scores for p in parts])
    summed = np.bincount(inverse, weights=weights, minlength=len(ids)).astype(np.float64)
    return Scored(ids, summed)


def _eval(q: wq.Query, ctx: Context, within: Ints | None) -> Result:
    if isinstance(q, OnDocuments):
        return _on_documents(q, ctx, within)
    if isinstance(q, wq.Term):
        return _term(q, ctx, within)
    if isinstance(q, wq.Phrase):
        return _phrase(q, ctx, within)
    if isinstance(q, Completion):
        return _completion(q, ctx, within)
    if isinstance(q, wq.Prefix):
        return _prefix(q, ctx, within)
    if isinstance(q, wq.TermRange) and q.fieldname == "date":
        return _doc_filter(ctx, lambda: _in_range(ctx.doc_dates, q.start, q.end))
    if isinstance(q, wq.AndMaybe):
        if isinstance(q.a, wq.Phrase) and _spelled_by(q.a, q.b):
            # Records that have the word have its characters side by side: only the others'
            # positions need reading (most of a common word's records, on Chinese text).
            sure = ctx.postings(q.b.fieldname, q.b.text).ids
            required = _scored(_phrase(q.a, ctx, within, sure), within)
        else:
            required = _scored(_eval(q.a, ctx, within), within)
        if not len(required):
            return required
        extra = _eval(q.b, ctx, required.ids)
        if isinstance(extra, Filter) or not len(extra):
            return required
        at = np.searchsorted(required.ids, extra.ids)
        scores = required.scores.copy()
        scores[at] += extra.scores
        return Scored(required.ids, scores)
    if isinstance(q, wq.And):
        return _and(q.subqueries, ctx, within)
    if isinstance(q, wq.Or):
        subs = [_scored(_eval(sub, ctx, within), within) for sub in q.subqueries]
        return _any(subs, ctx.doc_count)
    if isinstance(q, wq.Not):
        inner = _scored(_eval(q.query, ctx, within), within)

        def outside() -> Mask:
            mask = ctx.live.copy()
            mask[inner.ids] = False
            return mask

        return Filter(outside)
    return _whoosh(q, ctx, within)  # pragma: no cover - a query type compile_query does not make


def _and(subs: Iterable[wq.Query], ctx: Context, within: Ints | None) -> Result:
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
    out: Scored | None = None
    scope = within
    for f in filters:
        if f.members is not None:  # e.g. document records only: look nowhere else
            scope = f.members if scope is None else np.intersect1d(scope, f.members)
    for sub in sorted(positive, key=lambda q: _estimate(q, ctx)):
        scores = _scored(_eval(sub, ctx, scope), scope)
        out = scores if out is None else _both(out, scores)
        if not len(out):
            return out
        scope = out.ids
    if out is None:
        if not filters:
            if not negative:
                return _empty()
            out = _zero(within if within is not None else np.flatnonzero(ctx.live))
        else:
            out = _scored(filters[0], within)
            filters = filters[1:]
    for f in filters:
        out = _take(out, f.mask[out.ids])
    for neg in negative:
        if not len(out):
            break
        inner = _scored(_eval(neg, ctx, out.ids), out.ids)
        out = _take(out, ~_member(out.ids, inner.ids))
    return out


_FILTER_FIELDS = ("kind", "tag", "lang", "date")


def _is_filter(q: wq.Query) -> bool:
    if isinstance(q, wq.Term | wq.Prefix | wq.TermRange):
        return q.fieldname in _FILTER_FIELDS
    return False


def _estimate(q: wq.Query, ctx: Context) -> int:
    """About how many records `q` can match, from term statistics (no postings read)."""
    if isinstance(q, OnDocuments):
        return int(_estimate(q.query, ctx) * (1 + ctx.rows_per_document()))
    if isinstance(q, wq.Term):
        return ctx.doc_frequency(q.fieldname, q.text)
    if isinstance(q, wq.Phrase):
        return min(ctx.doc_frequency(q.fieldname, w) for w in q.words)
    if isinstance(q, wq.And):
        return min((_estimate(s, ctx) for s in q.subqueries), default=0)
    if isinstance(q, wq.AndMaybe):
        return _estimate(q.a, ctx)
    if isinstance(q, wq.Or):
        return sum(_estimate(s, ctx) for s in q.subqueries)
    return ctx.doc_count


# --- leaves --------------------------------------------------------------------------------------


def _term(q: wq.Term, ctx: Context, within: Ints | None) -> Result:
    name, text = q.fieldname, q.text
    if name == "kind":
        return _kind(text, ctx)
    if name == "tag":
        return _doc_filter(ctx, lambda: _tagged(ctx, text))
    if name == "lang":
        if text == "other":  # any language but English and Chinese
            return _doc_filter(ctx, lambda: ~np.isin(ctx.doc_langs, ("en", "zh", "bilingual")))
        return _doc_filter(ctx, lambda: ctx.doc_langs == text)
    if name == "date":
        return _doc_filter(ctx, lambda: ctx.doc_dates == text)
    return _scores(ctx.postings(name, text), name, text, q.boost, ctx, within)


def _idf(ctx: Context, name: str, text: str) -> float:
    return log(ctx.records(name) / (ctx.doc_frequency(name, text) + 1)) + 1


def _scores(
    p: Postings, name: str, text: str, boost: float, ctx: Context, within: Ints | None
) -> Scored:
    ids, weights = p.ids, p.weights
    if not len(ids):
        return _empty()
    if within is not None:
        keep = _member(ids, within)
        ids, weights = ids[keep], weights[keep]
    if not ctx.searcher.schema[name].scorable:
        return Scored(ids, weights * boost)
    c = boost * _idf(ctx, name, text) * (K1 + 1)
    return Scored(ids, c * weights / (weights + ctx.norm(name)[ids]))


def _spelled_by(chars: wq.Phrase, word: wq.Query) -> bool:
    """Whether `word` is a term of a words field whose text is `chars`' characters in order, for
    the Chinese fields, whose words and characters come from the same folded text (a word
    jieba found there is always a run of side-by-side characters)."""
    return (
        isinstance(word, wq.Term)
        and (chars.fieldname, word.fieldname) in _CHARS_OF_WORDS
        and len(chars.words) > 1
        and "".join(chars.words) == word.text
    )


_CHARS_OF_WORDS = {("body_chars", "body"), ("title_chars", "title")}


def _phrase(q: wq.Phrase, ctx: Context, within: Ints | None, sure: Ints | None = None) -> Scored:
    """`sure`: records known to have the phrase (their positions are not read)."""
    name, words = q.fieldname, list(q.words)
    if len(words) == 1:
        return _scored(_term(wq.Term(name, words[0], boost=q.boost), ctx, within), within)
    offsets = list(range(len(words)))
    lists = [ctx.postings(name, w, positions=True) for w in words]
    if any(not len(p.ids) for p in lists):
        return _empty()
    # Candidates: records with every word, narrowed from the rarest word's side.
    cands = min((p.ids for p in lists), key=len)
    if within is not None:
        cands = cands[_member(cands, within)]
    for p in lists:
        if not len(cands):
            return _empty()
        cands = _common(cands, p.ids)
    if not len(cands):
        return _empty()
    rows = [np.searchsorted(p.ids, cands) for p in lists]  # each candidate's place in each list
    if sure is not None and len(sure):
        keep = _member(cands, sure)
        others = ~keep
        if others.any():
            keep[others] = _adjacent([r[others] for r in rows], lists, offsets)
    else:
        keep = _adjacent(rows, lists, offsets)
    found = cands[keep]
    if not len(found):
        return _empty()
    # Each word's BM25 (its frequency is its number of positions), summed.
    out = np.zeros(len(found))
    scorable = ctx.searcher.schema[name].scorable
    norm = ctx.norm(name)[found] if scorable else None
    scale = q.boost * (K1 + 1)
    for w, p, r in zip(words, lists, rows, strict=True):
        assert p.lens is not None
        tf = p.lens[r[keep]].astype(np.float64)
        if norm is not None:
            out += scale * _idf(ctx, name, w) * tf / (tf + norm)
        else:
            out += tf * q.boost
    return Scored(found, out)


def _adjacent(rows: list[Ints], lists: list[Postings], offsets: list[int]) -> Mask:
    """Which candidates have every word at its offset from the first word; `rows`: each
    candidate's place in each word's list."""
    starts: Ints | None = None
    for p, at_rows, off in zip(lists, rows, offsets, strict=True):
        # One key per (candidate, position the phrase would start at): candidate in the high
        # bits, so the keys of each word come out sorted and can be intersected directly.
        owner, at = _positions_of(p, at_rows)
        at = at - off
        ok = at >= 0
        keys = (owner[ok] << 32) | at[ok]
        starts = keys if starts is None else _common(starts, keys)
        if not len(starts):
            break
    found = np.zeros(len(rows[0]), dtype=np.bool_)
    if starts is not None and len(starts):
        found[starts >> 32] = True
    return found


def _positions_of(p: Postings, rows: Ints) -> tuple[Ints, Ints]:
    """For the postings at `rows`: each position, and the index in `rows` it belongs to."""
    assert p.starts is not None and p.lens is not None and p.pos is not None
    lens = p.lens[rows]
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lens)
    ends = np.cumsum(lens)
    flat = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    flat += np.repeat(p.starts[rows] - (ends - lens), lens)
    return owner, p.pos[flat]


def _prefix(q: wq.Prefix, ctx: Context, within: Ints | None) -> Result:
    name, text = q.fieldname, q.text
    if name == "date":
        return _doc_filter(ctx, lambda: np.char.startswith(ctx.doc_dates, text))
    parts = [
        _scores(ctx.postings(name, word), name, word, q.boost, ctx, within)
        for word, _df in ctx.prefixed(name, text, MAX_EXPANSIONS)
    ]
    return _any(parts, ctx.doc_count)


def _completion(q: Completion, ctx: Context, within: Ints | None) -> Scored:
    """A record scores as its best completion (not their sum: a row with three rare q-words is
    not what `qu` means), the commoner words weighing more."""
    name, text = q.fieldname, q.text
    if len(text) < MIN_COMPLETION:
        return _empty()
    exact = english_term(text)
    # Two letters stand for a few common words; each letter more, for more of them.
    most = min(MAX_COMPLETIONS, 8 * (len(text) - 1))
    weighted = [(t, w) for t, w in ctx.completions(text)[:most] if t != exact]
    if not text.isalpha():  # numbers and the like, which the spelling vocabulary leaves out
        seen = {t for t, _ in weighted} | {exact}
        for word, _df in ctx.prefixed(name, text, MAX_COMPLETIONS):
            if word not in seen:
                weighted.append((word, 0.5))
    parts = [_scores(ctx.postings(name, t), name, t, q.boost * w, ctx, within) for t, w in weighted]
    parts = [p for p in parts if len(p)]
    if len(parts) < 2:
        return parts[0] if parts else _empty()
    if sum(len(p) for p in parts) * DENSE_SHARE < ctx.doc_count:  # few: sort them
        ids, inverse = np.unique(np.concatenate([p.ids for p in parts]), return_inverse=True)
        top = np.zeros(len(ids))
        np.maximum.at(top, inverse, np.concatenate([p.scores for p in parts]))
        return Scored(ids, top)
    # Many: the best score per record over a dense array, with no sort of the lists joined.
    best = np.zeros(ctx.doc_count)
    for p in parts:
        best[p.ids] = np.maximum(best[p.ids], p.scores)
    ids = np.flatnonzero(best).astype(np.int64)
    return Scored(ids, best[ids])


def _kind(kind: str, ctx: Context) -> Filter:
    if kind == ROW:
        return Filter(lambda: ctx.is_row)
    kinds = {DOC: ctx.is_doc, FILE: ctx.is_file}
    mask = kinds.get(kind, np.zeros_like(ctx.live)) & ctx.live
    return Filter(lambda: mask, np.flatnonzero(mask).astype(np.int64))


def _doc_filter(ctx: Context, passing: Callable[[], Mask]) -> Filter:
    """Rows and document records whose document passes (`passing`: a mask over documents)."""

    def make() -> Mask:
        # rec_doc is -1 for records of no listed document: they read the False appended last.
        mask: Mask = np.append(passing(), False)[ctx.rec_doc] & ctx.listed
        return mask

    return Filter(make)


def _tagged(ctx: Context, key: str) -> Mask:
    docs = np.zeros(len(ctx.doc_ids), dtype=np.bool_)
    if key in ctx.tag_index:
        docs[ctx.pair_doc[ctx.pair_tag == ctx.tag_index[key]]] = True
    return docs


def _in_range(dates: NDArray[np.str_], lo: str | None, hi: str | None) -> Mask:
    """Dated documents from `lo` to `hi` (either open)."""
    mask: Mask = dates != ""
    if lo is not None:
        mask &= dates >= lo
    if hi is not None:
        mask &= dates <= hi
    return mask


def _whoosh(q: wq.Query, ctx: Context, within: Ints | None) -> Scored:
    ids: list[int] = []
    scores: list[float] = []
    for sub, offset in ctx.searcher.leaf_searchers():
        m = q.matcher(sub)
        while m.is_active():
            ids.append(m.id() + offset)
            scores.append(m.score())
            m.next()
    out = Scored(np.array(ids, dtype=np.int64), np.array(scores))
    return out if within is None else _take(out, _member(out.ids, within))
