"""One library file → a Document (or the reason it cannot be one).

`parse_document` is pure (text in, Document out) so every rule can be tested with strings;
`load_document` adds the file system: size limits, permissions, encodings.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import replace
from pathlib import Path, PurePosixPath

from corpus.blocks import markdown_blocks, text_blocks
from corpus.clipping import read_clipping, trailing_tags
from corpus.dates import normalise_date
from corpus.frontmatter_reader import split_front_matter
from corpus.immersive import is_immersive, read_saved_page
from corpus.langid import PENDING, document_language
from corpus.metadata import read_metadata
from corpus.model import Block, Document, Row, Skipped
from corpus.rows import build_rows, document_lang
from corpus.tags import unique_tags
from corpus.text import NotText, decode

MAX_FILE_BYTES = 32 * 1024 * 1024
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
TEXT_SUFFIXES = {".txt", ".text"}
# Saved web pages are read only when a translation extension saved them (corpus/immersive.py).
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES

_MARKDOWN_SIGNS = [
    re.compile(r"(?m)^#{1,6}[ \t]+\S"),
    re.compile(r"(?m)^[ \t]{0,3}(?:[-*+]|\d{1,3}\.)[ \t]+\S"),
    re.compile(r"(?m)^[ \t]{0,3}>"),
    re.compile(r"(?m)^[ \t]{0,3}(?:```|~~~)"),
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    re.compile(r"!?\[[^\]\n]+\]\([^)\s]+[^)]*\)"),
    re.compile(r"(?m)^\|.*\|[ \t]*$"),
]
_INLINE_MARKUP = re.compile(
    r"!\[[^\]]*\]\([^)]*\)|[*_`~]+|^#+\s*|\s+#+\s*$|^\s*(?:[-+*]|\d{1,9}[.)])\s+|^(?:>\s?)+",
    re.MULTILINE,
)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML_H1 = re.compile(r"(?is)<h1[^>]*>(.*?)</h1>")
_HTML_TAG = re.compile(r"<[^>]*>")
# Folders whose name says where a README sits, not which project it describes.
_DOC_FOLDERS = {"docs", "doc", ".github", "documentation", "translations", "i18n", "readme"}


def doc_id(relpath: str) -> str:
    """Stable across runs and machines: derived from the path inside the library only."""
    return hashlib.sha1(relpath.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def relative_path(path: Path, root: Path) -> str:
    """`path` relative to `root`, with "/" separators (just the file name when it is outside)."""
    # The string test covers every path a walk of `root` yields, without pathlib's parsing
    # (which was a third of the time of stat-ing a 5,000-file library).
    text, base = os.fspath(path), os.fspath(root)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if text.startswith(prefix) and ".." not in text and base not in ("", "."):
        inside = text[len(prefix) :]
        return inside.replace(os.sep, "/") if os.sep != "/" else inside
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return PurePosixPath(*rel.parts).as_posix()


def load_document(path: Path, root: Path, *, wait_for_model: bool = True) -> Document | Skipped:
    """The Document of the file at `path`, or why it is none. Without `wait_for_model`, a
    document whose language needs the language model while it loads gets `lang` PENDING."""
    rel = relative_path(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Skipped(rel, f"too large ({size / 1e6:.0f} MB; the limit is 32 MB)")
        data = path.read_bytes()
    except PermissionError:
        return Skipped(rel, "permission denied")
    except IsADirectoryError:
        return Skipped(rel, "is a directory")
    except OSError as exc:
        return Skipped(rel, exc.strerror or str(exc))
    return document_from_bytes(data, rel, wait_for_model=wait_for_model)


def settle_language(doc: Document) -> Document:
    """`doc` as read waiting for the language model: its `lang` identified if it was PENDING."""
    if doc.lang != PENDING:
        return doc
    return replace(doc, lang=document_language(doc.rows, document_lang(doc.rows)))


def document_from_bytes(
    data: bytes, relpath: str, *, wait_for_model: bool = True
) -> Document | Skipped:
    """The Document for a file's raw bytes, or why those bytes are not a document."""
    try:
        decoded = decode(data)
    except NotText as exc:
        return Skipped(relpath, str(exc))
    if PurePosixPath(relpath).suffix.lower() in HTML_SUFFIXES and not is_immersive(decoded.text):
        return Skipped(relpath, "a web page without saved translations (only those are read)")
    return parse_document(decoded.text, relpath, wait_for_model=wait_for_model)


def parse_document(text: str, relpath: str, *, wait_for_model: bool = True) -> Document:
    """The Document for already-decoded, already-cleaned text stored at `relpath`."""
    if PurePosixPath(relpath).suffix.lower() in HTML_SUFFIXES:
        return _saved_page(text, relpath, wait_for_model)
    fm = split_front_matter(text)
    warnings = list(fm.warnings)
    suffix = PurePosixPath(relpath).suffix.lower()
    is_markdown = (
        suffix in MARKDOWN_SUFFIXES or fm.format is not None or _looks_like_markdown(fm.body)
    )
    blocks = (markdown_blocks if is_markdown else text_blocks)(fm.body, fm.body_line)
    rows = build_rows(blocks, saved_translations=is_immersive(fm.body))
    meta = read_metadata(fm.meta)

    title, title_alt = meta.title, meta.title_alt
    date, tags = meta.date, meta.tags
    if not is_markdown or not fm.meta:
        clip = read_clipping(blocks) if not is_markdown else None
        if clip is not None:
            date = date or clip.date
            tags = tags or clip.tags
        else:
            tags = tags or trailing_tags(blocks)
        if not title:
            title = _first_heading(blocks, relpath) or (clip.title if clip else None)
    if not title:
        title = _first_heading(blocks, relpath)
    if not title:
        title = PurePosixPath(relpath).stem
        warnings.append("no title found; showing the file name")
    if title_alt is None:
        title_alt = _translated_title(title, rows)
    if not rows:
        warnings.append("the document has no text")
    return Document(
        id=doc_id(relpath),
        path=relpath,
        title=title,
        rows=tuple(rows),
        title_alt=title_alt,
        date=date,
        tags=unique_tags(tags),
        author=meta.author,
        source=meta.source,
        lang=document_language(rows, document_lang(rows), wait=wait_for_model),
        warnings=tuple(warnings),
        files=(relpath,),
        format="markdown" if is_markdown else "text",
        meta=dict(fm.meta),
    )


def _saved_page(text: str, relpath: str, wait_for_model: bool) -> Document:
    """A web page saved with its translations in place, one row per translated element."""
    page = read_saved_page(text)
    warnings: list[str] = []
    title = page.title
    if not title:
        title = PurePosixPath(relpath).stem
        warnings.append("no title found; showing the file name")
    if not page.rows:
        warnings.append("the document has no text")
    return Document(
        id=doc_id(relpath),
        path=relpath,
        title=title,
        rows=tuple(page.rows),
        title_alt=page.title_alt,
        date=normalise_date(page.date) if page.date else None,
        source=page.source,
        lang=document_language(page.rows, document_lang(page.rows), wait=wait_for_model),
        warnings=tuple(warnings),
        files=(relpath,),
        format="markdown",
    )


def plain(markdown: str) -> str:
    """Markdown inline source as the words a reader sees: for titles and comparisons."""
    text = _LINK.sub(r"\1", markdown)
    text = _INLINE_MARKUP.sub("", text)
    return " ".join(text.split())


def _looks_like_markdown(body: str) -> bool:
    hits = sum(1 for sign in _MARKDOWN_SIGNS if sign.search(body))
    return hits >= 2


def _first_heading(blocks: list[Block], relpath: str) -> str | None:
    """The first heading (Markdown or an HTML <h1>); for a README without a top heading near its
    start (badges and logos first), the name of the project folder it describes."""
    for i, block in enumerate(blocks[:40]):
        title = None
        level = block.level
        if block.kind == "heading":
            title = plain(block.text)
        elif block.kind == "html" and (m := _HTML_H1.search(block.text)):
            title, level = plain(_HTML_TAG.sub("", m.group(1))), 1
        if not title:
            continue
        path = PurePosixPath(relpath)
        folder = path.parent.name
        if (
            path.stem.lower().startswith("readme")
            and (level > 1 or i > 5)
            and folder.lower() not in _DOC_FOLDERS
        ):
            return folder or title
        return title
    return None


def _translated_title(title: str, rows: list[Row]) -> str | None:
    """The other side of the first heading row when that heading is the title itself."""
    key = plain(title).casefold()
    for row in rows[:5]:
        if not row.is_pair or row.en is None or row.zh is None:
            continue
        en, zh = plain(row.en.text), plain(row.zh.text)
        if en.casefold() == key and zh:
            return zh
        if zh.casefold() == key and en:
            return en
    return None
