"""A first build commits in steps: search answers while it runs, and a stopped build (cancelled or
killed) keeps its commits and is continued by the next update, ending with the same answers as a
build done in one go."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from index.build.parallel import Chunking
from index.engine.merging import TIER_WIDTH, tier_of
from index.library_index import LibraryIndex
from index.types import INDEXING, MERGING, PHASES, READING, WRITING, Coverage, IndexProgress
from tests.index_helpers import write

REPO = Path(__file__).resolve().parents[2]
FOLDERS = "abcdef"
PER_FOLDER = 8  # each folder is one loading batch
QUERIES = ("heron", "wombat", "苍鹭", "河马", '"quiet river"', "tag:birds", "folder", "文章")


def make_library(root: Path) -> Path:
    """Six folders of small documents, and a translation pair linked by frontmatter whose two
    files sit in the first and the last folder (so only the last pass can pair them)."""
    for f in FOLDERS:
        for i in range(PER_FOLDER):
            animal = ("heron", "wombat", "otter")[i % 3]
            tags = "tags: [birds]\n" if animal == "heron" else ""
            write(
                root / f / f"{i:02}.md",
                f"---\ntitle: {f.upper()} note {i}\n{tags}---\n\n"
                f"The {animal} sits by the quiet river in folder {f}, note {i}.\n\n"
                f"第{i}篇文章：河马在{f}号文件夹里睡觉。\n",
            )
    write(
        root / "a" / "zz-heron.md",
        "---\ntitle: Heron\ntranslationKey: heron\n---\n\n# Heron\n\nThe grey heron waits.\n",
    )
    write(
        root / "f" / "zz-heron.md",
        "---\ntitle: 苍鹭\ntranslationKey: heron\n---\n\n# 苍鹭\n\n苍鹭在等待。\n",
    )
    return root


FILES = len(FOLDERS) * PER_FOLDER + 2
DOCUMENTS = FILES - 1  # the pair is one document


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commit after every batch, on workers even for a small library."""
    import index.build.updating as updating

    monkeypatch.setattr(updating, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(updating, "FIRST_CHUNK", Chunking(seconds=1e9, files=1, growth=1.0))
    monkeypatch.setattr(updating, "FIRST_COMMIT", Chunking(seconds=1e9, files=1, growth=1.0))
    monkeypatch.setattr(updating, "STAGED_MIN_BYTES", 0)


def answers(ix: LibraryIndex) -> tuple[Any, ...]:
    """What a user sees: hits (with their scores) for each query, and the document list."""
    found = {}
    for q in QUERIES:
        r = ix.search(q, limit=1000)
        found[q] = (r.total, sorted((h.path, h.row, h.lang, round(h.score, 4)) for h in r.hits))
    docs = sorted((d.path, d.files, d.lang, d.title) for d in ix.documents())
    return found, docs


@pytest.fixture
def one_shot(tmp_path: Path) -> tuple[Any, ...]:
    lib = make_library(tmp_path / "lib")
    ix = LibraryIndex(lib, tmp_path / "one-shot", workers=1)
    ix.update()
    expected = answers(ix)
    ix.close()
    assert len(expected[1]) == DOCUMENTS
    return expected


@pytest.mark.parametrize("workers", [2, 1])
@pytest.mark.usefixtures("steps")
def test_search_answers_while_the_first_build_runs(tmp_path: Path, workers: int) -> None:
    lib = make_library(tmp_path / "lib")
    ix = LibraryIndex(lib, tmp_path / "ix", workers=workers)
    reader = LibraryIndex(lib, tmp_path / "ix")
    during: list[Any] = []
    asked, answered = threading.Event(), threading.Event()

    def search_from_another_thread() -> None:
        asked.wait(60)
        try:
            during.append((reader.search("wombat", limit=1000), reader.coverage()))
        finally:
            answered.set()

    def progress(p: IndexProgress) -> None:
        # At the first commit, hold the build until another thread has searched.
        if p.searchable and not asked.is_set():
            asked.set()
            assert answered.wait(60)

    thread = threading.Thread(target=search_from_another_thread)
    thread.start()
    summary = ix.update(progress=progress)
    thread.join()
    assert summary.added == DOCUMENTS and summary.rebuilt
    results, coverage = during[0]
    assert results.total > 0 and results.coverage is not None
    assert coverage.partial and 0 < coverage.files < FILES and coverage.files_total == FILES
    assert 0 < coverage.documents < DOCUMENTS
    # Every hit then came from a file the commit covered; now the whole library answers.
    assert results.total < ix.search("wombat", limit=1000).total
    final = ix.coverage()
    assert not final.partial and final.documents == DOCUMENTS and final.files == FILES
    assert ix.search("wombat").coverage is None
    assert ix.is_current()
    # One segment a batch, but no tier of sizes is left full for the first edit to merge.
    sizes = _segment_sizes(ix)
    assert max(Counter(tier_of(n) for n in sizes).values()) < TIER_WIDTH, sizes


def _segment_sizes(ix: LibraryIndex) -> list[int]:
    from whoosh import index as wix
    from whoosh.index import TOC

    gen = ix.store.current()
    assert gen is not None
    storage = wix.open_dir(str(gen)).storage
    return [s.doc_count_all() for s in TOC.read(storage, "MAIN").segments]


@pytest.mark.parametrize("workers", [2, 1])
@pytest.mark.usefixtures("steps")
def test_cancel_keeps_the_commits_and_the_next_update_continues(
    tmp_path: Path, workers: int, one_shot: tuple[Any, ...]
) -> None:
    lib = tmp_path / "lib"
    ix = LibraryIndex(lib, tmp_path / "ix", workers=workers)
    cancel = threading.Event()
    committed = threading.Event()
    asked_at: list[float] = []

    def progress(p: IndexProgress) -> None:
        if p.searchable:
            committed.set()

    def cancel_after_a_commit() -> None:
        committed.wait(60)
        asked_at.append(time.monotonic())
        cancel.set()

    thread = threading.Thread(target=cancel_after_a_commit)
    thread.start()
    summary = ix.update(progress=progress, cancel=cancel)
    returned = time.monotonic()
    thread.join()
    assert returned - asked_at[0] < 0.5
    assert any("next update continues" in m for m in summary.messages), summary.messages
    kept = ix.coverage()
    # A worker process may index the rest before the cancel reaches it (a loaded machine): the
    # index is then still partial (its last commit and pairing pass never ran).
    assert kept.partial and 0 < kept.files <= FILES
    gen = ix.store.current()
    assert not ix.is_current()
    assert ix.search("wombat").total > 0  # what was committed is searched

    summary = ix.update()
    assert not summary.rebuilt  # continued, not started over
    assert summary.added == DOCUMENTS - kept.documents
    assert ix.store.current() == gen
    assert not ix.coverage().partial and ix.is_current()
    assert answers(ix) == one_shot


CHILD = """
import sys, time
from pathlib import Path
import index.build.updating as updating
from index.build.parallel import Chunking
from index.engine.merging import TIER_WIDTH, tier_of
from index.library_index import LibraryIndex
updating.PARALLEL_MIN_BYTES = 0
updating.FIRST_CHUNK = Chunking(seconds=1e9, files=1, growth=1.0)
updating.FIRST_COMMIT = Chunking(seconds=1e9, files=1, growth=1.0)
updating.STAGED_MIN_BYTES = 0
ix = LibraryIndex(Path(sys.argv[1]), Path(sys.argv[2]), workers=int(sys.argv[3]))
said = False
def slow(p):  # slower still after the first commit, while the test reads it
    global said
    if p.searchable and not said:
        said = True
        print("committed", p.searchable, flush=True)
    time.sleep(0.6 if said else 0.1)
ix.update(progress=slow)
print("finished", flush=True)
"""


def start_build(lib: Path, index: Path, workers: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(lib), str(index), str(workers)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_commit(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("committed"), (line, proc.stderr.read() if proc.stderr else "")


@pytest.mark.parametrize("workers", [2, 1])
@pytest.mark.usefixtures("steps")
def test_killed_first_build_is_continued_by_the_next_update(
    tmp_path: Path, workers: int, one_shot: tuple[Any, ...]
) -> None:
    lib = tmp_path / "lib"
    proc = start_build(lib, tmp_path / "ix", workers)
    wait_for_commit(proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    ix = LibraryIndex(lib, tmp_path / "ix", workers=workers)
    kept = ix.coverage()
    assert kept.partial and 0 < kept.files <= FILES
    assert ix.search("heron").total > 0
    summary = ix.update()
    assert not summary.rebuilt
    assert not ix.coverage().partial
    assert answers(ix) == one_shot
    # Nothing the killed build left half-written stays in the generation.
    gen = ix.store.current()
    assert gen is not None
    listed = json.loads((gen / "manifest.json").read_text())["files"]
    on_disk = {p.name for p in gen.iterdir() if p.name.startswith(("MAIN_", "_MAIN_"))}
    assert on_disk - {"MAIN_WRITELOCK"} == set(listed)


@pytest.mark.usefixtures("steps")
def test_cli_search_during_another_process_build(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib")
    proc = start_build(lib, tmp_path / "ix", 2)
    try:
        wait_for_commit(proc)
        # The search does not wait for the builder's lock (10 s by default).
        started = time.monotonic()
        summary = LibraryIndex(lib, tmp_path / "ix").update(wait=0.0)
        assert summary.locked and time.monotonic() - started < 5
        assert "searching what it has indexed so far" in summary.messages[0]
        args = ["search", "wombat", "--library", str(lib), "--index", str(tmp_path / "ix")]
        r = _cli(*args, "--json")
        assert r.returncode == 0, r.stderr
        data = json.loads(r.stdout)
        assert data["total"] > 0
        cov = data["coverage"]
        assert cov["partial"] and 0 < cov["files"] <= cov["files_total"] == FILES
        r = _cli(*args)
        assert r.returncode == 0 and "wombat" in r.stdout
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "partial" in lines[0], r.stderr
    finally:
        proc.kill()
        proc.wait(30)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.usefixtures("steps")
def test_progress_names_each_phase_and_none_sits_at_its_end(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib")
    seen: list[IndexProgress] = []
    LibraryIndex(lib, tmp_path / "ix", workers=2).update(progress=seen.append)
    phases = [p.phase for p in seen]
    order = [ph for i, ph in enumerate(phases) if i == 0 or phases[i - 1] != ph]
    assert order == [READING, INDEXING, MERGING, WRITING]
    assert set(order) == set(PHASES)
    for phase in (INDEXING, MERGING, WRITING):
        mine = [p for p in seen if p.phase == phase]
        assert mine[0].done < mine[0].total, phase  # it starts short of its end
        assert [p.done for p in mine] == sorted(p.done for p in mine), phase
        assert mine[-1].done == mine[-1].total, phase
    indexing = [p for p in seen if p.phase == INDEXING]
    assert indexing[-1].files_done == FILES and indexing[-1].unit == "bytes"
    assert any(p.eta is not None and p.rate > 0 for p in indexing)
    assert seen[-1].searchable == DOCUMENTS


def test_ctrl_c_stops_cli_index_and_the_next_index_continues(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    # 3 MB in 600 files: an in-process build commits after its first 300 files (or two seconds)
    for i in range(600):
        body = " ".join(f"The capybara {i} swims across river {j}." for j in range(120))
        write(lib / f"d{i // 40}" / f"{i:03}.md", f"# Capybara {i}\n\n{body}\n\n水豚在河里游泳。\n")
    index = tmp_path / "ix"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui.cli.main",
            "index",
            "--library",
            str(lib),
            "--index",
            str(index),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader = LibraryIndex(lib, index)
    deadline = time.monotonic() + 120
    while reader.coverage().documents == 0 and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 3.0  # the update stops within 0.5 s, then the process ends
    assert proc.returncode == 130, err
    assert "next update continues" in err and "Traceback" not in err
    kept = reader.coverage()
    assert kept.partial and 0 < kept.documents < 600
    r = _cli("index", "--library", str(lib), "--index", str(index))
    assert r.returncode == 0 and "index updated" in r.stdout, r.stderr  # continued, not rebuilt
    assert reader.coverage() == Coverage(600, 600, 600, False)
    assert len(reader.documents()) == 600


def test_segments_grow_threefold_up_to_their_cap() -> None:
    """A worker's memory grows with its segment: after the first, each segment holds three times
    the files of the one before, up to `most`."""
    chunking = Chunking(seconds=3.0, files=50, growth=3.0, most=1_000)
    sizes = []
    done = 60  # the first segment, cut short by its seconds
    for _ in range(5):
        chunking = chunking.after(done)
        done = chunking.files
        sizes.append(done)
    assert sizes == [180, 540, 1_000, 1_000, 1_000]
