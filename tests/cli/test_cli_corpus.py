"""The scriptable contract of `docs` and `show`: users' scripts depend on these shapes."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

from tests.shared_files import LAYOUTS
from tui.cli.main import main

DOC_KEYS = {
    "id", "path", "title", "title_alt", "date", "tags", "author", "source", "lang", "rows",
    "warnings", "files", "coverage",
}  # fmt: skip


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_docs_json_lists_every_document(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "docs", "--library", str(LAYOUTS), "--json")
    assert code == 0
    docs = json.loads(out)
    assert len(docs) == 5
    for doc in docs:
        assert set(doc) == DOC_KEYS
        assert doc["lang"] in ("en", "zh", "bilingual")
        assert isinstance(doc["rows"], int) and doc["rows"] > 0
    by_path = {d["path"]: d for d in docs}
    clipping = by_path["kestrel-translated.txt"]
    assert clipping["date"] == "2024-03-12T09:41:27+00:00"
    assert clipping["rows"] == 25
    assert by_path["kestrel-landmark.txt"]["date"] is None


def test_library_option_before_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--library", str(LAYOUTS), "docs", "--json")
    assert code == 0 and len(json.loads(out)) == 5


def test_unreadable_files_go_to_stderr_and_exit_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.md").write_text("# Good\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\x00\xff" * 50)
    code, out, err = _run(capsys, "docs", "--library", str(tmp_path), "--json")
    assert code == 0
    assert [d["path"] for d in json.loads(out)] == ["good.md"]
    assert "bad.md" in err and "binary" in err


def test_show_json_rows(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "show", "Why Did Tidewater", "--library", str(LAYOUTS), "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == DOC_KEYS | {"corrected"} and doc["corrected"] is False
    assert len(doc["rows"]) == 25
    assert doc["rows"][0] == {
        "en": "## Why Did Tidewater Open-Source Kestrel?",
        "zh": "为什么潮汐研究所开源红隼？",
        "kind": "heading",
    }
    assert doc["rows"][-1]["kind"] == "image" and doc["rows"][-1]["zh"] is None


def test_show_by_id_and_by_path(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "docs", "--library", str(LAYOUTS), "--json")
    first = json.loads(out)[3]
    for name in (first["id"], first["path"], str(LAYOUTS / first["path"])):
        code, out, _ = _run(capsys, "show", name, "--library", str(LAYOUTS), "--json")
        assert code == 0 and json.loads(out)["id"] == first["id"]


def test_show_errors_are_messages_not_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "show", "no such thing", "--library", str(LAYOUTS))
    assert code == 2 and "no document matches" in err and "Traceback" not in err
    code, _, err = _run(capsys, "show", "Kestrel", "--library", str(LAYOUTS))
    assert code == 2 and "documents match" in err
    code, _, err = _run(capsys, "docs", "--library", str(LAYOUTS / "missing"))
    assert code == 2 and "library not found" in err


def test_no_escape_sequences_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = "# Title\x1b]0;owned\x07 [bold]x[/bold]\n\nBody \x1b[2J text [@click=app.quit]\n"
    (tmp_path / "evil.md").write_text(evil, encoding="utf-8")
    for argv in (["docs"], ["docs", "--json"], ["show", "evil.md"], ["show", "evil.md", "--json"]):
        code, out, _ = _run(capsys, *argv, "--library", str(tmp_path))
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out, argv
    _, out, _ = _run(capsys, "show", "evil.md", "--library", str(tmp_path))
    assert "[@click=app.quit]" in out  # shown literally, not as markup


def test_show_side_by_side_in_a_narrow_pipe(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = _run(capsys, "show", "kestrel-translated.txt", "--library", str(LAYOUTS))
    assert code == 0
    line = next(line for line in out.splitlines() if "Kestrel is a freely" in line)
    assert "Kestrel 是潮汐研究所" in line  # the translation starts on the same line


def test_sample_library_is_the_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LLAMA_READER_LIBRARY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    code, out, _ = _run(capsys, "docs", "--json")
    assert code == 0 and len(json.loads(out)) >= 8
    # The console script is installed beside the interpreter running the tests.
    assert (Path(sys.executable).parent / "llama-reader").exists()


def test_show_reads_any_file_and_pages_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli import pager

    library = tmp_path / "lib"
    library.mkdir()
    (library / "in.md").write_text("# Inside\n\nA heron.\n", encoding="utf-8")
    outside = tmp_path / "elsewhere" / "note.md"
    outside.parent.mkdir()
    outside.write_text("# Outside\n\nA kingfisher dives.\n", encoding="utf-8")
    code, out, _ = _run(capsys, "show", str(outside), "--library", str(library))
    assert code == 0 and "A kingfisher dives." in out  # piped: printed, no pager
    code, _, err = _run(capsys, "show", str(tmp_path / "missing.md"), "--library", str(library))
    assert code == 2 and "no document matches" in err
    # On a terminal the text goes through $PAGER, with LESS set as git sets it.
    seen = tmp_path / "paged.txt"
    write = f"import os,sys; open({str(seen)!r}, 'w').write(os.environ['LESS'] + sys.stdin.read())"
    monkeypatch.setattr(pager, "_is_terminal", lambda: True)
    monkeypatch.delenv("LESS", raising=False)
    monkeypatch.setenv("PAGER", shlex.join([sys.executable, "-c", write]))
    code, out, _ = _run(capsys, "show", str(outside), "--library", str(library))
    assert code == 0 and out == ""
    assert seen.read_text(encoding="utf-8").startswith("FRX")
    assert "A kingfisher dives." in seen.read_text(encoding="utf-8")
    seen.unlink()
    for argv in (["--no-pager"], []):
        if not argv:
            monkeypatch.setenv("PAGER", "cat")
        code, out, _ = _run(capsys, "show", "in.md", "--library", str(library), *argv)
        assert code == 0 and "A heron." in out and not seen.exists()


def test_pager_command_reads_pager_like_git() -> None:
    from tui.cli.pager import pager_command

    assert pager_command({}) == ["less", "-R"]
    assert pager_command({"PAGER": "most -s"}) == ["most", "-s"]
    assert pager_command({"PAGER": ""}) is None
    assert pager_command({"PAGER": "cat"}) is None
    assert pager_command({"PAGER": "'unclosed"}) is None


def test_docs_shows_paths_and_warnings_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ok.md").write_text("# Fine\n\nText.\n", encoding="utf-8")
    (tmp_path / "bad\x1b[31m.md").write_text(
        '---\ntitle:"Broken"\ndate: 2024-01-02\n---\n\nBody.\n', encoding="utf-8"
    )
    code, out, _ = _run(capsys, "docs", "--library", str(tmp_path))
    assert code == 0
    assert "sub/ok.md  Fine" in out
    assert "bad\\x1b[31m.md" in out and "\x1b" not in out
    warned = json.loads(_run(capsys, "docs", "--json", "--library", str(tmp_path))[1])
    (warning,) = next(d["warnings"] for d in warned if d["path"].startswith("bad"))
    assert f"! {warning}" in out
