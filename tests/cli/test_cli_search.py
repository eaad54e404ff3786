"""`llama-reader search` and `llama-reader index` from the shell."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.index_helpers import write

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    write(
        lib / "a.md", "---\ntitle: Alpha\ntags: [Zoo, Open Source]\n---\n\nThe aardvark sleeps.\n"
    )
    # A document that tries to drive the terminal: the loader strips the escapes, and the CLI
    # never prints raw control characters either way.
    write(
        lib / "evil.md",
        "# \x1b]0;pwned\x07Evil [bold]title[/bold]\n\n"
        "The aardvark \x1b[2Jclears \x9b31m the screen.\n",
    )
    write(lib / "zh.md", "# 中文\n\n土豚在睡觉，开源模型也在睡觉。\n")
    return lib


def test_index_prints_a_one_line_summary(lib: Path, tmp_path: Path) -> None:
    r = cli("index", "--library", str(lib), "--index", str(tmp_path / "ix"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines() == [r.stdout.strip()]
    assert "3 added" in r.stdout and "0 skipped" in r.stdout
    r = cli("index", "--library", str(lib), "--index", str(tmp_path / "ix"), "--rebuild")
    assert "rebuilt" in r.stdout


def test_search_json_contract(lib: Path, tmp_path: Path) -> None:
    r = cli("search", "aardvark", "--library", str(lib), "--index", str(tmp_path / "ix"), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) == {"query", "total", "hits", "facets", "ignored", "notes"}
    assert data["query"] == "aardvark" and data["total"] == 2
    for hit in data["hits"]:
        assert set(hit) == {
            "id", "path", "title", "row", "lang", "en", "zh", "snippet", "score", "file", "line",
        }  # fmt: skip
    assert data["facets"] == {"tags": {"Zoo": 1, "Open Source": 1}}
    assert data["ignored"] == []


def test_search_builds_the_index_first_then_updates_it(lib: Path, tmp_path: Path) -> None:
    args = ("--library", str(lib), "--index", str(tmp_path / "ix"), "--json")
    assert json.loads(cli("search", "土豚", *args).stdout)["total"] == 1
    write(lib / "b.md", "# B\n\nAnother aardvark.\n")
    assert json.loads(cli("search", "aardvark", *args).stdout)["total"] == 3


def test_search_filters_and_ignored_parts(lib: Path, tmp_path: Path) -> None:
    args = ("--library", str(lib), "--index", str(tmp_path / "ix"), "--json")
    data = json.loads(cli("search", "aardvark", "--tag", "zoo", *args).stdout)
    assert [h["path"] for h in data["hits"]] == ["a.md"]
    r = cli("search", '"aardvark', *args)
    assert json.loads(r.stdout)["ignored"] == ['"']
    assert "ignored" in r.stderr
    data = json.loads(cli("search", "开源模型", "--lang", "zh", *args).stdout)
    assert [h["path"] for h in data["hits"]] == ["zh.md"]


def test_human_output_is_plain_when_piped(lib: Path, tmp_path: Path) -> None:
    r = cli("search", "aardvark", "--library", str(lib), "--index", str(tmp_path / "ix"))
    assert r.returncode == 0, r.stderr
    assert "The aardvark sleeps." in r.stdout
    assert "Alpha  a.md" in r.stdout
    assert "[bold]title[/bold]" in r.stdout  # shown literally, never as markup
    for ch in r.stdout:
        assert ch in "\n\t" or not (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F), repr(ch)


def test_no_match_says_so_and_exits_1(lib: Path, tmp_path: Path) -> None:
    r = cli("search", "aardvak", "--library", str(lib), "--index", str(tmp_path / "ix"))
    assert r.returncode == 1
    assert "no matches" in r.stderr and "aardvark" in r.stderr


def test_matches_are_highlighted_on_a_terminal(lib: Path, tmp_path: Path) -> None:
    import os
    import re

    r = subprocess.run(
        [sys.executable, "-m", "tui.cli.main", "search", "aardvark", "--library", str(lib),
         "--index", str(tmp_path / "ix")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "FORCE_COLOR": "1", "COLUMNS": "200"},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "\x1b[1;31maardvark\x1b[0m" in r.stdout
    # The only escape sequences are the colours this command chose (SGR), none from documents.
    without_sgr = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)
    assert "\x1b" not in without_sgr and "\x9b" not in without_sgr
    assert "The aardvark sleeps." in without_sgr


def test_several_words_are_all_searched_and_quoting_keeps_a_phrase(
    lib: Path, tmp_path: Path
) -> None:
    args = ("--library", str(lib), "--index", str(tmp_path / "ix"), "--json")
    write(lib / "b.md", "# B\n\nSleeps well, the old aardvark.\n")
    both = json.loads(cli("search", "aardvark", "sleeps", *args).stdout)
    assert both["total"] == 2 and both["query"] == "aardvark sleeps"
    phrase = json.loads(cli("search", "aardvark sleeps", *args).stdout)  # the shell's quotes
    assert [h["path"] for h in phrase["hits"]] == ["a.md"]
    assert json.loads(cli("search", "sleeps aardvark", *args).stdout)["total"] == 0
    # Query syntax in one argument is read as such, not as a phrase.
    either = json.loads(cli("search", "aardvark OR 土豚", *args).stdout)
    assert either["total"] == 4


def test_rows_count_from_one_and_hits_say_file_and_line(lib: Path, tmp_path: Path) -> None:
    write(lib / "c.md", "# Cats\n\nFirst a cat.\n\nThen an aardvark, at line seven.\n")
    args = ("--library", str(lib), "--index", str(tmp_path / "ix"))
    data = json.loads(cli("search", "seven", *args, "--json").stdout)
    (hit,) = data["hits"]
    # Rows: the heading is row 1, as the reader shows it ("row 3"), the paragraph at line 5.
    assert (hit["row"], hit["line"]) == (3, 5)
    assert hit["file"] == str(lib / "c.md")
    lines = Path(hit["file"]).read_text(encoding="utf-8").split("\n")
    assert "line seven" in lines[hit["line"] - 1]
    out = cli("search", "seven", *args).stdout
    assert f"{lib / 'c.md'}:5: row 3 · Then an aardvark" in out


def test_arguments_become_one_query() -> None:
    from tui.cli.search import query_text

    assert query_text(["open", "source"]) == "open source"
    assert query_text(["open source", "llama"]) == '"open source" llama'
    assert query_text(['"open source" OR 开源']) == '"open source" OR 开源'
    assert query_text(["tag:AI model"]) == "tag:AI model"
    assert query_text(["model -license"]) == "model -license"
    assert query_text(["llamas \ufffd\ufffd"]) == "llamas \ufffd\ufffd"  # one word: no phrase
