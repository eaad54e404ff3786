"""Where the bytes of a library's index go: per file kind, and per field inside the term file,
Whoosh's term table, the postings and the array files.

    python benchmarks/index_bytes.py LIBRARY [LIBRARY …] [--keep DIR]

Each library is indexed from scratch into a temporary folder (or DIR), then every segment's term
file and term table are walked entry by entry ("values": a term file's postings and counts). The
text size is the UTF-8 size of the rows' plain text, titles and authors that the index was built
from (what a reader of the library reads), so the ratio does not count Markdown markup or front
matter.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def text_bytes(library: Path) -> int:
    """UTF-8 bytes of what the index is built from: each row's plain text, titles, authors."""
    from index.analysis.plaintext import plain_text
    from index.build.batches import batches
    from index.build.scan import load_documents, scan

    lib = scan(library)
    total = 0
    for batch in batches(sorted(lib.stamps)):
        loaded, _ = load_documents(lib.root, batch)
        for doc in loaded:
            for t in (doc.title, doc.title_alt, doc.author):
                total += len((t or "").encode())
            for row in doc.rows:
                total += len(plain_text(row.en).encode()) + len(plain_text(row.zh).encode())
    return total


def file_bytes(library: Path) -> int:
    return sum(f.stat().st_size for f in library.rglob("*") if f.is_file())


def profile(gen: Path) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Bytes per file kind, and per field: term-table keys, values (inlined or not), term count,
    hash slots, postings-file bytes, array-file bytes."""
    from whoosh import index as wix

    from index.engine.arrayfile import Located
    from index.engine.compat import ENTRY, SLOT
    from index.engine.lexicon import STEP, Lexicon
    from index.engine.schema import build_schema

    kinds: Counter[str] = Counter()
    for f in gen.iterdir():
        if f.is_file():
            kinds[f.suffix or f.name] += f.stat().st_size
    fields: dict[str, Counter[str]] = defaultdict(Counter)
    ix = wix.open_dir(str(gen), schema=build_schema())
    with ix.searcher() as s:
        for sub, _ in s.leaf_searchers():
            r = sub.reader()
            terms = r._terms
            tindex = terms._tindex
            names = {v: k for k, v in tindex.extras["fieldmap"].items()}
            slots = sum(n for _, n in tindex.tables) * SLOT.size
            fields["(hash slots)"]["slots"] += slots
            lexicon = Lexicon.open(r._storage, r._segment)
            if lexicon is not None:
                blocks = -(-len(lexicon) // STEP) + 1
                fields["(term file tables)"]["tables"] += 4 * blocks
                for name, _, tbytes, number in lexicon.items():
                    c = fields[name]
                    c["terms"] += 1
                    c["key"] += len(tbytes) + 1  # and its length (one byte below 128)
                    c["values"] += len(lexicon._value(number)) + 1  # and its length
                    kept = lexicon.postings(name, number)
                    if isinstance(kept, Located):
                        c["arrays"] += kept.size
                    else:
                        c["inlined terms"] += 1
            for key, value in tindex.items():
                fid = int.from_bytes(key[:2], "big")
                name = names.get(fid, str(fid))
                c = fields[name]
                c["terms"] += 1
                c["entry"] += ENTRY.size
                c["key"] += len(key)
                from whoosh.codec.whoosh3 import W3TermInfo

                info = W3TermInfo.from_bytes(value)
                if info.is_inlined():
                    c["inline"] += len(value)
                    c["inlined terms"] += 1
                else:
                    c["info"] += len(value)
                    length = info.extent()[1]
                    c["postings"] += length if isinstance(length, int) else length[0]
    ix.close()
    return kinds, fields


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("libraries", type=Path, nargs="+")
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args(argv)
    from index.library_index import LibraryIndex

    for library in args.libraries:
        work = args.keep or Path(tempfile.mkdtemp(prefix="llama-bytes-"))
        try:
            ix = LibraryIndex(library, work / library.name)
            ix.update(rebuild=True)
            gen = ix.store.current()
            assert gen is not None
            ix.close()
            kinds, fields = profile(gen)
            text, raw = text_bytes(library), file_bytes(library)
            total = sum(kinds.values())
            print(f"\n{library}: text {text:,} B (files {raw:,} B), index {total:,} B")
            print(f"  index / text {total / text:.2f}x, index / files {total / raw:.2f}x")
            for k, v in kinds.most_common():
                print(f"  {k:12} {v:>12,}")
            cols = ["terms", "inlined terms", "entry", "key", "values", "inline", "info",
                    "postings", "arrays", "slots", "tables"]  # fmt: skip
            print("  " + "field".ljust(14) + "".join(c.rjust(14) for c in cols))
            for name, c in sorted(fields.items(), key=lambda kv: -sum(kv[1].values())):
                print("  " + name.ljust(14) + "".join(f"{c[col]:>14,}" for col in cols))
        finally:
            if args.keep is None:
                shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
