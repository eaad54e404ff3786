"""The reader's study keys: sentence and word cursors, the dictionary, the deck, pinyin and
study mode. Mixed into `ReaderScreen`, which keeps the document, the view and the status line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import SystemCommand

from corpus.deck import DeckError, add_card, make_card
from corpus.dictionary import Entry, char_pinyin, has_chinese
from corpus.model import Document
from corpus.sentence_align import SentencePair
from tui.layout import words
from tui.layout.rows import Mode, Side
from tui.screens.dictionary import DictionaryChoice, DictionaryScreen
from tui.widgets.bilingual_view import BilingualView

SIDE_NAMES = {"en": "English", "zh": "Chinese"}


class StudyActions:
    """The actions behind the study keys; `ReaderScreen` binds them."""

    document: Document
    study_hide: Side
    _looked_up: Any

    if TYPE_CHECKING:
        from textual.app import App

        app: App[Any]

        @property
        def view(self) -> BilingualView: ...

        def _say(self, message: str, *, warn: bool = False, timeout: float = 2.0) -> None: ...

        def refresh_bindings(self) -> None: ...

        def _update_status(self) -> None: ...

    def study_commands(self, keys: Callable[[str, str], str]) -> Iterator[SystemCommand]:
        """The study keys' entries in the command palette (`keys` names an action's keys)."""
        yield SystemCommand(
            "Study mode",
            keys("study", f"Hide the {SIDE_NAMES[self.study_hide]}; space shows a row, H all"),
            self.action_study,
        )
        if self.view.hidden_side is not None:
            yield SystemCommand(
                "Leave study mode", keys("show_all", "Show both languages"), self.action_show_all
            )
        yield SystemCommand(
            "Dictionary",
            keys("define", "Look up the word under the word cursor"),
            self.action_define,
        )
        yield SystemCommand(
            "Save sentence to the deck",
            keys("add_card", "The sentence pair, with the word looked up in it"),
            self.action_add_card,
        )
        yield SystemCommand(
            "Pinyin",
            keys("toggle_pinyin", "Readings over this row's Chinese, or none"),
            self.action_toggle_pinyin,
        )

    # Sentences, words, the dictionary and the deck

    def _moved_sentence(self, moved: bool, step: int) -> None:
        if not moved:
            self._say(f"No {'more' if step > 0 else 'earlier'} sentences.", timeout=1.5)
        self.refresh_bindings()

    def action_next_sentence(self) -> None:
        self._moved_sentence(self.view.step_sentence(+1), +1)

    def action_previous_sentence(self) -> None:
        self._moved_sentence(self.view.step_sentence(-1), -1)

    def action_clear_sentence(self) -> None:
        self.view.set_sentence(self.view.cursor, None)
        self.refresh_bindings()

    def action_next_word(self) -> None:
        self._with_words(lambda: self._moved_sentence(self.view.step_word(+1), +1))

    def action_previous_word(self) -> None:
        self._with_words(lambda: self._moved_sentence(self.view.step_word(-1), -1))

    def _with_words(self, then: Callable[[], None]) -> None:
        """Run `then` once Chinese word boundaries can be had without a wait."""
        if words.ready():
            then()
        else:
            self._warm_words(then)

    @work(thread=True, group="reader-words", exit_on_error=False)
    def _warm_words(self, then: Callable[[], None]) -> None:
        # Not exclusive: each key pressed while the segmenter loads still takes its step.
        words.warm()
        self.app.call_from_thread(then)

    def action_define(self) -> None:
        view = self.view
        if view.word is None:  # look up the first word of the sentence (or the row)
            self._with_words(self._define_first)
            return
        self._open_dictionary()

    def _define_first(self) -> None:
        view = self.view
        if view.sentence is None or view.sentence[0] != view.cursor:
            view.step_sentence(+1)
        if view.sentence is not None and view.word is None:
            view.step_word(+1)
        self.refresh_bindings()
        self._open_dictionary()

    def _open_dictionary(self) -> None:
        view = self.view
        word, sentence = view.current_word(), view.sentence
        if not word or sentence is None:
            self._say("No word here to look up: ) picks a sentence, w a word in it.", timeout=2)
            return

        def chosen(choice: DictionaryChoice | None) -> None:
            if choice is not None and choice.entry is not None and view.sentence == sentence:
                self._looked_up = (sentence, choice.entry)
            view.focus()
            if choice is not None and choice.save:
                self.action_add_card()

        self.app.push_screen(DictionaryScreen(word), chosen)

    def action_add_card(self) -> None:
        view = self.view
        here = view.sentence is not None and view.sentence[0] == view.cursor
        if not here and not view.step_sentence(+1):
            self._say("No sentence here to save.", timeout=2)
            return
        pair, sentence = view.current_pair(), view.sentence
        if pair is None or sentence is None:
            return
        entry = self._looked_up[1] if self._looked_up and self._looked_up[0] == sentence else None
        self._save_card(sentence[0], pair, entry)

    @work(thread=True, group="reader-deck", exit_on_error=False)
    def _save_card(self, row: int, pair: SentencePair, entry: Entry | None) -> None:
        try:
            added = add_card(make_card(self.document, row, pair, entry))
        except (DeckError, OSError) as error:
            message = " ".join(f"Could not save to the deck: {error}".split())
            self.app.call_from_thread(self._say, message, warn=True, timeout=5)
            return
        what = f"the sentence with {entry.simplified}" if entry else "the sentence"
        said = f"Saved {what} to the deck." if added else f"Already in the deck: {what}."
        self.app.call_from_thread(self._say, said, timeout=2)

    # Pinyin

    def action_toggle_pinyin(self) -> None:
        view = self.view
        row = view.cursor
        if not self.document.rows:
            return
        if view.row_layout.has_pinyin(row):
            view.set_pinyin(row, None)
            return
        rendered = view.row_layout.rendered(row, "zh")
        if rendered is None or not has_chinese(rendered.plain):
            self._say("This row has no Chinese.", timeout=1.5)
            return
        self._read_pinyin(row, rendered.units)

    @work(thread=True, group="reader-pinyin", exit_on_error=False)
    def _read_pinyin(self, row: int, units: tuple[str, ...]) -> None:
        readings = tuple(tuple(char_pinyin(unit)) for unit in units)
        self.app.call_from_thread(self.view.set_pinyin, row, readings)

    # Study mode

    def action_study(self) -> None:
        view = self.view
        view.set_study(self.study_hide)
        name = SIDE_NAMES[self.study_hide]
        if view.effective_mode in (Mode.SIDE_BY_SIDE, Mode.INTERLEAVED):
            self._say(f"Study mode: {name} hidden. Space shows a row, H shows all.", timeout=2)
        else:
            self._say(f"Study mode hides the {name} side by side or interleaved (m).", timeout=3)
        self.refresh_bindings()
        self._update_status()

    def action_reveal(self) -> None:
        self.view.toggle_reveal(self.view.cursor)

    def action_show_all(self) -> None:
        self.view.set_study(None)
        self.refresh_bindings()
        self._update_status()
