"""Translation pairs in the index: found across the whole library, kept right by updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.library_index import LibraryIndex
from index.types import DocInfo
from tests.index_helpers import write

EN = "---\ntitle: {title}\n{extra}---\n\n# {title}\n\nThe {animal} sleeps in the sun.\n\n"
EN += "It wakes at noon.\n"
ZH = "---\ntitle: {title}\n{extra}---\n\n# {title}\n\n{animal}在阳光下睡觉。\n\n它中午醒来。\n"


def en(title: str, animal: str, extra: str = "") -> str:
    return EN.format(title=title, animal=animal, extra=extra)


def zh(title: str, animal: str, extra: str = "") -> str:
    return ZH.format(title=title, animal=animal, extra=extra)


def by_files(ix: LibraryIndex) -> dict[tuple[str, ...], DocInfo]:
    return {d.files: d for d in ix.documents()}


def filler(lib: Path, folder: str, n: int) -> None:
    """Unrelated documents that push two files of a pair into different loading batches."""
    for i in range(n):
        write(lib / folder / f"note-{i:03}.md", f"# Note {i}\n\nA note about item {i}.\n")


def test_parallel_folders_pair_across_many_files(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for i in range(70):  # more than one batch of files on each side
        write(lib / "content" / "en" / f"post-{i:02}.md", en(f"Post {i}", "cat"))
        write(lib / "content" / "zh" / f"post-{i:02}.md", zh(f"文章 {i}", "猫"))
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    assert ix.update().added == 70
    docs = ix.documents()
    assert len(docs) == 70
    assert all(d.lang == "bilingual" and len(d.files) == 2 for d in docs)
    post = by_files(ix)[("content/en/post-42.md", "content/zh/post-42.md")]
    assert (post.title, post.title_alt) == ("Post 42", "文章 42")
    hit = next(h for h in ix.search("阳光", limit=1000).hits if h.id == post.id)
    assert hit.en == "The cat sleeps in the sun." and hit.zh == "猫在阳光下睡觉。"


def test_frontmatter_links_pair_files_far_apart(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write(lib / "a-english" / "otter.md", en("Otter", "otter", "translationKey: otter\n"))
    filler(lib, "m-notes", 80)
    write(lib / "z-chinese" / "水獭.md", zh("水獭", "水獭", "translationKey: otter\n"))
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    summary = ix.update()
    assert summary.added == 81
    pair = by_files(ix)[("a-english/otter.md", "z-chinese/水獭.md")]
    assert pair.lang == "bilingual"
    assert not any(d.path == "z-chinese/水獭.md" for d in ix.documents())
    rows = ix.load_document(pair.id).rows
    assert any(r.en and r.zh and "otter" in r.en.text and "水獭" in r.zh.text for r in rows)


def test_parallel_build_pairs_across_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.build.updating

    monkeypatch.setattr(index.build.updating, "PARALLEL_MIN_BYTES", 0)
    lib = tmp_path / "lib"
    write(lib / "a" / "heron.md", en("Heron", "heron", "translationKey: heron\n"))
    filler(lib, "m", 150)
    write(lib / "z" / "heron.md", zh("苍鹭", "苍鹭", "translationKey: heron\n"))
    ix = LibraryIndex(lib, tmp_path / "ix", workers=2)
    ix.update()
    assert ("a/heron.md", "z/heron.md") in by_files(ix)
    assert len(ix.documents()) == 151


def test_updates_pair_and_unpair(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write(lib / "en" / "fox.md", en("Fox", "fox"))
    filler(lib, "notes", 70)
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    assert by_files(ix)[("en/fox.md",)].lang == "en"

    # The translation arrives: the English document becomes a pair, not two documents.
    write(lib / "zh" / "fox.md", zh("狐狸", "狐狸"))
    s = ix.update()
    assert (s.added, s.updated, s.removed) == (1, 0, 0)
    docs = by_files(ix)
    assert ("en/fox.md",) not in docs and ("zh/fox.md",) not in docs
    assert docs[("en/fox.md", "zh/fox.md")].title_alt == "狐狸"
    assert {h.path for h in ix.search("狐狸").hits} == {"en/fox.md"}

    # A link in frontmatter pairs a file elsewhere; its own name-partner is left on its own.
    write(lib / "other" / "renard.md", zh("另一只狐狸", "狐狸", "translation_of: /en/fox.md\n"))
    ix.update()
    docs = by_files(ix)
    assert ("en/fox.md", "other/renard.md") in docs
    assert docs[("zh/fox.md",)].lang == "zh"

    # Removing the link gives the name pair back.
    write(lib / "other" / "renard.md", zh("另一只狐狸", "狐狸"), bump=2)
    ix.update()
    docs = by_files(ix)
    assert ("en/fox.md", "zh/fox.md") in docs and ("other/renard.md",) in docs

    # Deleting the translation leaves the original alone again.
    (lib / "zh" / "fox.md").unlink()
    s = ix.update()
    assert s.removed == 1
    assert by_files(ix)[("en/fox.md",)].lang == "en"
    assert len(ix.documents()) == 72


def test_touched_pair_file_keeps_its_pair(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write(lib / "en" / "owl.md", en("Owl", "owl"))
    write(lib / "zh" / "owl.md", zh("猫头鹰", "猫头鹰"))
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    write(lib / "zh" / "owl.md", zh("猫头鹰", "猫头鹰"), bump=3)  # same bytes, new mtime
    s = ix.update()
    assert (s.added, s.updated, s.removed) == (0, 0, 0)
    assert ix.is_current()
    assert list(by_files(ix)) == [("en/owl.md", "zh/owl.md")]
    write(lib / "en" / "new.md", en("New", "newt"))
    ix.update()
    assert ("en/owl.md", "zh/owl.md") in by_files(ix)


def test_editing_the_text_of_a_paired_file_keeps_the_pair(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write(lib / "en" / "owl.md", en("Owl", "owl"))
    write(lib / "zh" / "owl.md", zh("猫头鹰", "猫头鹰"))
    write(lib / "en" / "hen.md", en("Hen", "hen"))
    write(lib / "zh" / "hen.md", zh("母鸡", "母鸡"))
    ix = LibraryIndex(lib, tmp_path / "ix", workers=1)
    ix.update()
    write(lib / "zh" / "owl.md", zh("猫头鹰", "夜里的猫头鹰在叫"), bump=3)
    s = ix.update()
    assert (s.added, s.updated, s.removed) == (0, 1, 0)
    assert list(by_files(ix)) == [("en/hen.md", "zh/hen.md"), ("en/owl.md", "zh/owl.md")]
    assert {h.path for h in ix.search("在叫").hits} == {"en/owl.md"}
    # A new title in the translation changes what pairing reads: still one pair, retitled.
    write(lib / "zh" / "owl.md", zh("夜猫子", "夜里的猫头鹰在叫"), bump=6)
    ix.update()
    docs = by_files(ix)
    assert docs[("en/owl.md", "zh/owl.md")].title_alt == "夜猫子"
    assert len(docs) == 2
