"""The segment writer's term table: a standard Whoosh hash file that stock readers look up."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashReader

from index.engine.codec import CompactTermWriter


def keys_and_values(n: int) -> list[tuple[bytes, bytes]]:
    rng = random.Random(5)
    words = {f"{rng.random():.12f}{chr(0x4E00 + rng.randrange(2000))}".encode() for _ in range(n)}
    return [(k, k[::-1] * (1 + len(k) % 3)) for k in sorted(words)]


def test_every_term_is_found_by_the_stock_reader(tmp_path: Path) -> None:
    storage = FileStorage(str(tmp_path))
    items = keys_and_values(20_000)
    writer = CompactTermWriter(storage.create_file("terms"))
    for key, value in items:
        writer.add(key, value)
    writer.close()

    reader = OrderedHashReader(storage.open_file("terms"))
    assert reader.hashtype == 1  # CRC-32, named in the header
    assert all(reader[key] == value for key, value in items)
    assert list(reader.keys()) == [key for key, _ in items]
    assert b"absent" not in reader
    middle = items[len(items) // 2][0]
    assert reader.closest_key(middle[:-1]) == middle  # ordered lookups work too
    reader.close()


def test_terms_out_of_order_are_refused(tmp_path: Path) -> None:
    writer = CompactTermWriter(FileStorage(str(tmp_path)).create_file("terms"))
    writer.add(b"b", b"1")
    with pytest.raises(ValueError):
        writer.add(b"a", b"2")


@pytest.mark.parametrize("ours", [True, False], ids=["crc32 (our writer)", "md5 (stock writer)"])
def test_mapped_term_table_finds_what_whoosh_finds(tmp_path: Path, ours: bool) -> None:
    """Queries look terms up in the mapped term file; every term of every segment must come back
    as Whoosh's own reader returns it, and absent terms and fields must be absent."""
    from whoosh import index as wix
    from whoosh.fields import ID, Schema

    from index.engine.codec import FastCodec
    from index.engine.postings import TermTable

    # Fields of bare ids stay in Whoosh's table (the others go to our term file, `lexicon`).
    schema = Schema(key=ID(stored=True), body=ID())
    ix = wix.create_in(str(tmp_path), schema)
    rng = random.Random(11)
    vocabulary = [f"w{n}" for n in range(3_000)] + [chr(0x4E00 + n) * 2 for n in range(500)]
    for part in range(2):  # two commits: two segments
        kwargs = {"codec": FastCodec(), "compound": False} if ours else {"compound": False}
        writer = ix.writer(**kwargs)
        for n in range(600):
            writer.add_document(key=f"{part}-{n}", body=rng.choice(vocabulary))
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        subs = [sub.reader() for sub, _ in searcher.leaf_searchers()]
        assert len(subs) == 2
        for reader in subs:
            terms = reader._terms
            assert terms._tindex.hashtype == (1 if ours else 0)
            table = TermTable.open(terms)
            assert table is not None
            present = list(terms.terms())
            assert len(present) > 1_000
            for fieldname, tbytes in present:
                got = table.term_info(fieldname, tbytes)
                assert _facts(got) == _facts(terms.term_info(fieldname, tbytes))
            have = set(present)
            for absent in [b"nothere", b"w99999", "丁".encode(), b""]:
                assert ("body", absent) not in have
                with pytest.raises(KeyError):
                    table.term_info("body", absent)
            with pytest.raises(KeyError):
                table.term_info("nofield", b"w1")
            # Words being typed walk the key order: the same terms and frequencies as Whoosh's
            # own walk, in order, cut at the limit, none of another field.
            for prefix, limit in [("w1", 5_000), ("w29", 5_000), ("w", 40), ("丁", 10), ("x", 9)]:
                want = [
                    (t, info.doc_frequency()) for t, info in reader.iter_prefix("body", prefix)
                ][:limit]
                assert table.prefixed("body", prefix.encode(), limit) == want
            assert table.prefixed("key", b"w", 10) == []


def _facts(info: object) -> tuple[object, ...]:
    """What a term info says (Whoosh's to_bytes cannot re-encode one it read: its length field
    comes back as a tuple)."""
    names = ("_weight", "_df", "_minlength", "_maxlength", "_maxweight", "_minid", "_maxid")
    return (*(getattr(info, n) for n in names), info._inlined, info._offset, info._length)  # type: ignore[attr-defined]


def test_inlined_term_info_is_whooshs_own_encoding() -> None:
    """Short posting lists are encoded without building a W3TermInfo: the statistics must be the
    bytes Whoosh writes, and the postings (pickled more compactly) what Whoosh reads back (lengths
    0 or None, weights of 1 or not, one to 16 postings)."""
    from whoosh.codec.whoosh3 import W3TermInfo

    from index.engine.codec import INLINE_LIMIT, inlined_info

    rng = random.Random(3)
    for _ in range(2_000):
        n = rng.randrange(1, INLINE_LIMIT + 1)
        ids = sorted(rng.sample(range(100_000), n))
        weights = [float(rng.choice([1, 1, 2, 3.5])) for _ in ids]
        values = [bytes(rng.randrange(256) for _ in range(rng.randrange(4))) for _ in ids]
        tlens = [rng.choice([0, 1, 7, 300, 200_000]) for _ in ids]
        nonzero = [x for x in tlens if x]
        minlength = min(nonzero) if nonzero else None
        stock = W3TermInfo(
            weight=float(sum(weights)),
            df=n,
            minlength=minlength,
            maxlength=max(tlens),
            maxweight=max(weights),
            minid=ids[0],
            maxid=ids[-1],
        )
        stock.set_inlined(ids, weights, values)
        ours = inlined_info(ids, weights, values, minlength, max(tlens))
        head = W3TermInfo._struct.size
        assert ours[:head] == stock.to_bytes()[:head]
        assert len(ours) <= len(stock.to_bytes())
        got_ids, got_weights, got_values = W3TermInfo.from_bytes(ours).inlined_postings()
        assert (got_ids, got_values) == (tuple(ids), tuple(values))
        # Weights all 1.0 are left out: Whoosh's ListMatcher reads None as 1.0 each.
        assert tuple(got_weights or [1.0] * n) == tuple(weights)
