"""The footer of keys, without the command palette's key where the keys do not fit.

Textual docks the palette's key over the right end of the key list; when the list is wider than
the screen (the reader at 60 columns) the two overlap and stray letters show ("palettee").
`ctrl+p` works whatever the footer shows, and `?` lists it.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

PALETTE_FROM = 80  # columns from which the palette's key is shown too


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def _on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = event.size.width >= PALETTE_FROM
