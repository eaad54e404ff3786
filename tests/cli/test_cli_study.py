"""`define`, `deck`, `export` and the coverage in `docs --json`: the shapes scripts rely on."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from corpus.deck import Card, add_card
from tui.cli.main import main

HERON_ZH = "苍鹭在“老”磨坊旁等待，然后飞走了。"
REEDS_ZH = "芦苇弯着腰，灰色的水缓缓流动。"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

POND = """---
title: Pond Notes
tags: [birds, "river life"]
---

# Pond Notes

The heron waited by the "old" mill, then flew. It came back at dusk.

苍鹭在“老”磨坊旁等待，然后飞走了。黄昏时它又回来了。

Reeds bend, and the water, grey and slow, keeps moving.

芦苇弯着腰，灰色的水缓缓流动。

```
code line one
	indented, "quoted"
```

An untranslated paragraph stays alone here, since nobody translated it at all.
"""


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "pond.md").write_text(POND, encoding="utf-8")
    (lib / "notes.md").write_text("# Only English\n\nNothing here is translated.\n", "utf-8")
    return lib


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# define


def test_define_json_gives_tone_marked_pinyin_and_glosses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "define", "开源", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "开源"
    entry = data["entries"][0]
    assert set(entry) == {"simplified", "traditional", "pinyin", "glosses"}
    assert (entry["simplified"], entry["traditional"], entry["pinyin"]) == (
        "开源",
        "開源",
        "kāi yuán",
    )
    assert entry["glosses"] and all(isinstance(g, str) for g in entry["glosses"])


def test_define_prints_entries_and_looks_english_up(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "define", "開源")
    assert code == 0 and "开源 (開源)" in out and "kāi yuán" in out
    code, out, _ = _run(capsys, "define", "open", "source")
    assert code == 0 and out.splitlines()[0].startswith("开放源码")


def test_define_nothing_found_is_a_message_and_escapes_never_reach_the_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    query = "\x1b]0;owned\x07qqzxv\x1b[2J"
    code, out, err = _run(capsys, "define", query)
    assert code == 1 and out == ""
    assert "no entry" in err and "\x1b" not in err and "\x07" not in err
    code, out, _ = _run(capsys, "define", query, "--json")
    assert code == 1 and json.loads(out) == {"query": query, "entries": []}
    assert "\x1b" not in out  # escaped by JSON, still the same query when read back


# deck


def test_deck_lists_saved_cards_without_their_escapes(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "deck", "--json")
    assert code == 0 and json.loads(out) == []
    add_card(Card(en="The heron \x1b[31mwaited.", zh="苍鹭在等待。", source="Pond\x07 Notes"))
    add_card(Card(en="It flew.", zh="它飞走了。", word="飞", pinyin="fēi", gloss="to fly"))
    code, out, _ = _run(capsys, "deck")
    assert code == 0
    assert "苍鹭在等待。" in out and "fēi" in out and "to fly" in out
    assert "\x1b" not in out and "\x07" not in out
    code, out, _ = _run(capsys, "deck", "--json")
    cards = json.loads(out)
    assert [c["zh"] for c in cards] == ["苍鹭在等待。", "它飞走了。"]
    assert cards[0]["en"] == "The heron \x1b[31mwaited." and cards[1]["word"] == "飞"


def test_deck_export_anki_and_tsv(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_card(
        Card(en='He said "wait, then go".', zh="他说：“等等。”", source="Notes", tags=("a b",))
    )
    target = tmp_path / "out" / "deck.csv"
    target.parent.mkdir()
    code, _, err = _run(capsys, "deck", "export", "--anki", str(target))
    assert code == 0 and "1 card" in err
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#separator:comma"
    rows = list(csv.reader(io.StringIO("\n".join(ln for ln in lines if ln[:1] != "#"))))
    assert rows == [["他说：“等等。”", 'He said "wait, then go".', "", "Notes", "a_b"]]
    code, out, _ = _run(capsys, "deck", "export", "--tsv", "-")
    assert code == 0 and out.splitlines()[-1].split("\t")[:2] == ["他说：“等等。”", rows[0][1]]
    code, _, err = _run(
        capsys, "deck", "export", "--anki", str(library / "deck.csv"), "--library", str(library)
    )
    assert code == 2 and "inside the library" in err and not (library / "deck.csv").exists()


def test_a_damaged_deck_is_one_line_on_stderr(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "deck.json").write_text("not json", encoding="utf-8")
    code, out, err = _run(capsys, "deck")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "deck.json" in err


# export


def test_export_tmx_has_one_unit_per_sentence_pair_and_parses(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "pond.tmx"
    code, _, _ = _run(
        capsys, "export", "pond", "--library", str(library), "--format", "tmx", "--sentences",
        "-o", str(target),
    )  # fmt: skip
    assert code == 0
    root = ET.parse(target).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None and header.get("srclang") == "en"
    units = root.findall("body/tu")
    pairs = [
        [(tuv.get(XML_LANG), tuv.findtext("seg")) for tuv in tu.findall("tuv")] for tu in units
    ]
    assert pairs == [
        [("en", 'The heron waited by the "old" mill, then flew.'), ("zh", HERON_ZH)],
        [("en", "It came back at dusk."), ("zh", "黄昏时它又回来了。")],
        [("en", "Reeds bend, and the water, grey and slow, keeps moving."), ("zh", REEDS_ZH)],
    ]


def test_export_rows_as_csv_and_tsv_round_trip(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "export", "pond", "--library", str(library), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["en", "zh"]
    assert rows[2] == [
        'The heron waited by the "old" mill, then flew. It came back at dusk.',
        "苍鹭在“老”磨坊旁等待，然后飞走了。黄昏时它又回来了。",
    ]
    code, out, _ = _run(capsys, "export", "pond", "--library", str(library), "--side", "en")
    rows = list(csv.reader(io.StringIO(out), dialect="excel-tab"))
    assert rows[0] == ["en"]
    assert ['```\ncode line one\n\tindented, "quoted"\n```'] in rows  # tab, quotes, newlines kept
    assert len(rows) == 6


def test_export_markdown_one_language_or_interleaved(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = ("--library", str(library))
    code, out, _ = _run(capsys, "export", "pond", *lib, "--format", "md", "--side", "zh")
    assert code == 0
    assert out == "苍鹭在“老”磨坊旁等待，然后飞走了。黄昏时它又回来了。\n\n" + REEDS_ZH + "\n"
    code, out, _ = _run(capsys, "export", "pond", "--library", str(library), "--format", "md")
    paragraphs = out.split("\n\n")
    assert paragraphs[:3] == [
        "# Pond Notes",
        'The heron waited by the "old" mill, then flew. It came back at dusk.',
        "苍鹭在“老”磨坊旁等待，然后飞走了。黄昏时它又回来了。",
    ]


def test_export_errors_are_messages(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "export", "nothing-like-it", "--library", str(library))
    assert code == 2 and "no document matches" in err
    lib = ("--library", str(library))
    code, _, err = _run(capsys, "export", "pond", *lib, "--format", "tmx", "--side", "zh")
    assert code == 2 and "TMX" in err
    code, _, err = _run(
        capsys, "export", "pond", "--library", str(library), "-o", str(library / "pond.tsv")
    )
    assert code == 2 and "inside the library" in err and not (library / "pond.tsv").exists()


# coverage


def test_docs_json_reports_translation_coverage(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "docs", "--library", str(library), "--json")
    assert code == 0
    coverage = {d["path"]: d["coverage"] for d in json.loads(out)}
    # pond.md: the heading and the last paragraph are English only, the code needs no translation.
    assert coverage == {"pond.md": 0.5, "notes.md": 0.0}
