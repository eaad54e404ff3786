"""A document's aligned rows, or sentence pairs, as TSV, CSV, TMX 1.4 or Markdown.

Pure functions from a document to text, so the command line and the app write the same files.
TSV and CSV quote a field holding a separator, quote or line break (the csv module's Excel
dialects, which spreadsheets, pandas and CAT tools read); TMX is built as an element tree, so
every text is escaped, and characters XML 1.0 cannot hold are dropped.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from corpus.model import Block, Document
from corpus.sentence_align import sentence_pairs
from corpus.sentences import plain_inline

Format = Literal["tsv", "csv", "tmx", "md"]
Side = Literal["en", "zh", "both"]
FORMATS: tuple[Format, ...] = ("tsv", "csv", "tmx", "md")
SIDES: tuple[Side, ...] = ("en", "zh", "both")

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LITERAL = frozenset({"code", "html", "text", "table"})  # kept as written, line breaks and all


@dataclass(frozen=True, slots=True)
class Unit:
    """One exported pair: the English and the Chinese (None where a side has nothing)."""

    en: str | None
    zh: str | None


def units(doc: Document, *, sentences: bool = False, markdown: bool = False) -> Iterator[Unit]:
    """The document's rows (or each row's sentence pairs) in reading order; as the words a reader
    sees, or with `markdown` as the source."""
    for row in doc.rows:
        if sentences:
            for pair in sentence_pairs(row):
                if markdown:
                    en = " ".join(s.source for s in pair.en)
                    zh = "".join(s.source for s in pair.zh)
                else:
                    en, zh = pair.en_text, pair.zh_text
                yield Unit(en or None, zh or None)
        else:
            yield Unit(_text(row.en, markdown), _text(row.zh, markdown))


def _text(block: Block | None, markdown: bool) -> str | None:
    if block is None:
        return None
    if markdown or block.kind in _LITERAL:
        return block.text.strip("\n")
    return plain_inline(block.text) or block.text.strip()


def export(doc: Document, fmt: Format, *, sentences: bool = False, side: Side = "both") -> str:
    """The whole export as text. TMX needs both sides (`side` must be "both")."""
    if fmt == "md":
        return _markdown(units(doc, sentences=sentences, markdown=True), side)
    found = units(doc, sentences=sentences)
    if fmt == "tmx":
        if side != "both":
            raise ValueError("a translation memory holds both languages: TMX takes no --side")
        return _tmx(doc, found, sentences)
    return _table(found, side, "\t" if fmt == "tsv" else ",")


def _columns(side: Side) -> tuple[str, ...]:
    return ("en", "zh") if side == "both" else (side,)


def _table(found: Iterator[Unit], side: Side, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    columns = _columns(side)
    writer.writerow(columns)
    for unit in found:
        values = [getattr(unit, c) for c in columns]
        if any(values):
            writer.writerow([v or "" for v in values])
    return out.getvalue()


def _markdown(found: Iterator[Unit], side: Side) -> str:
    parts: list[str] = []
    for unit in found:
        texts = [t for t in (getattr(unit, c) for c in _columns(side)) if t]
        parts += texts[:1] if len(texts) == 2 and texts[0] == texts[1] else texts  # copied code
    return "\n\n".join(parts) + "\n" if parts else ""


def _tmx(doc: Document, found: Iterator[Unit], sentences: bool) -> str:
    tmx = ET.Element("tmx", version="1.4")
    header = ET.SubElement(
        tmx,
        "header",
        {
            "creationtool": "llama-reader",
            "creationtoolversion": "0.1.0",
            "segtype": "sentence" if sentences else "paragraph",
            "o-tmf": "llama-reader",
            "adminlang": "en",
            "srclang": "en",
            "datatype": "plaintext",
        },
    )
    note = ET.SubElement(header, "note")
    note.text = _xml(f"{doc.title} ({doc.path})")
    body = ET.SubElement(tmx, "body")
    for unit in found:
        if not unit.en or not unit.zh:
            continue  # a unit pairs two languages
        tu = ET.SubElement(body, "tu")
        for lang, text in (("en", unit.en), ("zh", unit.zh)):
            tuv = ET.SubElement(tu, "tuv", {"xml:lang": lang})
            ET.SubElement(tuv, "seg").text = _xml(text)
    ET.indent(tmx, space=" ")
    xml = ET.tostring(tmx, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)
