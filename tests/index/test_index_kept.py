"""What is read once per segment and kept across commits (`index.engine.kept`): reused while the
segment's file is unchanged, read again when it is not, dropped when the segment is merged away."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from index.engine import kept as kept_module
from index.engine.kept import keep_only, kept
from index.library_index import LibraryIndex
from tests.index_helpers import write


def _reader(folder: Path, segment_id: str) -> Any:
    return SimpleNamespace(
        _storage=SimpleNamespace(folder=str(folder)),
        _segment=SimpleNamespace(segment_id=lambda: segment_id),
    )


def test_a_value_is_made_again_only_when_its_file_changes(tmp_path: Path) -> None:
    made: list[int] = []

    def make() -> int:
        made.append(1)
        return len(made)

    path = tmp_path / "s1.lex"
    path.write_bytes(b"one")
    reader = _reader(tmp_path, "s1")
    assert kept(reader, "lexicon", "s1.lex", make) == 1
    assert kept(reader, "lexicon", "s1.lex", make) == 1  # kept
    assert kept(reader, "codes", "s1.lex", make) == 2  # another kind of value
    path.write_bytes(b"changed")  # never done to a segment's files, but then it is read again
    assert kept(reader, "lexicon", "s1.lex", make) == 3
    path.unlink()
    assert kept(reader, "lexicon", "s1.lex", make) == 4  # lost: `make` says what that means
    assert kept(reader, "lexicon", "s1.lex", make) == 5
    memory = _reader(tmp_path, "s2")
    memory._storage = SimpleNamespace()  # RAM storage: nothing kept
    assert kept(memory, "lexicon", "s1.lex", make) == 6


def test_segments_merged_away_are_forgotten(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.lex").write_bytes(name.encode())
        kept(_reader(tmp_path, name), "lexicon", f"{name}.lex", lambda: None)
    keep_only(str(tmp_path), ["b"])
    left = {key[1] for key in kept_module._kept if key[0] == str(tmp_path)}
    assert left == {"b"}


def test_a_generation_replaced_is_forgotten(tmp_path: Path) -> None:
    from index.engine.kept import forget_others

    for gen in ("gen-1", "gen-2", "gen-10"):
        (tmp_path / gen).mkdir()
        (tmp_path / gen / "s.lex").write_bytes(b"x")
        kept(_reader(tmp_path / gen, gen), "lexicon", "s.lex", lambda: None)
    forget_others(str(tmp_path), str(tmp_path / "gen-1"))
    left = {key[0] for key in kept_module._kept if key[0].startswith(str(tmp_path))}
    assert left == {str(tmp_path / "gen-1")}


def test_a_commit_reuses_the_term_files_of_the_segments_it_keeps(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for i in range(3):
        write(lib / f"note{i}.md", f"# Note {i}\n\nThe heron waits, note {i}.\n")
    ix = LibraryIndex(lib, tmp_path / "index", workers=1)
    ix.update()
    assert ix.search("heron", limit=10).total == 3
    before = {
        leaf.reader._segment.segment_id(): leaf for leaf in ix._context(ix._require()).segments
    }
    write(lib / "note3.md", "# Note 3\n\nThe heron flies, note 3.\n")
    ix.update()
    assert ix.search("heron", limit=10).total == 4
    after = ix._context(ix._require()).segments
    shared = [leaf for leaf in after if leaf.reader._segment.segment_id() in before]
    assert shared and len(after) > len(shared)  # the new file is a new segment
    for leaf in shared:
        assert leaf.lexicon is before[leaf.reader._segment.segment_id()].lexicon
    ix.close()
