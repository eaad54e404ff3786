"""Shared fixtures: the real documents in ../shared (when present) and small temp libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
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
