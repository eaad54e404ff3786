"""When an incremental commit merges segments: by tiers of size, never a big one for a small one.

Each update adds a small segment. Whoosh's default policy (MERGE_SMALL) merges segments while
their running total stays under a Fibonacci bound, which on a library of some 400,000 rows sooner
or later folds a full-build segment into a one-file update: seconds of work for one changed
paragraph. Here segments are grouped by order of magnitude of their record count; once a tier
holds TIER_WIDTH segments they are merged into one (which lands in a higher tier), so each merge
costs about as much as the updates that made it necessary.

A merge reads each segment's term table and term file (`lexicon`) in order, and the long
positional lists from the segment's array file (their only copy). Whoosh's own `add_reader`
looks every term up in the hash table instead, one seek and read per term: 0.6 s for six
one-document segments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from whoosh.system import pack_uint

from index.engine import compat as _compat  # noqa: F401  (Whoosh's private shapes checked)
from index.engine.arrayfile import EXT as ARRAY_EXT
from index.engine.arrayfile import ListReader, Located, MissingList, per_posting
from index.engine.lexicon import Lexicon

TIER_WIDTH = 6


def tier_of(records: int) -> int:
    """The order of magnitude of a segment's size: 0 for under 10 records, 1 under 100, …"""
    return len(str(max(records, 1))) - 1


def merge_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: add the segments of the smallest full tier to `writer` and return
    the segments to keep as they are."""
    full = full_tiers(segments)
    if not full:
        return segments
    return _merge(writer, segments, full[min(full)])


def add_segment(writer: Any, reader: Any) -> None:
    """`writer.add_reader(reader)` for one segment's reader, with its postings read in term
    table order."""
    writer._check_state()
    schema = writer.schema
    first = writer.docnum
    indexed = {name for name in reader.indexed_field_names() if name in schema}
    docmap = writer.write_per_doc(set(schema.names()) | indexed, reader)
    add = writer.pool.add
    for item in writer._process_posts(_postings(reader), first, docmap):
        add(item)
    writer._added = True


def _postings(reader: Any) -> Iterator[tuple[str, bytes, int, float, Any]]:
    """Every live posting of a segment as (field, term, document, weight, value)."""
    terms = reader._terms
    schema = reader.schema
    deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
    for (fieldname, btext), info in terms.items():
        if fieldname not in schema:
            continue
        matcher = terms._codec.postings_reader(
            terms._postfile, info, schema[fieldname].format, term=(fieldname, btext)
        )
        while matcher.is_active():
            docnum = matcher.id()
            if docnum not in deleted:
                yield fieldname, btext, docnum, matcher.weight(), matcher.value()
            matcher.next()
    lexicon = Lexicon.open(reader._storage, reader._segment)
    if lexicon is None:  # a segment Whoosh wrote whole
        return
    try:
        yield from _lexicon_postings(reader, lexicon, deleted)
    finally:
        lexicon.close()


def _lexicon_postings(
    reader: Any, lexicon: Lexicon, deleted: Any
) -> Iterator[tuple[str, bytes, int, float, Any]]:
    schema = reader.schema
    arrays: ListReader | None = None
    for fieldname, positional, btext, number in lexicon.items():
        if fieldname not in schema:
            continue
        boost = schema[fieldname].format.field_boost
        kept = lexicon.postings(fieldname, number)
        if isinstance(kept, Located):
            if arrays is None:
                arrays = _array_file(reader)
            ids, tfs, plists = arrays.postings(kept)
        elif positional:
            ids, tfs, flat = kept
            plists = per_posting(flat, tfs)
        else:
            ids, tfs, _ = kept
            for docnum, tf in zip(ids, tfs, strict=True):
                if docnum not in deleted:
                    yield fieldname, btext, docnum, tf * boost, pack_uint(tf)  # `Frequency`'s
            continue
        for docnum, tf, plist in zip(ids, tfs, plists, strict=True):
            if docnum not in deleted:
                yield fieldname, btext, docnum, tf * boost, plist  # a `pool.Raw` value


def _array_file(reader: Any) -> ListReader:
    name = reader._segment.make_filename(ARRAY_EXT)
    try:
        with reader._storage.open_file(name) as fh:
            return ListReader(fh.read())
    except OSError as exc:
        raise MissingList(f"the array file {name} cannot be read: {exc}") from exc


def full_tiers(segments: list[Any]) -> dict[int, list[Any]]:
    """The tiers of sizes holding TIER_WIDTH segments or more (see `merge_tiers`)."""
    tiers: dict[int, list[Any]] = defaultdict(list)
    for seg in segments:
        tiers[tier_of(seg.doc_count_all())].append(seg)
    return {t: segs for t, segs in tiers.items() if len(segs) >= TIER_WIDTH}


def trim_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: merge the fewest, smallest segments of each full tier that leave it
    one short of full; returns the segments kept as they are."""
    merging: list[Any] = []
    for segs in full_tiers(segments).values():
        segs = sorted(segs, key=lambda s: s.doc_count_all())
        merging += segs[: len(segs) - TIER_WIDTH + 2]
    return _merge(writer, segments, merging)


def _merge(writer: Any, segments: list[Any], merging: list[Any]) -> list[Any]:
    """Add `merging` to `writer`; the rest of `segments`, kept as they are."""
    from whoosh.reading import SegmentReader

    for seg in merging:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        try:
            add_segment(writer, reader)
        finally:
            reader.close()
    return [seg for seg in segments if seg not in merging]
