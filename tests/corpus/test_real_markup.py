"""Markup that is not prose: one definition of a block's visible text (corpus/visible.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.loader import load_document
from corpus.model import Block, BlockKind, Document
from corpus.visible import link_references, visible_text

MARKUP = Path(__file__).parents[1] / "fixtures" / "real" / "markup"


def load(name: str) -> Document:
    doc = load_document(MARKUP / name, MARKUP)
    assert isinstance(doc, Document)
    return doc


def shown(source: str, kind: BlockKind = "paragraph") -> str:
    return visible_text(Block(kind, source, 1, "en"))


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("AT&amp;T and &lt;tags&gt; &copy; 2024", "AT&T and <tags> © 2024"),
        ("**Bold** and *emphasis* and `code`", "Bold and emphasis and code"),
        ("See [the docs](https://example.com/a_(b)) now", "See the docs now"),
        (r"C\# and 5 \> 3", "C# and 5 > 3"),
        (r"a path C:\Users\me stays", r"a path C:\Users\me stays"),
        (r"\*\*今天，我们正迈出下一步。\*\*我们发布了", "今天，我们正迈出下一步。我们发布了"),
        ("one<br>two", "one\ntwo"),
        ("![A lighthouse at dusk](lighthouse.jpg)", "[image: A lighthouse at dusk]"),
        ("Boils at sea level.[^1]", "Boils at sea level.[1]"),
        ("[^1]: At standard pressure.", "[1] At standard pressure."),
        (
            "As argued [@okafor2019, p. 12; @lind2021].",
            "As argued [@okafor2019, p. 12; @lind2021].",
        ),
    ],
)
def test_visible_text(source: str, text: str) -> None:
    assert shown(source) == text


def test_other_kinds() -> None:
    assert shown("## Heading *one*", "heading") == "Heading one"
    assert shown("- item **two**", "list_item") == "item two"
    assert shown("| a | b |\n|---|---|\n| 1 | 2 |", "table") == "a b\n1 2"
    assert shown('<p align="center">Salt &amp; pepper</p>', "html") == "Salt & pepper"
    assert shown("  as **typed**  ", "text") == "as **typed**"  # plain-text files: literal


def test_hugo_shortcodes() -> None:
    doc = load("shortcodes.md")
    texts = [visible_text(r.blocks[0]) for r in doc.rows]
    assert texts == [
        "A week of rain is easier with the right bag. AT&T's old phone booths were drier than "
        "my tent.",
        "[gallery: Three days of puddles]",  # media: a short marker
        "Check the forecast twice, and pack socks in a separate dry bag.",  # paired: inner text
        "Use {{< notice >}} in your own posts to draw a box like the one above.",
    ]  # and `{{< comments >}}`, which shows nothing, is no row at all
    assert doc.rows[1].kind == "image"


def test_reference_links_and_badge_rows() -> None:
    doc = load("references.md")
    badges, prose = doc.rows[1], doc.rows[2]
    assert badges.kind == "image"
    assert visible_text(badges.blocks[0]) == "badges: CI · Coverage · Docs · License: MIT"
    assert "](https://ci.example.org/driftwood)" in badges.blocks[0].text  # renders on its own
    assert visible_text(prose.blocks[0]) == (
        "Driftwood is a tiny static file server. Read the user guide or the FAQ first."
    )


def test_references_read_from_a_whole_body() -> None:
    refs = link_references("See [the map][m].\n\n[m]: https://example.org/map\n")
    block = Block("paragraph", "See [the map][m].", 1, "en")
    assert visible_text(block, refs) == "See the map."
    assert visible_text(block) == "See [the map][m]."  # without its definition, as written


def test_footnotes_and_citations_in_a_document() -> None:
    doc = load("references.md")
    texts = [visible_text(b) for r in doc.rows for b in r.blocks]
    assert any(t.endswith("[@okafor2019, p. 12; @lind2021].") and "[pressure]" in t for t in texts)
    assert "[pressure] At a standard atmosphere of pressure." in texts
