"""What an update tells its caller while it runs: the phase, its own counts, rate and ETA.

Each phase counts its own units, so when indexing reaches its last byte the caller sees the next
phase start at zero instead of a bar that sits full while segments, pairs and the document list
are written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from index.build.batches import Cancelled
from index.types import INDEXING, READING, IndexProgress

PROGRESS_EVERY = 0.1  # seconds between progress callbacks within a phase


class Reporter:
    def __init__(
        self,
        callback: Callable[[IndexProgress], None] | None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.callback = callback
        self.cancel = cancel
        self.files_done = self.files_total = self.bytes_done = self.bytes_total = 0
        self.current = ""
        self.phase = READING
        self.unit = "files"
        self.done = self.total = 0
        self.searchable = 0
        self.eta_hint: float | None = None
        self._started = self._last = time.monotonic()

    def check(self) -> None:
        """Raise Cancelled when the caller asked the update to stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled

    def enter(self, phase: str, total: int, unit: str) -> None:
        """Start a phase of `total` units (0: not known)."""
        self.phase, self.total, self.unit, self.done = phase, total, unit, 0
        self.eta_hint = None
        self._started = time.monotonic()
        self._emit(force=True)

    def step(self, done: int | None = None, eta: float | None = None) -> None:
        """One more unit of the phase done (or `done` in all); `eta` when the caller knows it."""
        self.done = self.done + 1 if done is None else done
        self.eta_hint = eta
        self._emit(force=True)

    def files(self, files: int, ftotal: int, nbytes: int, btotal: int, current: str) -> None:
        """Files and bytes indexed out of the total (the indexing phase counts bytes)."""
        self.files_done, self.files_total = files, ftotal
        self.bytes_done, self.bytes_total = nbytes, btotal
        self.current = current
        if self.phase == INDEXING:
            self.done, self.total = nbytes, btotal
        self._emit(force=files >= ftotal)

    def _emit(self, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY:
            return
        self._last = now
        elapsed = now - self._started
        rate = self.done / elapsed if elapsed > 0.05 and self.done else 0.0
        eta = self.eta_hint
        if eta is None and rate > 0 and self.total:
            eta = max(0.0, (self.total - self.done) / rate)
        self.callback(
            IndexProgress(
                self.files_done,
                self.files_total,
                self.bytes_done,
                self.bytes_total,
                self.current,
                phase=self.phase,
                done=self.done,
                total=self.total,
                unit=self.unit,
                rate=rate,
                eta=eta,
                searchable=self.searchable,
            )
        )
