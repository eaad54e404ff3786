"""The private parts of Whoosh 2.7.5 (whoosh-reloaded) that `index.engine` relies on, checked.

`index.engine` reads and writes Whoosh's W3 files itself where Whoosh's own code is too slow (see
its package docstring for what and why). That ties it to names Whoosh does not promise to keep.
They are all listed here: the static ones (struct formats, functions, methods) are checked when
the engine is first imported, so a Whoosh upgrade that changed them fails at once with one clear
message instead of a wrong answer; the attributes that exist only on live objects are listed in
`INSTANCE_ATTRIBUTES` and checked on a real index by `tests/index/test_engine_compat.py`.
"""

from __future__ import annotations

import importlib
from typing import Any

from corpus.errors import LibraryError

WHOOSH_VERSION = "2.7.5"

# module attribute → the struct format it must have (bytes laid out on disk)
STRUCT_FORMATS = {
    "whoosh.filedb.filetables._lengths": "!ii",  # a hash-file entry: key and value lengths
    "whoosh.filedb.filetables._pointer": "!Iq",  # a hash slot: the key's hash, its position
    "whoosh.codec.whoosh3.W3TermInfo._struct": "!BfIBBfII",  # a term's stats in the term table
}

# names that must exist (functions, classes, methods, constants)
CALLABLES = (
    "whoosh.filedb.filetables._hash_functions",  # the CRC-32 hash is number 1
    "whoosh.filedb.filetables.HashWriter._write_hashes",  # overridden by CompactTermWriter
    "whoosh.codec.whoosh3._lenfield",  # the column name of a field's lengths
    "whoosh.codec.whoosh3.LENGTHS_COLUMN",
    "whoosh.codec.whoosh3.W3LeafMatcher._read_data",  # a block's ids, weights, values
    "whoosh.codec.whoosh3.W3LeafMatcher._goto",
    "whoosh.writing.SegmentWriter._finalize_segment",  # a worker's segment, not committed
    "whoosh.writing.SegmentWriter._close_segment",
    "whoosh.writing.SegmentWriter._commit_toc",
    "whoosh.writing.SegmentWriter._finish",
    "whoosh.writing.SegmentWriter._check_state",  # merging segments in term order
    "whoosh.writing.SegmentWriter._process_posts",
    "whoosh.writing.SegmentWriter._check_fields",  # FastSegmentWriter.add_document
)

# class → attributes set on its instances that the engine reads or writes
INSTANCE_ATTRIBUTES = {
    "whoosh.reading.SegmentReader": ("_terms", "_perdoc", "_storage", "_segment"),
    "whoosh.codec.whoosh3.W3TermsReader": ("_tindex", "_keycoder", "_codec", "_postfile"),
    # the key order of a term table: where it starts, its length, its typecode in `extras`
    "whoosh.filedb.filetables.OrderedHashReader": ("indexbase", "indexlen", "extras"),
    "whoosh.codec.whoosh3.W3FieldWriter": ("_tindex", "_fieldmap", "_postfile"),
    "whoosh.codec.whoosh3.W3LeafMatcher": ("_data", "_atend", "_lastblock", "_nextoffset"),
    "whoosh.matching.ListMatcher": ("_ids", "_weights", "_values"),
    "whoosh.columns.NumericColumn.Reader": ("_typecode", "_basepos", "_count", "_dbfile"),
    "whoosh.columns.VarBytesColumn.Reader": ("_offsets", "_lengths", "_basepos", "_dbfile"),
    "whoosh.writing.SegmentWriter": ("pool", "_added", "perdocwriter", "docnum"),
}


class WhooshIncompatible(LibraryError):
    """The installed Whoosh is not the one the index engine was written against."""


def resolve(dotted: str) -> Any:
    """The object a dotted name points to: a module, then attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


def problems() -> list[str]:
    """What differs from the Whoosh the engine expects; empty when all is as expected."""
    found: list[str] = []
    for dotted, fmt in STRUCT_FORMATS.items():
        try:
            actual = resolve(dotted).format
        except (ImportError, AttributeError):
            found.append(f"{dotted} is gone")
            continue
        if actual != fmt:
            found.append(f"{dotted} has format {actual!r}, expected {fmt!r}")
    for dotted in CALLABLES:
        try:
            resolve(dotted)
        except (ImportError, AttributeError):
            found.append(f"{dotted} is gone")
    return found


def check() -> None:
    """Raise WhooshIncompatible, in one line, when the installed Whoosh changed."""
    found = problems()
    if found:
        import whoosh

        raise WhooshIncompatible(
            f"the installed Whoosh {whoosh.versionstring()} differs from {WHOOSH_VERSION}, "
            f"which the index engine needs: {'; '.join(found)} "
            f"(pip install 'whoosh-reloaded=={WHOOSH_VERSION}')"
        )


check()

# The private names the engine imports, taken from here so that they are checked first.
ENTRY = resolve("whoosh.filedb.filetables._lengths")
SLOT = resolve("whoosh.filedb.filetables._pointer")
TERM_INFO = resolve("whoosh.codec.whoosh3.W3TermInfo._struct")
lenfield = resolve("whoosh.codec.whoosh3._lenfield")
