"""The language model kept decompressed in the user cache answers as the packaged one does."""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from corpus import langid_model

TEXTS = [
    "The quick brown fox jumps over the lazy dog while the farmer sleeps.",
    "Der schnelle braune Fuchs springt über den faulen Hund, der im Garten schläft.",
    "Быстрая коричневая лиса перепрыгивает через ленивую собаку во дворе.",
    "Le renard brun rapide saute par-dessus le chien paresseux dans le jardin.",
    "El rápido zorro marrón salta sobre el perro perezoso en el jardín.",
]


@pytest.fixture(scope="module")
def packaged() -> list[tuple[str, float]]:
    model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return [model.classify(t) for t in TEXTS]


def _answers(model: object) -> list[tuple[str, float]]:
    return [model.classify(t) for t in TEXTS]  # type: ignore[attr-defined]


def test_kept_model_answers_as_the_packaged_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packaged: list[tuple[str, float]]
) -> None:
    monkeypatch.setattr(langid_model, "cache_dir", lambda: tmp_path)
    first = langid_model.load()
    kept = list((tmp_path / langid_model.FOLDER).iterdir())
    assert len(kept) == 1 and sorted(f.name for f in kept[0].iterdir()) == sorted(
        f"{n}.npy" for n in langid_model.ARRAYS
    )
    assert _answers(first) == packaged

    def no_second_copy(*_args: object) -> None:
        raise AssertionError("the kept copy was not used")

    monkeypatch.setattr(langid_model, "_keep", no_second_copy)
    assert _answers(langid_model.load()) == packaged


def test_a_damaged_copy_is_kept_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packaged: list[tuple[str, float]]
) -> None:
    monkeypatch.setattr(langid_model, "cache_dir", lambda: tmp_path)
    langid_model.load()
    (kept,) = (tmp_path / langid_model.FOLDER).iterdir()
    table = kept / "ptc.npy"
    table.write_bytes(table.read_bytes()[: 1 << 16])  # cut short
    assert _answers(langid_model.load()) == packaged
    assert table.stat().st_size > 1 << 20
    stale = tmp_path / langid_model.FOLDER / "123-456"  # an older model's copy
    stale.mkdir()
    (kept / "pc.npy").unlink()  # damaged again: kept anew, and the older copy dropped
    assert _answers(langid_model.load()) == packaged
    assert not stale.exists()


def test_an_unwritable_cache_reads_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packaged: list[tuple[str, float]]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setattr(langid_model, "cache_dir", lambda: blocker)
    assert _answers(langid_model.load()) == packaged
    assert blocker.read_text() == "a file where the cache folder would be"
