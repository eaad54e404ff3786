"""Incremental updates, rebuilds, crashes and concurrent processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from itertools import pairwise
from pathlib import Path

import pytest

from index.engine.merging import TIER_WIDTH
from index.engine.schema import GROUP_ROWS
from index.library_index import IndexUnavailable, LibraryIndex
from tests.index_helpers import layouts_library, write

REPO = Path(__file__).resolve().parents[2]


def doc(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ntags: [t]\n---\n\n{body}\n"


def paths_for(ix: LibraryIndex, q: str) -> set[str]:
    return {h.path for h in ix.search(q, limit=1000).hits}


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    write(lib / "a.md", doc("Alpha", "The aardvark sleeps. 土豚在睡觉。"))
    write(lib / "b.md", doc("Beta", "The badger digs."))
    write(lib / "sub" / "c.txt", "Gamma\n\nThe capybara swims.\n")
    return lib


def test_first_update_builds_then_nothing_to_do(lib: Path, tmp_path: Path) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix")
    assert not ix.is_current()
    with pytest.raises(IndexUnavailable):
        ix.search("aardvark")
    s = ix.update()
    assert (s.added, s.rebuilt) == (3, True)
    assert ix.is_current()
    again = ix.update()
    assert (again.added, again.updated, again.removed, again.rebuilt) == (0, 0, 0, False)
    assert paths_for(ix, "土豚") == {"a.md"}


def test_add_change_delete_rename(lib: Path, tmp_path: Path) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    gen = ix.store.current()

    write(lib / "d.md", doc("Delta", "The dolphin leaps."))
    assert not ix.is_current()
    s = ix.update()
    assert (s.added, s.updated, s.removed, s.rebuilt) == (1, 0, 0, False)
    assert paths_for(ix, "dolphin") == {"d.md"}

    write(lib / "b.md", doc("Beta", "The bison grazes."), bump=5)
    s = ix.update()
    assert (s.added, s.updated, s.removed) == (0, 1, 0)
    assert paths_for(ix, "bison") == {"b.md"}
    assert paths_for(ix, "badger") == set()

    (lib / "sub" / "c.txt").unlink()
    s = ix.update()
    assert (s.added, s.updated, s.removed) == (0, 0, 1)
    assert paths_for(ix, "capybara") == set()
    assert "sub/c.txt" not in {d.path for d in ix.documents()}

    (lib / "a.md").rename(lib / "renamed.md")
    s = ix.update()
    assert (s.added, s.updated, s.removed) == (0, 1, 0)
    assert paths_for(ix, "aardvark") == {"renamed.md"}
    assert sorted(d.path for d in ix.documents()) == ["b.md", "d.md", "renamed.md"]
    assert ix.store.current() == gen  # all of it in place, no rebuild
    assert ix.is_current()


def test_touched_file_with_same_bytes_is_not_reindexed(lib: Path, tmp_path: Path) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    os.utime(lib / "b.md", ns=(time.time_ns(), time.time_ns() + 10**10))
    s = ix.update()
    assert (s.added, s.updated, s.removed) == (0, 0, 0)
    assert ix.is_current()


def test_unreadable_file_is_counted_and_not_retried(lib: Path, tmp_path: Path) -> None:
    (lib / "bin.md").write_bytes(b"\x00\x01\x02" * 100)
    ix = LibraryIndex(lib, tmp_path / "ix")
    s = ix.update()
    assert s.added == 3 and s.skipped == 1
    assert ix.is_current()


def test_schema_change_rebuilds(lib: Path, tmp_path: Path) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    gen = ix.store.current()
    assert gen is not None
    meta = json.loads((gen / "meta.json").read_text())
    meta["schema"] = "0"
    (gen / "meta.json").write_text(json.dumps(meta))
    ix2 = LibraryIndex(lib, tmp_path / "ix")
    assert not ix2.is_current()
    s = ix2.update()
    assert s.rebuilt and any("format" in m for m in s.messages)
    assert paths_for(ix2, "aardvark") == {"a.md"}


def test_corrupt_index_is_detected_and_rebuilt(lib: Path, tmp_path: Path) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    ix.close()
    gen = ix.store.current()
    assert gen is not None
    for f in gen.iterdir():
        if f.suffix in (".toc", ".seg"):
            f.write_bytes(b"garbage")
    ix2 = LibraryIndex(lib, tmp_path / "ix")
    with pytest.raises(IndexUnavailable):
        ix2.search("aardvark")
    s = ix2.update()
    assert s.rebuilt and any("damaged (_MAIN_1.toc is cut short)" in m for m in s.messages)
    assert paths_for(ix2, "aardvark") == {"a.md"}


def test_library_folder_is_never_written(lib: Path, tmp_path: Path) -> None:
    before = sorted((p, p.stat().st_mtime_ns) for p in lib.rglob("*"))
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    ix.search("aardvark")
    assert sorted((p, p.stat().st_mtime_ns) for p in lib.rglob("*")) == before


def test_index_dir_defaults_to_env(
    lib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLAMA_READER_INDEX", str(tmp_path / "env"))
    ix = LibraryIndex(lib)
    assert ix.home.parent == tmp_path / "env"
    assert LibraryIndex(tmp_path).home != ix.home


# --- other processes -----------------------------------------------------------------------------

CHILD = """
import sys, time
from pathlib import Path
from index.library_index import LibraryIndex
ix = LibraryIndex(Path(sys.argv[1]), Path(sys.argv[2]), writer_timeout=float(sys.argv[4]))
def slow(p):
    print("progress", p.files_done, flush=True)
    time.sleep(float(sys.argv[3]))
s = ix.update(progress=slow, rebuild=len(sys.argv) > 5)
print("done", s.added, s.updated, "|".join(s.messages), flush=True)
"""


def start_writer(
    lib: Path, index: Path, delay: float, timeout: float = 10.0, rebuild: bool = False
):  # type: ignore[no-untyped-def]
    args = [
        sys.executable,
        "-c",
        textwrap.dedent(CHILD),
        str(lib),
        str(index),
        str(delay),
        str(timeout),
    ]
    if rebuild:
        args.append("rebuild")
    return subprocess.Popen(
        args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def many_files(lib: Path, n: int, word: str) -> None:
    for i in range(n):
        write(
            lib / "many" / f"{i:03d}.md", doc(f"Doc {i}", f"The {word} number {i}. 第{i}篇文章。")
        )


@pytest.mark.parametrize("kind", ["full", "incremental"])
def test_kill_during_indexing_keeps_last_index_then_completes(
    lib: Path, tmp_path: Path, kind: str
) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    many_files(lib, 120 if kind == "full" else 20, "wombat")
    proc = start_writer(lib, tmp_path / "ix", delay=0.3)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the update is under way
    assert line.startswith("progress"), line + proc.stderr.read()  # type: ignore[union-attr]
    proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # The last committed index is still there and searchable.
    reader = LibraryIndex(lib, tmp_path / "ix")
    assert paths_for(reader, "aardvark") == {"a.md"}
    assert paths_for(reader, "wombat") == set()
    assert not reader.is_current()
    s = reader.update()
    n = 120 if kind == "full" else 20
    # A large change rebuilds (every document counts as added); a small one adds in place.
    assert (s.rebuilt, s.added) == ((True, n + 3) if kind == "full" else (False, n))
    assert len(paths_for(reader, "wombat")) == n
    assert reader.is_current()
    leftovers = [p.name for p in reader.home.iterdir() if p.name.startswith("build-")]
    assert leftovers == []


def test_one_writer_others_read_and_wait(lib: Path, tmp_path: Path) -> None:
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    many_files(lib, 10, "wombat")
    writer = start_writer(lib, tmp_path / "ix", delay=0.4, rebuild=True)
    assert writer.stdout is not None
    assert writer.stdout.readline().startswith("progress")
    # A second writer gives up after its timeout with a message, not a traceback.
    second = start_writer(lib, tmp_path / "ix", delay=0, timeout=0.3)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert "another llama-reader process" in out and "Traceback" not in err
    # A reader in another process searches the last committed index meanwhile.
    code = (
        "import sys; from pathlib import Path; from index.library_index import LibraryIndex;"
        "ix = LibraryIndex(Path(sys.argv[1]), Path(sys.argv[2]));"
        "print(sorted(h.path for h in ix.search('aardvark').hits))"
    )
    reader = subprocess.run(
        [sys.executable, "-c", code, str(lib), str(tmp_path / "ix")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.strip() == "['a.md']"
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert "done 13" in out
    assert len(paths_for(LibraryIndex(lib, tmp_path / "ix"), "wombat")) == 10


def test_old_generation_survives_while_read(lib: Path, tmp_path: Path) -> None:
    reader = LibraryIndex(lib, tmp_path / "ix")
    reader.update()
    assert paths_for(reader, "aardvark") == {"a.md"}
    old = reader.store.current()
    writer = LibraryIndex(lib, tmp_path / "ix")
    writer.update(rebuild=True)
    assert writer.store.current() != old
    assert old is not None and old.exists()  # still held by `reader`
    assert paths_for(reader, "aardvark") == {"a.md"}  # reader moves to the new one
    reader.close()
    writer.update(rebuild=True)
    assert not old.exists()


def test_layouts_index_from_a_copy(tmp_path: Path) -> None:
    lib = layouts_library(tmp_path / "layouts")
    ix = LibraryIndex(lib, tmp_path / "ix")
    assert ix.update().added == 5


def test_parallel_build_finds_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import index.build.updating

    lib = layouts_library(tmp_path / "layouts")
    many_files(lib, 30, "wombat")
    one = LibraryIndex(lib, tmp_path / "one", workers=1)
    one.update()
    monkeypatch.setattr(index.build.updating, "PARALLEL_MIN_BYTES", 0)
    two = LibraryIndex(lib, tmp_path / "two", workers=2)
    seen: list[int] = []
    s = two.update(progress=lambda p: seen.append(p.files_done))
    assert s.added == 35 and seen[-1] == 35
    gen = two.store.current()
    assert gen is not None and len(list(gen.glob("*.trm"))) == 2  # one segment per worker
    for q in ("wombat", '"open source"', "开源模型", "Kestrel 开源", "tag:tech"):
        a, b = one.search(q, limit=1000), two.search(q, limit=1000)
        assert a.total == b.total > 0, q
        assert {(h.path, h.row) for h in a.hits} == {(h.path, h.row) for h in b.hits}, q
    # Incremental updates work on the multi-segment index too.
    write(lib / "new.md", doc("New", "The numbat naps."))
    assert two.update().added == 1
    assert {h.path for h in two.search("numbat").hits} == {"new.md"}


def _segments(ix: LibraryIndex) -> list[tuple[str, int]]:
    from whoosh import index as wix

    from index.engine.schema import build_schema

    gen = ix.store.current()
    assert gen is not None
    wx = wix.open_dir(str(gen), schema=build_schema())
    return [(s.segment_id(), s.doc_count_all()) for s in wx._segments()]


def test_many_small_updates_merge_small_segments_and_leave_the_big_one(tmp_path: Path) -> None:
    """A one-file update must never pay for rewriting the full build's segment; the small
    segments the updates leave behind are merged among themselves, so queries do not slow down
    as edits pile up."""
    lib = tmp_path / "lib"
    for n in range(40):
        write(
            lib / f"d{n:02}.md", doc(f"Doc {n}", "\n\n".join(f"Para {k} of {n}." for k in range(5)))
        )
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    (big, _records), *rest = sorted(_segments(ix), key=lambda s: -s[1])
    assert not rest
    counts = []
    for edit in range(30):
        write(
            lib / "d07.md", doc("Doc 7", f"Edited {edit} times, about the quokka."), bump=edit + 1
        )
        assert ix.update().updated == 1
        segments = _segments(ix)
        counts.append(len(segments))
        assert big in {sid for sid, _ in segments}
    assert max(counts) <= 1 + 2 * TIER_WIDTH  # the big one, and two tiers of small ones at most
    assert any(after < before for before, after in pairwise(counts))  # merges happened
    assert paths_for(ix, "quokka") == {"d07.md"}
    assert ix.search('"Edited 29 times"').total == 1


def test_hits_show_their_own_rows_after_edits_and_merges(tmp_path: Path) -> None:
    """A row's text is kept with an earlier row of its document: after edits of several
    documents and the merges they cause, every hit still shows its own paragraph."""
    lib = tmp_path / "lib"
    names = [f"n{n}" for n in range(8)]
    version = dict.fromkeys(names, 0)
    paragraphs = {name: 3 if n % 2 else 2 * GROUP_ROWS + 3 for n, name in enumerate(names)}

    def put(name: str) -> None:
        paras = [f"Para {k} of {name} v{version[name]} wombat." for k in range(paragraphs[name])]
        write(lib / f"{name}.md", doc(name, "\n\n".join(paras)), bump=version[name])

    for name in names:
        put(name)
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.update()
    counts = []
    for edit in range(2 * TIER_WIDTH + 2):
        name = names[(edit * 3) % len(names)]
        version[name] += 1
        put(name)
        assert ix.update().updated == 1
        counts.append(len(_segments(ix)))
        # Text kept from the last commit's searches is not shown for the new one.
        edited = [h for h in ix.search("wombat", limit=1000).hits if h.path == f"{name}.md"]
        assert edited and all(f" v{version[name]} " in (h.en or "") for h in edited)
    assert any(after < before for before, after in pairwise(counts))  # merges happened
    hits = ix.search("wombat", limit=1000).hits
    seen = set()
    for hit in hits:
        name = Path(hit.path).stem
        assert hit.en is not None
        assert hit.en.startswith("Para ") and f" of {name} v{version[name]} " in hit.en
        assert hit.en.startswith(f"Para {hit.row} of")  # the paragraph of that row
        seen.add(hit.en)
    assert len(seen) == len(hits) == sum(paragraphs.values())
