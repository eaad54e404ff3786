"""Pages saved after Immersive Translate translated them in the browser.

The extension appends each translation inside the element it translates: a
`<font class="notranslate immersive-translate-target-wrapper" lang="zh-CN">` (nested `<font>`
wrappers, a `<br>` before a block translation), in older saves a
`<span id="immersive-translate-target-wrapper-N">`; an element it added that holds only a
translation carries `data-imt-translation-only`. Each element becomes one row, the original
beside its translation, and none of the extension's markup is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from corpus.language import block_lang
from corpus.model import Block, BlockKind, Row

_MARKERS = ("immersive-translate-target", "data-imt-translation-only")
_BLOCK_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dt", "dd",
    "figcaption", "td", "th", "caption", "div", "section", "article", "tr",
}  # fmt: skip
_SKIPPED = {"script", "style", "noscript", "template", "svg", "head", "nav", "button"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base"}
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_TITLE_TAIL = re.compile(r"\s+[|·–—-]\s+[^|·–—-]{1,60}$")  # "Title | Site name"


def is_immersive(text: str) -> bool:
    """Whether the text carries the extension's translations."""
    return any(marker in text for marker in _MARKERS)


@dataclass(slots=True)
class _Piece:
    tag: str
    line: int
    original: list[str] = field(default_factory=list)
    translation: list[str] = field(default_factory=list)
    translation_lang: str | None = None
    translation_only: bool = False


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[_Piece] = []
        self.title: list[str] = []
        self.stack: list[str] = []
        self.wrapper_at: int | None = None  # stack depth of the open translation wrapper
        self.skip_at: int | None = None
        self.in_title = False
        self.current: _Piece | None = None
        self.source: str | None = None
        self.date: str | None = None

    # Elements.

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in ("link", "meta"):
            self._page_fact(values)
        if tag in _VOID:
            if tag == "br" and self.current is not None:
                self._text("\n")
            return
        self.stack.append(tag)
        depth = len(self.stack)
        if tag == "title":
            self.in_title = True
        if self.skip_at is None and tag in _SKIPPED:
            self.skip_at = depth
        if self.wrapper_at is None and _is_wrapper(values):
            self.wrapper_at = depth
            if self.current is not None:
                self.current.translation_lang = values.get("lang") or None
            return
        if tag in _BLOCK_TAGS and self.wrapper_at is None:
            self._open(tag)
            if "data-imt-translation-only" in values and self.current is not None:
                self.current.translation_only = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            depth = len(self.stack)
            open_tag = self.stack.pop()
            if self.wrapper_at == depth:
                self.wrapper_at = None
            if self.skip_at == depth:
                self.skip_at = None
            if open_tag == "title":
                self.in_title = False
            if open_tag in _BLOCK_TAGS and self.wrapper_at is None:
                self._close()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif self.skip_at is None and self.current is not None:
            self._text(data)

    def _page_fact(self, values: dict[str, str]) -> None:
        """The page's address and date, as the page's head states them."""
        key = (values.get("property") or values.get("name") or values.get("rel") or "").lower()
        value = (values.get("content") or values.get("href") or "").strip()
        if key in ("canonical", "og:url") and value.startswith(("http://", "https://")):
            self.source = self.source or value
        elif key in ("article:published_time", "date", "dc.date", "og:published_time"):
            self.date = self.date or value

    # Pieces.

    def _open(self, tag: str) -> None:
        self._close()
        self.current = _Piece(tag, self.getpos()[0])

    def _close(self) -> None:
        if self.current is not None:
            self.pieces.append(self.current)
            self.current = None

    def _text(self, data: str) -> None:
        assert self.current is not None
        side = self.current.translation if self.wrapper_at is not None else self.current.original
        side.append(data)


def _is_wrapper(attrs: dict[str, str]) -> bool:
    classes = attrs.get("class", "").split()
    return "immersive-translate-target-wrapper" in classes or attrs.get("id", "").startswith(
        "immersive-translate-target-wrapper"
    )


def _clean(parts: list[str], *, keep_lines: bool = False) -> str:
    text = "".join(parts)
    if keep_lines:
        return text.strip("\n")
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True, slots=True)
class SavedPage:
    title: str | None
    title_alt: str | None
    rows: list[Row]
    source: str | None = None
    date: str | None = None


def read_saved_page(page: str, first_line: int = 1) -> SavedPage:
    """Rows of a saved page (or of a fragment of one inside a Markdown file)."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    reader._close()
    rows: list[Row] = []
    title = title_alt = None
    for piece in reader.pieces:
        row = _row(piece, first_line)
        if row is None:
            continue
        if title is None and piece.tag == "h1":
            heading = [_plain_heading(b.text) for b in (row.en, row.zh) if b is not None]
            title = heading[0] if heading else None
            title_alt = heading[1] if len(heading) > 1 else None
        rows.append(row)
    if title is None:
        page_title = " ".join("".join(reader.title).split())
        title = _TITLE_TAIL.sub("", page_title) or None
    return SavedPage(title, title_alt, rows, reader.source, reader.date)


def _plain_heading(text: str) -> str:
    return text.lstrip("#").strip()


def _row(piece: _Piece, first_line: int) -> Row | None:
    code = piece.tag == "pre"
    original = _clean(piece.original, keep_lines=code)
    translation = _clean(piece.translation)
    if piece.translation_only:
        original, translation = "", original
    if not original.strip() and not translation.strip():
        return None
    line = first_line + piece.line - 1
    kind, prefix = _kind(piece.tag)
    first = _block(kind, prefix, original, line) if original.strip() else None
    second = _block(kind, prefix, translation, line) if translation.strip() else None
    if first is not None and second is None:
        return Row(first, None) if first.lang != "zh" else Row(None, first)
    translated_into = (piece.translation_lang or "").lower()
    if translated_into.startswith("en") or (
        not translated_into.startswith("zh") and second is not None and second.lang == "en"
    ):
        first, second = second, first
    return Row(first, second)


def _kind(tag: str) -> tuple[BlockKind, str]:
    if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
        return "heading", "#" * int(tag[1]) + " "
    if tag == "pre":
        return "code", ""
    if tag == "li":
        return "text", "- "
    if tag == "blockquote":
        return "text", "> "
    return "text", ""


def _block(kind: BlockKind, prefix: str, text: str, line: int) -> Block:
    if kind == "code":
        fence = "````" if "```" in text else "```"
        return Block("code", f"{fence}\n{text}\n{fence}", line, "none")
    level = len(prefix) - 1 if kind == "heading" else 0
    body = prefix + (text.replace("\n", " ") if kind == "heading" else text)
    return Block(kind, body, line, block_lang(text), level)


# The Markdown that starts a heading, list item or quote: kept on both sides of the row.
_MD_PREFIX = re.compile(r"^(?:#{1,6}[ \t]+|[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+|(?:>[ \t]?)+)")


def split_fragment(block: Block) -> Row | None:
    """One Markdown block that holds an element the extension translated, as a row; None when
    the block has none of its markup or is more than one element."""
    if not is_immersive(block.text):
        return None
    if block.kind == "html":
        rows = read_saved_page(block.text, block.line).rows
        return rows[0] if len(rows) == 1 else None
    m = _MD_PREFIX.match(block.text)
    prefix = m.group(0) if m else ""
    # A clipper kept the inline markup without the block element around it.
    rows = read_saved_page(f"<p>{block.text[len(prefix) :]}</p>", block.line).rows
    if len(rows) != 1:
        return None
    sides = [
        Block(block.kind, prefix + b.text, block.line, b.lang, block.level) if b else None
        for b in (rows[0].en, rows[0].zh)
    ]
    return Row(sides[0], sides[1])
