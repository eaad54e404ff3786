"""Running a query against an open searcher: hits, total, tag facets and "did you mean"."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from index.analysis.tokens import CJK_CLASS, english_term
from index.engine.schema import stored_row
from index.query.compile import Compiled, Evidence, compile_query
from index.query.context import Context
from index.query.evaluate import Scored, evaluate
from index.query.snippets import make_snippet
from index.types import DocGroup, DocInfo, Hit, SearchResults

_LETTER = f"[^\\W\\d_{CJK_CLASS}]"
_IS_LETTER = re.compile(_LETTER)


RERANK_ROWS = 100  # the best rows (at least) in which the exact forms of the words are looked for


def run_search(
    searcher: Any,
    text: str,
    tags: Sequence[str],
    lang: str | None,
    limit: int,
    ctx: Context,
    *,
    typing: bool = False,
    per_document: int = 0,
    document: str | None = None,
) -> SearchResults:
    """The hits of `text`; see `LibraryIndex.search` for the options."""
    compiled = compile_query(text, tags=tags, lang=lang, typing=typing)
    ignored = tuple(compiled.ignored)
    if compiled.query is None:
        return SearchResults(query=text, total=0, hits=(), ignored=ignored)
    # The postings read stay until the best rows are reranked, which reads the words' again.
    try:
        scores = evaluate(compiled.query, ctx, keep=True)
        return _results(text, compiled, scores, ctx, searcher, limit, per_document, document)
    finally:
        ctx.forget()


def _results(
    text: str,
    compiled: Compiled,
    scores: Scored,
    ctx: Context,
    searcher: Any,
    limit: int,
    per_document: int,
    document: str | None,
) -> SearchResults:
    ignored = tuple(compiled.ignored)
    if document is not None:
        scores = _in_document(scores, ctx, document)
    total = len(scores)
    facets = ctx.facets(scores.ids)
    ev = compiled.evidence
    fields = stored_fields(searcher, ctx)

    top = _best(scores, max(limit, min(RERANK_ROWS, 2 * limit)))
    top = _exact_first(top, ev, fields, ctx)
    made: dict[int, Hit | None] = {}

    def hit_of(docnum: int, score: float) -> Hit | None:
        if docnum not in made:
            made[docnum] = _hit(fields(docnum), ctx.info_of(docnum), score, ev)
        return made[docnum]

    hits = [h for h in (hit_of(d, s) for d, s in top[: max(limit, 0)]) if h is not None]
    groups: tuple[DocGroup, ...] = ()
    if per_document > 0:

        def rerank(rows: list[tuple[int, float]]) -> list[tuple[int, float]]:
            return _exact_first(rows, ev, fields, ctx)

        groups = _groups(scores, ctx, limit, per_document, rerank, hit_of)
    suggestion = None
    if total == 0 and not ignored:
        from index.query.suggest import suggest

        suggestion = suggest(searcher, text, ev, ctx)
    return SearchResults(
        query=text,
        total=total,
        hits=tuple(hits),
        tag_facets=facets,
        ignored=ignored,
        suggestion=suggestion,
        groups=groups,
    )


def stored_fields(searcher: Any, ctx: Context) -> Callable[[int], dict[str, Any]]:
    """A record's stored fields, read once per query; a row's are {"row": `stored_row`}, read
    from the group that holds its text (`Context.rows_text`), or {} when they cannot be."""
    stored: dict[int, dict[str, Any]] = {}

    def fields(docnum: int) -> dict[str, Any]:
        found = stored.get(docnum)
        if found is None:
            if ctx.is_row[docnum]:
                row = stored_row(ctx.rows_text, docnum, int(ctx.back[docnum]))
                found = {"row": row} if row is not None else {}
            else:
                found = searcher.stored_fields(docnum)
            stored[docnum] = found
        return found

    return fields


def _in_document(scores: Scored, ctx: Context, doc_id: str) -> Scored:
    try:
        index = ctx.doc_ids.index(doc_id)
    except ValueError:
        return Scored(scores.ids[:0], scores.scores[:0])
    keep = ctx.rec_doc[scores.ids] == index
    return Scored(scores.ids[keep], scores.scores[keep])


def _exact_first(
    top: list[tuple[int, float]],
    ev: Evidence,
    fields: Callable[[int], dict[str, Any]],
    ctx: Context,
) -> list[tuple[int, float]]:
    """The best rows again: those that have the word being typed only as the start of longer
    words after those that have the word itself; then those that hold a word of the query only in
    another form than the one typed after the others (`filing` finds "filing" before "file";
    stemming still finds both). Otherwise in score order."""
    forms = {f: english_term(f) for f in ev.en_forms}
    if not (forms or ev.partial) or len(top) < 2:
        return top
    ids = np.array([docnum for docnum, _ in top], dtype=np.int64)
    own: set[int] = set()  # the best records that have the word being typed itself
    if ev.partial:
        stem = english_term(ev.partial)
        for found in (ctx.postings("body", stem).ids, _titles(ctx, stem)):
            own.update(ids[_holds(found, ids)].tolist())
    # Which of the best records have a form of each word: rows by their text's terms,
    # documents by their titles'. Only their text then says whether it is the form typed.
    rows = ctx.is_row[ids]
    formed = {
        form: np.where(
            rows, _holds(ctx.postings("body", stem).ids, ids), _holds(_titles(ctx, stem), ids)
        )
        for form, stem in forms.items()
    }

    def other_forms(i: int, docnum: int) -> int:
        held = [form for form, has in formed.items() if has[i]]
        if not held:
            return 0
        rec = fields(docnum)
        if "row" in rec:
            _, _, en, zh = rec["row"]
            texts = [en or "", zh or ""]
        else:
            info = ctx.info_of(docnum)
            texts = [info.title, info.title_alt or ""] if info is not None else []
        text = "\n".join(texts).lower()
        return sum(1 for form in held if not _has_word(text, form))

    tiers = {
        docnum: (bool(ev.partial) and docnum not in own, other_forms(i, docnum) if forms else 0)
        for i, (docnum, _) in enumerate(top)
    }
    if len(set(tiers.values())) < 2:
        return top
    return sorted(top, key=lambda t: tiers[t[0]])


def _holds(found: Any, ids: Any) -> Any:
    """Which of `ids` (a few, in rank order) are in the sorted array `found`: a binary search
    each. The evaluator's `_member` wants both sorted and, for long lists, fills a mask of their
    whole range: a pass over `found` for some 40 ids."""
    if not len(found):
        return np.zeros(len(ids), dtype=np.bool_)
    at = np.minimum(np.searchsorted(found, ids), len(found) - 1)
    return found[at] == ids


def _titles(ctx: Context, stem: str) -> Any:
    found = ctx.postings("title", stem).ids
    return found[ctx.is_doc[found]]


def _has_word(text: str, word: str) -> bool:
    """Whether lowercased `text` has `word` itself, not inside a longer word (a pattern
    compiled for each word typed would cost more than the search)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and _IS_LETTER.match(text, at - 1)) and not _IS_LETTER.match(text, end):
            return True
        at = text.find(word, at + 1)
    return False


def _groups(
    scores: Scored,
    ctx: Context,
    limit: int,
    per_document: int,
    rerank: Callable[[list[tuple[int, float]]], list[tuple[int, float]]],
    hit_of: Callable[[int, float], Hit | None],
) -> tuple[DocGroup, ...]:
    """The `limit` documents with the best rows among all that match, each with its
    `per_document` best rows (the exact forms first, as in the plain list)."""
    docs = ctx.rec_doc[scores.ids]
    listed = docs >= 0
    ids, values, docs = scores.ids[listed], scores.scores[listed], docs[listed]
    if not len(ids) or limit <= 0:
        return ()
    counts = np.bincount(docs, minlength=len(ctx.doc_ids))
    best = np.full(len(ctx.doc_ids), -np.inf)
    np.maximum.at(best, docs, values)
    ranked = np.lexsort((np.arange(len(best)), -best))[: min(limit, int((counts > 0).sum()))]
    chosen = np.zeros(len(best), dtype=np.bool_)
    chosen[ranked] = True
    keep = chosen[docs]
    ids, values, docs = ids[keep], values[keep], docs[keep]
    order = np.lexsort((ids, -values))  # best first, then each document's rows in that order
    by_doc = order[np.argsort(docs[order], kind="stable")]
    grouped = docs[by_doc]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    rank = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    # One row more than is shown, so a row with the exact form can move up.
    picked = np.sort(by_doc[rank < per_document + 1], kind="stable")
    picked = picked[np.lexsort((ids[picked], -values[picked]))]
    candidates = rerank(list(zip(ids[picked].tolist(), values[picked].tolist(), strict=True)))
    rows: dict[int, list[Hit]] = {}  # document index → its best hits, documents best first
    for docnum, score in candidates:
        kept = rows.setdefault(int(ctx.rec_doc[docnum]), [])
        if len(kept) < per_document:
            hit = hit_of(docnum, score)
            if hit is not None:
                kept.append(hit)
    out = []
    for index, hits in rows.items():
        info = ctx.infos[ctx.doc_ids[index]]
        if hits:
            out.append(DocGroup(info.id, info.path, info.title, tuple(hits), int(counts[index])))
    return tuple(out)


def _best(scores: Scored, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score), best first; among equal scores the earlier record."""
    n = len(scores)
    if limit <= 0 or not n:
        return []
    ids, values = scores.ids, scores.scores
    if n > limit:
        cut = np.partition(values, n - limit)[n - limit]
        keep = values >= cut
        ids, values = ids[keep], values[keep]
    order = np.lexsort((ids, -values))[:limit]
    return list(zip(ids[order].tolist(), values[order].tolist(), strict=True))


def _hit(stored: dict[str, Any], info: DocInfo | None, score: float, ev: Evidence) -> Hit | None:
    """The hit of a record (`info`: its document's)."""
    if info is None:
        return None
    if "info" in stored and stored.get("key", "").startswith("d:"):
        title = info.title if not info.title_alt else f"{info.title} · {info.title_alt}"
        snip = make_snippet(title, ev)
        return Hit(
            id=info.id,
            path=info.path,
            title=info.title,
            row=0,
            lang="title",
            en=None,
            zh=None,
            snippet=snip.text,
            score=float(score),
            spans=snip.spans,
            terms=snip.terms,
            file=info.path,
            line=1,
        )
    if "row" not in stored:
        return None
    row, at, en, zh = stored["row"]
    snips = [(make_snippet(t, ev), lang) for lang, t in (("en", en), ("zh", zh)) if t]
    best = max(snips, key=lambda s: s[0].matches, default=None)
    if best is None:
        return None
    snip, lang = best
    terms = tuple(dict.fromkeys(t for side, _ in snips for t in side.terms))
    file, line = _source(at, lang, info.path)
    return Hit(
        id=info.id,
        path=info.path,
        title=info.title,
        row=int(row),
        lang=lang,
        en=en,
        zh=zh,
        snippet=snip.text,
        score=float(score),
        spans=snip.spans,
        terms=terms,
        file=file,
        line=line,
    )


def _source(at: Any, lang: str, path: str) -> tuple[str, int]:
    """(file, line) where the `lang` side of a row starts, from the row's `at` record:
    [en line, zh line] and, when a side comes from another file, [.., en file, zh file]."""
    if not isinstance(at, list | tuple) or len(at) < 2:
        return path, 0
    side = 0 if lang == "en" else 1
    line = at[side] or at[1 - side]
    if not at[side]:
        side = 1 - side
    file = at[2 + side] if len(at) == 4 and at[2 + side] else path
    return str(file), int(line or 0)
