"""A document's date as the term `date:` filters compare."""

from __future__ import annotations


def index_date(date: str | None) -> str | None:
    """The date as indexed for `date:` filters: its ISO calendar part (YYYY, YYYY-MM or
    YYYY-MM-DD), so plain string ranges compare chronologically."""
    if not date:
        return None
    part = date[:10]
    return part if part[:4].isdigit() else None
