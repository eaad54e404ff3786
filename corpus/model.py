"""The values every layer shares: blocks, the aligned row, and the document.

They are plain frozen dataclasses so the index can store them, the app can draw them and the tests
can build them from strings, without any of those layers knowing how a file was parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockLang = Literal["en", "zh", "mixed", "none"]
# "en" | "zh" | "bilingual" | the ISO 639-1 code of another language ("ja", "de", "ru", …).
DocLang = str
BlockKind = Literal[
    "heading",
    "paragraph",
    "list_item",
    "quote",
    "code",
    "table",
    "image",
    "rule",
    "html",
    "text",  # a paragraph of a plain-text file: shown literally, never as Markdown
]


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document, kept as its Markdown source so the reader can render it."""

    kind: BlockKind
    text: str
    line: int  # 1-based line of the source file where the block starts, for jumping
    lang: BlockLang
    level: int = 0  # heading level, or list nesting depth
    file: str = ""  # library file of `line` when not the document's own (a separate translation)


# Rows whose confidence falls below this are worth marking in the reader.
LOW_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class Row:
    """An English block and/or a Chinese block that say the same thing.

    `confidence` is set only where the pairing was computed by the aligner (0–1); rows read straight
    from an interleaved or monolingual document leave it None.
    """

    en: Block | None
    zh: Block | None
    confidence: float | None = None

    @property
    def kind(self) -> BlockKind:
        for block in (self.en, self.zh):
            if block is not None:
                return block.kind
        return "paragraph"

    @property
    def line(self) -> int:
        lines = [b.line for b in (self.en, self.zh) if b is not None]
        return min(lines) if lines else 0

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in (self.en, self.zh) if b is not None)

    @property
    def is_pair(self) -> bool:
        return self.en is not None and self.zh is not None


@dataclass(frozen=True, slots=True)
class Document:
    """A readable document: normalised metadata plus its rows in reading order."""

    id: str
    path: str  # relative to the library root, POSIX separators
    title: str
    rows: tuple[Row, ...]
    title_alt: str | None = None
    date: str | None = None  # ISO 8601 (a date, or a datetime with offset)
    tags: tuple[str, ...] = ()  # original spelling, deduplicated by tag_key
    author: str | None = None
    source: str | None = None  # http(s) URL the document came from
    lang: DocLang = "en"
    warnings: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # every library file this document is read from
    format: Literal["markdown", "text"] = "markdown"
    meta: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be read as a document, and why."""

    path: str
    reason: str
