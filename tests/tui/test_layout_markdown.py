"""Markdown → styled lines: what a reader sees for each kind of block."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from corpus.model import Block
from tui.layout.lines import block_lines
from tui.layout.markdown import Para, inline_plain, render_block, render_markdown
from tui.layout.styles import MarkdownStyles

STYLES = MarkdownStyles()


def shown(source: str, width: int = 60, kind: str = "paragraph", level: int = 0) -> list[str]:
    block = Block(kind, source, 1, "en", level)  # type: ignore[arg-type]
    rendered = render_block(block, STYLES)
    return [line.text.plain.rstrip() for line in block_lines(rendered, width, STYLES)]


def styled(text: Text, word: str) -> Style:
    """The combined style of the first occurrence of `word` in `text`."""
    start = text.plain.index(word)
    style = Style()
    for span in text.spans:
        if span.start <= start < span.end:
            style += span.style if isinstance(span.style, Style) else Style.parse(span.style)
    return style


def test_headings_are_bold_and_the_first_level_underlined() -> None:
    h1 = render_markdown("# Title").items[0].text  # type: ignore[union-attr]
    h2 = render_markdown("## Section").items[0].text  # type: ignore[union-attr]
    h3 = render_markdown("### Sub").items[0].text  # type: ignore[union-attr]
    assert h1.plain == "Title" and h2.plain == "Section"
    assert styled(h1, "Title").bold and styled(h1, "Title").underline
    assert styled(h2, "Section").bold and not styled(h2, "Section").underline
    assert styled(h3, "Sub").italic
    assert shown("## Why Did Meta Open-Source Llama 2?  ", kind="heading") == [
        "Why Did Meta Open-Source Llama 2?"
    ]


def test_inline_styles_and_links_shown_as_their_text() -> None:
    text = (
        render_markdown("Some *emphasis*, **strong**, `code` and a [link](https://example.com/x).")
        .items[0]
        .text
    )  # type: ignore[union-attr]
    assert text.plain == "Some emphasis, strong, code and a link."
    assert styled(text, "emphasis").italic
    assert styled(text, "strong").bold
    assert styled(text, "code") == STYLES.code
    assert styled(text, "link").underline
    assert "example.com" not in text.plain


def test_images_become_a_label_with_their_alt_text() -> None:
    assert shown("![A llama on a hill](llama.png)", kind="image") == ["[image: A llama on a hill]"]
    assert shown("![](x.png)", kind="image") == ["[image]"]
    assert shown('<p align="center"><img src="logo.svg" alt="Logo"></p>', kind="html") == [
        "[image: Logo]"
    ]


def test_lists_with_bullets_numbers_and_nesting() -> None:
    assert shown("- first item") == ["• first item"]
    assert shown("7. seventh") == ["7. seventh"]
    assert shown("- nested item", kind="list_item", level=1) == ["  ◦ nested item"]
    assert shown("- deeper", kind="list_item", level=2) == ["    ▪ deeper"]
    # A wrapped item hangs under its text, not under the bullet.
    lines = shown("- " + "word " * 20, width=30)
    assert lines[0].startswith("• word")
    assert all(line.startswith("  word") for line in lines[1:])


def test_block_quote_draws_a_bar_on_every_line() -> None:
    lines = shown("> " + "quoted words " * 10, width=30, kind="quote")
    assert len(lines) > 2
    assert all(line.startswith("▎ ") for line in lines)


def test_code_block_keeps_its_lines_and_indentation() -> None:
    source = "```python\ndef f(x):\n    return x  # a long comment that goes past the width\n```"
    lines = shown(source, width=30, kind="code")
    assert lines[0] == "  def f(x):"
    assert lines[1].startswith("      return x")
    assert all(cell_len(line) <= 30 for line in lines)
    assert "".join(line[2:] for line in lines[1:]).replace(" ", "") == (
        "returnx#alongcommentthatgoespastthewidth"
    )


def test_table_columns_line_up_with_chinese_cells() -> None:
    source = (
        "| Model | Params | 中文名称 |\n"
        "|:--|--:|:--|\n"
        "| LLaMA | 65B | 羊驼 |\n"
        "| Llama 2 | 70B | 骆驼二代 |"
    )
    lines = shown(source, width=60, kind="table")
    assert len(lines) == 4  # header, rule, two rows

    # The column separators sit at the same cell offsets on every line.
    def bars(line: str) -> list[int]:
        return [cell_len(line[:i]) for i, ch in enumerate(line) if ch in "│┼"]

    assert bars(lines[0]) == bars(lines[1]) == bars(lines[2]) == bars(lines[3])
    assert "65B" in lines[2] and lines[2].index("65B") > lines[2].index("│")
    # Right-aligned column: the numbers end at the separator.
    assert lines[2].split("│")[1].rstrip().endswith("65B")


def test_narrow_table_becomes_records() -> None:
    source = (
        "| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n"
        + "| "
        + " | ".join(["long cell text here"] * 6)
        + " |"
    )
    lines = shown(source, width=30, kind="table")
    assert all(cell_len(line) <= 30 for line in lines)
    assert "a" in lines and "  long cell text here" in lines


def test_rule_spans_the_width() -> None:
    assert shown("---", width=20, kind="rule") == ["─" * 20]


def test_markup_in_text_is_shown_literally() -> None:
    source = "Click [@click=app.quit]here[/] or [bold]this[/bold] and [/bold] alone"
    for kind in ("paragraph", "text"):
        rendered = render_block(Block(kind, source, 1, "en"), STYLES)  # type: ignore[arg-type]
        lines = block_lines(rendered, 200, STYLES)
        assert lines[0].text.plain == source
        for span in lines[0].text.spans:
            style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
            assert not style.meta and not style.link


def test_plain_text_blocks_are_not_markdown() -> None:
    assert shown("# not a heading **not bold**", kind="text") == ["# not a heading **not bold**"]
    text = render_block(Block("text", "**x**", 1, "en"), STYLES).items[0].text  # type: ignore[union-attr]
    assert text.spans == []


def test_soft_breaks_join_chinese_without_a_space_and_english_with_one() -> None:
    assert shown("第一行\n第二行") == ["第一行第二行"]
    assert shown("first line\nsecond line") == ["first line second line"]
    assert shown("Meta 发布了\nLlama 2") == ["Meta 发布了 Llama 2"]


def test_unmatched_strong_next_to_chinese_punctuation_is_still_bold() -> None:
    # CommonMark does not close `**` after "：" when a letter follows; readers expect bold.
    text = render_markdown("**注意：**这是重点").items[0].text  # type: ignore[union-attr]
    assert text.plain == "注意：这是重点"
    assert styled(text, "注意").bold
    assert not styled(text, "这是").bold
    lone = render_markdown("a ** b").items[0].text  # type: ignore[union-attr]
    assert lone.plain == "a ** b"


def test_inline_plain_for_outline_titles() -> None:
    assert inline_plain("**Bold** and `code` [link](u)") == "Bold and code link"


def test_escape_sequences_never_reach_the_rendered_lines(tmp_path: Path) -> None:
    from corpus.loader import load_document
    from corpus.model import Document

    root = tmp_path / "lib"
    root.mkdir()
    evil = root / "evil.md"
    evil.write_text(
        "---\ntitle: \x1b]0;owned\x07Title\n---\n\n"
        "Hello \x1b[2J\x1b[31mred\x1b[0m and \x9b31m C1 \x1b]52;c;Zm9v\x07 clipboard.\n\n"
        "你好\x1b[1m世界\n",
        encoding="utf-8",
    )
    doc = load_document(evil, root)
    assert isinstance(doc, Document)
    for row in doc.rows:
        for block in row.blocks:
            for line in block_lines(render_block(block, STYLES), 40, STYLES):
                assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in line.text.plain)


def test_every_line_fits_its_width_for_real_layouts(layout) -> None:  # type: ignore[no-untyped-def]
    # Interleaved list items and links, a recovered Chinese clipping, a chapter with tables.
    for prefix in ("kestrel-translated", "kestrel-broken-frontmatter", "kestrel-chapter"):
        doc = layout(prefix)
        for row in doc.rows:
            for block in row.blocks:
                rendered = render_block(block, STYLES)
                for width in (20, 37, 60):
                    for line in block_lines(rendered, width, STYLES):
                        assert line.text.cell_len <= width, (prefix, block.text[:40], width)


def test_code_blocks_fill_their_column_with_the_code_style() -> None:
    styles = MarkdownStyles(code_block=Style(bgcolor="red"))
    block = Block("code", "```\nx = 1\nprint(x)\n```", 1, "none")
    lines = block_lines(render_block(block, styles), 20, styles)
    for line in lines:
        assert line.text.cell_len == 20
        covered = set()
        for span in line.text.spans:
            if span.style == styles.code_block:
                covered.update(range(span.start, span.end))
        assert covered == set(range(2, 20))  # everything after the two-cell indent


PARAGRAPH = st.text(
    alphabet=st.sampled_from(list("ab Z9 ,.;:'\"?()%$@^/-+=中文，。（）\n\u3000")),
    min_size=1,
    max_size=80,
)


@settings(max_examples=400, deadline=None)
@given(PARAGRAPH)
def test_plain_paragraph_shortcut_matches_the_markdown_parser(source: str) -> None:
    from tui.layout.markdown import _MARKUP, plain_paragraph

    lines = source.split("\n")
    assume(all(line.strip(" ") for line in lines))  # one paragraph: no blank lines
    assume(not _MARKUP.search(source))
    parsed = render_markdown(source)
    assume(len(parsed.items) == 1 and isinstance(parsed.items[0], Para))
    assert plain_paragraph(source) == parsed.items[0].text.plain


def test_setext_underline_is_not_taken_for_plain_text() -> None:
    """`9` over `--` is a heading in Markdown: the plain-paragraph shortcut must leave it to the
    parser (the property test above found this one)."""
    from tui.layout.markdown import _MARKUP

    assert _MARKUP.search("9\n--") and _MARKUP.search("Title\n  ---  ")
    assert not _MARKUP.search("a -- b\nc")
    from corpus.model import Block
    from tui.layout.markdown import MarkdownStyles, render_block

    shown = render_block(Block("paragraph", "9\n--", 1, "none"), MarkdownStyles())
    assert shown.plain == "9"  # the shortcut showed "9 --"
