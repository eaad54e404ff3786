"""Dates as documents state them, normalised to ISO 8601.

Frontmatter gives dates as YAML dates, ISO strings, epoch seconds or prose ("July 18, 2023");
clippings bury them in header lines ("AI5 min read18 July 2023", "2023年7月18日").
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS = [
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mon>[01]?\d)-(?P<day>[0-3]?\d)(?![\d])"),
    re.compile(r"(?P<year>(?:19|20)\d\d)/(?P<mon>[01]?\d)/(?P<day>[0-3]?\d)(?![\d])"),
    re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<mon>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日"),
    re.compile(rf"(?i)(?<![a-z]){_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\d)"),
    re.compile(rf"(?i)(?<!\d){_DAY}\s+{_MONTH},?\s+{_YEAR}(?!\d)"),
]


_CLIPPER_OFFSET = re.compile(
    r"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?)\s*\((?:UTC|GMT)\s*([+-]\d\d?)(:\d\d)?\)"
)


def normalise_date(value: object) -> str | None:
    """ISO 8601 for a frontmatter date value, or None when it is not a date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{9,13}(?:\.\d+)?", text):
        return _from_epoch(float(text))
    if m := _CLIPPER_OFFSET.fullmatch(text):  # MarkDownload: `2024-07-24T09:15:00 (UTC +08:00)`
        hours = m.group(2)
        text = f"{m.group(1).replace(' ', 'T')}{hours[0]}{hours[1:].zfill(2)}{m.group(3) or ':00'}"
    try:
        parsed = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
    except ValueError:
        found = find_date(text)
        return found
    if len(text) <= 10 and parsed.time() == dt.time():
        return parsed.date().isoformat()
    return parsed.isoformat()


def find_date(text: str) -> str | None:
    """The first plausible calendar date written anywhere in `text`, as YYYY-MM-DD."""
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        month = _MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["mon"])
        try:
            day = dt.date(int(groups["year"]), month, int(groups["day"]))
        except ValueError:
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), day.isoformat())
    return best[1] if best else None


def _from_epoch(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None
