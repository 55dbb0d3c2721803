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

from indexer.letters.dates import as_partial, date_text, span


def _anchored(url: str, passage: int | None) -> str:
    return f"{url}#p{passage}" if passage is not None else url


def _people(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def citation_text(letter: Mapping[str, Any], url: str, passage: int | None = None) -> str:
    """``Sender, “Title”, date[, ¶ n]. URL``; ``url`` is the letter's permanent address."""
    parts = []
    senders = [str(s) for s in letter.get("senders") or ()]
    if senders:
        parts.append(_people(senders))
    parts.append(f"“{letter.get('title') or letter['id']}”")
    parts.append(date_text(*span(letter)))
    if passage is not None:
        parts.append(f"¶ {passage}")
    return f"{', '.join(parts)}. {_anchored(url, passage)}"


def _date_parts(iso: str) -> list[int]:
    return [int(p) for p in iso.split("-")]


def issued(letter: Mapping[str, Any]) -> dict[str, Any] | None:
    """CSL ``issued``: one date (day, month or year precision) or a two-date range."""
    start, end = span(letter)
    if not start or not end:
        return None
    whole = as_partial(start, end)
    if whole:
        return {"date-parts": [_date_parts(whole)]}
    return {"date-parts": [_date_parts(start), _date_parts(end)]}


def citation_csl(
    letter: Mapping[str, Any],
    url: str,
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
    item["URL"] = _anchored(url, passage)
    item["accessed"] = {"date-parts": [_date_parts((accessed or dt.date.today()).isoformat())]}
    return item
