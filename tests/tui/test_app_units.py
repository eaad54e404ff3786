"""The library screen's pure parts: filtering, sorting, tag counts, snippets; and log routing."""

from __future__ import annotations

import logging
import subprocess
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from textual.style import Style

from index.types import DocGroup, DocInfo, Hit, SearchResults
from tui.quiet import detach_terminal_handlers, route_logs_to_file
from tui.widgets.library_filters import (
    Filters,
    count_langs,
    count_tags,
    facet_counts,
    filter_documents,
    filter_results,
    sort_documents,
    tag_labels,
    tag_rows,
)
from tui.widgets.result_list import hit_lines
from tui.widgets.snippet import fit_snippet, plain_snippet, term_spans


def doc(
    id: str,  # noqa: A002
    title: str,
    date: str | None,
    tags: tuple[str, ...] = (),
    lang: str = "en",
) -> DocInfo:
    return DocInfo(
        id=id,
        path=f"{id}.md",
        title=title,
        title_alt=None,
        date=date,
        tags=tags,
        author=None,
        lang=lang,
        rows=3,  # type: ignore[arg-type]
    )


DOCS = [
    doc("a", "beta", "2023-07-25T08:14:10+00:00", ("Open Source", "AI")),
    doc("b", "Alpha", "2024-01-02", ("open-source",), "zh"),
    doc("c", "gamma", None, ("AI",), "bilingual"),
    doc("d", "Delta", "2023-07-25", ("ai", "LLM")),
]


def test_sort_by_date_is_newest_first_with_undated_last() -> None:
    assert [d.id for d in sort_documents(DOCS, "date")] == ["b", "a", "d", "c"]


def test_sort_by_title_ignores_case() -> None:
    assert [d.title for d in sort_documents(DOCS, "title")] == ["Alpha", "beta", "Delta", "gamma"]


def test_tags_match_by_key_and_combine_with_and() -> None:
    assert {d.id for d in filter_documents(DOCS, Filters(("open source",)))} == {"a", "b"}
    assert {d.id for d in filter_documents(DOCS, Filters(("ai",)))} == {"a", "c", "d"}
    assert {d.id for d in filter_documents(DOCS, Filters(("ai", "open source")))} == {"a"}
    assert [d.id for d in filter_documents(DOCS, Filters(("ai",), "bilingual"))] == ["c"]


def test_language_filter_cycles_through_all_languages_and_translation_levels() -> None:
    f = Filters()
    seen = []
    for _ in range(7):
        f = f.next_lang()
        seen.append((f.lang, f.translation))
    assert seen == [
        ("en", None),
        ("zh", None),
        ("bilingual", None),
        ("bilingual", "full"),
        ("bilingual", "partly"),
        ("other", None),
        (None, None),
    ]


def test_tag_counts_merge_spellings_and_show_selected_first() -> None:
    counts = count_tags(DOCS)
    assert counts == {"open source": 2, "ai": 3, "llm": 1}
    labels = tag_labels(DOCS)
    assert labels["ai"] == "AI"  # the most used spelling
    rows = tag_rows(counts, labels, ["llm"])
    assert [(r.label, r.count, r.selected) for r in rows] == [
        ("LLM", 1, True),
        ("AI", 3, False),
        ("Open Source", 2, False),
    ]
    # A selected tag stays visible at zero; other zero-count tags are hidden.
    rows = tag_rows({"ai": 0, "llm": 0}, labels, ["llm"])
    assert [(r.key, r.count) for r in rows] == [("llm", 0)]


def test_facets_from_the_index_are_keyed_like_the_panel() -> None:
    assert facet_counts({"Open Source": 2, "open-source": 1, "AI": 4}) == {
        "open source": 3,
        "ai": 4,
    }


def test_language_counts() -> None:
    assert count_langs(DOCS) == {"en": 2, "zh": 1, "bilingual": 1}
    others = [replace(DOCS[0], lang="ja"), replace(DOCS[1], lang="de")]
    assert count_langs([*DOCS, *others]) == {"en": 2, "zh": 1, "bilingual": 1, "other": 2}


HL = Style(bold=True)
BASE = Style()


def styled_ranges(content: object) -> list[str]:
    plain = content.plain  # type: ignore[attr-defined]
    return [plain[s.start : s.end] for s in content.spans if s.style == HL]  # type: ignore[attr-defined]


def test_snippet_keeps_the_first_match_in_view_on_a_narrow_line() -> None:
    text = "word " * 40 + "needle and more text after it"
    start = text.index("needle")
    line = fit_snippet(text, [(start, start + 6)], 40, style=BASE, highlight=HL)
    assert line.cell_length <= 40
    assert line.plain.startswith("…")
    assert styled_ranges(line) == ["needle"]


def test_snippet_widths_count_chinese_as_two_cells() -> None:
    text = "开源" * 30 + "骆驼模型"
    start = text.index("骆驼")
    line = fit_snippet(text, [(start, start + 2)], 30, style=BASE, highlight=HL)
    assert line.cell_length <= 30
    assert styled_ranges(line) == ["骆驼"]


def test_snippet_drops_markdown_punctuation_and_moves_spans() -> None:
    text = "## The **Llama** [licence](https://example.com) terms"
    s = text.index("Llama")
    plain, spans = plain_snippet(text, [(s, s + 5)])
    assert plain == "The Llama licence terms"
    assert [plain[a:b] for a, b in spans] == ["Llama"]


def test_term_spans_are_case_insensitive_and_merged() -> None:
    text = "Open-source LLaMA, open source llama"
    assert [text[a:b] for a, b in term_spans(text, ["llama", "open"])] == [
        "Open",
        "LLaMA",
        "open",
        "llama",
    ]
    assert term_spans("开源模型与开源", ["开源"]) == [(0, 2), (5, 7)]


def test_snippet_text_is_never_markup() -> None:
    text = "[@click=app.quit]quit[/] and [bold]x[/bold]"
    line = fit_snippet(text, [(0, 4)], 80, style=BASE, highlight=HL)
    assert line.plain == text


def test_a_hit_shows_its_row_in_both_languages() -> None:
    hit = Hit(
        id="x",
        path="x.md",
        title="T",
        row=2,
        lang="zh",
        en="Llama is open.",
        zh="骆驼是开源的。",
        snippet="骆驼是开源的。",
        score=1.0,
        spans=((3, 5),),
        terms=("开源", "open"),
    )
    (first, spans), (other, other_spans) = hit_lines(hit)
    assert [first[a:b] for a, b in spans] == ["开源"]
    assert other == "Llama is open." and [other[a:b] for a, b in other_spans] == ["open"]


def test_logs_and_warnings_go_to_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLAMA_READER_LOG", str(tmp_path / "state" / "app.log"))
    root = logging.getLogger()
    before = list(root.handlers), root.level
    noisy = logging.getLogger("noisy.library")
    terminal = logging.StreamHandler(sys.stderr)
    noisy.addHandler(terminal)
    try:
        path = route_logs_to_file()
        assert path == tmp_path / "state" / "app.log"
        assert terminal not in noisy.handlers  # detached from the terminal
        noisy.warning("Building prefix dict from the default dictionary ...")
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            logging.captureWarnings(True)
            warnings.warn("something deprecated", DeprecationWarning, stacklevel=1)
        for handler in root.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "Building prefix dict" in text
        assert "something deprecated" in text
    finally:
        logging.captureWarnings(False)
        for handler in list(root.handlers):
            if handler not in before[0]:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before[1])


def test_detach_leaves_file_handlers_alone(tmp_path: Path) -> None:
    logger = logging.getLogger("keeps.file")
    handler = logging.FileHandler(tmp_path / "x.log")
    logger.addHandler(handler)
    try:
        detach_terminal_handlers()
        assert handler in logger.handlers
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_jieba_banner_never_reaches_the_terminal(tmp_path: Path) -> None:
    """Importing and initialising jieba after routing prints nothing on stderr."""
    script = (
        "from tui.quiet import route_logs_to_file, detach_terminal_handlers\n"
        "route_logs_to_file()\n"
        "import jieba\n"
        "detach_terminal_handlers()\n"
        f"jieba.dt.tmp_dir = {str(tmp_path)!r}\n"
        "jieba.initialize()\n"
        "print('ok')\n"
    )
    env = {"LLAMA_READER_LOG": str(tmp_path / "app.log"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert done.stdout.strip() == "ok"
    assert done.stderr == ""


def test_building_the_app_loads_neither_jieba_nor_whoosh_nor_numpy() -> None:
    """Nothing heavy at import: the index opens in a worker once the first frame is up."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tui.app import build_app\n"
        "build_app(Path('.'), remember_settings=False)\n"
        "heavy = {'jieba', 'rjieba', 'whoosh', 'numpy'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_split_at_cells_never_cuts_a_wide_character() -> None:
    from textual.content import Content

    from tui.widgets.snippet import split_at_cells

    first, rest = split_at_cells(Content("开源模型abc"), 5)
    assert (first.plain, rest.plain) == ("开源", "模型abc")
    first, rest = split_at_cells(Content("short"), 10)
    assert (first.plain, rest.plain) == ("short", "")


def test_ellipsis_follows_the_text_when_a_wide_character_is_cut() -> None:
    from textual.content import Content

    from tui.widgets.snippet import ellipsize

    # Ten cells hold "玩开源，" (8) and no more of it: the ellipsis comes right after, not after
    # a gap, and the padding goes after the ellipsis.
    cut = ellipsize(Content("玩开源，时代变了"), 10, pad=True)
    assert (cut.plain, cut.cell_length) == ("玩开源，… ", 10)
    assert ellipsize(Content("玩开源，时代变了"), 10).plain == "玩开源，…"
    assert ellipsize(Content("JavaScript 学习资源"), 14).plain == "JavaScript 学…"
    assert ellipsize(Content("中文字"), 1).plain == "…"
    # Where no wide character is cut, the result is Textual's own, styles included.
    styled = Content("Hello world wide").stylize("bold", 0, 5)
    for width in (3, 8, 16, 20):
        ours = ellipsize(styled, width, pad=True)
        theirs = styled.truncate(width, ellipsis=True, pad=True)
        assert (ours.plain, ours.spans) == (theirs.plain, theirs.spans)


def test_split_at_cells_breaks_between_english_words() -> None:
    from textual.content import Content

    from tui.widgets.snippet import split_at_cells

    first, rest = split_at_cells(Content("the careful term in October"), 22)
    assert (first.plain, rest.plain) == ("the careful term in ", "October")


def test_list_cache_round_trip_head_and_bad_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui import list_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    library, index_dir = tmp_path / "lib", tmp_path / "ix"
    assert list_cache.load(library, index_dir) is None
    docs = [doc(f"d{n:03}", f"title {n}", f"2020-01-{1 + n % 28:02}", ("t",)) for n in range(200)]
    list_cache.save(library, index_dir, docs)
    assert list_cache.load(library, index_dir) == docs
    head = list_cache.load_head(library, index_dir)
    assert head is not None
    newest, total = head
    assert total == 200 and len(newest) == list_cache.HEAD
    assert newest == sort_documents(docs, "date")[: list_cache.HEAD]
    # Another library or index dir has its own list.
    assert list_cache.load(library, tmp_path / "other") is None
    # A damaged file is ignored, not fatal.
    list_cache.cache_path(library, index_dir).write_text("{not json", encoding="utf-8")
    assert list_cache.load(library, index_dir) is None


def test_a_16_colour_terminal_gets_the_terminal_palette_theme(tmp_path: Path) -> None:
    script = (
        "from pathlib import Path\n"
        "from tui.app import build_app\n"
        "print(build_app(Path('.'), remember_settings=False).theme)\n"
    )

    def theme_with(**env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert theme_with(TEXTUAL_COLOR_SYSTEM="standard") == "ansi-dark"
    assert theme_with(TEXTUAL_COLOR_SYSTEM="truecolor") == "llama-dark"
    assert theme_with(TEXTUAL_COLOR_SYSTEM="standard", LLAMA_READER_THEME="llama-light") == (
        "llama-light"
    )


def test_the_language_filter_shows_every_choice_when_counts_are_long() -> None:
    import asyncio

    from textual.app import App, ComposeResult
    from textual.containers import Vertical

    from tui.widgets.language_bar import LanguageBar

    class Panel(App[None]):
        def compose(self) -> ComposeResult:
            with Vertical(id="filters"):
                yield LanguageBar(id="language")

        def on_mount(self) -> None:
            self.query_one("#filters").styles.width = 21

    async def run() -> list[str]:
        app = Panel()
        async with app.run_test(size=(80, 24)) as pilot:
            bar = app.query_one(LanguageBar)
            bar.update(None, {"en": 1560, "zh": 1503, "bilingual": 1937})
            await pilot.pause()
            return [
                "".join(s.text for s in bar.render_line(y)).rstrip() for y in range(bar.size.height)
            ]

    shown = "\n".join(asyncio.run(run()))
    for entry in ("All 5000", "EN 1560", "中 1503", "EN+中 1937"):
        assert entry in shown, shown


def test_a_translation_filter_keeps_only_its_documents_among_rows_and_groups() -> None:
    full = replace(doc("f", "Full", None, lang="bilingual"), coverage=1.0)
    partly = replace(doc("p", "Partly", None, lang="bilingual"), coverage=0.5)

    def hit(d: DocInfo) -> Hit:
        return Hit(d.id, d.path, d.title, 0, "en", "text", None, "text", 1.0)

    # The best rows are all the fully translated document's; the partly translated one is
    # among the best documents only.
    results = SearchResults(
        "wind",
        1,
        (hit(full),),
        groups=(
            DocGroup(full.id, full.path, full.title, (hit(full),), 1),
            DocGroup(partly.id, partly.path, partly.title, (hit(partly),), 1),
        ),
    )
    kept = filter_results(results, [full, partly], Filters(lang="bilingual", translation="full"))
    assert [g.id for g in kept.groups] == ["f"]
    assert [h.id for h in kept.hits] == ["f"]
