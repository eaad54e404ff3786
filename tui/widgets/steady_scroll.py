"""A `ScrollView` that repaints its scrollbar only when something about it changed.

Any layout on the screen (a status line whose text changed width) reports every widget's size
again. Textual's `ScrollView` then refreshes its scrollbars even when its size, container and
virtual size are all the same as before, which over SSH costs a column of escape codes per key.
Changes of the virtual size still reach the scrollbar through `watch_virtual_size`.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SteadyScrollView(ScrollView):
    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # ScrollView ignores the `virtual_size` passed here (it keeps its own), so with the same
        # size and container nothing the scrollbar shows can have changed.
        if self.is_mounted and size == self.size and container_size == self.container_size:
            return False
        return super()._size_updated(size, virtual_size, container_size, layout)
