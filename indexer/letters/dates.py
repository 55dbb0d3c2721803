"""Partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD): reading them, the days they cover, and how
they read in English.

The one place for these rules: front matter, search parameters, TEI import, query syntax and
citations all go through it, so that a date accepted in one place is accepted in all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{1,2}))?(?:-([0-9]{1,2}))?")


def partial_date(text: str, what: str = "the date") -> str:
    """``text`` as a normalised partial date (months and days with two digits), or
    :class:`ValueError` saying what is wrong with ``what`` (e.g. "'from'")."""
    match = _PARTIAL.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{what} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{what}: {text!r} is not a real date ({exc})") from exc
    return "-".join([year] + [f"{int(p):02d}" for p in (month, day) if p])


def first_day(partial: str) -> str:
    return partial + "-01-01"[len(partial) - 4 :] if len(partial) < 10 else partial


def last_day(partial: str) -> str:
    if len(partial) == 10:
        return partial
    month = int(partial[5:7]) if len(partial) == 7 else 12
    days = calendar.monthrange(int(partial[:4]), month)[1]  # any year 0000-9999 (a URL's too)
    return f"{partial[:4]}-{month:02d}-{days:02d}"


def span(letter: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The first and last day a letter's stored date covers (None when undated)."""
    date = letter.get("date")
    start = letter.get("date_from") or date
    end = letter.get("date_to") or date
    return (str(start) if start else None), (str(end) if end else None)


def as_partial(start: str, end: str) -> str | None:
    """The one day, month or year that ``start``–``end`` covers exactly, if any."""
    if start == end:
        return start
    for partial in (start[:7], start[:4]):
        if first_day(partial) == start and last_day(partial) == end:
            return partial
    return None


def human_date(iso: str) -> str:
    """``2024-01-10`` → ``10 January 2024``; ``1916-06`` → ``June 1916``; ``1916`` stays."""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return iso


def date_text(start: str | None, end: str | None) -> str:
    """The days ``start``–``end`` in words: a day, a whole month or year, a range, or
    "undated"."""
    if not start or not end:
        return "undated"
    whole = as_partial(start, end)
    if whole:
        return human_date(whole)
    return f"{human_date(start)} – {human_date(end)}"


def date_label(start: str | None, end: str | None) -> str:
    """The days ``start``–``end`` in ISO form, compact: ``2024-01-19``, ``1916-06``, a range,
    or "undated"."""
    if not start or not end:
        return "undated"
    return as_partial(start, end) or f"{start} – {end}"


def drill_period(
    date_from: str | None, date_to: str | None, years: tuple[str, ...] = ()
) -> str | None:
    """The one year, month or day a search's dates select, if they select exactly one: a
    from/to pair covering it, or else one selected year. The histogram shows its parts."""
    if date_from and date_to:
        return as_partial(first_day(date_from), last_day(date_to))
    if not date_from and not date_to and len(years) == 1 and re.fullmatch(r"\d{4}", years[0]):
        return years[0]  # a year facet value from a URL may be no year at all ("abcd")
    return None


def parts(period: str) -> list[str]:
    """The months of a year, or the days of a month (a day is a part of its month)."""
    if len(period) == 4:
        return [f"{period}-{m:02d}" for m in range(1, 13)]
    month = period[:7]
    last = int(last_day(month)[8:])
    return [f"{month}-{d:02d}" for d in range(1, last + 1)]


def parent(period: str) -> str | None:
    """The period one level up: a day's month, a month's year, nothing above a year."""
    return {10: period[:7], 7: period[:4]}.get(len(period))
