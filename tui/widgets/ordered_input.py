"""An Input whose editing keys keep their place among the characters typed around them.

Textual's Input inserts a typed character as soon as its key arrives, but a bound key (backspace,
ctrl+u, the arrows, Enter) runs its action only once the key has bubbled up to the app. Keys that
arrive together — type-ahead while the app is busy, a paste of keystrokes over SSH, tmux's
send-keys — are then applied out of order: `ctrl+u` then `tag` leaves an empty box, since the
three letters went in before the line was cleared (Textualize/textual#6605). Here the widget's own
bindings run in `_on_key`, in turn with the characters.

The cursor does not blink: a blinking cursor redraws the box twice a second, which over SSH is
traffic while nobody types.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


class OrderedInput(Input):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_reactive(Input.cursor_blink, False)

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            # Priority bindings were run before the key reached the widget.
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
