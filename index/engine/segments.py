"""Opening Whoosh writers the fast way, and writing a segment outside Whoosh's own transaction.

A full build on several cores has each worker process write one segment of the new index, and the
parent commit them together: Whoosh's multisegment mode done directly, since its own `procs>1`
writer forks (PITFALLS 2.6). That needs a `SegmentWriter` that takes no lock (`_lk=False`), hands
back its finished segment (`_finalize_segment`) instead of committing, and a commit that lists
given segments (`_close_segment`, `_commit_toc`, `_finish`): private methods of Whoosh 2.7's
writer, pinned by `index.engine.compat`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.writing import SegmentWriter

from index.engine import compat as _compat  # noqa: F401  (checks Whoosh's shapes first)
from index.engine.codec import FastCodec
from index.engine.fields import CharField, Terms, WordsField
from index.engine.merging import add_segment
from index.engine.pool import RunPool
from index.engine.schema import build_schema

LIMIT_MB = 256  # each writer's posting buffer


class FastSegmentWriter(SegmentWriter):
    """Whoosh's `SegmentWriter`, adding the postings of a field given as `Terms` to the pool as
    one list: Whoosh's `add_document` makes a tuple and a call per posting, a tenth of a build's
    time. Fields with spelling or vectors take Whoosh's own way; record boosts are refused (the
    term file keeps frequencies, not weights)."""

    def add_reader(self, reader: Any) -> None:
        # Whoosh's own reads only its term table: a merge by one of its policies would lose the
        # terms in our term file (`lexicon`).
        add_segment(self, reader)

    def add_document(self, **fields: Any) -> None:
        schema = self.schema
        names = sorted(fields)
        if any(name.startswith("_") and name.endswith("boost") for name in names):
            raise ValueError("record and field boosts are not kept by the index")
        if any(
            name.startswith("_") or (name in schema and _special(schema[name])) for name in names
        ):
            super().add_document(**fields)
            return
        self._check_state()
        self._check_fields(schema, names)
        perdoc = self.perdocwriter
        docnum = self.docnum
        pool = self.pool
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if isinstance(value, Terms) and isinstance(field, WordsField | CharField):
                    n, length = field.add_postings(value, docnum, pool.field(name))
                    pool.added(n)
                    if not field.scorable:
                        length = 0
                elif field.indexed:
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        pool.add((name, tbytes, docnum, weight, vbytes))
                stored = value if field.stored else None
                perdoc.add_field(name, field, stored, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1


def _special(field: Any) -> bool:
    return bool(field.separate_spelling() or field.vector)


def fast_writer(wx: Any, tempdir: Path, timeout: float) -> Any:
    """A writer of `wx` (Whoosh's lock, Whoosh's commit) with the fast codec and postings pool."""
    writer = FastSegmentWriter(
        wx, timeout=timeout, codec=FastCodec(), limitmb=LIMIT_MB, compound=False
    )
    writer.pool = RunPool(tempdir=str(tempdir))
    return writer


def segment_writer(build: str) -> Any:
    """A writer of one segment of the index at `build`, for a worker process: it takes no lock
    (the parent holds the build) and is finished with `finish_segment`, never committed."""
    from whoosh import index as wix

    wx = wix.open_dir(build, schema=build_schema())
    writer = FastSegmentWriter(wx, _lk=False, codec=FastCodec(), limitmb=LIMIT_MB, compound=False)
    writer.pool = RunPool(tempdir=build)
    return writer


def finish_segment(writer: Any) -> Any:
    """Write out the segment of a `segment_writer` and return it (a picklable Segment)."""
    return writer._finalize_segment()


def commit_segments(build: Path, segments: list[Any], timeout: float) -> None:
    """Commit the index at `build` as exactly these segments (empty ones left out: their files
    are cleaned up with the other unlisted files)."""
    from whoosh import index as wix

    wx = wix.open_dir(str(build), schema=build_schema())
    writer = wx.writer(timeout=timeout)
    writer._close_segment()
    writer._commit_toc([s for s in segments if s.doc_count_all()])
    writer._finish()
