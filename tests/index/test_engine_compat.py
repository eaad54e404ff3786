"""The private Whoosh shapes the index engine relies on are the ones installed.

A Whoosh upgrade that renames or reshapes any of them fails here, with the name, and
`index.engine.compat.check` refuses to run the engine with a one-line message.
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path
from typing import Any

import pytest

from corpus.library import SAMPLE_LIBRARY
from index.engine import compat
from index.library_index import LibraryIndex


def test_static_shapes_are_the_pinned_ones() -> None:
    assert compat.problems() == []


def test_a_changed_struct_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.filedb import filetables

    monkeypatch.setattr(filetables, "_pointer", struct.Struct("!Qq"))
    with pytest.raises(compat.WhooshIncompatible) as err:
        compat.check()
    message = str(err.value)
    assert "\n" not in message
    assert "whoosh.filedb.filetables._pointer has format '!Qq', expected '!Iq'" in message
    assert "whoosh-reloaded==2.7.5" in message


def test_a_missing_method_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.writing import SegmentWriter

    monkeypatch.delattr(SegmentWriter, "_finalize_segment")
    assert compat.problems() == ["whoosh.writing.SegmentWriter._finalize_segment is gone"]


def _assert_has(obj: Any, dotted_class: str) -> None:
    cls = compat.resolve(dotted_class)
    assert isinstance(obj, cls), (obj, dotted_class)
    missing = [a for a in compat.INSTANCE_ATTRIBUTES[dotted_class] if not hasattr(obj, a)]
    assert missing == [], f"{dotted_class} instances lack {missing}"


def test_instance_attributes_exist_on_a_real_index(tmp_path: Path) -> None:
    from whoosh.matching import ListMatcher

    from index.engine.segments import fast_writer

    lib = tmp_path / "lib"
    shutil.copytree(SAMPLE_LIBRARY, lib)
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    st = ix._require()
    reader = st.searcher.reader()
    leaf = reader.leaf_readers()[0][0]
    _assert_has(leaf, "whoosh.reading.SegmentReader")
    _assert_has(leaf._terms, "whoosh.codec.whoosh3.W3TermsReader")
    _assert_has(leaf._terms._tindex, "whoosh.filedb.filetables.OrderedHashReader")
    assert leaf._terms._tindex.extras["indextype"] in ("B", "H", "i", "I", "q")

    # A posting list long enough to be kept in Whoosh's blocks rather than inlined (the records
    # of the longest document: a field without positions, whose long lists stay in Whoosh's
    # postings file).
    terms = sorted(leaf.iter_field("doc"), key=lambda t: -t[1].doc_frequency())
    text, info = terms[0]
    assert not info.is_inlined()
    fmt = leaf.schema["doc"].format
    matcher = leaf._terms._codec.postings_reader(
        leaf._terms._postfile, info, fmt, term=("doc", text)
    )
    _assert_has(matcher, "whoosh.codec.whoosh3.W3LeafMatcher")
    _assert_has(ListMatcher([1, 2], [1.0, 1.0], [b"", b""]), "whoosh.matching.ListMatcher")

    lengths = leaf._perdoc._cached_reader(
        compat.lenfield("body"), compat.resolve("whoosh.codec.whoosh3.LENGTHS_COLUMN")
    )
    _assert_has(lengths, "whoosh.columns.NumericColumn.Reader")
    _assert_has(leaf.column_reader("doc", translate=False), "whoosh.columns.VarBytesColumn.Reader")

    writer = fast_writer(st.ix, tmp_path, timeout=5.0)
    try:
        _assert_has(writer, "whoosh.writing.SegmentWriter")
        _assert_has(writer.fieldwriter, "whoosh.codec.whoosh3.W3FieldWriter")
    finally:
        writer.cancel()
        ix.close()
