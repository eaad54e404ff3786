"""How much of a document is translated: the share of its text rows that have both sides."""

from __future__ import annotations

from corpus.model import BlockKind, Document

# Rows that say something in a language; code, images, rules and raw HTML need no translation.
TEXT_KINDS: frozenset[BlockKind] = frozenset(
    {"heading", "paragraph", "list_item", "quote", "table", "text"}
)


def coverage(doc: Document) -> float:
    """0 for a document in one language (or without text), 1 when every text row is paired."""
    text_rows = [row for row in doc.rows if row.kind in TEXT_KINDS]
    if not text_rows:
        return 0.0
    return sum(row.is_pair for row in text_rows) / len(text_rows)
