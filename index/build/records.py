"""Document → the Whoosh records that describe it (rows, the document, its files)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus.coverage import coverage
from corpus.model import Document, Row
from corpus.tags import tag_key
from index.analysis.dates import index_date
from index.analysis.plaintext import plain_text
from index.analysis.tokens import index_terms, spelling_words
from index.engine.fields import Terms
from index.engine.schema import DOC, FILE, GROUP_BYTES, GROUP_ROWS
from index.storage import catalog, file_stamps
from index.storage.file_stamps import FileRecord, stored_files
from index.types import DocInfo

Record = dict[str, Any]


log = logging.getLogger("llama_reader.index")


def doc_info(doc: Document) -> DocInfo:
    return DocInfo(
        id=doc.id,
        path=doc.path,
        title=doc.title,
        title_alt=doc.title_alt,
        date=doc.date,
        tags=doc.tags,
        author=doc.author,
        lang=doc.lang,
        rows=len(doc.rows),
        warnings=doc.warnings,
        files=doc.files or (doc.path,),
        coverage=round(coverage(doc), 4),
    )


def info_to_stored(info: DocInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "path": info.path,
        "title": info.title,
        "title_alt": info.title_alt,
        "date": info.date,
        "tags": list(info.tags),
        "author": info.author,
        "lang": info.lang,
        "rows": info.rows,
        "warnings": list(info.warnings),
        "files": list(info.files),
        "coverage": info.coverage,
    }


def info_from_stored(d: dict[str, Any]) -> DocInfo:
    return DocInfo(
        id=d["id"],
        path=d["path"],
        title=d["title"],
        title_alt=d["title_alt"],
        date=d["date"],
        tags=tuple(d["tags"]),
        author=d["author"],
        lang=d["lang"],
        rows=d["rows"],
        warnings=tuple(d["warnings"]),
        files=tuple(d["files"]),
        coverage=d.get("coverage"),
    )


def document_records(doc: Document) -> Iterator[Record]:
    """One record per row with text, then the document's own record."""
    titles = [t for t in (doc.title, doc.title_alt) if t]
    t_words, t_chars = index_terms(titles)
    a_words, _ = index_terms([doc.author] if doc.author else [], chars=False)
    common: Record = {"doc": doc.id}
    tags = sorted({tag_key(t) for t in doc.tags} - {""})
    if tags:
        common["tag"] = tags
    common["lang"] = doc.lang
    date = index_date(doc.date)
    if date:
        common["date"] = date
    title_terms = {"title": Terms(t_words), "title_chars": Terms(t_chars)}
    if a_words:
        title_terms["author"] = Terms(a_words)
    spell: set[str] = set()
    for t in [*titles, doc.author or ""]:
        spell |= spelling_words(t)
    rows: list[Record] = []
    text: list[tuple[int, list[Any], str | None, str | None]] = []
    for i, row in enumerate(doc.rows):
        en = plain_text(row.en)
        zh = plain_text(row.zh)
        if not en and not zh:
            continue
        words, chars = index_terms((en, zh))
        spell |= spelling_words(en)
        # What a row shares with its document (title, author, kind, tags, language, date) is on
        # the document's record only; queries give it to the rows (`schema.DOC_FIELDS`).
        rec: Record = {"doc": doc.id, "body": Terms(words), "body_chars": Terms(chars)}
        rows.append(rec)
        text.append((i, source_lines(row, doc.path), en or None, zh or None))
    # What each row is, kept in groups with the first row of each: compressed together, the
    # rows' text takes about 60% of the bytes of each row's compressed alone, and the other rows
    # store only their distance to it (see `schema.stored_row`).
    head = size = 0
    for i, (rec, row_text) in enumerate(zip(rows, text, strict=True)):
        weight = len(row_text[2] or "") + 3 * len(row_text[3] or "")  # about its UTF-8 bytes
        if i > head and (size + weight > GROUP_BYTES or i - head >= GROUP_ROWS):
            head, size = i, 0
        size += weight
        if i == head:
            rec["rows"] = [row_text]
        else:
            rows[head]["rows"].append(row_text)
            rec["back"] = i - head
    yield from rows
    rec = {
        "key": f"d:{doc.id}",
        "kind": DOC,
        "info": info_to_stored(doc_info(doc)),
        "spell": sorted(spell),
    }
    rec.update(common)
    rec.update(title_terms)
    yield rec


def source_lines(row: Row, path: str) -> list[Any]:
    """[en line, zh line] (0 for a missing side), and the two files when a side was read from
    another file than the document's own (a translation kept apart)."""
    sides = (row.en, row.zh)
    lines: list[Any] = [b.line if b is not None else 0 for b in sides]
    files = [b.file if b is not None and b.file and b.file != path else "" for b in sides]
    return lines + files if any(files) else lines


def file_record(f: FileRecord) -> Record:
    """The index record of one library file: its stamp, the document it belongs to ("" for a
    skipped file) and its `PairInfo`, so translation pairs can be found again across the whole
    library without reading it."""
    rec: Record = {"key": f"f:{f.path}", "kind": FILE, "path": f.path, "info": f.stored()}
    if f.doc:
        rec["doc"] = f.doc
    return rec


def write_catalog(gen: Path) -> None:
    """The catalog and the file list of a whole generation, read from its records."""
    from whoosh import index as wix

    from index.engine.schema import build_schema

    try:
        wx = wix.open_dir(str(gen), schema=build_schema())
        with wx.searcher() as s:
            infos = [info_from_stored(d["info"]) for d in s.documents(kind="doc")]
            files = stored_files(s)
            toc = s.reader().generation()
    except Exception:  # the index itself is fine; readers will list it from Whoosh
        log.exception("could not read %s for its catalog", gen)
        return
    catalog.write(gen, toc, infos)
    file_stamps.write(gen, toc, files.values())
