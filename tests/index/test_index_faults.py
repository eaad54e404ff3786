"""A damaged index is found and rebuilt, never believed; bad environments get one clear line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.library_index import IndexDamaged, IndexWriteError, LibraryIndex
from index.storage import manifest
from tests.index_helpers import write

REPO = Path(__file__).resolve().parents[2]
QUERIES = ("llamas", "羊驼", "grass OR 草")


def small_library(root: Path) -> Path:
    write(root / "a.md", "# Llamas\n\nLlamas eat grass on the hills.\n\n羊驼在山上吃草。\n")
    write(root / "b.md", "# Alpacas\n\nAlpacas are smaller than llamas.\n")
    write(root / "c.md", "# 草原\n\n草原上的羊驼很多。\n")
    return root


def totals(ix: LibraryIndex) -> dict[str, int]:
    return {q: ix.search(q).total for q in QUERIES}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    base = tmp_path_factory.mktemp("pristine")
    lib = small_library(base / "lib")
    ix = LibraryIndex(lib, base / "ix", workers=1)
    ix.update()
    expected = totals(ix)
    ix.close()
    assert all(expected.values()), expected
    return lib, base / "ix", expected


def generation_files(ix_dir: Path) -> list[Path]:
    (home,) = ix_dir.iterdir()
    gen = home / (home / "CURRENT").read_text().strip()
    return sorted(p for p in gen.iterdir() if p.name not in ("readers.lock", "MAIN_WRITELOCK"))


def cut_in_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def scramble_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    noise = os.urandom(min(64, max(1, len(data) // 4)))
    data[mid : mid + len(noise)] = bytes(b ^ 0xA5 for b in noise) if len(noise) else b""
    path.write_bytes(bytes(data))


def _file_ids(pristine: tuple[Path, Path, dict[str, int]]) -> list[str]:
    return [p.name for p in generation_files(pristine[1])]


@pytest.mark.parametrize("damage", [cut_in_half, scramble_middle], ids=["cut", "scrambled"])
def test_every_file_damaged_is_found_and_one_index_repairs_it(
    tmp_path: Path, pristine: tuple[Path, Path, dict[str, int]], damage: object
) -> None:
    lib, ix_dir, expected = pristine
    names = [p.name for p in generation_files(ix_dir)]
    # The index files proper, and the small files beside them.
    assert {"catalog.jsonl", "files.json", "meta.json", manifest.NAME} <= set(names)
    assert all(any(n.endswith(ext) for n in names) for ext in (".pst", ".arr", ".lex"))
    for name in names:
        work = tmp_path / name
        shutil.copytree(ix_dir, work)
        target = next(p for p in generation_files(work) if p.name == name)
        before = target.read_bytes()
        damage(target)  # type: ignore[operator]
        if target.read_bytes() == before:
            continue  # an empty file (all posting lists inlined) has nothing to damage
        ix = LibraryIndex(lib, work, workers=1)
        try:
            got = totals(ix)
        except IndexDamaged as exc:
            assert "\n" not in str(exc) and "llama-reader index" in str(exc)
        else:  # what is not an index file may be ignored, never believed wrongly
            assert got == expected, name
        summary = ix.update()
        assert totals(ix) == expected, name
        if name.startswith(("MAIN_", "_MAIN_")):
            assert summary.rebuilt, name
            assert any("damaged" in m for m in summary.messages), (name, summary.messages)
        ix.close()


def test_a_search_that_meets_damage_repairs_and_says_so(
    tmp_path: Path, pristine: tuple[Path, Path, dict[str, int]]
) -> None:
    lib, ix_dir, expected = pristine
    work = tmp_path / "ix"
    shutil.copytree(ix_dir, work)
    pst = next(p for p in generation_files(work) if p.suffix == ".pst")
    scramble_middle(pst)
    ix = LibraryIndex(lib, work, workers=1)
    results = ix.search("llamas", repair=True)
    assert results.total == expected["llamas"]
    assert results.notes and "damaged" in results.notes[0] and ".pst" in results.notes[0]
    assert ix.search("羊驼").total == expected["羊驼"]  # and the repair stays


def test_current_that_is_not_utf8_is_rebuilt(
    tmp_path: Path, pristine: tuple[Path, Path, dict[str, int]]
) -> None:
    lib, ix_dir, expected = pristine
    work = tmp_path / "ix"
    shutil.copytree(ix_dir, work)
    (home,) = work.iterdir()
    (home / "CURRENT").write_bytes(b"\xff\xfe gen-\x80\n")
    ix = LibraryIndex(lib, work, workers=1)
    assert not ix.is_current()
    assert ix.update().rebuilt
    assert totals(ix) == expected


def cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **kwargs.pop("env", {})}  # type: ignore[dict-item]
    return subprocess.run(
        [sys.executable, "-m", "tui.cli.main", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        **kwargs,  # type: ignore[call-overload]
    )


def one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode != 0, r
    assert "Traceback" not in r.stderr, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_index_dir_that_is_a_file(tmp_path: Path) -> None:
    lib = small_library(tmp_path / "lib")
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    line = one_line_error(cli("index", "--library", str(lib), "--index", str(blocker)))
    assert "cannot write the search index" in line and "blocker" in line


def test_cache_home_under_a_file(tmp_path: Path) -> None:
    lib = small_library(tmp_path / "lib")
    (tmp_path / "file").write_text("x")
    env = {"XDG_CACHE_HOME": str(tmp_path / "file" / "cache"), "LLAMA_READER_INDEX": ""}
    line = one_line_error(cli("index", "--library", str(lib), env=env))
    assert "cannot write the search index" in line
    r = cli("search", "llamas", "--library", str(lib), env=env)
    one_line_error(r)


def test_writer_lock_that_is_a_directory(tmp_path: Path) -> None:
    lib = small_library(tmp_path / "lib")
    ix = LibraryIndex(lib, tmp_path / "ix")
    ix.home.mkdir(parents=True)
    (ix.home / "writer.lock").mkdir()
    with pytest.raises(IndexWriteError, match=r"writer\.lock"):
        ix.update()


def test_whooshs_own_lock_held_elsewhere_reports_no_update(tmp_path: Path) -> None:
    from whoosh import index as wix

    from index.engine.schema import build_schema

    lib = small_library(tmp_path / "lib")
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1, writer_timeout=0.2)
    ix.update()
    gen = ix.store.current()
    assert gen is not None
    holder = wix.open_dir(str(gen), schema=build_schema()).writer()
    try:
        write(lib / "d.md", "# Vicuñas\n\nVicuñas live high up.\n", bump=2)
        summary = ix.update()
        assert summary.locked
        assert "another llama-reader process" in summary.messages[0]
    finally:
        holder.cancel()
    assert not ix.update().locked
    assert {h.path for h in ix.search("vicuñas").hits} == {"d.md"}


def test_rebuild_that_waited_for_another_writer_fails_and_says_so(tmp_path: Path) -> None:
    from index.storage.store import FileLock

    lib = small_library(tmp_path / "lib")
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    code = (
        "import sys,time; from index.storage.store import FileLock; from pathlib import Path;"
        f"l=FileLock(Path({str(ix.home / 'writer.lock')!r})); l.acquire(5);"
        "print('held', flush=True); time.sleep(30)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert FileLock  # the same lock class the index takes
        r = subprocess.run(
            [sys.executable, "-c", (
                "import sys; from tui.cli.main import main; from index import library_index;"
                "library_index.WRITER_TIMEOUT = 0.3;"
                f"sys.exit(main(['index', '--rebuild', '--library', {str(lib)!r},"
                f" '--index', {str(tmp_path / 'ix')!r}]))"
            )],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert r.returncode == 1
    assert "rebuild did not happen" in r.stderr
    assert "rebuilt" not in r.stdout


def test_full_disk_during_a_build_keeps_the_old_index(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        lib = small_library(tmp_path / "lib")
        ix = LibraryIndex(lib, mount, workers=1)
        ix.update()
        before = totals(ix)
        for i in range(40):  # far more text than the disk holds
            body = " ".join(f"word{i}x{j} 字{i}词{j}" for j in range(400))
            write(lib / f"big{i}.md", f"# Big {i}\n\n{body}\n", bump=3)
        with pytest.raises(IndexWriteError, match="is full; the previous index is kept"):
            ix.update(rebuild=True)
        ix.close()
        again = LibraryIndex(lib, mount, workers=1)
        assert totals(again) == before
        again.close()
    finally:
        unmounted = subprocess.run(["umount", str(mount)], capture_output=True, text=True)
        if unmounted.returncode != 0:  # leave no mount behind, but say what held it
            subprocess.run(["umount", "-l", str(mount)], check=False)
    assert unmounted.returncode == 0, f"files of the closed index are still open: {unmounted}"


def test_stdout_on_a_full_device() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "tui.cli.main", "docs", "--json"],
            cwd=REPO,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "could not write the output" in r.stderr


@pytest.mark.parametrize("stdin", ["closed", "pipe"])
def test_the_app_without_a_terminal_says_so(stdin: str) -> None:
    cmd = [sys.executable, "-m", "tui.cli.main"]
    if stdin == "closed":
        r = subprocess.run(
            ["bash", "-c", 'exec "$@" <&-', "_", *cmd],
            cwd=REPO, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    else:
        r = subprocess.run(cmd, cwd=REPO, input="", capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stdout == ""  # no escape codes into the pipe
    assert "needs a terminal" in r.stderr and "Traceback" not in r.stderr


def test_hostile_file_names_are_printed_escaped(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write(lib / "red\x1b[31mname\x1b]0;owned\x07.md", "# Quokkas\n\nQuokkas smile.\n")
    r = cli("search", "quokkas", "--library", str(lib), "--index", str(tmp_path / "ix"))
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "red\\x1b[31mname\\x1b]0;owned\\x07.md" in r.stdout


def test_invalid_argument_bytes_still_give_valid_json(tmp_path: Path) -> None:
    lib = small_library(tmp_path / "lib")
    r = subprocess.run(
        [sys.executable.encode(), b"-m", b"tui.cli.main", b"search", b"llamas \xff\xfe",
         b"--json", b"--library", str(lib).encode(), b"--index", str(tmp_path / "ix").encode()],
        cwd=REPO, capture_output=True, timeout=120,
    )  # fmt: skip
    out = r.stdout.decode("utf-8")  # strict: must be valid UTF-8
    assert json.loads(out)["query"].startswith("llamas")
    assert "not valid UTF-8" in r.stderr.decode("utf-8")


def test_hostile_queries_are_bounded(tmp_path: Path) -> None:
    lib = small_library(tmp_path / "lib")
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    deep = ix.search("(" * 600 + "llamas" + ")" * 600)
    assert deep.total == ix.search("llamas").total
    assert any("nesting" in part for part in deep.ignored)
    long = ix.search("l" * 100_000)
    assert long.total == 0 and long.suggestion is None
    assert any("past the first 1,000" in part for part in long.ignored)


def test_a_file_made_unreadable_after_indexing_leaves_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = small_library(tmp_path / "lib")
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    assert {h.path for h in ix.search("alpacas").hits} == {"b.md"}
    hidden = str(lib / "b.md")
    real_access = os.access
    # chmod 000 keeps size and mtime; root reads it anyway, so the refusal is simulated here.
    (lib / "b.md").chmod(0)
    monkeypatch.setattr(os, "access", lambda p, m: p != hidden and real_access(p, m))
    try:
        assert not ix.is_current()
        summary = ix.update()
        assert summary.removed == 1 and summary.skipped >= 1
        assert ix.search("alpacas").total == 0
    finally:
        (lib / "b.md").chmod(0o644)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_chmod_000_after_indexing(tmp_path: Path) -> None:
    lib = small_library(tmp_path / "lib")
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    (lib / "b.md").chmod(0)
    try:
        ix.update()
        assert ix.search("alpacas").total == 0
    finally:
        (lib / "b.md").chmod(0o644)


def test_links_out_of_the_library_are_not_followed(tmp_path: Path) -> None:
    lib = small_library(tmp_path / "lib")
    outside = write(tmp_path / "secret.md", "# Secret\n\nThe vault code is wombat.\n")
    (lib / "x.md").symlink_to(outside)
    (lib / "inner.md").symlink_to(lib / "b.md")
    (lib / "device.md").symlink_to("/dev/null")
    r = cli("docs", "--json", "--library", str(lib))
    paths = {d["path"] for d in json.loads(r.stdout)}
    assert "x.md" not in paths and "inner.md" in paths
    assert "x.md: symlink to outside the library" in r.stderr
    assert "device.md: not a regular file" in r.stderr
    r = cli("search", "wombat", "--library", str(lib), "--index", str(tmp_path / "ix"))
    assert r.returncode == 1
    r = cli(
        "search", "wombat", "--follow-links", "--library", str(lib),
        "--index", str(tmp_path / "ix2"),
    )  # fmt: skip
    assert r.returncode == 0 and "x.md" in r.stdout
