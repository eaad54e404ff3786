"""The indexing bar shown under the list while the index is built or updated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from index.types import INDEXING, IndexProgress

if TYPE_CHECKING:
    from textual.widgets import ProgressBar


def describe_progress(progress: IndexProgress, *, first_build: bool) -> str:
    """The bar's label: the phase with its counts, and what search covers while a first build
    commits ("Indexing 1,310/5,000 files (53.9 MB) · search covers 1,200 documents")."""
    verb = "Indexing" if first_build else "Updating index"
    if progress.phase == INDEXING and progress.files_total:
        mb = progress.bytes_total / 1_000_000
        size = f" ({mb:.1f} MB)" if mb >= 0.1 else ""
        text = f"{verb} {progress.files_done:,}/{progress.files_total:,} files{size}"
    elif progress.phase != INDEXING and progress.total:
        text = f"{verb}: {progress.phase} {progress.done:,}/{progress.total:,} {progress.unit}"
    elif progress.phase != INDEXING:
        text = f"{verb}: {progress.phase}…"
    else:
        text = f"{verb}…"
    if progress.searchable:
        text += f" · search covers {progress.searchable:,} documents"
    return text


class IndexStatus(Horizontal):
    DEFAULT_CSS = """
    IndexStatus {
        height: 1;
        display: none;
        background: $panel;
        &.-busy { display: block; }
        #index-label { width: 1fr; color: $text-muted; padding: 0 1; }
        ProgressBar { width: auto; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="index-label", markup=False)

    @property
    def bar(self) -> ProgressBar:
        """The bar, made the first time it is needed (most launches never index)."""
        from textual.widgets import ProgressBar

        for bar in self.query(ProgressBar).results(ProgressBar):
            return bar
        bar = ProgressBar(show_eta=False, id="index-bar")
        self.mount(bar)
        return bar

    def start(self, *, first_build: bool) -> None:
        self.first_build = first_build
        self.add_class("-busy")
        bar = self.bar
        bar.update(total=None, progress=0)
        self.query_one("#index-label", Static).update(
            Content("Indexing the library…" if first_build else "Checking the library…")
        )

    def advance(self, progress: IndexProgress) -> None:
        bar = self.bar
        if progress.total:  # each phase fills its own bar: none sits full while work goes on
            bar.update(total=progress.total, progress=progress.done)
        elif progress.bytes_total:
            bar.update(total=progress.bytes_total, progress=progress.bytes_done)
        elif progress.files_total:
            bar.update(total=progress.files_total, progress=progress.files_done)
        label = describe_progress(progress, first_build=getattr(self, "first_build", False))
        self.query_one("#index-label", Static).update(Content(label))

    def stop(self) -> None:
        self.remove_class("-busy")
