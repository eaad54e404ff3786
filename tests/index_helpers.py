"""Small libraries in temp folders for the index tests."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.shared_files import LAYOUTS

if TYPE_CHECKING:
    from index.engine.postings import Postings


def layouts_library(dest: Path) -> Path:
    """A copy of the five fixture documents in tests/fixtures/layouts (English, Chinese and
    bilingual clippings, a chapter): a copy, so tests may add or change files beside them."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in LAYOUTS.iterdir():
        shutil.copy2(path, dest / path.name)
    return dest


def write(path: Path, text: str, *, bump: int = 0) -> Path:
    """Write a file; `bump` moves its mtime forward so a same-second rewrite is still seen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if bump:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 1_000_000_000))
    return path


def damaged_then_rebuilt(
    tmp_path: Path, pattern: str, damage: Callable[[Path], None], queries: list[str]
) -> Any:
    """Index the sample library and the layouts fixtures, `damage` every index file matching
    `pattern`, and drop the manifests so no whole-file check finds it first (an index from
    before manifests, or one whose manifest was lost). A search must then say the index is
    damaged in one line naming the command that rebuilds it, and a repairing search rebuild it
    and find the same hits, row for row and text for text. Returns the repaired index, open."""
    from corpus.library import SAMPLE_LIBRARY
    from index.library_index import IndexDamaged, LibraryIndex

    lib = tmp_path / "lib"
    shutil.copytree(SAMPLE_LIBRARY, lib)
    layouts_library(lib / "layouts")
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    ix.update()
    before = {q: ix.search(q, limit=100) for q in queries}
    ix.close()
    files = sorted((tmp_path / "index").rglob(pattern))
    assert files
    for path in files:
        damage(path)
    for listed in (tmp_path / "index").rglob("manifest.json"):
        listed.unlink()
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    with pytest.raises(IndexDamaged) as caught:
        ix.search(queries[0], limit=100)
    assert "\n" not in str(caught.value) and "llama-reader index" in str(caught.value)
    for q, hits in before.items():
        after = ix.search(q, limit=100, repair=True)
        assert after.total == hits.total > 0, q
        assert [(h.id, h.row, h.en, h.zh) for h in after.hits] == [
            (h.id, h.row, h.en, h.zh) for h in hits.hits
        ], q
    return ix


class HeldModel:
    """The language model unloaded for a test: its next load waits until `release` is set
    (`wanted` says a load is waiting), then hands back the model loaded beforehand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import corpus.langid as langid
        import corpus.langid_model as langid_model

        self.release = threading.Event()
        self.wanted = threading.Event()
        model = langid._identifier()

        def load(*args: object, **kwargs: object) -> object:
            self.wanted.set()
            assert self.release.wait(30), "the language model was never released"
            return model

        monkeypatch.setattr(langid, "_model", None)
        monkeypatch.setattr(langid_model, "load", load)


# A record (as the test names it) → its posting: (weight, positions).
ByRecord = dict[Any, tuple[float, list[int]]]


def postings_by_record(got: Postings, name_of: Callable[[int], Any], positional: bool) -> ByRecord:
    """Our read of a term's postings, each under its record's name; no record twice."""
    out: ByRecord = {}
    for i, docnum in enumerate(got.ids.tolist()):
        poses: list[int] = []
        if positional:
            assert got.starts is not None and got.lens is not None and got.pos is not None
            start, n = int(got.starts[i]), int(got.lens[i])
            poses = got.pos[start : start + n].tolist()
        out[name_of(docnum)] = (float(got.weights[i]), poses)
    assert len(out) == len(got.ids)
    return out


def whoosh_postings_by_record(
    searcher: Any, field: str, text: str, name_of: Callable[[int], Any], positional: bool
) -> ByRecord:
    """A term's live postings as Whoosh's own matchers read them, each under its record's name."""
    fmt = searcher.schema[field].format
    out: ByRecord = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if (field, text) not in reader:
            continue
        m = reader.postings(field, text)
        while m.is_active():
            if not reader.is_deleted(m.id()):
                poses = list(fmt.decode_positions(m.value())) if positional else []
                out[name_of(m.id() + offset)] = (m.weight(), poses)
            m.next()
    return out
