"""The deck of saved sentence pairs: kept across runs, never lost, exported for Anki."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from corpus.deck import (
    Card,
    DeckError,
    add_card,
    anki_csv,
    deck_path,
    deck_tsv,
    load_deck,
    make_card,
    remove_card,
)
from corpus.dictionary import Entry
from corpus.model import Block, Document, Row
from corpus.sentence_align import sentence_pairs

HERON = Card(en="The heron waited.", zh="苍鹭在等待。", source="Pond notes", tags=("birds",))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def test_cards_are_kept_in_the_user_data_dir_across_loads(data_dir: Path) -> None:
    assert load_deck() == []
    assert add_card(HERON) is True
    assert deck_path() == data_dir / "deck.json"
    (card,) = load_deck()
    assert card == HERON and card.added  # stamped when saved
    assert add_card(HERON) is False  # the same pair twice is one card
    assert len(load_deck()) == 1
    with_word = Card(en=HERON.en, zh=HERON.zh, word="苍鹭", pinyin="cāng lù", gloss="heron")
    assert add_card(with_word) is True
    assert [c.word for c in load_deck()] == ["", "苍鹭"]
    assert remove_card(HERON.key) is True and remove_card(HERON.key) is False
    assert [c.word for c in load_deck()] == ["苍鹭"]


def test_a_damaged_deck_is_an_error_and_is_left_as_it_was(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "deck.json").write_text('{"cards": [', encoding="utf-8")
    with pytest.raises(DeckError, match=r"deck\.json"):
        load_deck()
    with pytest.raises(DeckError):
        add_card(HERON)
    assert (data_dir / "deck.json").read_text(encoding="utf-8") == '{"cards": ['
    assert [p.name for p in data_dir.iterdir()] == ["deck.json"]  # no temporary file left


def test_unknown_fields_and_broken_cards_are_skipped(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    cards = [{"en": "A.", "zh": "甲。", "extra": 1, "row": "x"}, {"en": 3}, "junk"]
    (data_dir / "deck.json").write_text(json.dumps({"cards": cards}), encoding="utf-8")
    assert load_deck() == [Card(en="A.", zh="甲。")]


def test_anki_csv_quotes_fields_and_names_its_columns() -> None:
    tricky = Card(
        en='He said "wait, then go".',
        zh="他说：“等等，再走。”",
        source="Notes, vol. 2",
        word="等等",
        pinyin="děng děng",
        gloss="to wait; etc.",
        tags=("river birds", "ch1"),
    )
    text = anki_csv([HERON, tricky])
    lines = text.splitlines()
    assert lines[:4] == [
        "#separator:comma",
        "#html:false",
        "#tags column:5",
        "#columns:front,back,pinyin,source,tags",
    ]
    rows = list(csv.reader(io.StringIO("\n".join(lines[4:]) + "\n")))
    assert rows[0] == ["苍鹭在等待。", "The heron waited.", "", "Pond notes", "birds"]
    assert rows[1] == [
        "他说：“等等，再走。”",
        'He said "wait, then go".\n\n等等 (děng děng): to wait; etc.',
        "děng děng",
        "Notes, vol. 2",
        "river_birds ch1",
    ]
    tsv = deck_tsv([tricky]).splitlines()
    assert tsv[3] == "#columns:front\tback\tpinyin\tsource\ttags"
    assert tsv[4].split("\t")[1] == 'He said "wait, then go". 等等 (děng děng): to wait; etc.'
    assert len(tsv) == 5


def test_make_card_from_a_sentence_pair() -> None:
    row = Row(
        Block("paragraph", "The **heron** waited. It flew.", 3, "en"),
        Block("paragraph", "苍鹭在**等待**。它飞走了。", 3, "zh"),
    )
    doc = Document(id="d1", path="pond.md", title="Pond notes", rows=(row,), tags=("birds",))
    pair = sentence_pairs(row)[0]
    card = make_card(doc, 0, pair)
    assert (card.en, card.zh, card.source, card.row, card.tags) == (
        "The heron waited.",
        "苍鹭在等待。",
        "Pond notes",
        0,
        ("birds",),
    )
    assert card.pinyin == "cāng lù zài děng dài"
    word = Entry("等待", "等待", "děng dài", ("to wait", "to await"))
    assert make_card(doc, 0, pair, word).gloss == "to wait; to await"
