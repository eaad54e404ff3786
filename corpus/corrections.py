"""Alignment the reader corrected by hand: rows + corrections → rows.

Three corrections, each made on the rows as the ones before it left them:

- merge: one side of a row takes the same side of the next row (the next row keeps its other
  side; a row left with neither side goes);
- split: a row becomes two, each side cut where a sentence begins;
- gap: one side, from a row on, moves down a row (that row keeps only its other side), as far
  as the first row that lacked that side, whose gap it fills (or to the end): a run out of step
  is put right without moving the rows after it. Moving a side *up* is a gap in the other side
  one row higher: the row above gives its place.

A correction names the rows it touches by a fingerprint of their text, not only by number: when
the file is edited elsewhere the rows are found where they went, and a correction whose rows are
gone is dropped (and said so) instead of cutting the wrong paragraph. Rows that come out of a
correction carry no aligner confidence: the reader has judged them.

Row numbers: the index and `search` count the rows as the aligner made them; the reader and
`show` show the corrected rows. `Corrected.shown_row` takes an aligner row (a search hit) to the
corrected row that holds its text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

from corpus.model import Block, Row

Side = Literal["en", "zh"]
Op = Literal["merge", "split", "gap"]
SIDES: tuple[Side, Side] = ("en", "zh")
_NONE = "\x00"  # a missing side, told apart from an empty one in fingerprints


class CorrectionRefused(ValueError):
    """A correction that cannot be made where asked; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One hand correction. `row` is where it was made (in the rows the corrections before it
    left); `cut` is, for a split, where each side's text is cut (characters, English then
    Chinese); `anchor` the fingerprint of the rows it touches, which is how it finds them."""

    op: Op
    row: int
    anchor: str
    side: Side | None = None
    cut: tuple[int, int] = (0, 0)

    def describe(self) -> str:
        """What it did, for a notice: "merge the English of row 4 with row 5"."""
        name = {"en": "English", "zh": "Chinese", None: ""}[self.side]
        n = self.row + 1
        if self.op == "merge":
            return f"merge the {name} of row {n} with row {n + 1}"
        if self.op == "split":
            return f"split row {n}"
        return f"move the {name} of row {n} down a row"


class _Piece(NamedTuple):
    """A side's block in the rows being corrected, and the aligner rows its text came from."""

    block: Block
    origins: tuple[int, ...]


@dataclass(slots=True)
class _Slot:
    """A row a correction touched: its pieces can move apart."""

    en: _Piece | None
    zh: _Piece | None
    confidence: float | None

    def side(self, side: Side) -> _Piece | None:
        return self.en if side == "en" else self.zh


# A row in the works: untouched (the row as read, and its number), or touched. Untouched rows
# stay as they are, so a long document with a few corrections costs little more than one without.
_Entry = _Slot | tuple[Row, int]


def _touch(entries: list[_Entry], i: int) -> _Slot:
    entry = entries[i]
    if isinstance(entry, tuple):
        row, k = entry
        entry = entries[i] = _Slot(
            _Piece(row.en, (k,)) if row.en is not None else None,
            _Piece(row.zh, (k,)) if row.zh is not None else None,
            row.confidence,
        )
    return entry


def _block(entry: _Entry, side: Side) -> Block | None:
    if isinstance(entry, tuple):
        return entry[0].en if side == "en" else entry[0].zh
    piece = entry.side(side)
    return piece.block if piece is not None else None


@dataclass(frozen=True, slots=True)
class Corrected:
    """Rows after corrections: those that applied, and those dropped because their rows are no
    longer in the document. `origins[i]` lists, per corrected row, the aligner rows its English
    and Chinese came from."""

    rows: tuple[Row, ...]
    applied: tuple[Correction, ...]
    dropped: tuple[Correction, ...]
    origins: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]

    @property
    def changed(self) -> bool:
        return bool(self.applied)

    def shown_row(self, aligner_row: int, side: Side | None = None) -> int:
        """The corrected row holding the text of `aligner_row` (its `side`, else its first)."""
        found: dict[str, int] = {}
        for i, (en, zh) in enumerate(self.origins):
            if aligner_row in en:
                found.setdefault("en", i)
            if aligner_row in zh:
                found.setdefault("zh", i)
        if side is not None and side in found:
            return found[side]
        if found:
            return min(found.values())
        return max(0, min(aligner_row, len(self.rows) - 1))


def dropped_notice(dropped: Sequence[Correction]) -> str:
    """One line saying which corrections no longer apply, for the app and the command line."""
    n = len(dropped)
    what = "; ".join(c.describe() for c in dropped)
    counted = (
        "1 alignment correction no longer applies"
        if n == 1
        else (f"{n} alignment corrections no longer apply")
    )
    return f"{counted} (the text changed): {what}"


def fingerprint(rows: Sequence[Row], start: int, count: int) -> str:
    """A short hash of the text of `count` rows from `start` (both sides, missing ones marked)."""
    return _digest((row.en, row.zh) for row in rows[start : start + count])


def _digest(rows: Iterable[tuple[Block | None, Block | None]]) -> str:
    digest = hashlib.sha256()
    for pair in rows:
        for block in pair:
            digest.update((block.text if block is not None else _NONE).encode("utf-8", "replace"))
            digest.update(b"\x1f")
        digest.update(b"\x1e")
    return digest.hexdigest()[:16]


def rows_key(rows: Sequence[Row]) -> str:
    """The hash of a document's text as read (every row, both sides): what its corrections are
    kept under, so the same text keeps them under another name."""
    return fingerprint(rows, 0, len(rows))


_SPAN = {"merge": 2, "split": 1, "gap": 1}  # rows a correction's anchor covers


# Making a correction (the reader's keys): checked against the rows, refused with a reason.


def merge(rows: Sequence[Row], row: int, side: Side) -> Correction:
    """The `side` of `row` and of the row after it, as one block in `row`."""
    if not 0 <= row < len(rows) - 1:
        raise CorrectionRefused("This is the last row: there is no next row to merge with.")
    name = "English" if side == "en" else "Chinese"
    if getattr(rows[row + 1], side) is None:
        raise CorrectionRefused(f"The next row has no {name} to merge.")
    if getattr(rows[row], side) is None:
        raise CorrectionRefused(f"This row has no {name}: move the next row's up instead.")
    return Correction("merge", row, fingerprint(rows, row, 2), side)


def split(rows: Sequence[Row], row: int, cut: tuple[int, int]) -> Correction:
    """`row` as two rows: each side cut at its offset in `cut` (English, Chinese)."""
    if not 0 <= row < len(rows):
        raise CorrectionRefused("There is no row here to split.")
    upper, lower = _cut_row(rows[row], cut)
    if not upper or not lower:
        raise CorrectionRefused("Nothing to split here: pick a later sentence with ( or ).")
    return Correction("split", row, fingerprint(rows, row, 1), cut=cut)


def shift(rows: Sequence[Row], row: int, side: Side, step: int) -> Correction:
    """Move the `side` of `row` (and of every row after it) down (`step` +1) or up (-1) a row."""
    if not 0 <= row < len(rows):
        raise CorrectionRefused("There is no row here.")
    if getattr(rows[row], side) is None:
        name = "English" if side == "en" else "Chinese"
        raise CorrectionRefused(f"This row has no {name} to move.")
    if step > 0:
        return Correction("gap", row, fingerprint(rows, row, 1), side)
    if row == 0:
        raise CorrectionRefused("This is the first row: nothing can move above it.")
    other: Side = "zh" if side == "en" else "en"
    if getattr(rows[row - 1], other) is None:
        name = "English" if other == "en" else "Chinese"
        raise CorrectionRefused(f"The row above has no {name} to move beside: merge instead.")
    return Correction("gap", row - 1, fingerprint(rows, row - 1, 1), other)


# Applying corrections: the pure function the loaders call.


def apply_corrections(rows: Sequence[Row], corrections: Sequence[Correction]) -> Corrected:
    """`rows` with each correction applied in turn where its rows are found (at its row, else
    the nearest place with the same text); those whose rows are gone are dropped."""
    if not corrections:
        return Corrected(tuple(rows), (), (), _own_origins(rows))
    slots: list[_Entry] = list(zip(rows, range(len(rows)), strict=True))
    applied: list[Correction] = []
    dropped: list[Correction] = []
    for correction in corrections:
        at = _find(slots, correction)
        end = None if at is None else _apply(slots, correction, at)
        if at is None or end is None:
            dropped.append(correction)
            continue
        # Only the rows a correction touched can have lost both sides.
        window = range(max(0, at - 1), min(len(slots), end + 1))
        for i in reversed(window):
            entry = slots[i]
            if isinstance(entry, _Slot) and entry.en is None and entry.zh is None:
                del slots[i]
        applied.append(replace(correction, row=at) if at != correction.row else correction)
    if not applied:
        return Corrected(tuple(rows), (), tuple(dropped), _own_origins(rows))
    return Corrected(
        tuple(_row(e) for e in slots),
        tuple(applied),
        tuple(dropped),
        tuple(_origins(e) for e in slots),
    )


def _own_origins(rows: Sequence[Row]) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    return tuple(
        ((i,) if r.en is not None else (), (i,) if r.zh is not None else ())
        for i, r in enumerate(rows)
    )


def _find(slots: Sequence[_Entry], correction: Correction) -> int | None:
    """Where the correction's rows are now: its own row first, then outward."""
    span = _SPAN[correction.op]
    last = len(slots) - span
    if last < 0:
        return None

    def matches(at: int) -> bool:
        texts = ((_block(e, "en"), _block(e, "zh")) for e in slots[at : at + span])
        return _digest(texts) == correction.anchor

    start = min(max(correction.row, 0), last)
    for distance in range(last + 1):
        for at in (start - distance, start + distance) if distance else (start,):
            if 0 <= at <= last and matches(at):
                return at
    return None


def _apply(slots: list[_Entry], c: Correction, at: int) -> int | None:
    """Apply `c` at `at`; the last row it touched, or None when it cannot apply."""
    if c.op == "merge" and c.side is not None:
        here, below = _touch(slots, at), _touch(slots, at + 1)
        a, b = here.side(c.side), below.side(c.side)
        if a is None or b is None:
            return None
        _set(here, c.side, _Piece(_joined(a.block, b.block), a.origins + b.origins))
        _set(below, c.side, None)
        here.confidence = below.confidence = None
        return at + 1
    if c.op == "split":
        slot = _touch(slots, at)
        upper, lower = _Slot(None, None, None), _Slot(None, None, None)
        for side, cut in zip(SIDES, c.cut, strict=True):
            piece = slot.side(side)
            if piece is None:
                continue
            top, bottom = _cut_block(piece.block, cut)
            _set(upper, side, _Piece(top, piece.origins) if top else None)
            _set(lower, side, _Piece(bottom, piece.origins) if bottom else None)
        slots[at : at + 1] = [upper, lower]
        return at + 1
    if c.op == "gap" and c.side is not None:
        # The side's blocks from `at` move down one row, up to the first row that lacked that
        # side (its gap is filled), or past the end.
        side = c.side
        gap = next((j for j in range(at, len(slots)) if _block(slots[j], side) is None), None)
        if gap is None:
            slots.append(_Slot(None, None, None))
            gap = len(slots) - 1
        for i in range(gap, at, -1):
            below = _touch(slots, i)
            _set(below, side, _touch(slots, i - 1).side(side))
            below.confidence = None
        first = _touch(slots, at)
        _set(first, side, None)
        first.confidence = None
        return gap
    return None


def _set(slot: _Slot, side: Side, piece: _Piece | None) -> None:
    if side == "en":
        slot.en = piece
    else:
        slot.zh = piece


def _row(entry: _Entry) -> Row:
    if isinstance(entry, tuple):
        return entry[0]
    en, zh = entry.en, entry.zh
    return Row(en.block if en else None, zh.block if zh else None, entry.confidence)


def _origins(entry: _Entry) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if isinstance(entry, tuple):
        row, k = entry
        return ((k,) if row.en is not None else (), (k,) if row.zh is not None else ())
    return (entry.en.origins if entry.en else (), entry.zh.origins if entry.zh else ())


def _joined(a: Block, b: Block) -> Block:
    """Two blocks of one side as one: the text of both, a blank line between."""
    kind = a.kind if a.kind == b.kind else "paragraph"
    text = a.text.rstrip() + "\n\n" + b.text.lstrip()
    return replace(a, kind=kind, text=text)


def _cut_block(block: Block, cut: int) -> tuple[Block | None, Block | None]:
    head, tail = block.text[:cut].rstrip(), block.text[cut:].strip()
    top = replace(block, text=head) if head.strip() else None
    line = block.line + block.text[:cut].count("\n") + _leading_lines(block.text[cut:])
    bottom = replace(block, text=tail, line=line) if tail else None
    return top, bottom


def _leading_lines(text: str) -> int:
    return text[: len(text) - len(text.lstrip())].count("\n")


def _cut_row(row: Row, cut: tuple[int, int]) -> tuple[bool, bool]:
    """Whether cutting `row` at `cut` leaves text above and below."""
    upper = lower = False
    for block, at in zip((row.en, row.zh), cut, strict=True):
        if block is None:
            continue
        top, bottom = _cut_block(block, at)
        upper, lower = upper or top is not None, lower or bottom is not None
    return upper, lower
