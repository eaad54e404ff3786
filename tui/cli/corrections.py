"""The reader's alignment corrections, as the command line shows them: applied to the document,
stated in `--json`, and a one-line notice on stderr for those that no longer apply."""

from __future__ import annotations

import sys
from typing import Any

from corpus.correction_store import CorrectedDocument, CorrectionStore
from corpus.corrections import dropped_notice
from corpus.model import Document
from corpus.text import printable


def corrected(doc: Document) -> CorrectedDocument:
    """`doc` with the corrections kept for it; read only (a stale correction stays on disk until
    the app drops it), with a notice on stderr for each that no longer applies."""
    opened = CorrectionStore().open(doc)
    dropped = opened.corrected.dropped
    if dropped:
        print(f"llama-reader: {printable(doc.path)}: {dropped_notice(dropped)}", file=sys.stderr)
    return opened


def corrections_json(opened: CorrectedDocument) -> dict[str, Any]:
    """`{"corrected": bool, "corrections": {"applied", "dropped"}}`; when corrected, each row
    also says which rows of the index (as `search` counts them, from 1) its text comes from."""
    result = opened.corrected
    out: dict[str, Any] = {"corrected": result.changed}
    if result.applied or result.dropped:
        out["corrections"] = {
            "applied": len(result.applied),
            "dropped": [c.describe() for c in result.dropped],
        }
    return out


def aligned_rows(opened: CorrectedDocument, index: int) -> list[int]:
    """The rows of the index (from 1) whose text corrected row `index` holds."""
    en, zh = opened.corrected.origins[index]
    return sorted({r + 1 for r in (*en, *zh)})
