"""Only the cells of the screen that look different are written to the terminal.

Textual redraws a whole screen more often than its look changes: a screen that first shows is
drawn by its layout, again when the screen it replaces is removed, and again when its footer is
composed; a scrollbar that gets its thumb a moment after the text is drawn redraws every line
of the text. Over a slow link each of those is a screenful of bytes (`]` to the next document
cost ~59 KB at 120×40). The app keeps a copy of what the terminal shows, cell by cell, and of
each update writes only the runs of cells that change.

This is the one place that reads the compositor's updates, which are not public API: a
`LayoutUpdate` or `ChopsUpdate` is read as the segments its `__rich_console__` yields (moves and
styled text, exactly what Textual writes), and a style's `_meta` (mouse actions, never drawn)
is left out of comparisons. `tests/tui/test_frame_diff.py` plays the app's updates into two
emulated terminals, as Textual wrote them and as written here, and checks they show the same.
The copy is forgotten whenever it may no longer be what the terminal shows: a new size, the app
resumed after a suspend, an update of any other kind.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.control import Control
from rich.segment import ControlType, Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Size
from textual.strip import Strip

Cell = tuple[str, Style] | None  # a character and its style; None: the right half of a wide one
UNKNOWN: Cell = ("\x00", Style())  # a cell whose look is not known
GAP = 6  # equal cells between two changed runs of a line that are sent rather than a move


class ChangedLines(CompositorUpdate):
    """Runs of cells to write: (y, x, strip), each after a move to (x, y)."""

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
    """What the terminal shows, cell by cell; `diff` turns an update into what changes."""

    def __init__(self) -> None:
        self.size = Size(0, 0)
        self.lines: list[list[Cell]] = []
        self._console = Console(width=1, height=1, color_system=None, legacy_windows=False)

    def forget(self, size: Size | None = None) -> None:
        """Nothing is known of what the terminal shows (now of `size`)."""
        self.size = size if size is not None else self.size
        self.lines = [[UNKNOWN] * self.size.width for _ in range(self.size.height)]

    def diff(self, update: RenderableType, size: Size) -> RenderableType | None:
        """The cells of `update` that differ from what the terminal shows (None: nothing)."""
        if size != self.size:
            self.forget(size)
        if not isinstance(update, (LayoutUpdate, ChopsUpdate)):
            self.forget()
            return update
        written = self._write(update)
        if written is None:
            self.forget()
            return update
        pieces: list[tuple[int, int, Strip]] = []
        exact = True
        for y, new in sorted(written.items()):
            old = self.lines[y]
            for start, end in _runs(old, new):
                if any(new[i] == UNKNOWN for i in range(start, end)):
                    exact = False
                pieces.append((y, start, _strip(new[start:end])))
            self.lines[y] = new
        if not exact:  # a cell it changes is not known (half of a wide character was hit)
            return update
        return ChangedLines(pieces) if pieces else None

    def _write(self, update: CompositorUpdate) -> dict[int, list[Cell]] | None:
        """The lines `update` writes to, as they will look; None if it does what is not read."""
        lines: dict[int, list[Cell]] = {}
        width, height = self.size
        x = y = 0
        console = self._console
        for segment in update.__rich_console__(console, console.options):  # type: ignore[attr-defined]
            if segment.control:
                for code in segment.control:
                    if code[0] is not ControlType.CURSOR_MOVE_TO:
                        return None
                    x, y = int(code[1]), int(code[2])
                continue
            style = _drawn(segment.style)
            for char in segment.text:
                if char == "\n":
                    x, y = 0, y + 1
                    continue
                if not 0 <= y < height:
                    return None
                line = lines.get(y)
                if line is None:
                    line = lines[y] = list(self.lines[y])
                cells = cell_len(char)
                if cells == 0:
                    if 0 < x <= width and line[x - 1] not in (None, UNKNOWN):
                        text, last = line[x - 1]  # type: ignore[misc]
                        line[x - 1] = (text + char, last)
                    continue
                if x + cells > width:
                    return None
                _put(line, x, (char, style), cells)
                x += cells
        return lines


def _put(line: list[Cell], x: int, cell: Cell, cells: int) -> None:
    """Write a character of `cells` cells at `x`; a wide character cut in half by it leaves its
    other half unknown (terminals differ in what they show there)."""
    if line[x] is None and x > 0:
        line[x - 1] = UNKNOWN
    end = x + cells
    if end < len(line) and line[end] is None:
        line[end] = UNKNOWN
    line[x] = cell
    for i in range(x + 1, end):
        line[i] = None


def _drawn(style: Style | None) -> Style:
    """`style` as the terminal sees it: without its meta (mouse actions), never drawn."""
    if style is None:
        return Style.null()
    if style._meta is None:
        return style
    plain = style.copy()
    plain._meta = None
    return plain


def _runs(old: list[Cell], new: list[Cell]) -> list[tuple[int, int]]:
    """Runs [start, end) of cells that differ, never starting or ending inside a wide
    character; runs closer than GAP are joined."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(new)
    while i < n:
        if old[i] == new[i]:
            i += 1
            continue
        start = i
        while start > 0 and (new[start] is None or old[start] is None):
            start -= 1
        end = i + 1
        while end < n and (old[end] != new[end] or new[end] is None or old[end] is None):
            end += 1
        if runs and start - runs[-1][1] < GAP and UNKNOWN not in new[runs[-1][1] : start]:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
        i = end
    return runs


def _strip(cells: list[Cell]) -> Strip:
    segments: list[Segment] = []
    for cell in cells:
        if cell is None:
            continue
        text, style = cell
        if segments and segments[-1].style == style:
            segments[-1] = Segment(segments[-1].text + text, style)
        else:
            segments.append(Segment(text, style))
    return Strip(segments)
