"""The dictionary popup: CC-CEDICT's entries for the word under the reader's word cursor.

An English word found in running text is inflected ("gulls", "waited"); when CC-CEDICT has no sense
with it, its dictionary form (simplemma's lemma) is looked up instead, and the popup says so.

The dictionary takes about a second to load the first time, so the lookup runs in a thread worker
and the popup says so meanwhile. Everything shown is built as `rich.text.Text`: the word comes
from a document and is never read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from corpus.dictionary import Entry, define, has_chinese

MAX_GLOSSES = 6  # senses shown per entry; the rest are counted


@dataclass(frozen=True, slots=True)
class DictionaryChoice:
    """What the popup was closed with: the entry chosen (None: none found) and whether the
    reader asked to save the sentence with it."""

    entry: Entry | None
    save: bool = False


def entry_text(entry: Entry, *, chosen: bool = False) -> Text:
    """One entry: headword (and its traditional form when it differs), pinyin, senses."""
    out = Text(no_wrap=False)
    out.append("▸ " if chosen else "  ", "bold")
    out.append(entry.simplified, "bold")
    if entry.traditional != entry.simplified:
        out.append(f" ({entry.traditional})")
    out.append(f"  {entry.pinyin}", "italic")
    glosses = list(entry.glosses[:MAX_GLOSSES])
    if len(entry.glosses) > MAX_GLOSSES:
        glosses.append(f"(+{len(entry.glosses) - MAX_GLOSSES} more)")
    out.append("\n    " + "; ".join(glosses))
    return out


def english_lemma(word: str) -> str | None:
    """The dictionary form of an English word, when it differs from the word."""
    import simplemma

    lemma = simplemma.lemmatize(word.casefold(), lang="en")
    return lemma if lemma and lemma != word.casefold() else None


class DictionaryScreen(ModalScreen[DictionaryChoice]):
    """Entries for `query`; ↑/↓ choose the one `a` saves with the sentence."""

    HELP_GROUP: ClassVar[str] = "Dictionary"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,d", "close", "Close"),
        Binding("a", "save", "Save sentence with this word"),
        Binding("down,j", "move(1)", "Next entry", show=False),
        Binding("up,k", "move(-1)", "Previous entry", show=False),
    ]

    DEFAULT_CSS = """
    DictionaryScreen {
        align: center middle;
        & > Vertical {
            width: 70%;
            max-width: 72;
            height: auto;
            max-height: 80%;
            border: round $secondary;
            background: $surface;
            padding: 0 1;
        }
        & #dictionary-word { text-style: bold; padding-bottom: 1; }
        & VerticalScroll { height: auto; max-height: 100%; }
        & #dictionary-hint { color: $text-muted; padding-top: 1; }
    }
    """

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query_text = query
        self.entries: tuple[Entry, ...] | None = None  # None: still looking
        self.chosen = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            language = "Chinese" if has_chinese(self.query_text) else "English"
            yield Static(
                Text.assemble(self.query_text, (f"  ({language})", "dim")), id="dictionary-word"
            )
            with VerticalScroll():
                yield Static(Text("Looking up…", "dim"), id="dictionary-entries")
            yield Static(
                Text("a saves the sentence with the word ▸  ·  esc closes"), id="dictionary-hint"
            )

    def on_mount(self) -> None:
        self._look_up(self.query_text)

    @work(thread=True, exit_on_error=False)
    def _look_up(self, query: str) -> None:
        try:
            entries = define(query).entries
            lemma = None if entries or has_chinese(query) else english_lemma(query)
            if lemma is not None:
                entries = define(lemma).entries
        except (ImportError, OSError, ValueError) as error:  # a dictionary package is damaged
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._show, entries, lemma if entries else None)

    def _failed(self, error: str) -> None:
        self.entries = ()
        self.query_one("#dictionary-entries", Static).update(
            Text(f"The dictionary could not be read: {error}")
        )

    def _show(self, entries: tuple[Entry, ...], lemma: str | None) -> None:
        self.entries = entries
        if lemma is not None:
            self.query_one("#dictionary-word", Static).update(
                Text.assemble(self.query_text, (f"  → {lemma}", "dim"))
            )
        self._draw()

    def _draw(self) -> None:
        body = self.query_one("#dictionary-entries", Static)
        if not self.entries:
            body.update(Text("Not in CC-CEDICT.", "dim"))
            return
        lines = [entry_text(e, chosen=i == self.chosen) for i, e in enumerate(self.entries)]
        body.update(Text("\n").join(lines))

    @property
    def entry(self) -> Entry | None:
        """The entry chosen (the first unless ↑/↓ moved), None while looking or if none."""
        return self.entries[self.chosen] if self.entries else None

    def action_move(self, step: int) -> None:
        if self.entries:
            self.chosen = (self.chosen + step) % len(self.entries)
            self._draw()

    def action_close(self) -> None:
        self.dismiss(DictionaryChoice(self.entry))

    def action_save(self) -> None:
        self.dismiss(DictionaryChoice(self.entry, save=True))
