"""Running a query against an open searcher: hits, total, tag facets and "did you mean"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from index.query.compile import Evidence, compile_query
from index.query.evaluate import Context, Scored, evaluate
from index.query.snippets import make_snippet
from index.types import DocInfo, Hit, SearchResults


def run_search(
    searcher: Any,
    text: str,
    tags: Sequence[str],
    lang: str | None,
    limit: int,
    ctx: Context,
) -> SearchResults:
    compiled = compile_query(text, tags=tags, lang=lang)
    ignored = tuple(compiled.ignored)
    if compiled.query is None:
        return SearchResults(query=text, total=0, hits=(), ignored=ignored)
    scores = evaluate(compiled.query, ctx)
    total = len(scores)
    facets = ctx.facets(scores.ids)
    top = _best(scores, limit)
    hits: list[Hit] = []
    for docnum, score in top:
        hit = _hit(searcher.stored_fields(docnum), score, ctx.infos, compiled.evidence)
        if hit is not None:
            hits.append(hit)
    suggestion = None
    if total == 0 and not ignored and compiled.evidence.en_words:
        suggestion = _suggest(searcher, text, compiled.evidence, ctx)
    return SearchResults(
        query=text,
        total=total,
        hits=tuple(hits),
        tag_facets=facets,
        ignored=ignored,
        suggestion=suggestion,
    )


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


def _hit(
    stored: dict[str, Any], score: float, infos: dict[str, DocInfo], ev: Evidence
) -> Hit | None:
    info = infos.get(stored.get("doc", ""))
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
        )
    en = stored.get("en")
    zh = stored.get("zh")
    snips = [(make_snippet(t, ev), lang) for lang, t in (("en", en), ("zh", zh)) if t]
    best = max(snips, key=lambda s: s[0].matches, default=None)
    if best is None:
        return None
    snip, lang = best
    terms = tuple(dict.fromkeys(t for side, _ in snips for t in side.terms))
    return Hit(
        id=info.id,
        path=info.path,
        title=info.title,
        row=int(stored.get("row", 0)),
        lang=lang,
        en=en,
        zh=zh,
        snippet=snip.text,
        score=float(score),
        spans=snip.spans,
        terms=terms,
    )


MAX_SUGGEST_CHARS = 40


def _suggest(searcher: Any, text: str, ev: Evidence, ctx: Context) -> str | None:
    """The query with each unknown English word replaced by the most common indexed word within
    two edits of it (None when nothing would change)."""
    from index.analysis.tokens import english_term

    reader = searcher.reader()
    out = text
    changed = False
    for word in ev.en_words:
        if len(word) < 3 or len(word) > MAX_SUGGEST_CHARS:
            continue  # the edit-distance search grows with the word: no real word is this long
        if reader.doc_frequency("body", english_term(word)):
            continue
        low = word.lower()
        best: tuple[int, int, str] | None = None
        for cand in reader.terms_within("spell", low, 2):
            if cand == low:
                continue
            freq = reader.doc_frequency("spell", cand)
            key = (-_distance(low, cand), freq, cand)
            if best is None or key > best:
                best = key
        if best is not None:
            out = _replace_word(out, word, best[2])
            changed = True
    if changed and out != text:
        # Only offer it if it finds something.
        compiled = compile_query(out)
        if compiled.query is not None and len(evaluate(compiled.query, ctx)):
            return out
    return None


def _replace_word(text: str, word: str, new: str) -> str:
    import re

    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", new, text, count=1)


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
