"""The reading pane's marks: sentence and word cursors, pinyin, study mode, the gutter's flags.

Kept apart from `bilingual_view`, which draws and scrolls: these only change which parts of the
rows are marked or hidden, and ask the view to repaint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from corpus.model import LOW_CONFIDENCE, Row
from corpus.sentence_align import SentencePair
from tui.layout.find import Ranges
from tui.layout.pinyin import Readings
from tui.layout.rows import Cell, Mode, RowLayout, RowLines, Side
from tui.layout.sentences import SentenceMap, Span, unit_spans
from tui.layout.wrap import pad_to

BOOKMARK_MARK = "⚑"
LOW_CONFIDENCE_MARK = "?"
HIDDEN_MARK = "⋯"
HIDDEN_HINT = " space shows it"


class StudyCursors:
    """Mixed into `BilingualView`; the attributes below are the view's."""

    row_layout: RowLayout
    sentences: SentenceMap
    cursor: int
    _sentence: tuple[int, int] | None
    _word: tuple[Side, Span] | None
    _hidden: Side | None
    _revealed: set[int]
    _bookmarks: set[int]

    if TYPE_CHECKING:

        @property
        def rows(self) -> tuple[Row, ...]: ...

        def _changed(self) -> None: ...

        def _repaint(self) -> None: ...

        def component_style(self, name: str) -> Style: ...

        def show_row(self, row: int) -> None: ...

        def _set_virtual_height(self, height: int) -> None: ...

    # Sentences and words

    @property
    def sentence(self) -> tuple[int, int] | None:
        """(row, pair index) under the sentence cursor; None when there is none."""
        return self._sentence

    @property
    def word(self) -> tuple[Side, Span] | None:
        """The side and span (in that side's rendered text) of the word cursor."""
        return self._word

    def current_pair(self) -> SentencePair | None:
        if self._sentence is None:
            return None
        row, pair = self._sentence
        return self.sentences.row(row).pairs[pair]

    def current_word(self) -> str | None:
        """The word under the word cursor, as the reader sees it."""
        if self._word is None or self._sentence is None:
            return None
        side, (start, end) = self._word
        rendered = self.row_layout.rendered(self._sentence[0], side)
        return rendered.plain[start:end] if rendered is not None else None

    def shown_sides(self, row: int) -> tuple[Side, ...]:
        """The sides of a row the reader can see now (the mode, and study mode's hidden side)."""
        return tuple(s for s in self.row_layout.sides(row) if not self.is_hidden(row, s))

    def sentence_stops(self, row: int) -> list[int]:
        """The pairs of a row the sentence cursor stops at: those with a sentence on screen."""
        found = self.sentences.row(row)
        sides = self.shown_sides(row)
        return [
            k for k in range(len(found)) if any(found.span(k, side) is not None for side in sides)
        ]

    def set_sentence(self, row: int, pair: int | None) -> None:
        """Put the sentence cursor on a pair of `row` (None: take it away); the row becomes the
        cursor row and is scrolled into view."""
        self._word = None
        if pair is None:
            if self._sentence is not None:
                self._sentence = None
                self._repaint()
            return
        self._sentence = (row, pair)
        if row != self.cursor:
            self.show_row(row)
        self._repaint()

    def step_sentence(self, step: int) -> bool:
        """Move the sentence cursor to the next (+1) or previous (-1) sentence, on into the
        next or previous row; False at the ends of the document."""
        if not self.rows:
            return False
        if self._sentence is None or self._sentence[0] != self.cursor:
            row = self.cursor
            stops = self.sentence_stops(row)
            if stops:
                self.set_sentence(row, stops[0] if step > 0 else stops[-1])
                return True
        else:
            row, pair = self._sentence
            stops = self.sentence_stops(row)
            later = [k for k in stops if (k > pair if step > 0 else k < pair)]
            if later:
                self.set_sentence(row, later[0] if step > 0 else later[-1])
                return True
        row += step
        while 0 <= row < len(self.rows):
            stops = self.sentence_stops(row)
            if stops:
                self.set_sentence(row, stops[0] if step > 0 else stops[-1])
                return True
            row += step
        return False

    def word_spans(self) -> list[tuple[Side, Span]]:
        """The words of the current sentence on the sides shown, English first. Chinese words
        need the segmenter: see `tui.layout.words.ready`."""
        from tui.layout.words import words

        if self._sentence is None:
            return []
        row, pair = self._sentence
        found = self.sentences.row(row)
        out: list[tuple[Side, Span]] = []
        for side in ("en", "zh"):
            span = found.span(pair, side)
            rendered = self.row_layout.rendered(row, side)
            if span is None or rendered is None or side not in self.shown_sides(row):
                continue
            out.extend((side, w) for w in words(rendered.plain, *span))
        return out

    def step_word(self, step: int) -> bool:
        """Move the word cursor within the sentence (starting it on the first or last word);
        past either end it goes on to the next or previous sentence."""
        if self._sentence is not None and self._sentence[0] == self.cursor:
            spans = self.word_spans()
            if self._word in spans:
                k = spans.index(self._word) + step
            else:
                k = 0 if step > 0 else len(spans) - 1
            if 0 <= k < len(spans):
                self._word = spans[k]
                self._repaint()
                return True
        if not self.step_sentence(step):
            return False
        spans = self.word_spans()
        self._word = (spans[0] if step > 0 else spans[-1]) if spans else None
        self._repaint()
        return True

    # Pinyin

    def set_pinyin(self, row: int, readings: Readings | None) -> None:
        """Pinyin over the Chinese of `row` (None: none); the rows below move, the screen keeps
        its place."""
        if readings is None and not self.row_layout.has_pinyin(row):
            return
        self.row_layout.set_pinyin(row, readings)
        self._set_virtual_height(self.row_layout.total)
        self._changed()

    # Study mode

    @property
    def hidden_side(self) -> Side | None:
        """The side study mode hides (None: study mode is off)."""
        return self._hidden

    def set_study(self, hidden: Side | None) -> None:
        """Hide one side of every row (None shows both again); rows keep their height."""
        if hidden == self._hidden and not self._revealed:
            return
        # Hiding a side again covers every row revealed meanwhile.
        self._hidden = hidden
        self._revealed.clear()
        self._drop_hidden_cursor()
        self._changed()

    def is_hidden(self, row: int, side: Side) -> bool:
        """Whether study mode keeps this side of `row` out of sight (only where two show)."""
        return (
            side == self._hidden
            and row not in self._revealed
            and self.row_layout.mode in (Mode.SIDE_BY_SIDE, Mode.INTERLEAVED)
        )

    def toggle_reveal(self, row: int) -> bool:
        """Show a row's hidden side, or hide it again; True when it is now shown."""
        if self._hidden is None:
            return False
        self._revealed.symmetric_difference_update({row})
        self._drop_hidden_cursor()
        self._changed()
        return row in self._revealed

    def _drop_hidden_cursor(self) -> None:
        """The sentence and word cursors never rest on text the reader cannot see."""
        if self._sentence is None:
            return
        row, pair = self._sentence
        if pair not in self.sentence_stops(row):
            self._sentence = self._word = None
        elif self._word is not None and self.is_hidden(row, self._word[0]):
            self._word = None

    # Drawing what the cursors mark and study mode hides

    def _focus_ranges(self, row: int, side: Side) -> list[tuple[Ranges, Style]]:
        """The sentence cursor's and word cursor's ranges on one side of `row`."""
        if self._sentence is None or self._sentence[0] != row:
            return []
        rendered = self.row_layout.rendered(row, side)
        span = self.sentences.row(row).span(self._sentence[1], side)
        if rendered is None or span is None:
            return []
        out = [(unit_spans(rendered, span), self.component_style("sentence"))]
        if self._word is not None and self._word[0] == side:
            out.append((unit_spans(rendered, self._word[1]), self.component_style("word")))
        return out

    def _hidden_cell(self, row: int, k: int, lines: RowLines, cell: Cell, is_cursor: bool) -> Text:
        """What a side hidden by study mode shows: its space, and a quiet mark on its first
        line (with the key that shows it on the cursor row)."""
        first = k == 0 or all(c.side != cell.side for c in lines.lines[k - 1].cells)
        if not first:
            return Text(" " * cell.width)
        hint = HIDDEN_MARK + (HIDDEN_HINT if is_cursor else "")
        return pad_to(Text(hint[: cell.width], self.component_style("hidden")), cell.width)

    def _marker(self, row: int, k: int, content: bool) -> Text:
        confidence = self.rows[row].confidence
        unsure = confidence is not None and confidence < LOW_CONFIDENCE
        marked = row in self._bookmarks
        if content and k == 0 and marked:
            return Text(BOOKMARK_MARK, self.component_style("bookmark"))
        if content and unsure and k == (1 if marked else 0):
            return Text(LOW_CONFIDENCE_MARK, self.component_style("low-confidence"))
        return Text(" ")
