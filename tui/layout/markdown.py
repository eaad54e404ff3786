"""A block's Markdown source → styled paragraphs, tables and rules, before any wrapping.

markdown-it-py parses the source; its tokens become `rich.text.Text` spans directly, so document
text is never read as Rich or Textual markup (`[bold]` and `[@click=…]` stay literal). The result
does not depend on the width, so it is cached per block and reused at every width and mode.

Each paragraph and each table cell is also a *unit*: the plain string that find-in-document
searches, so a match found in a unit can be highlighted on whichever wrapped line shows it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.style import Style
from rich.text import Text

from corpus.model import Block
from tui.layout.styles import MarkdownStyles

BULLETS = ("•", "◦", "▪")
QUOTE_BAR = "▎ "
CODE_INDENT = "  "
TAB = "    "

_TAG = re.compile(r"<[^>]*>", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_BR = re.compile(r"<br\s*/?>", re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I | re.S)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")
# Anything that could make a paragraph more than its words: inline syntax, entities, HTML,
# escapes, a line that could open a block, an indented code line, a tab.
_MARKUP = re.compile(
    r"[\\`*_\[\]<>&!|~#=\t]|^[ ]*(?:[-+*>]|\d{1,9}[.)])(?:[ ]|$)|^[ ]*-+[ ]*$|^[ ]{4}"
    r"|https?://|www\.",  # `^ *-+ *$`: a setext heading's underline or a thematic break
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Para:
    """Inline text to wrap, with the prefix of its first line and of the lines after it."""

    text: Text
    first: Text = field(default_factory=Text)
    rest: Text = field(default_factory=Text)
    code: bool = False  # cut where it overflows instead of at word breaks
    gap: bool = False  # a blank line before it


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[Text, ...]
    body: tuple[tuple[Text, ...], ...]
    align: tuple[str, ...]  # "left" | "right" | "center" per column
    prefix: Text = field(default_factory=Text)
    gap: bool = False

    @property
    def columns(self) -> int:
        return max([len(self.header), *(len(r) for r in self.body)], default=0)


@dataclass(frozen=True, slots=True)
class Rule:
    prefix: Text = field(default_factory=Text)
    gap: bool = False


Item = Para | Table | Rule


@dataclass(frozen=True, slots=True)
class Rendered:
    """A block ready to wrap: its items, and the searchable units in item order."""

    items: tuple[Item, ...]
    units: tuple[str, ...]

    @staticmethod
    def of(items: list[Item]) -> Rendered:
        units: list[str] = []
        for item in items:
            if isinstance(item, Para):
                units.append(item.text.plain)
            elif isinstance(item, Table):
                units.extend(cell.plain for cell in item.header)
                units.extend(cell.plain for row in item.body for cell in row)
        return Rendered(tuple(items), tuple(units))

    @property
    def plain(self) -> str:
        return "\n".join(self.units)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render_block(block: Block, styles: MarkdownStyles) -> Rendered:
    """The styled items of one block. Kind "text" is literal; everything else is Markdown."""
    indent = Text("  " * block.level) if block.kind == "list_item" else Text()
    if block.kind == "text":
        return Rendered.of([Para(Text(block.text.expandtabs(4)), indent.copy(), indent.copy())])
    if block.kind == "paragraph" and not _MARKUP.search(block.text):
        return Rendered.of([Para(Text(plain_paragraph(block.text)))])
    builder = _Builder(styles)
    depth = block.level if block.kind == "list_item" else 0
    builder.walk(_parser().parse(block.text), indent, indent, depth)
    return Rendered.of(builder.items)


def plain_paragraph(source: str) -> str:
    """What CommonMark shows for a paragraph without markup: lines trimmed and joined by a
    space (none between two Chinese characters), two trailing spaces making a hard break.
    Mirrors markdown-it: block lines lose leading spaces, the whole paragraph is stripped of
    any whitespace, and a line break drops the spaces around it."""
    content = "\n".join(line.lstrip(" ") for line in source.split("\n")).strip()
    lines = content.split("\n")
    out = lines[0]
    for line in lines[1:]:
        hard = out.endswith("  ")
        out = out.rstrip(" ")
        line = line.lstrip(" ")
        if hard:
            out += "\n"
        elif out and line and not (_wide(out[-1]) and _wide(line[0])):
            out += " "
        out += line
    return out


def render_markdown(source: str, styles: MarkdownStyles | None = None) -> Rendered:
    """Markdown source → items; for headings in the outline and for tests."""
    builder = _Builder(styles or MarkdownStyles())
    builder.walk(_parser().parse(source), Text(), Text())
    return Rendered.of(builder.items)


def inline_plain(source: str) -> str:
    """The visible text of a line of Markdown (a heading, a title), without styles."""
    tokens = _parser().parseInline(source)
    children = tokens[0].children if tokens and tokens[0].children else []
    return _Builder(MarkdownStyles()).inline(children).plain


def _close(tokens: list[Token], start: int) -> int:
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _wide(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"
    )


class _Builder:
    def __init__(self, styles: MarkdownStyles) -> None:
        self.styles = styles
        self.items: list[Item] = []

    def _add(self, item: Item) -> None:
        self.items.append(item)

    def _gap(self, tight: bool = False) -> bool:
        return bool(self.items) and not tight

    # Blocks

    def walk(self, tokens: list[Token], first: Text, rest: Text, list_depth: int = 0) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            end = _close(tokens, i) if tok.nesting == 1 else i
            t = tok.type
            if t == "paragraph_open":
                inline = self.inline(tokens[i + 1].children or [])
                self._add(Para(inline, first.copy(), rest.copy(), gap=self._gap(tok.hidden)))
                first = rest
            elif t == "heading_open":
                inline = self.inline(tokens[i + 1].children or [])
                inline.stylize_before(self.styles.heading(int(tok.tag[1:] or 1)))
                self._add(Para(inline, first.copy(), rest.copy(), gap=self._gap()))
                first = rest
            elif t in ("bullet_list_open", "ordered_list_open"):
                self._list(tokens[i + 1 : end], first, rest, list_depth)
                first = rest
            elif t == "blockquote_open":
                bar = Text(QUOTE_BAR, self.styles.quote_bar)
                start = len(self.items)
                self.walk(tokens[i + 1 : end], first + bar, rest + bar, list_depth)
                for k in range(start, len(self.items)):
                    item = self.items[k]
                    if isinstance(item, Para) and not item.code:
                        item.text.stylize_before(self.styles.quote)
                first = rest
            elif t in ("fence", "code_block"):
                code = tok.content.rstrip("\n").expandtabs(4)
                pad = Text(CODE_INDENT)
                self._add(
                    Para(
                        Text(code, self.styles.code_block),
                        first + pad,
                        rest + pad,
                        code=True,
                        gap=self._gap(),
                    )
                )
                first = rest
            elif t == "hr":
                self._add(Rule(rest.copy(), gap=self._gap()))
                first = rest
            elif t == "table_open":
                self._table(tokens[i + 1 : end], first)
                first = rest
            elif t == "html_block":
                text = self._html(tok.content)
                if text.plain.strip():
                    self._add(Para(text, first.copy(), rest.copy(), gap=self._gap()))
                    first = rest
            i = end + 1

    def _list(self, tokens: list[Token], first: Text, rest: Text, depth: int) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            end = _close(tokens, i) if tok.nesting == 1 else i
            if tok.type == "list_item_open":
                if tok.markup in (".", ")"):
                    marker = f"{tok.info}{tok.markup} "
                else:
                    marker = f"{BULLETS[depth % len(BULLETS)]} "
                head = first + Text(marker, self.styles.bullet)
                hang = rest + Text(" " * len(marker))
                before = len(self.items)
                self.walk(tokens[i + 1 : end], head, hang, depth + 1)
                if len(self.items) == before:  # an empty item still shows its marker
                    self._add(Para(Text(), head, hang, gap=False))
                first = rest
            i = end + 1

    def _table(self, tokens: list[Token], prefix: Text) -> None:
        header: list[Text] = []
        body: list[list[Text]] = []
        align: list[str] = []
        row: list[Text] | None = None
        in_head = False
        for i, tok in enumerate(tokens):
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
            elif tok.type == "tr_close" and row is not None:
                if in_head:
                    header = row
                else:
                    body.append(row)
                row = None
            elif tok.type in ("th_open", "td_open") and row is not None:
                children = tokens[i + 1].children or [] if i + 1 < len(tokens) else []
                cell = self.inline(children)
                if tok.type == "th_open":
                    cell.stylize_before(self.styles.table_header)
                    m = _ALIGN.search(str(tok.attrs.get("style", "")))
                    align.append(m.group(1) if m else "left")
                row.append(cell)
        columns = max([len(header), *(len(r) for r in body)], default=0)
        align += ["left"] * (columns - len(align))
        self._add(
            Table(
                tuple(header),
                tuple(tuple(r) for r in body),
                tuple(align),
                prefix.copy(),
                gap=self._gap(),
            )
        )

    def _html(self, source: str) -> Text:
        source = _COMMENT.sub("", source)
        source = _BR.sub("\n", source)
        source = _IMG.sub(lambda m: "\x00" + _image_label(_alt(m.group(0))) + "\x01", source)
        plain = html.unescape(_TAG.sub("", source))
        lines = [" ".join(line.split()) for line in plain.split("\n")]
        plain = "\n".join(line for line in lines if line)
        text = Text(style=self.styles.html)
        for k, part in enumerate(re.split(r"[\x00\x01]", plain)):
            text.append(part, self.styles.image if k % 2 else None)
        return text

    # Inline

    def inline(self, children: list[Token]) -> Text:
        """Inline tokens → one Text. Unclosed `**` pairs (CommonMark's flanking rules miss many
        next to Chinese punctuation, as in `**注意：**这样`) are still drawn bold."""
        text = Text()
        styles = self.styles
        open_spans: list[tuple[int, Style]] = []
        spans: list[tuple[int, int, Style]] = []  # outermost first once sorted by start order
        stray = sum(c.content.count("**") for c in children if c.type == "text")
        stray -= stray % 2
        bold_from: int | None = None
        link_start: int | None = None
        link_href = ""

        def append(part: str, style: Style | None = None) -> None:
            if part:
                text.append(part.replace("\t", "    "), style)

        for index, tok in enumerate(children):
            t = tok.type
            if t == "text":
                content = tok.content
                if stray and "**" in content:
                    pieces = content.split("**")
                    for k, piece in enumerate(pieces):
                        append(piece)
                        if k < len(pieces) - 1:
                            if stray:
                                stray -= 1
                                if bold_from is None:
                                    bold_from = len(text)
                                else:
                                    spans.append((bold_from, len(text), styles.strong))
                                    bold_from = None
                            else:
                                append("**")
                else:
                    append(content)
            elif t == "softbreak":
                # A line break inside a paragraph is a space, except between two Chinese
                # characters, which are written without one.
                last = text.plain[-1:]
                nxt = _next_char(children, index + 1)
                if last and last != "\n" and not (_wide(last) and _wide(nxt)):
                    text.append(" ")
            elif t == "hardbreak":
                text.append("\n")
            elif t == "code_inline":
                append(tok.content, styles.code)
            elif t in ("em_open", "strong_open", "s_open"):
                style = {"em_open": styles.emphasis, "strong_open": styles.strong}.get(
                    t, styles.strike
                )
                open_spans.append((len(text), style))
            elif t in ("em_close", "strong_close", "s_close") and open_spans:
                start, style = open_spans.pop()
                spans.append((start, len(text), style))
            elif t == "link_open":
                link_start = len(text)
                link_href = str(tok.attrs.get("href", ""))
            elif t == "link_close" and link_start is not None:
                if len(text) == link_start:
                    append(link_href)
                spans.append((link_start, len(text), styles.link))
                link_start = None
            elif t == "image":
                alt = self.inline(tok.children or []).plain if tok.children else tok.content
                append(_image_label(alt), styles.image)
            elif t == "html_inline":
                if _BR.fullmatch(tok.content.strip()):
                    text.append("\n")
                elif _IMG.match(tok.content):
                    append(_image_label(_alt(tok.content)), styles.image)
        for start, end, style in sorted(spans, key=lambda s: (s[0], -s[1])):
            if end > start:
                text.stylize(style, start, end)
        return text


def _next_char(children: list[Token], start: int) -> str:
    for tok in children[start:]:
        if tok.type in ("text", "code_inline") and tok.content:
            return tok.content[0]
        if tok.type in ("softbreak", "hardbreak"):
            return ""
    return ""


def _alt(tag: str) -> str:
    m = _ALT.search(tag)
    if not m:
        return ""
    return html.unescape(next(g for g in m.groups() if g is not None))


def _image_label(alt: str) -> str:
    alt = " ".join(alt.split())
    return f"[image: {alt}]" if alt else "[image]"
