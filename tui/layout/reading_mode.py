"""Which mode a document opens in, and whether it has modes to switch at all.

Modes rearrange paragraphs and their translations. A document without a single pair (English
only, Chinese only, Japanese, German, a Chinese README whose English sections were left
untranslated) has nothing to rearrange: it reads in one column, every block in order, instead of
beside an empty column.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus.model import Document, Row
from tui.layout.rows import Mode

_LANG_LABELS = {"en": "English", "zh": "Chinese"}


def has_modes(rows: Sequence[Row]) -> bool:
    """Whether any row pairs a paragraph with its translation."""
    return any(row.is_pair for row in rows)


def one_column(rows: Sequence[Row]) -> Mode:
    """The one-column mode of the side most blocks are on, on a tie the side the document
    begins on (a row with one side shows it in either mode, so nothing unpaired is hidden)."""
    zh = sum(1 for row in rows if row.zh is not None)
    en = sum(1 for row in rows if row.en is not None)
    if zh == en and rows:
        return Mode.ENGLISH if rows[0].en is not None else Mode.CHINESE
    return Mode.CHINESE if zh > en else Mode.ENGLISH


def initial_mode(document: Document, saved: str | None) -> Mode:
    """The mode chosen last for this document (when it has modes), else two columns for a
    bilingual document and one for any other."""
    rows = document.rows
    if not has_modes(rows):
        return one_column(rows)
    for mode in Mode:
        if mode.value == saved:
            return mode
    if document.lang == "bilingual":
        return Mode.SIDE_BY_SIDE
    return one_column(rows)


def mode_label(document: Document, mode: Mode) -> str:
    """What the status line calls the mode: the document's language when it has no modes."""
    if has_modes(document.rows) or document.lang == "bilingual":
        return mode.value
    return _LANG_LABELS.get(document.lang, document.lang)
