"""The term file of the text fields (`index.engine.lexicon`) against Whoosh's own index of the
same documents: every term, its postings, frequencies, prefixes, and after a merge."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.engine.arrayfile import Located
from index.engine.lexicon import Lexicon, LexiconDamaged, unvarints, varints
from tests.index_helpers import (
    ByRecord,
    damaged_then_rebuilt,
    postings_by_record,
    whoosh_postings_by_record,
)

WORDS = [f"w{n}" for n in range(400)] + [chr(0x4E00 + n) * 2 for n in range(60)] + ["zebra"]


@given(st.lists(st.integers(min_value=0, max_value=2**40)))
def test_varints_round_trip(numbers: list[int]) -> None:
    assert unvarints(varints(numbers)) == numbers


def test_a_negative_number_is_refused() -> None:
    with pytest.raises(ValueError):
        varints([1 << 20, -(1 << 20)])


def test_terms_of_any_length_are_found(tmp_path: Path) -> None:
    """A term's length is a varint before it: one byte below 128, more above."""
    from index.engine.lexicon import LexiconWriter, frequency_value

    lengths = [1, 2, 127, 128, 129, 300, 16_383, 16_384, 70_000]
    terms = sorted(bytes([97 + i % 26]) * n for i, n in enumerate(lengths))
    path = tmp_path / "t.lex"
    with open(path, "wb") as fh:
        writer = LexiconWriter(fh, inline=4)
        for i, term in enumerate(terms):
            writer.add("f", term, frequency_value([i], [i + 1]), positional=False)
        writer.close()
    lexicon = Lexicon(path.read_bytes())
    assert list(lexicon.terms("f")) == terms
    for i, term in enumerate(terms):
        assert lexicon.find("f", term) == i
        assert lexicon.postings("f", i) == ([i], [i + 1], [])
        assert lexicon.doc_frequency(i) == 1
    assert lexicon.find("f", b"a" * 3) == -1
    assert lexicon.find("g", terms[0]) == -1
    for prefix in (b"d" * 100, b"g" * 200, b"i"):
        want = [t for t in terms if t.startswith(prefix)]
        assert want and [t for t, _ in lexicon.prefixed("f", prefix, 10)] == want


def _documents(seed: int, n: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        # "zebra" in every document (a long list), most words in a few (kept in the term file)
        words = ["zebra", *rng.choices(WORDS, k=rng.randrange(1, 40))]
        rng.shuffle(words)
        tags = " ".join(rng.sample(["red", "green", "blue", "绿"], k=rng.randrange(0, 3)))
        docs.append({"key": f"{seed}-{i}", "body": " ".join(words), "tags": tags})
    return docs


def _schema() -> Any:
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    return Schema(key=ID(stored=True, unique=True), body=TEXT(), tags=KEYWORD(scorable=True))


def _index(folder: Path, ours: bool, batches: list[list[dict[str, str]]]) -> Any:
    from whoosh import index as wix

    from index.engine.segments import fast_writer

    ix = wix.create_in(str(folder), _schema())
    for batch in batches:
        writer = fast_writer(ix, folder, timeout=5) if ours else ix.writer()
        for doc in batch:
            writer.add_document(**doc)
        writer.commit(merge=False)
    return ix


def _key(searcher: Any) -> Callable[[int], str]:
    return lambda docnum: searcher.stored_fields(docnum)["key"]


def _postings(searcher: Any, field: str, text: str) -> ByRecord:
    """Key of each record with the term → (weight, positions), as Whoosh's matchers read them."""
    return whoosh_postings_by_record(searcher, field, text, _key(searcher), field == "body")


def _ours(searcher: Any, field: str, text: str) -> ByRecord:
    from index.engine.postings import leaves, read_postings

    positional = field == "body"
    got = read_postings(leaves(searcher), searcher.schema, field, text, positions=positional)
    return postings_by_record(got, _key(searcher), positional)


def _terms(searcher: Any, field: str) -> list[str]:
    return sorted({t.decode() for t in searcher.reader().lexicon(field)})


def _check_same(ours: Any, stock: Any, *, frequencies: bool) -> None:
    from index.engine.postings import doc_frequency, leaves, prefixed_terms

    with ours.searcher() as mine, stock.searcher() as theirs:
        segments = leaves(mine)
        assert segments and all(leaf.lexicon is not None for leaf in segments)
        for field in ("body", "tags"):
            # The terms are all in our term file and none in Whoosh's table.
            assert not list(mine.reader().lexicon(field))
            terms = _terms(theirs, field)
            assert len(terms) > (400 if field == "body" else 3)
            for text in terms:
                assert _ours(mine, field, text) == _postings(theirs, field, text), (field, text)
                if frequencies:  # counts deleted records, as Whoosh does: before any merge
                    got = doc_frequency(segments, mine.schema, field, text)
                    assert got == theirs.doc_frequency(field, text), (field, text)
            for absent in ["w9999", "丁", "", "zz"]:
                assert _ours(mine, field, absent) == {}
                assert doc_frequency(segments, mine.schema, field, absent) == 0
        for prefix, limit in [("w1", 500), ("w29", 500), ("w", 30), ("丁", 10), ("x", 9), ("", 5)]:
            want = [t for t in _terms(theirs, "body") if t.startswith(prefix)][:limit]
            got = prefixed_terms(segments, mine.schema, "body", prefix, limit)
            assert [t for t, _ in got] == want, prefix
            if frequencies:
                assert [df for _, df in got] == [theirs.doc_frequency("body", t) for t in want]
        # Long lists are in the array files, the rest in the term files.
        long = [leaf.lexicon.find("body", b"zebra") for leaf in segments if leaf.lexicon]
        assert all(n >= 0 for n in long)
        assert all(
            leaf.lexicon and isinstance(leaf.lexicon.postings("body", n), Located)
            for leaf, n in zip(segments, long, strict=True)
        )


def test_term_file_holds_what_whoosh_holds(tmp_path: Path) -> None:
    batches = [_documents(1, 140), _documents(2, 90)]  # a frequency of 140: a 2-byte varint
    (tmp_path / "ours").mkdir()
    (tmp_path / "stock").mkdir()
    ours = _index(tmp_path / "ours", True, batches)
    stock = _index(tmp_path / "stock", False, batches)
    _check_same(ours, stock, frequencies=True)


def test_a_merge_keeps_the_term_files_terms_and_drops_deleted_records(tmp_path: Path) -> None:
    from whoosh.reading import SegmentReader

    from index.engine.merging import add_segment
    from index.engine.segments import fast_writer

    batches = [_documents(3, 100), _documents(4, 100), _documents(5, 40)]
    (tmp_path / "ours").mkdir()
    (tmp_path / "stock").mkdir()
    ours = _index(tmp_path / "ours", True, batches)
    stock = _index(tmp_path / "stock", False, batches)
    gone = [f"3-{i}" for i in range(0, 100, 3)] + ["4-7", "5-0"]
    for ix in (ours, stock):
        writer = ix.writer()
        for key in gone:
            writer.delete_by_term("key", key)
        writer.commit(merge=False)

    def everything(writer: Any, segments: list[Any]) -> list[Any]:
        for seg in segments:
            reader = SegmentReader(writer.storage, writer.schema, seg)
            add_segment(writer, reader)
            reader.close()
        return []

    writer = fast_writer(ours, tmp_path / "ours", timeout=5)
    writer.commit(mergetype=everything)
    with ours.searcher() as s:
        assert len(s.leaf_searchers()) == 1 and not s.reader().has_deletions()
    _check_same(ours, stock, frequencies=False)


def test_a_damaged_term_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ours").mkdir()
    _index(tmp_path / "ours", True, [_documents(6, 50)])
    path = next((tmp_path / "ours").glob("*.lex"))
    data = path.read_bytes()
    assert Lexicon(data).find("body", b"zebra") >= 0
    for damaged in (data[: len(data) // 2], data[:-3], b"", data[:-40] + bytes(40)):
        with pytest.raises(LexiconDamaged):
            Lexicon(damaged)


def _read_everything(lexicon: Lexicon) -> list[int]:
    """Every term's number as `find` gives it, having read everything else of it."""
    found = []
    for name, _, tbytes, number in lexicon.items():
        lexicon.postings(name, number)
        lexicon.doc_frequency(number)
        lexicon.prefixed(name, tbytes[:1], 3)
        found.append(lexicon.find(name, tbytes))
    return found


def test_damage_inside_the_tables_is_found_when_read(tmp_path: Path) -> None:
    """What the opening checks cannot see (an entry's start, a term's length, a value) is
    refused as damage when it is read, never as another error."""
    from index.engine.lexicon import _ENTRIES_AT, FOOTER, STEP

    (tmp_path / "ours").mkdir()
    _index(tmp_path / "ours", True, [_documents(7, 60)])
    data = next((tmp_path / "ours").glob("*.lex")).read_bytes()
    whole = Lexicon(data)
    assert _read_everything(whole) == list(range(len(whole)))
    _, m, _, blocks_at, _, _ = FOOTER.unpack(data[-FOOTER.size :])
    middle = m // STEP // 2
    assert middle > 0
    slot = blocks_at + 4 * middle
    at = _ENTRIES_AT + int.from_bytes(data[slot : slot + 4], "little")
    n = data[at]  # the length of the block's first term
    damaged = {
        "a block start past the end": data[:slot]
        + (0xFFFFFFF0).to_bytes(4, "little")
        + data[slot + 4 :],
        "a block start one byte off": data[:slot]
        + (at - _ENTRIES_AT + 1).to_bytes(4, "little")
        + data[slot + 4 :],
        "a term's length too long": data[:at] + bytes([n + 1]) + data[at + 1 :],
        "a value's length too long": data[: at + 1 + n]
        + bytes([data[at + 1 + n] + 1])
        + data[at + 2 + n :],
        "a value cut": data[: at + 1] + bytes([0x80]) * (n + 8) + data[at + n + 9 :],
    }
    for what, broken in damaged.items():
        lexicon = Lexicon(broken)  # the opening checks see none of these
        with pytest.raises(LexiconDamaged):
            _read_everything(lexicon)
            pytest.fail(what)


def test_a_damaged_length_never_makes_a_lookup_read_another_term(tmp_path: Path) -> None:
    """A lookup walks from its block's start: past a damaged length it reads the term's own
    postings, says it is absent or the file damaged, never another term's postings nor another
    error (its number may be off once a walk has lost count: it is only a handle)."""
    from index.engine.lexicon import _ENTRIES_AT, FOOTER, STEP

    (tmp_path / "ours").mkdir()
    _index(tmp_path / "ours", True, [_documents(8, 60)])
    data = next((tmp_path / "ours").glob("*.lex")).read_bytes()
    whole = Lexicon(data)
    terms = [(name, tbytes) for name, _, tbytes, _ in whole.items()]
    _, m, _, blocks_at, _, _ = FOOTER.unpack(data[-FOOTER.size :])
    outcomes = set()
    for block in range(1, m // STEP - 1, 3):
        slot = blocks_at + 4 * block
        at = _ENTRIES_AT + int.from_bytes(data[slot : slot + 4], "little")
        at += 1 + data[at]  # past the block's first term …
        at += 1 + data[at]  # … and its value: the second entry's length
        for delta in (1, 2, 5):
            lexicon = Lexicon(data[:at] + bytes([data[at] + delta]) + data[at + 1 :])
            for number in range(block * STEP + 2, block * STEP + STEP):
                name, tbytes = terms[number]
                try:
                    found = lexicon.find(name, tbytes)
                except LexiconDamaged:
                    outcomes.add("damaged")
                    continue
                if found >= 0:
                    got = lexicon.postings(name, found)
                    assert got == whole.postings(name, number), (block, delta, number)
                outcomes.add("found" if found >= 0 else "absent")
    assert "damaged" in outcomes


@pytest.mark.parametrize("damage", ["cut", "lost"])
def test_a_search_that_meets_a_damaged_term_file_rebuilds(tmp_path: Path, damage: str) -> None:
    """Without a manifest to notice it first, a cut or lost term file is found when the index
    is read, said in one line, and a repairing search rebuilds the index and finds the same
    records."""

    def damage_file(path: Path) -> None:
        if damage == "lost":  # its array file is still there
            path.unlink()
        else:
            path.write_bytes(path.read_bytes()[:-10])

    damaged_then_rebuilt(tmp_path, "*.lex", damage_file, ["model", "开源", "llam*"]).close()


def test_record_boosts_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    """The term file keeps frequencies; a boosted record would be scored wrongly, so it is
    refused (nothing in the library sets one)."""
    from whoosh import index as wix

    from index.engine.segments import fast_writer

    ix = wix.create_in(str(tmp_path), _schema())
    writer = fast_writer(ix, tmp_path, timeout=5)
    for boost in ({"_boost": 2.0}, {"_body_boost": 3.0}):
        with pytest.raises(ValueError, match="boost"):
            writer.add_document(key="k", body="zebra", **boost)
    writer.add_document(key="k", body="zebra")
    writer.commit()
    with ix.searcher() as s:
        assert s.doc_count() == 1
