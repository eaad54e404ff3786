"""A block → the plain text that is indexed and shown in snippets.

One definition of a block's visible text serves the reader, the index, snippets and `--json`:
`corpus.visible` (markdown-it: entities decoded, link targets and image URLs dropped, shortcodes
reduced to their text). Here it is only named for the index.
"""

from __future__ import annotations

from corpus.model import Block
from corpus.visible import visible_text


def plain_text(block: Block | None) -> str:
    return visible_text(block)
