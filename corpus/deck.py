"""Sentence pairs (and words) a reader chose to keep, in one JSON file in the user data dir.

`$LLAMA_READER_DATA` moves the dir, as for reading positions. Saving reads the file again and adds
to it, so two running readers do not erase each other's cards; the file is replaced in one step,
so a crash never leaves half of it. A file that cannot be read is an error with its path, never
silently emptied: the cards in it are the user's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.userfiles import atomic_write, data_dir

if TYPE_CHECKING:
    from corpus.dictionary import Entry
    from corpus.model import Document
    from corpus.sentence_align import SentencePair

FILE_NAME = "deck.json"
VERSION = 1
ANKI_COLUMNS = ("front", "back", "pinyin", "source", "tags")


class DeckError(Exception):
    """The deck file cannot be read or written; the message names it."""


@dataclass(frozen=True, slots=True)
class Card:
    """A saved sentence pair, where it came from, and the word looked up in it (if any)."""

    en: str
    zh: str
    source: str = ""  # the document's title
    doc_id: str = ""
    doc_path: str = ""
    row: int = -1
    word: str = ""
    pinyin: str = ""  # of the word, or of the Chinese sentence when no word was saved
    gloss: str = ""
    tags: tuple[str, ...] = ()
    added: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """Identity in the deck: the same pair and word saved twice is one card."""
        text = "\x1f".join((self.en, self.zh, self.word))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["tags"] = list(self.tags)
        out["key"] = self.key
        return out

    @staticmethod
    def from_json(data: object) -> Card | None:
        if not isinstance(data, dict):
            return None
        values: dict[str, object] = {}
        for f in fields(Card):
            value = data.get(f.name)
            if f.name == "tags":
                ok = isinstance(value, list) and all(isinstance(t, str) for t in value)
                values["tags"] = tuple(value) if ok and isinstance(value, list) else ()
            elif f.name == "row":
                values["row"] = value if isinstance(value, int) else -1
            elif isinstance(value, str):
                values[f.name] = value
        en, zh = values.get("en"), values.get("zh")
        if not isinstance(en, str) or not isinstance(zh, str):
            return None
        return Card(**values)  # type: ignore[arg-type]


def make_card(doc: Document, row: int, pair: SentencePair, word: Entry | None = None) -> Card:
    """The card for a sentence pair of a document (and the dictionary entry of a word in it)."""
    from corpus.dictionary import char_pinyin

    if word is not None:
        reading, gloss, headword = word.pinyin, "; ".join(word.glosses), word.simplified
    else:
        reading = " ".join(r for r in char_pinyin(pair.zh_text) if r)
        gloss = headword = ""
    return Card(
        en=pair.en_text,
        zh=pair.zh_text,
        source=doc.title,
        doc_id=doc.id,
        doc_path=doc.path,
        row=row,
        word=headword,
        pinyin=reading,
        gloss=gloss,
        tags=doc.tags,
    )


def deck_path() -> Path:
    return data_dir() / FILE_NAME


def load_deck(path: Path | None = None) -> list[Card]:
    """The saved cards, oldest first; none if there is no deck yet."""
    path = path or deck_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise DeckError(f"cannot read the deck {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DeckError(f"the deck {path} is not valid JSON (line {exc.lineno})") from exc
    items = data.get("cards") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DeckError(f"the deck {path} has no list of cards")
    return [card for card in map(Card.from_json, items) if card is not None]


def add_card(card: Card, path: Path | None = None) -> bool:
    """Save a card; False if the deck already holds it."""
    path = path or deck_path()
    cards = load_deck(path)
    if any(c.key == card.key for c in cards):
        return False
    if not card.added:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        card = Card(**{**asdict(card), "tags": card.tags, "added": stamp})
    _save(path, [*cards, card])
    return True


def remove_card(key: str, path: Path | None = None) -> bool:
    """Delete the card with this key; False if there is none."""
    path = path or deck_path()
    cards = load_deck(path)
    kept = [c for c in cards if c.key != key]
    if len(kept) == len(cards):
        return False
    _save(path, kept)
    return True


def _save(path: Path, cards: list[Card]) -> None:
    text = json.dumps(
        {"version": VERSION, "cards": [c.to_json() for c in cards]}, ensure_ascii=False, indent=1
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text + "\n")
    except OSError as exc:
        raise DeckError(f"cannot write the deck {path}: {exc.strerror or exc}") from exc


# Exports.


def _anki_fields(card: Card) -> list[str]:
    back = card.en
    if card.word:
        reading = f" ({card.pinyin})" if card.pinyin else ""
        back += f"\n\n{card.word}{reading}: {card.gloss}" if card.gloss else ""
    tags = " ".join(t.replace(" ", "_") for t in card.tags if t.strip())
    return [card.zh, back, card.pinyin, card.source, tags]


def anki_csv(cards: Iterable[Card]) -> str:
    """CSV that Anki imports as it stands: its header lines name the separator, plain text
    fields and the tags column; then front (Chinese), back (English, and the word with its
    reading and gloss), pinyin, source title, tags."""
    out = io.StringIO()
    out.write("#separator:comma\n#html:false\n#tags column:5\n")
    out.write("#columns:" + ",".join(ANKI_COLUMNS) + "\n")
    writer = csv.writer(out, lineterminator="\n")
    for card in cards:
        writer.writerow(_anki_fields(card))
    return out.getvalue()


def deck_tsv(cards: Iterable[Card]) -> str:
    """The same columns and header lines, separated by tabs; a tab or line break inside a field
    becomes a space, since TSV has no quoting."""
    lines = [
        "#separator:tab",
        "#html:false",
        "#tags column:5",
        "#columns:" + "\t".join(ANKI_COLUMNS),
    ]
    for card in cards:
        lines.append("\t".join(" ".join(f.split()) for f in _anki_fields(card)))
    return "\n".join(lines) + "\n"
