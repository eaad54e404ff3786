"""Shared fixtures: the real documents in ../shared (when present) and small temp libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path:
    """../shared beside the checkout, or beside the main checkout when this is a git worktree
    (whose `.git` is a file naming `<main>/.git/worktrees/<name>`)."""
    shared = REPO.parent / "shared"
    git = REPO / ".git"
    if not shared.is_dir() and git.is_file():
        line = git.read_text(encoding="utf-8").strip()
        if line.startswith("gitdir:"):
            main = Path(line.removeprefix("gitdir:").strip()).parents[2]
            if (main.parent / "shared").is_dir():
                return main.parent / "shared"
    return shared


SHARED = _shared_dir()
SEEDS = SHARED / "seeds"
REALWORLD = SHARED / "realworld"
SAMPLE_LIBRARY = REPO / "corpus" / "sample_library"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS


@pytest.fixture
def realworld_dir() -> Path:
    if not REALWORLD.is_dir():
        pytest.skip("../shared/realworld is not present")
    return REALWORLD


@pytest.fixture
def seed(seeds_dir: Path):  # type: ignore[no-untyped-def]
    """Load one seed by its number prefix: seed("000")."""
    from corpus.loader import load_document
    from corpus.model import Document

    def load(prefix: str) -> Document:
        path = next(seeds_dir.glob(f"{prefix}_*"))
        doc = load_document(path, seeds_dir)
        assert isinstance(doc, Document), doc
        return doc

    return load
