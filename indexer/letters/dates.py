"""Partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) as the first or last day they cover."""

from __future__ import annotations

import datetime as dt


def first_day(partial: str) -> str:
    return partial + "-01-01"[len(partial) - 4 :] if len(partial) < 10 else partial


def last_day(partial: str) -> str:
    if len(partial) == 10:
        return partial
    year = int(partial[:4])
    month = int(partial[5:7]) if len(partial) == 7 else 12
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).isoformat()
