"""The index's schema: one record per row, per document and per library file.

A row holds its paragraph's words; what a row shares with its whole document (title, author,
kind, tags, language, date) is indexed once, on the document's record, and queries give it to
the document's rows (`query.evaluate`): repeated on every row it made a tenth of the postings.
Document records serve the library list, tag counts and the spelling vocabulary; file records
hold each file's stamp (size, mtime, hash) so an update commits the new stamps in the same
transaction as the records they describe.

The schema is always passed to Whoosh explicitly (never unpickled from disk, PITFALLS 2.5); its
version and the analyser's are stored beside the index, and any change rebuilds it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, Schema

from index.analysis.segmenter import segmenter_id
from index.analysis.tokens import ANALYSER_VERSION
from index.engine.fields import CharField, WordsField
from index.engine.rowtext import RowsColumn

SCHEMA_VERSION = "17"  # 2: file records hold PairInfo; 3: Markdown escapes left out of text;
# 4: each segment has an array file of its long posting lists; 5: Chinese characters, not bigrams;
# 6: rows read by the visible-text definition of corpus.visible (links resolved, shortcodes);
# 7: rows keep their source lines; 8: long positional lists only in the array files;
# 9: a row's stored fields in one tuple, the document id only in its column;
# 10: each document's translation coverage in its info; 11: rows' text with every 16th row;
# 12: title and author only on document records; 13: the text fields' terms in our term file;
# 14: the term file locates the long lists, and holds term and value in one entry;
# 15: rows' text in groups of up to GROUP_BYTES; 16: the term file keeps every 16th entry's place
# 17: rows' text in a column of its own, compressed with Zstandard (`rowtext`)

# Fields only document records have; a row matches them as its document does.
DOC_FIELDS = frozenset({"title", "title_chars", "author"})

# kind values
ROW, DOC, FILE = "row", "doc", "file"

# Rows whose text is stored together, with the first of them: a document's whole text compresses
# best, but a hit would then decompress all of it. A group ends before it would pass GROUP_BYTES
# of text or GROUP_ROWS rows, so reading a row's text costs about the same for short and long
# rows. Against 16 rows a group: generated documents (about 11 rows a group) 0.3 ms less a query
# of 4.8; the seeds' short paragraphs (up to 64) 1% fewer bytes of index.
GROUP_BYTES = 4096
GROUP_ROWS = 64  # at most 255: a row's distance to its group's first row is one byte


def build_schema() -> Schema:
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(),
        doc=ID(sortable=True),  # read from its column: stored, it took a fifth of a row's bytes
        path=ID(),
        # The first row of each group holds (number, where its sides start, English, Chinese) of
        # itself and the rest of its group; the others only their distance to it (`stored_row`).
        rows=COLUMN(RowsColumn()),
        back=COLUMN(NumericColumn("B")),
        info=STORED(),
        body=WordsField(),
        body_chars=CharField(),
        title=WordsField(),
        title_chars=CharField(),
        author=WordsField(),
        tag=KEYWORD(lowercase=False, commas=True, scorable=False),
        lang=ID(),
        date=ID(),
        spell=KEYWORD(lowercase=False, scorable=True),
    )


def expected_meta(library: Path) -> dict[str, str]:
    """What an index must have been built with to be used as is (kept in its `meta.json`)."""
    return {
        "schema": SCHEMA_VERSION,
        "analyser": f"{ANALYSER_VERSION}/{segmenter_id()}",
        "library": str(Path(library).expanduser().resolve()),
    }


def stored_row(
    group: Callable[[int], Any], docnum: int, back: int
) -> tuple[int, list[Any], str | None, str | None] | None:
    """(row number, `at`, English, Chinese) of row record `docnum`, `back` records after the
    first row of its group; `group` reads the rows of the group that begins at a record (None
    for none). `at` is where the row's sides start: [en line, zh line(, en file, zh file)]. A
    document's records are written together and merges keep their order, so a group is one run
    of records."""
    rows = group(docnum - back) or ()
    if back >= len(rows):
        return None
    row, at, en, zh = rows[back]
    return row, at, en, zh
