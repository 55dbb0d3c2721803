"""Citations of a letter or of one of its passages (¶ n), as plain text and as CSL-JSON.

Plain text: ``Sender, “Title”, 10 January 2024, ¶ 4. https://…/letters/<id>#p4`` (without the
¶ part and the anchor for the whole letter). Several senders are joined with "and"; an undated
letter says "undated"; a date range reads "19 January 2024 – 29 February 2024", a whole month
"June 1916", a whole year "1916".

CSL-JSON: one item of type ``personal_communication`` with the senders as ``author`` and the
addressees as ``recipient`` (both as ``literal`` names, because the archive does not split
names), ``issued`` as date-parts (two for a range), ``genre`` (the letter's type), ``language``,
the ``URL`` (with ``#p<n>`` for a passage) and the day it was ``accessed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from indexer.letters.dates import first_day, last_day
from indexer.results import letter_url

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def letter_link(letter_id: str, base_url: str, passage: int | None = None) -> str:
    anchor = f"#p{passage}" if passage is not None else ""
    return f"{base_url.rstrip('/')}{letter_url(letter_id)}{anchor}"


def _span(letter: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(date, start, end) as stored: a single day, or a range of full days, or nothing."""
    date = letter.get("date")
    start = letter.get("date_from") or date
    end = letter.get("date_to") or date
    return date, start, end


def _whole(start: str, end: str) -> str | None:
    """``YYYY-MM`` or ``YYYY`` when the range is exactly that month or year."""
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


def date_text(letter: Mapping[str, Any]) -> str:
    date, start, end = _span(letter)
    if date:
        return human_date(str(date))
    if not start or not end:
        return "undated"
    start, end = str(start), str(end)
    if start == end:
        return human_date(start)
    whole = _whole(start, end)
    if whole:
        return human_date(whole)
    return f"{human_date(start)} – {human_date(end)}"


def _people(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def citation_text(letter: Mapping[str, Any], base_url: str, passage: int | None = None) -> str:
    """``Sender, “Title”, date[, ¶ n]. URL``."""
    parts = []
    senders = [str(s) for s in letter.get("senders") or ()]
    if senders:
        parts.append(_people(senders))
    parts.append(f"“{letter.get('title') or letter['id']}”")
    parts.append(date_text(letter))
    if passage is not None:
        parts.append(f"¶ {passage}")
    return f"{', '.join(parts)}. {letter_link(str(letter['id']), base_url, passage)}"


def _date_parts(iso: str) -> list[int]:
    return [int(p) for p in iso.split("-")]


def issued(letter: Mapping[str, Any]) -> dict[str, Any] | None:
    """CSL ``issued``: one date (day, month or year precision) or a two-date range."""
    date, start, end = _span(letter)
    if date:
        return {"date-parts": [_date_parts(str(date))]}
    if not start or not end:
        return None
    start, end = str(start), str(end)
    if start == end:
        return {"date-parts": [_date_parts(start)]}
    whole = _whole(start, end)
    if whole:
        return {"date-parts": [_date_parts(whole)]}
    return {"date-parts": [_date_parts(start), _date_parts(end)]}


def citation_csl(
    letter: Mapping[str, Any],
    base_url: str,
    passage: int | None = None,
    accessed: dt.date | None = None,
) -> dict[str, Any]:
    """One CSL-JSON item for the letter (or the passage: its id and URL carry ``p<n>``);
    ``accessed`` is today unless given."""
    letter_id = str(letter["id"])
    item: dict[str, Any] = {
        "id": f"{letter_id}#p{passage}" if passage is not None else letter_id,
        "type": "personal_communication",
        "title": letter.get("title") or letter_id,
        "author": [{"literal": str(s)} for s in letter.get("senders") or ()],
        "recipient": [
            {"literal": str(r["name"] if isinstance(r, Mapping) else r)}
            for r in letter.get("recipients") or ()
        ],
    }
    date = issued(letter)
    if date:
        item["issued"] = date
    if letter.get("type"):
        item["genre"] = str(letter["type"])
    if letter.get("language"):
        item["language"] = str(letter["language"])
    item["URL"] = letter_link(letter_id, base_url, passage)
    item["accessed"] = {"date-parts": [_date_parts((accessed or dt.date.today()).isoformat())]}
    return item
