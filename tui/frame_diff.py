"""Only the parts of screen lines that look different are written to the terminal.

Textual redraws a whole screen more often than its look changes: a screen that first shows is
drawn by its layout, again when the screen it replaces is removed, and again when its footer is
composed; its scrollbar gets its thumb a moment after the text is drawn, which redraws every
line of the text. Over a slow link each of those is a screenful of bytes (`]` to the next
document cost ~59 KB at 120×40). The app remembers each line as it was last written, and of each
update writes only the cells from the first to the last that differ on each line.

This is the one place that reads the compositor's updates (`textual._compositor.LayoutUpdate`:
`strips` and `region`; `ChopsUpdate`: `chops` and `spans`), which are not public API;
`tests/tui/test_frame_diff.py` pins what is relied on, so an upgrade that changes them fails
there. What is remembered is forgotten whenever it may no longer be what the terminal shows: a
new size, the app resumed after a suspend, an update of a kind not read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.control import Control
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Size
from textual.strip import Strip

Cell = tuple[str, Style] | None  # a character and its style; None: the right half of a wide one


class ChangedLines(CompositorUpdate):
    """Pieces of screen lines to write: (y, x, strip), each after a move to (x, y)."""

    def __init__(self, pieces: Sequence[tuple[int, int, Strip]]) -> None:
        self.pieces = list(pieces)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for y, x, strip in self.pieces:
            yield Control.move_to(x, y).segment
            yield from strip

    def render_segments(self, console: Console) -> str:
        return "".join(
            Control.move_to(x, y).segment.text + strip.render(console)
            for y, x, strip in self.pieces
        )


class LineMemory:
    """The screen's lines as last written; `diff` turns an update into what changed."""

    def __init__(self) -> None:
        self.size = Size(0, 0)
        self.lines: list[Strip | None] = []

    def forget(self, size: Size | None = None) -> None:
        """Nothing is known of what the terminal shows (now of `size`)."""
        self.size = size if size is not None else self.size
        self.lines = [None] * self.size.height

    def diff(self, update: RenderableType, size: Size) -> RenderableType | None:
        """The parts of `update` that differ from what the terminal shows (None: nothing)."""
        if size != self.size:
            self.forget(size)
        written: dict[int, dict[int, Strip | None]]
        if isinstance(update, LayoutUpdate):
            region = update.region
            written = {
                y: {region.x: _joined(parts)}
                for y, parts in enumerate(update.strips, region.y)
                if 0 <= y < len(self.lines)
            }
        elif isinstance(update, ChopsUpdate):
            written = {
                y: {x: strip for x, strip in update.chops[y].items()}
                for y in sorted({y for y, _x1, _x2 in update.spans})
                if 0 <= y < len(self.lines)
            }
        else:
            self.forget()
            return update
        pieces: list[tuple[int, int, Strip]] = []
        known = True
        for y, drawn in written.items():
            old = self.lines[y]
            new = _spliced(old, drawn, self.size.width)
            self.lines[y] = new
            if old is None or new is None:
                known = False
            elif known:
                pieces.extend((y, x, strip) for x, strip in _changes(old, new))
        if not known:  # part of a line is not known: write the update as it is
            return update
        return ChangedLines(pieces) if pieces else None


def _joined(parts: Iterable[Strip | None]) -> Strip:
    return Strip.join(parts)


def _spliced(old: Strip | None, pieces: Mapping[int, Strip | None], width: int) -> Strip | None:
    """A line after `pieces` (x → the strip drawn from x; None: nothing drawn there) were
    written over `old`; None when part of it is not known."""
    parts: list[Strip] = []
    x = 0
    for start, strip in sorted(pieces.items()):
        if strip is None:
            continue
        if start > x:
            if old is None:
                return None
            parts.append(old.crop(x, start))
        parts.append(strip)
        x = start + strip.cell_length
    if x < width:
        if old is None:
            return None
        parts.append(old.crop(x, width))
    line = Strip.join(parts).discard_meta().simplify()
    return line if line.cell_length == width else None


def _cells(strip: Strip) -> list[Cell]:
    cells: list[Cell] = []
    for segment in strip:
        style = segment.style or Style.null()
        for char in segment.text:
            width = cell_len(char)
            if width == 0 and cells and cells[-1] is not None:
                text, last = cells[-1]
                cells[-1] = (text + char, last)
                continue
            cells.append((char, style))
            cells.extend([None] * (width - 1))
    return cells


def _changes(old: Strip, new: Strip) -> list[tuple[int, Strip]]:
    """The part of `new` that differs from `old` (x, strip): from the first cell that differs
    to the last, never cutting a wide character."""
    if old == new:
        return []
    a, b = _cells(old), _cells(new)
    if len(a) != len(b):
        return [(0, new)]
    first = next((i for i in range(len(a)) if a[i] != b[i]), None)
    if first is None:
        return []
    last = next(i for i in range(len(a) - 1, -1, -1) if a[i] != b[i]) + 1
    while first > 0 and (a[first] is None or b[first] is None):
        first -= 1
    while last < len(b) and (a[last] is None or b[last] is None):
        last += 1
    return [(first, new.crop(first, last))]
