"""Letter dates as the page's language writes them: ``1916-03`` reads "March 1916", "март
1916 г.", "1916 ж. наурыз".

Which days a date covers, and whether they are a whole day, month or year, is
:mod:`indexer.letters.dates` (the one place for it); this only words the result with Babel's
locale data. English keeps the compact ISO form the pages have always shown. Citations, exports
and the JSON API keep machine formats and never come here.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_skeleton, get_month_names
from flask_babel import gettext as _

from indexer.letters.dates import as_partial, date_label, human_date
from webapp.uilanguage import DEFAULT, current


def period_words(iso: str) -> str:
    """A day, month or year (``1916-03-05``, ``1916-03``, ``1916``) in words."""
    locale = current()
    if locale == DEFAULT:
        return human_date(iso)
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return format_date(dt.date(*parts), "long", locale=locale)
    if len(parts) == 2:
        return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=locale)
    return iso


def local_date(start: str | None, end: str | None) -> str:
    """A letter's date (the days ``start``–``end``): a day, a whole month or year, a range, or
    "undated"."""
    if current() == DEFAULT:
        return date_label(start, end)
    if not start or not end:
        return _("undated")
    whole = as_partial(start, end)
    if whole:
        return period_words(whole)
    return f"{period_words(start)} – {period_words(end)}"


def month_short(month: int) -> str:
    """A month's abbreviated name (1: Jan, янв., қаң.)."""
    return str(get_month_names("abbreviated", "stand-alone", current())[month])
