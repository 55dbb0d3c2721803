"""A TEI ``date`` as front-matter date fields, never more precise than the edition knows.

Editions often write a full ISO value where they know less: ``when="1877-02-01"`` for
"[Februar 1877?]", ``when="1845-01-01"`` for "[1845]", or ``when="1000-04-05"`` (or
``0000-04-05``) for "05. April" of an unknown year. When the date's own text is there, the value
keeps only what the text attests (year, month, day); a year the text does not name leaves the
letter undated. ``notBefore``/``notAfter`` and ``from``/``to`` become a range; a ``cert`` below
high or a "?" in the text is noted as uncertain.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from indexer.formats.xml_reader import text_of
from indexer.letters.dates import first_day, last_day, partial_date
from indexer.letters.text import fold_text

_ISO_DATE = re.compile(
    r"(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)

# how month names start in the languages of European letters (folded: no accents)
_MONTH_PREFIXES = (
    ("jan", "jän", "genn", "ener"),
    ("feb", "fév"),
    ("mar", "mär"),
    ("apr", "avr", "abr"),
    ("may", "mai", "mag", "maj"),
    ("jun", "juin", "giu"),
    ("jul", "juil", "lug"),
    ("aug", "aoû", "ago"),
    ("sep", "sett"),
    ("oct", "okt", "ott"),
    ("nov",),
    ("dec", "dez", "déc", "dic"),
)
_MONTHS = {fold_text(p): n for n, prefixes in enumerate(_MONTH_PREFIXES, 1) for p in prefixes}


def iso_date(value: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a time part is dropped), if a real date."""
    match = _ISO_DATE.fullmatch((value or "").strip())
    if not match:
        return None
    try:
        date = partial_date(match.group("date"))
    except ValueError:
        return None
    return date if int(date[:4]) > 1000 else None  # 0000 and 1000 stand for "year unknown"


def _months_named(text: str) -> set[int]:
    words = re.findall(r"[^\W\d_]{3,}", fold_text(text))
    return {n for word in words for prefix, n in _MONTHS.items() if word.startswith(prefix)}


def attested(value: str, text: str) -> str | None:
    """The part of the ISO ``value`` that the date's ``text`` attests; None if not the year.

    A text with neither a number nor a month name (such as "Pfingsten") cannot be checked
    against, so the value stays as it is.
    """
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    months = _months_named(text)
    if not numbers and not months:
        return value
    year = int(value[:4])
    if year not in numbers and (year % 100 not in numbers or len(numbers) < 3):
        return None
    if len(value) == 4:
        return value
    others = list(numbers)
    others.remove(year if year in others else year % 100)
    month = int(value[5:7])
    if month not in months and month not in others:
        return value[:4]
    if len(value) == 7:
        return value[:7]
    if month in others and month not in months:
        others.remove(month)
    return value if int(value[8:10]) in others else value[:7]


def date_fields(element: ET.Element) -> tuple[dict[str, str], list[str]]:
    """A TEI ``date`` as front-matter date fields, and what to say about it in the notes."""
    when = element.get("when") or element.get("when-iso")
    start = element.get("notBefore") or element.get("notBefore-iso")
    start = start or element.get("from") or element.get("from-iso")
    end = element.get("notAfter") or element.get("notAfter-iso")
    end = end or element.get("to") or element.get("to-iso")
    text = text_of(element)
    notes: list[str] = []
    if "?" in text or (element.get("cert") or "high").lower() not in ("high", ""):
        notes.append(f"the date {text or when or start or end!r} is uncertain")
    if when:
        date = iso_date(when)
        if not date:
            return {}, [f"the date {when!r} is not an ISO date with a known year"]
        kept = attested(date, text) if text else date
        if kept is None:
            return {}, [f"the date {text!r} names no known year (the TEI has {when!r})"]
        if kept != date:
            notes.append(f"the date {text!r} is kept as {kept} (the TEI has {when!r})")
        return {"date": kept}, notes
    if start or end:
        lo, hi = iso_date(start), iso_date(end)
        if (start and not lo) or (end and not hi):
            return {}, [f"the date range {start!r}–{end!r} is not made of ISO dates"]
        if lo and hi and first_day(lo) > last_day(hi):
            return {}, [f"the date range {start!r}–{end!r} ends before it starts"]
        values = {"date_from": lo, "date_to": hi}
        return {k: v for k, v in values.items() if v}, notes
    if not text:
        return {}, []
    date = iso_date(text)
    return ({"date": date}, notes) if date else ({}, [f"the date {text!r} is not an ISO date"])
