"""What a row's Markdown looks like once indexed and shown in a search hit."""

from __future__ import annotations

import pytest

from corpus.model import Block
from index.analysis.plaintext import plain_text


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        # A clipper escaped the bold markers of a Chinese sentence (seed 003 does this).
        (r"\*\*今天，我们正迈出下一步。\*\*我们发布了", "今天，我们正迈出下一步。我们发布了"),
        ("**Bold** and *emphasis* and `code`", "Bold and emphasis and code"),
        ("See [the docs](https://example.com/a_(b)) now", "See the docs now"),
        (r"C\# and 5 \> 3", "C# and 5 > 3"),
        (r"a path C:\Users\me stays", r"a path C:\Users\me stays"),
    ],
)
def test_markdown_becomes_the_text_a_reader_sees(source: str, shown: str) -> None:
    assert plain_text(Block("paragraph", source, 1, "mixed")) == shown


def test_plain_text_blocks_are_kept_as_written() -> None:
    assert plain_text(Block("text", r" \*\*as typed\*\* ", 1, "en")) == r"\*\*as typed\*\*"
