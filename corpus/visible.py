"""A block's visible text: the words a reader sees once its Markdown is rendered.

One definition for every consumer (the reader's plain views, the index, search snippets, `--json`),
built on the same CommonMark parser as the blocks (markdown-it), so entities are decoded
(`AT&amp;T` → `AT&T`), escapes dropped, link targets and HTML tags left out. What Markdown does not
know is handled first: Hugo shortcodes (empty ones dropped, the inner text of paired ones kept, a
short marker for media), footnotes (`[^1]` → `[1]`, a definition → `[1] note`), and Pandoc
citations, which stay as compact as written (`[@knuth84]`). A row of badges becomes one quiet line
(`badges: CI · PyPI · License`) instead of an image per badge.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from corpus.model import Block

# Hugo shortcodes: `{{< name args >}}`, `{{% name args %}}`, closing `{{< /name >}}`; the
# documentation form `{{</* name */>}}` shows a shortcode literally.
_SHORTCODE = re.compile(
    r"\{\{(?P<open>[<%])(?P<quoted>/\*)?\s*(?P<close>/)?\s*(?P<name>[\w.-]+)(?P<args>.*?)"
    r"(?(quoted)\*/)\s*[>%]\}\}",
    re.S,
)
_ARG = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
MEDIA_SHORTCODES = {
    "figure", "image", "img", "gallery", "youtube", "vimeo", "bilibili", "video", "audio",
    "music", "tweet", "x", "instagram", "gist", "mermaid", "echarts", "mapbox", "typeit",
}  # fmt: skip
_CAPTION_ARGS = ("caption", "title", "alt", "name")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_MARKUP = re.compile(r"[\\`*_\[\]<>&!#|~{}]|^\s*(?:[-+>]|\d{1,9}[.)])\s", re.M)
_SPACES = re.compile(r"[ \t\u00a0]+")
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>", re.S)
_BADGE_MIN = 2  # images in one paragraph, and nothing else, make a badge row


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def visible_text(block: Block | None, references: Mapping[str, str] | None = None) -> str:
    """The words of `block` as a reader sees them, one line per line of the rendered block.

    `references` maps a reference label (`ci-url`) to its target, as `link_references` reads
    them from the whole document, so `[![CI][ci-image]][ci-url]` resolves as it renders."""
    if block is None:
        return ""
    if block.kind in ("text", "code"):
        return block.text.strip()
    # `\*\*` around a clipping's sentence is bold that a clipper escaped, not two asterisks.
    source = expand_shortcodes(block.text).replace("\\*\\*", "").replace("\\_\\_", "")
    source = _FOOTNOTE_DEF.sub(r"[\1] ", source)
    source = _FOOTNOTE_REF.sub(r"[\1]", source)
    if not _MARKUP.search(source):
        return _tidy(source)
    env: dict[str, object] = {}
    if references:
        env["references"] = {
            _label(k): {"href": v, "title": ""} for k, v in references.items() if v
        }
    tokens = _parser().parse(source, env)
    return _tidy("\n".join(_lines(tokens)))


def _label(label: str) -> str:
    return normalizeReference(label)


def _lines(tokens: list[Token]) -> Iterator[str]:
    """One line per rendered line: a table row's cells on one line, separated by spaces."""
    cells: list[str] | None = None
    for token in tokens:
        if token.type == "tr_open":
            cells = []
        elif token.type == "tr_close" and cells is not None:
            yield " ".join(c for c in cells if c)
            cells = None
        elif token.type == "inline":
            text = _inline(token.children or [])
            if cells is not None:
                cells.append(text)
            else:
                yield text
        elif token.type in ("fence", "code_block"):
            yield token.content.rstrip("\n")
        elif token.type == "html_block":
            yield _html_text(token.content)


def _inline(children: list[Token]) -> str:
    images = [c for c in children if c.type == "image"]
    rest = [
        c
        for c in children
        if c.type not in ("image", "link_open", "link_close", "softbreak")
        and not (c.type == "text" and not c.content.strip())
        and c.type != "html_inline"
    ]
    if len(images) >= _BADGE_MIN and not rest:
        names = [_alt(img) or "image" for img in images]
        return "badges: " + " · ".join(names)
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "softbreak" or child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            alt = _alt(child)
            out.append(f"[image: {alt}]" if alt else "[image]")
        elif child.type == "html_inline" and child.content.lower().startswith("<br"):
            out.append("\n")
    return "".join(out)


def _alt(image: Token) -> str:
    return "".join(c.content for c in image.children or [] if c.type in ("text", "code_inline"))


def _html_text(block: str) -> str:
    """The text of an HTML block: its tags dropped, its entities decoded."""
    return html.unescape(_TAG.sub(" ", block))


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# Hugo shortcodes.


def expand_shortcodes(text: str) -> str:
    """`text` with Hugo's shortcodes as a reader sees them."""
    if "{{" not in text:
        return text
    return _SHORTCODE.sub(_shortcode, text)


def _shortcode(m: re.Match[str]) -> str:
    name, args = m.group("name"), m.group("args")
    if m.group("quoted"):  # documentation of a shortcode: shown as the shortcode itself
        slash = "/" if m.group("close") else ""
        return f"{{{{{m.group('open')} {slash}{name}{args.rstrip()} {_closer(m)}}}}}"
    if m.group("close"):
        return ""
    if name.lower() in MEDIA_SHORTCODES:
        caption = _caption(args)
        return f"[{name.lower()}: {caption}]" if caption else f"[{name.lower()}]"
    return ""  # an empty shortcode (`{{< comments >}}`) or the opening of a paired one


def _closer(m: re.Match[str]) -> str:
    return ">" if m.group("open") == "<" else "%"


def _caption(args: str) -> str | None:
    values = {k.lower(): a or b or c for k, a, b, c in _ARG.findall(args)}
    return next((values[k].strip() for k in _CAPTION_ARGS if values.get(k, "").strip()), None)


def is_empty_shortcode(text: str) -> bool:
    """A block that is nothing but shortcodes that show nothing (`{{< comments >}}`, the opening
    and closing lines of `{{% notice %}}…{{% /notice %}}`)."""
    return "{{" in text and not expand_shortcodes(text).strip()


# Reference-style links.


def link_references(body: str) -> dict[str, str]:
    """Reference definitions (`[ci-url]: https://…`) of a Markdown body, by label."""
    env: dict[str, object] = {}
    _parser().parse(body, env)
    found = env.get("references")
    if not isinstance(found, dict):
        return {}
    return {str(k): str(v.get("href", "")) for k, v in found.items() if isinstance(v, dict)}
