"""What the library says while a first build commits, and which progress reports reach it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from corpus.langid import PENDING
from index.types import INDEXING, MERGING, Coverage, DocInfo, IndexProgress
from tui.library_service import _throttled
from tui.widgets.document_list import badge_text
from tui.widgets.index_status import describe_progress
from tui.widgets.library_filters import Filters, count_langs, filter_documents
from tui.widgets.search_coverage import coverage_note


def test_the_coverage_note_names_documents_when_the_library_is_counted() -> None:
    partial = Coverage(documents=1200, files=1310, files_total=5000, partial=True)
    assert coverage_note(partial, documents=5000) == "search covers 1,200 of 5,000 documents"
    # While the list is still being read, the share of the files indexed is what is known.
    assert coverage_note(partial, documents=None) == (
        "search covers 1,200 documents so far (26% of the files)"
    )
    early = Coverage(documents=16, files=16, files_total=5000, partial=True)
    assert coverage_note(early, documents=None) == (
        "search covers 16 documents so far (under 1% of the files)"
    )
    assert coverage_note(Coverage(5000, 5000, 5000, False), documents=5000) is None
    assert coverage_note(None, documents=5000) is None


def test_progress_names_its_phase_and_what_search_covers() -> None:
    indexing = IndexProgress(1310, 5000, 14_000_000, 53_900_000, searchable=1200)
    assert describe_progress(indexing, first_build=True) == (
        "Indexing 1,310/5,000 files (53.9 MB) · search covers 1,200 documents"
    )
    merging = IndexProgress(
        5000, 5000, 53_900_000, 53_900_000, phase=MERGING, done=1, total=3, unit="steps"
    )
    assert describe_progress(merging, first_build=False) == "Updating index: merging 1/3 steps"


def test_a_commit_or_a_new_phase_is_always_reported() -> None:
    seen: list[IndexProgress] = []
    post = _throttled(seen.append)
    post(IndexProgress(1, 100, 1, 100, phase=INDEXING))
    post(IndexProgress(2, 100, 2, 100, phase=INDEXING))  # within the interval: dropped
    post(IndexProgress(3, 100, 3, 100, phase=INDEXING, searchable=3))  # a commit
    post(IndexProgress(100, 100, 100, 100, phase=MERGING, searchable=3))  # a new phase
    assert [p.files_done for p in seen] == [1, 3, 100]


def test_a_document_of_unknown_language_is_under_no_language_filter_until_known() -> None:
    """Listed before the language model has loaded: not "Other", nor any language."""
    pending = DocInfo("p", "p.md", "Morning", None, None, (), None, PENDING, 3)
    german = replace(pending, id="g", path="g.md", lang="de")
    assert count_langs([pending, german]) == {"other": 1}
    for lang in ("en", "zh", "bilingual", "other"):
        assert pending not in filter_documents([pending, german], Filters((), lang))
    assert filter_documents([pending, german], Filters()) == [pending, german]
    assert badge_text(pending.lang) == "" and badge_text(german.lang) == "DE"


def test_a_search_holds_the_reading_of_the_list_between_two_files(tmp_path: Path) -> None:
    """While a search runs, the thread reading the files for the list waits between two files
    (a search shared the interpreter with it and took seconds); after, or when the listing is
    stopped, it goes on at once."""
    import threading

    from tui.library_listing import Listing

    listing = Listing(tmp_path, report=lambda documents: None)  # its thread is not started
    answers: list[bool] = []

    def between_two_files() -> None:
        answers.append(listing._stopped())

    with listing.held():
        reader = threading.Thread(target=between_two_files)
        reader.start()
        reader.join(0.3)
        assert reader.is_alive() and not answers  # waiting
    reader.join(5)
    assert answers == [False]  # goes on, not stopped

    with listing.held():
        reader = threading.Thread(target=between_two_files)
        reader.start()
        listing.stop()
        reader.join(5)
        assert answers == [False, True]  # stopped while held: returns at once, stopped
