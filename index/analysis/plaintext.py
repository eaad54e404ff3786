"""A block's Markdown source → the plain text that is indexed and shown in snippets.

Link targets, image URLs, emphasis markers, HTML tags and table pipes are not words a reader sees,
so they are neither indexed nor shown; the words themselves stay in reading order.
"""

from __future__ import annotations

import re

from corpus.model import Block

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.S)
_EMPHASIS = re.compile(r"(\*{1,3}|~~|`+)")
_UNDERSCORE = re.compile(r"(?<![\w])_{1,3}|_{1,3}(?![\w])")
_LINE_PREFIX = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)+", re.M)
_TABLE_RULE = re.compile(
    r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$", re.M
)
_SPACES = re.compile(r"[ \t]+")
# A backslash before ASCII punctuation only says "not Markdown" (`\*\*` in a clipping): it is not
# text. The punctuation itself then goes the way of the rest (emphasis markers are dropped).
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def plain_text(block: Block | None) -> str:
    if block is None:
        return ""
    text = block.text
    if block.kind in ("text", "code"):
        return text.strip()
    text = _ESCAPE.sub(r"\1", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REFLINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML.sub("", text)
    if block.kind == "table":
        text = _TABLE_RULE.sub("", text).replace("|", " ")
    text = _LINE_PREFIX.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _UNDERSCORE.sub("", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
