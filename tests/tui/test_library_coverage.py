"""Translation coverage in the library: each bilingual document shows the share of its text
rows that have both sides, and `l` (or a click) narrows the list to those fully or partly
translated, also while searching."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from corpus.loader import load_document
from corpus.model import Document
from index.build.records import doc_info
from index.types import DocInfo, Hit, SearchResults
from tests.tui_fixtures import FakeIndex, isolate_app_env, make_app, run_async, search, settle
from tui.screens.library import LibraryScreen
from tui.widgets.document_list import DocumentList
from tui.widgets.language_bar import LanguageBar
from tui.widgets.library_filters import (
    Filters,
    count_langs,
    coverage_percent,
    filter_documents,
    filter_results,
    translation,
)

FULL = """---
title: Kites
---

Kites ride the wind.

风筝乘风而起。

Children run below them.

孩子们在下面奔跑。
"""

PARTLY = """---
title: Bridges
---

Old bridges creak in winter.

旧桥在冬天吱吱作响。

The river freezes under them every January.

每年一月，桥下的河水都会结冰。

Nobody crosses after dark.

Ferries stopped years ago, when the road was built.

渡船多年前就停了，那时修了公路。
"""

ENGLISH = """# Moss

Moss grows on the north side of stones, slowly and without fuss.
"""


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def _library(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    library.mkdir()
    for name, text in (("kites.md", FULL), ("bridges.md", PARTLY), ("moss.md", ENGLISH)):
        (library / name).write_text(text, encoding="utf-8")
    return library


def _infos(library: Path) -> dict[str, DocInfo]:
    out = {}
    for name in ("kites.md", "bridges.md", "moss.md"):
        doc = load_document(library / name, library)
        assert isinstance(doc, Document)
        out[name] = doc_info(doc)
    return out


def test_the_index_keeps_each_documents_coverage(tmp_path: Path) -> None:
    infos = _infos(_library(tmp_path))
    assert infos["kites.md"].lang == "bilingual" and infos["kites.md"].coverage == 1.0
    partly = infos["bridges.md"]
    assert partly.lang == "bilingual" and partly.coverage is not None
    assert 0 < partly.coverage < 1
    assert translation(infos["kites.md"]) == "full" and translation(partly) == "partly"
    assert translation(infos["moss.md"]) is None and coverage_percent(infos["moss.md"]) is None
    assert coverage_percent(infos["kites.md"]) == "100%"
    # A catalog row written and read back keeps it.
    assert DocInfo.from_row(partly.to_row()).coverage == partly.coverage


def test_coverage_rounds_down_so_only_complete_documents_show_100() -> None:
    base = DocInfo("x", "x.md", "X", None, None, (), None, "bilingual", 300)
    from dataclasses import replace

    assert coverage_percent(replace(base, coverage=0.999)) == "99%"
    assert coverage_percent(replace(base, coverage=0.29)) == "29%"
    assert coverage_percent(replace(base, coverage=None)) is None  # an index from before


def test_filters_and_counts_by_translation(tmp_path: Path) -> None:
    infos = list(_infos(_library(tmp_path)).values())
    full = filter_documents(infos, Filters((), "bilingual", "full"))
    partly = filter_documents(infos, Filters((), "bilingual", "partly"))
    assert [d.path for d in full] == ["kites.md"] and [d.path for d in partly] == ["bridges.md"]
    counts = count_langs(infos)
    assert counts["bilingual"] == 2 and counts["en"] == 1
    assert counts["bilingual:full"] == 1 and counts["bilingual:partly"] == 1


def test_search_results_keep_only_documents_translated_as_asked(tmp_path: Path) -> None:
    infos = list(_infos(_library(tmp_path)).values())
    ids = {d.path: d.id for d in infos}

    def hit(path: str) -> Hit:
        return Hit(ids[path], path, path, 1, "en", "x", None, "x", 1.0)

    results = SearchResults("x", 2, (hit("kites.md"), hit("bridges.md")))
    kept = filter_results(results, infos, Filters((), "bilingual", "partly"))
    assert [h.path for h in kept.hits] == ["bridges.md"] and kept.total == 1
    assert filter_results(results, infos, Filters((), "bilingual")) is results


def _shown(pilot: Pilot[None]) -> list[str]:
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return sorted(d.path for d in screen.doc_list.documents)


def _lines(widget: DocumentList | LanguageBar) -> list[str]:
    return [
        "".join(s.text for s in widget.render_line(y)).rstrip() for y in range(widget.size.height)
    ]


@run_async
async def test_the_list_shows_coverage_and_l_narrows_to_full_then_partly(tmp_path: Path) -> None:
    library = _library(tmp_path)
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.library_screen
        lines = _lines(screen.doc_list)
        kites = next(line for line in lines if "Kites" in line)
        bridges = next(line for line in lines if "Bridges" in line)
        assert kites.endswith("EN+中 100%")
        assert bridges.endswith(f"EN+中  {coverage_percent(_infos(library)['bridges.md'])}")
        moss = next(line for line in lines if "Moss" in line)
        assert moss.endswith("EN") and "%" not in moss

        await pilot.press("l", "l", "l")  # English, Chinese, bilingual
        assert _shown(pilot) == ["bridges.md", "kites.md"]
        await pilot.press("l")
        assert _shown(pilot) == ["kites.md"]
        status = str(screen.query_one("#status").render())
        assert "fully translated" in status
        bar = "\n".join(_lines(screen.query_one(LanguageBar)))
        assert "full 1" in bar and "partly 1" in bar
        await pilot.press("l")
        assert _shown(pilot) == ["bridges.md"]
        assert "partly translated" in str(screen.query_one("#status").render())

        await search(pilot, "river")  # the partly translated document's row; kites has none
        await pilot.pause()
        assert {h.path for h in screen.result_list.hits} == {"bridges.md"}
        await search(pilot, "wind")  # only in the fully translated one: filtered out
        assert list(screen.result_list.hits) == []


@run_async
async def test_a_click_on_full_chooses_the_fully_translated(tmp_path: Path) -> None:
    library = _library(tmp_path)
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.library_screen.query_one(LanguageBar)
        y, x = next((y, line.index("full")) for y, line in enumerate(_lines(bar)) if "full" in line)
        await pilot.click(LanguageBar, offset=(x, y))
        await pilot.pause()
        assert app.library_screen.filters == Filters((), "bilingual", "full")
        assert _shown(pilot) == ["kites.md"]
