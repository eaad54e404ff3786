"""Document body → blocks, each keeping its Markdown source and the file line it starts on.

A real CommonMark parser (markdown-it-py) finds the blocks; the source text of each block is then
cut from the original lines by the parser's line map, so what the reader renders is exactly what the
author wrote. List items and quoted paragraphs become blocks of their own: interleaved translations
pair up at that grain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from corpus.language import block_lang
from corpus.model import Block, BlockKind
from corpus.visible import MEDIA_SHORTCODES, is_empty_shortcode

_BLANK_RUN = re.compile(r"\n[ \t]*\n")
_ITEM_MARKER = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])([ \t]+|$)")
_IMAGE = r"!\[(?:[^\]\\]|\\.)*\]\([^)]*\)"
_IMAGE_ONLY = re.compile(rf"(?:\[?{_IMAGE}(?:\]\([^)]*\))?\s*)+")
# `[text][label]` and `[text][]`; the text may hold one level of brackets (an image).
_REFERENCE = re.compile(r"(!?\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\])\[([^\[\]]*)\]")
# `[label]` alone, defined elsewhere; not a footnote (`[^1]`), a citation (`[@key]`) or a link.
_SHORTCUT = re.compile(r"(?<![\]\\])(\[[^\[\]^@\\][^\[\]\\]*\])(?![\[(:])()")
_MEDIA_ONLY = re.compile(
    r"(?:\{\{[<%]\s*(?:" + "|".join(sorted(MEDIA_SHORTCODES)) + r")\b.*?[>%]\}\}\s*)+", re.S | re.I
)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Only block structure is needed: inline parsing (most of the parser's time) stays off.
    # Footnote definitions are blocks of their own where they stand (`[^cn]: 注释。` would
    # otherwise be read as a link definition and vanish); the plugin's move to the end is off.
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .disable(["inline", "footnote_tail"])
    )


def markdown_blocks(body: str, first_line: int = 1) -> list[Block]:
    """Blocks of a Markdown body whose first line is line `first_line` of the file."""
    lines = body.split("\n")
    env: dict[str, Any] = {}
    tokens = _parser().parse(body, env)
    blocks = _walk(tokens, 0, len(tokens), lines, first_line, quoted=False, depth=0)
    references = env.get("references") or {}
    return [_resolved(b, references) for b in blocks if not is_empty_shortcode(b.text)]


def _resolved(block: Block, references: dict[str, Any]) -> Block:
    """A block whose reference-style links (`[![CI][ci-image]][ci-url]`, defined elsewhere in
    the file) are written inline, so it renders alone as it does in its document; a paragraph
    of nothing but images or media shortcodes (`{{< figure … >}}`) is an image block."""
    text = block.text
    if references and "[" in text and block.kind not in ("code", "html"):
        for _ in range(3):  # the image inside a link first resolves on the second pass
            resolved = _REFERENCE.sub(lambda m: _inline_link(m, references), text)
            resolved = _SHORTCUT.sub(lambda m: _inline_link(m, references), resolved)
            if resolved == text:
                break
            text = resolved
    kind = block.kind
    if kind == "paragraph" and (
        _IMAGE_ONLY.fullmatch(text.strip()) or _MEDIA_ONLY.fullmatch(text.strip())
    ):
        kind = "image"
    if (text, kind) == (block.text, block.kind):
        return block
    return replace(block, text=text, kind=kind, lang="none" if kind == "image" else block.lang)


def _inline_link(m: re.Match[str], references: dict[str, Any]) -> str:
    label = m.group(2) or m.group(1).lstrip("!")[1:-1]
    ref = references.get(normalizeReference(label))
    if not isinstance(ref, dict) or not ref.get("href"):
        return m.group(0)
    title = ref.get("title") or ""
    quoted = ' "' + title.replace('"', '\\"') + '"' if title else ""
    return f"{m.group(1)}({ref['href']}{quoted})"


def text_blocks(body: str, first_line: int = 1) -> list[Block]:
    """Blocks of a plain-text body: paragraphs separated by blank lines, shown literally."""
    blocks: list[Block] = []
    line = first_line
    pos = 0
    for m in [*_BLANK_RUN.finditer(body), None]:
        end = m.start() if m else len(body)
        chunk = body[pos:end]
        start_line = line + body.count("\n", 0, pos) - (line - first_line)
        stripped = chunk.strip("\n")
        if stripped.strip():
            lead = len(chunk) - len(chunk.lstrip("\n"))
            text = "\n".join(part.rstrip() for part in stripped.split("\n"))
            blocks.append(Block("text", text, start_line + lead, block_lang(text)))
        if m:
            pos = m.end()
    return blocks


def _close_index(tokens: list[Token], start: int) -> int:
    """Index of the token that closes the container opened at `start`."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _source(lines: list[str], token: Token) -> tuple[str, int]:
    start, end = token.map or (0, 0)
    chunk = lines[start:end]
    while chunk and not chunk[-1].strip():
        chunk.pop()
    return "\n".join(chunk).rstrip(), start  # a trailing hard break means nothing at the end


def _walk(
    tokens: list[Token],
    start: int,
    stop: int,
    lines: list[str],
    first_line: int,
    *,
    quoted: bool,
    depth: int,
) -> Iterator[Block]:
    i = start
    while i < stop:
        tok = tokens[i]
        if tok.nesting == -1 or tok.map is None:
            i += 1
            continue
        close = _close_index(tokens, i) if tok.nesting == 1 else i
        kind: BlockKind | None = None
        level = 0
        if tok.type == "heading_open":
            kind, level = "heading", int(tok.tag[1:])
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            kind = "image" if _image_only(inline) else "paragraph"
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            yield from _list_items(tokens, i, close, lines, first_line, quoted, depth)
        elif tok.type == "footnote_reference_open":
            yield from _walk(tokens, i + 1, close, lines, first_line, quoted=quoted, depth=depth)
        elif tok.type == "blockquote_open":
            yield from _walk(tokens, i + 1, close, lines, first_line, quoted=True, depth=depth)
        elif tok.type in ("fence", "code_block"):
            kind = "code"
        elif tok.type == "table_open":
            kind = "table"
        elif tok.type == "hr":
            kind = "rule"
        elif tok.type == "html_block":
            kind = "html"
        if kind is not None:
            text, offset = _source(lines, tok)
            if quoted and kind not in ("code", "table"):
                kind = "quote"
            lang = "none" if kind in ("code", "image", "rule") else block_lang(text)
            if text.strip():
                yield Block(kind, text, first_line + offset, lang, level)
        i = close + 1


def _image_only(inline: Token) -> bool:
    """A paragraph made only of images (possibly each wrapped in a link)."""
    return _IMAGE_ONLY.fullmatch(inline.content.strip()) is not None


def _list_items(
    tokens: list[Token],
    start: int,
    stop: int,
    lines: list[str],
    first_line: int,
    quoted: bool,
    depth: int,
) -> Iterator[Block]:
    ordered = tokens[start].type == "ordered_list_open"
    i = start + 1
    while i < stop:
        tok = tokens[i]
        if tok.type != "list_item_open":
            i += 1
            continue
        close = _close_index(tokens, i)
        nested = next(
            (
                j
                for j in range(i + 1, close)
                if tokens[j].type in ("bullet_list_open", "ordered_list_open")
                and tokens[j].level == tok.level + 2
            ),
            None,
        )
        item_start, item_end = tok.map or (0, 0)
        nested_map = tokens[nested].map if nested is not None else None
        own_end = nested_map[0] if nested_map else item_end
        marker = f"{tok.info}{tok.markup}" if ordered else "-"
        text = _item_source(lines[item_start:own_end], marker, quoted)
        if text.strip():
            yield Block("list_item", text, first_line + item_start, block_lang(text), depth)
        if nested is not None:
            yield from _walk(
                tokens, nested, close, lines, first_line, quoted=quoted, depth=depth + 1
            )
        i = close + 1


def _item_source(item_lines: list[str], marker: str, quoted: bool) -> str:
    """A list item's own lines re-indented as a single top-level item `marker content`."""
    if quoted:
        item_lines = [re.sub(r"^[ \t]*(?:>[ \t]?)+", "", line) for line in item_lines]
    while item_lines and not item_lines[-1].strip():
        item_lines.pop()
    if not item_lines:
        return ""
    first = item_lines[0]
    m = _ITEM_MARKER.match(first)
    indent = m.end() if m else len(first) - len(first.lstrip())
    if m and len(m.group(1)) > 4:  # "-     code": content starts one space after the marker
        indent = m.start(1) + 1
    content = [first[indent:] if m else first.strip()]
    for line in item_lines[1:]:
        lead = len(line) - len(line.lstrip(" "))
        content.append(line[min(lead, indent) :])
    pad = " " * (len(marker) + 1)
    body = [content[0]] + [pad + c if c.strip() else "" for c in content[1:]]
    return f"{marker} " + "\n".join(body)
