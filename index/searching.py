"""Running a query against an open searcher: hits, total, tag facets and "did you mean"."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from typing import Any

from corpus.tags import tag_key
from index.query import Evidence, compile_query
from index.snippets import make_snippet
from index.types import DocInfo, Hit, SearchResults


def run_search(
    searcher: Any,
    text: str,
    tags: Sequence[str],
    lang: str | None,
    limit: int,
    infos: dict[str, DocInfo],
    doc_of: list[str],
) -> SearchResults:
    compiled = compile_query(text, tags=tags, lang=lang)
    ignored = tuple(compiled.ignored)
    if compiled.query is None:
        return SearchResults(query=text, total=0, hits=(), ignored=ignored)
    docnums, top = _collect(searcher, compiled.query, limit)
    total = len(docnums)
    facets = _facets(docnums, doc_of, infos)
    hits: list[Hit] = []
    for score, docnum in top:
        hit = _hit(searcher.stored_fields(docnum), score, infos, compiled.evidence)
        if hit is not None:
            hits.append(hit)
    suggestion = None
    if total == 0 and not ignored and compiled.evidence.en_words:
        suggestion = _suggest(searcher, text, compiled.evidence)
    return SearchResults(
        query=text,
        total=total,
        hits=tuple(hits),
        tag_facets=facets,
        ignored=ignored,
        suggestion=suggestion,
    )


def _collect(searcher: Any, q: Any, limit: int) -> tuple[list[int], list[tuple[float, int]]]:
    """Every matching docnum and the `limit` best (score, docnum), best first, in one pass over
    the matchers (Whoosh would need one pass for the count and another for the ranking)."""
    docnums: list[int] = []
    heap: list[tuple[float, int]] = []
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        append = docnums.append
        while m.is_active():
            d = m.id() + offset
            append(d)
            if limit > 0:
                score = m.score()
                if len(heap) < limit:
                    heapq.heappush(heap, (score, -d))
                elif score > heap[0][0]:
                    heapq.heapreplace(heap, (score, -d))
            m.next()
    top = sorted(heap, reverse=True)
    return docnums, [(score, -neg) for score, neg in top]


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
    sides = [(lang, t) for lang, t in (("en", en), ("zh", zh)) if t]
    best = max(
        ((make_snippet(t, ev), lang) for lang, t in sides),
        key=lambda s: s[0].matches,
        default=None,
    )
    if best is None:
        return None
    snip, lang = best
    terms = tuple(dict.fromkeys(t for _, side in sides for t in make_snippet(side, ev).terms))
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


def _facets(docnums: list[int], doc_of: list[str], infos: dict[str, DocInfo]) -> dict[str, int]:
    """Documents per tag among the documents the query matched."""
    n = len(doc_of)
    docs = {doc_of[d] for d in docnums if d < n}
    counts: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for doc in docs:
        info = infos.get(doc)
        if info is None:
            continue
        for tag in info.tags:
            key = tag_key(tag)
            counts[key] += 1
            spelling.setdefault(key, Counter())[tag] += 1
    return {spelling[k].most_common(1)[0][0]: c for k, c in counts.most_common()}


def _suggest(searcher: Any, text: str, ev: Evidence) -> str | None:
    """The query with each unknown English word replaced by the most common indexed word within
    two edits of it (None when nothing would change)."""
    from index.tokens import english_term

    reader = searcher.reader()
    out = text
    changed = False
    for word in ev.en_words:
        if reader.doc_frequency("body", english_term(word)) or len(word) < 3:
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
        if compiled.query is not None and any(
            True for _ in searcher.docs_for_query(compiled.query)
        ):
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
