"""`show` applies the reader's alignment corrections, says so, and reports those gone stale."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from corpus.correction_store import CorrectionStore
from corpus.corrections import Correction, apply_corrections, merge, shift
from corpus.loader import load_document
from corpus.model import Document
from tui.cli.main import main

TEXT = """# Lanterns

Paper lanterns float on the river.

纸灯笼漂在河面上。

Each carries a wish.

Children write them at dusk.

每一盏都载着一个愿望，孩子们在黄昏时写下。
"""


def _library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LLAMA_READER_DATA", str(tmp_path / "data"))
    library = tmp_path / "library"
    library.mkdir()
    (library / "lanterns.md").write_text(TEXT, encoding="utf-8")
    return library


def _doc(library: Path) -> Document:
    doc = load_document(library / "lanterns.md", library)
    assert isinstance(doc, Document)
    return doc


def _show(library: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:
    code = main(["show", "lanterns.md", "--library", str(library), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    return json.loads(out), err


def _split_row(doc: Document) -> int:
    """The row the aligner gave "Each carries a wish." on its own."""
    return next(i for i, r in enumerate(doc.rows) if r.en and r.en.text.startswith("Each"))


def _fixes(doc: Document) -> list[Correction]:
    """Join the two English paragraphs, then bring the Chinese up beside them."""
    row = _split_row(doc)
    first = merge(doc.rows, row, "en")
    merged = apply_corrections(doc.rows, [first]).rows
    return [first, shift(merged, row + 1, "zh", -1)]


def test_show_json_applies_corrections_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = _library(tmp_path, monkeypatch)
    doc = _doc(library)
    row = _split_row(doc)
    assert doc.rows[row].zh is None  # the aligner left the translation a row below
    CorrectionStore().save(doc, _fixes(doc))

    shown, err = _show(library, capsys)
    assert shown["corrected"] is True
    assert shown["corrections"] == {"applied": 2, "dropped": []}
    assert len(shown["rows"]) == len(doc.rows) - 1
    merged = shown["rows"][row]
    assert merged["en"] == "Each carries a wish.\n\nChildren write them at dusk."
    assert merged["zh"] == "每一盏都载着一个愿望，孩子们在黄昏时写下。"
    assert merged["aligned_rows"] == [row + 1, row + 2]
    assert err == ""
    assert (library / "lanterns.md").read_text(encoding="utf-8") == TEXT  # library untouched


def test_an_edit_elsewhere_keeps_the_correction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = _library(tmp_path, monkeypatch)
    doc = _doc(library)
    CorrectionStore().save(doc, _fixes(doc))
    (library / "lanterns.md").write_text(TEXT.replace("# Lanterns", "# River lanterns"), "utf-8")

    shown, err = _show(library, capsys)
    assert shown["corrections"] == {"applied": 2, "dropped": []}
    assert err == ""


def test_a_stale_correction_is_dropped_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = _library(tmp_path, monkeypatch)
    doc = _doc(library)
    CorrectionStore().save(doc, _fixes(doc)[:1])
    edited = TEXT.replace("Each carries a wish.", "Each one carries a wish.")
    (library / "lanterns.md").write_text(edited, encoding="utf-8")

    shown, err = _show(library, capsys)
    assert shown["corrected"] is False
    assert shown["corrections"] == {
        "applied": 0,
        "dropped": [
            f"merge the English of row {_split_row(doc) + 1} with row {_split_row(doc) + 2}"
        ],
    }
    assert any(r["en"] == "Each one carries a wish." for r in shown["rows"])
    assert err.startswith("llama-reader: lanterns.md: 1 alignment correction no longer applies")
    assert err.count("\n") == 1 and err.endswith("\n")


def test_export_writes_the_corrected_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = _library(tmp_path, monkeypatch)
    doc = _doc(library)
    before = main(["export", "lanterns.md", "--library", str(library), "--format", "csv"])
    plain, _ = capsys.readouterr()
    CorrectionStore().save(doc, _fixes(doc))
    after = main(["export", "lanterns.md", "--library", str(library), "--format", "csv"])
    corrected, _ = capsys.readouterr()
    assert before == after == 0
    rows_before = list(csv.reader(io.StringIO(plain)))
    rows_after = list(csv.reader(io.StringIO(corrected)))
    assert len(rows_after) == len(rows_before) - 1
    english, chinese = next(r for r in rows_after if r[0].startswith("Each carries"))
    assert "Children write them at dusk." in english
    assert chinese == "每一盏都载着一个愿望，孩子们在黄昏时写下。"
