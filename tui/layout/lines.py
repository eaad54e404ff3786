"""A rendered block laid out at one width: the lines a column shows.

Each line remembers which characters of which unit (paragraph or table cell) it shows, as
*pieces*, so find-in-document can highlight a match that a wrap cut in two on both halves.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text

from tui.layout.markdown import Para, Rendered, Rule, Table
from tui.layout.styles import MarkdownStyles
from tui.layout.wrap import break_lines, cut_cells

# (offset in the line's text, unit index, start in the unit, length)
Piece = tuple[int, int, int, int]

TABLE_SEPARATOR = " │ "
TABLE_MIN_COLUMN = 6  # narrower than this per column, a table is shown as records


@dataclass(frozen=True, slots=True)
class Line:
    text: Text
    pieces: tuple[Piece, ...] = ()


BLANK = Line(Text())


def block_lines(rendered: Rendered, width: int, styles: MarkdownStyles) -> list[Line]:
    """Every line of a rendered block at `width` cells; none is wider than `width`."""
    width = max(1, width)
    out: list[Line] = []
    unit = 0
    for item in rendered.items:
        if item.gap and out:
            out.append(BLANK)
        if isinstance(item, Para):
            out.extend(_para_lines(item, width, unit, styles))
            unit += 1
        elif isinstance(item, Table):
            out.extend(_table_lines(item, width, unit, styles))
            unit += len(item.header) + sum(len(r) for r in item.body)
        else:
            out.append(_rule_line(item, width, styles))
    if not out:
        out.append(BLANK)
    if width > prefix_room(rendered):
        return out  # every piece was wrapped to fit beside its prefix
    return [_fit(line, width) for line in out]


def prefix_room(rendered: Rendered) -> int:
    """The widest prefix (list marker, quote bar) of any item: narrower than this plus a cell,
    lines may have to be cut."""
    widest = 1
    for item in rendered.items:
        if isinstance(item, Para):
            widest = max(widest, item.first.cell_len, item.rest.cell_len)
        else:
            widest = max(widest, item.prefix.cell_len)
    return widest + 2


def _fit(line: Line, width: int) -> Line:
    if line.text.cell_len <= width:
        return line
    return Line(cut_cells(line.text, width), line.pieces)


def _para_lines(para: Para, width: int, unit: int, styles: MarkdownStyles) -> list[Line]:
    prefix_cells = max(para.first.cell_len, para.rest.cell_len)
    inner = max(1, width - prefix_cells)
    text = para.text
    plain = text.plain
    spans = text.spans
    lines: list[Line] = []
    for k, (start, end) in enumerate(break_lines(plain, inner, words=not para.code)):
        prefix = para.first if k == 0 else para.rest
        line = _line(prefix, plain, text.style, spans, start, end)
        if para.code:
            gap = inner - cell_len(plain[start:end])
            if gap > 0:
                line.append(" " * gap, styles.code_block)
        lines.append(Line(line, ((len(prefix.plain), unit, start, end - start),)))
    return lines


def _line(
    prefix: Text, plain: str, style: str | Style, spans: list[Span], start: int, end: int
) -> Text:
    """`prefix` followed by plain[start:end] with its share of `spans`, built in one go: Rich's
    slicing makes several Text objects per cut, and this runs for every line of every row."""
    offset = len(prefix.plain)
    out = Text(prefix.plain + plain[start:end], end="")
    shifted = list(prefix.spans)
    if style and end > start:  # the paragraph's own style (code, HTML), under its spans
        shifted.append(Span(offset, offset + end - start, style))
    for span in spans:
        if span.end > start and span.start < end:
            shifted.append(
                Span(
                    max(span.start, start) - start + offset,
                    min(span.end, end) - start + offset,
                    span.style,
                )
            )
    out.spans = shifted
    return out


def _rule_line(rule: Rule, width: int, styles: MarkdownStyles) -> Line:
    line = rule.prefix.copy()
    line.append("─" * max(0, width - line.cell_len), styles.rule)
    return Line(line)


def _column_widths(natural: list[int], available: int) -> list[int] | None:
    """Widths for the columns within `available` cells, narrow columns kept whole; None when
    even a fair share is too narrow to read."""
    if sum(natural) <= available:
        return list(natural)
    widths = [0] * len(natural)
    remaining = available
    order = sorted(range(len(natural)), key=lambda c: natural[c])
    for k, col in enumerate(order):
        share = remaining // (len(order) - k)
        widths[col] = min(natural[col], share)
        remaining -= widths[col]
    if any(w < min(n, TABLE_MIN_COLUMN) for w, n in zip(widths, natural, strict=True)):
        return None
    return widths


def _table_lines(table: Table, width: int, unit: int, styles: MarkdownStyles) -> list[Line]:
    columns = table.columns
    if columns == 0:
        return []
    header = list(table.header) + [Text()] * (columns - len(table.header))
    body = [list(r) + [Text()] * (columns - len(r)) for r in table.body]
    natural = [
        max(
            (max(cell_line_len(cell)) for cell in [header[c], *(r[c] for r in body)]),
            default=0,
        )
        for c in range(columns)
    ]
    natural = [max(1, n) for n in natural]
    available = width - table.prefix.cell_len - len(TABLE_SEPARATOR) * (columns - 1)
    widths = _column_widths(natural, available) if available > 0 else None
    if widths is None:
        return _record_lines(table, header, body, width, unit, styles)

    units_in_header = len(table.header)
    lines: list[Line] = []
    if table.header:
        lines += _table_row(table, header, widths, unit, styles)
        rule = table.prefix.copy()
        rule.append("─┼─".join("─" * w for w in widths), styles.table_rule)
        lines.append(Line(rule))
    base = unit + units_in_header
    for r, row in enumerate(body):
        lines += _table_row(table, row, widths, base, styles, len(table.body[r]))
        base += len(table.body[r])
    return lines


def cell_line_len(cell: Text) -> list[int]:
    return [cell_len(part) for part in cell.plain.split("\n")]


def _table_row(
    table: Table,
    cells: list[Text],
    widths: list[int],
    unit: int,
    styles: MarkdownStyles,
    real: int | None = None,
) -> list[Line]:
    """One table row, as many lines as its tallest wrapped cell."""
    real = len(cells) if real is None else real
    wrapped = [break_lines(cell.plain, w) for cell, w in zip(cells, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    lines: list[Line] = []
    for k in range(height):
        line = table.prefix.copy()
        pieces: list[Piece] = []
        for c, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            if c:
                line.append(TABLE_SEPARATOR, styles.table_rule)
            part = Text()
            start = end = 0
            if k < len(wrapped[c]):
                start, end = wrapped[c][k]
                part = cell[start:end]
            gap = max(0, w - part.cell_len)
            align = table.align[c] if c < len(table.align) else "left"
            left = gap if align == "right" else gap // 2 if align == "center" else 0
            line.append(" " * left)
            if end > start and c < real:
                pieces.append((len(line.plain), unit + c, start, end - start))
            line.append_text(part)
            if c < len(cells) - 1:
                line.append(" " * (gap - left))
        line.rstrip()
        lines.append(Line(line, tuple(pieces)))
    return lines


def _record_lines(
    table: Table,
    header: list[Text],
    body: list[list[Text]],
    width: int,
    unit: int,
    styles: MarkdownStyles,
) -> list[Line]:
    """A table too wide for the column: each row as a record of `header` / value lines."""
    lines: list[Line] = []
    base = unit + len(table.header)
    for r, row in enumerate(body):
        if r:
            lines.append(BLANK)
        for c, cell in enumerate(row):
            if c < len(table.header) and header[c].plain:
                label = Para(header[c], table.prefix, table.prefix)
                lines += _para_lines(label, width, unit + c, styles)
            if c < len(table.body[r]):
                indent = table.prefix + Text("  ")
                value = Para(cell, indent, indent)
                lines += _para_lines(value, width, base + c, styles)
        base += len(table.body[r])
    return lines
