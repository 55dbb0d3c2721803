"""The date histogram of the search page, as plain data: bars per year, or, once one year is
selected, per month of it, and, once one month is, per day; an "undated" bar beside them.

Every bar with letters is a link that narrows the search to its period (a selected bar's link
goes one level up), and carries its period (``data-from``/``data-to``) so that dragging across
bars with JavaScript can set a from/to range. Counts come from the engine: years from the year
facet, months and days from the result's date counts, each the number its link finds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _

from indexer.letters.dates import drill_period, parent
from indexer.request import SearchRequest
from webapp.localdates import month_short, period_words
from webapp.searchview import Link, href
from webapp.uilanguage import counted

HISTOGRAM_LEVELS = 20
MAX_HISTOGRAM_SPAN = 60  # wider year ranges show only the years that have letters
MAX_HISTOGRAM_LABELS = 8
UNDATED = "undated"  # the period of the bar of letters without a date


@dataclass(frozen=True)
class Bar:
    period: str  # 1916, 1916-05 or 1916-05-03
    label: str  # what is printed under it: 1916, May, 3
    count: int
    level: int  # 0..HISTOGRAM_LEVELS, the CSS class of its height
    url: str | None
    selected: bool
    labelled: bool  # its label is printed under it (with many bars, only some are)

    @property
    def title(self) -> str:
        """The bar's period in words with its count: "May 1916: 3 letters"."""
        what = self.label if self.period == UNDATED else period_words(self.period)
        count = counted("%(num)s letter", "%(num)s letters", self.count)
        return f"{what}: {count}"


@dataclass(frozen=True)
class Timeline:
    heading: str  # what the bars count: "Matching letters per month of 1916"
    bars: list[Bar]
    up: Link | None  # back to the level above (all years, a year, a month)
    undated: Bar | None  # letters without a date (shown when there are any, or chosen)


def timeline(result: Any, base: str) -> Timeline:
    request: SearchRequest = result.request
    counts = result.date_counts
    if counts is None:
        heading, bars, up = _("Matching letters per year"), year_bars(result, base), None
    else:
        selected = drill_period(request.date_from, request.date_to, ())

        def url(period: str) -> str:  # a selected bar goes back to the period it is part of
            return href(
                base,
                _in_period(request, (parent(period) or period) if period == selected else period),
            )

        bars = _bars(counts.counts, _short, url, {selected} if selected else set())
        what = "month" if len(counts.period) == 4 else "day"
        month_or_year = counts.period[:7] if what == "day" else counts.period
        heading = (_("Matching letters per month of %(period)s") if what == "month"
                   else _("Matching letters per day of %(period)s")) % {
            "period": period_words(month_or_year)}  # fmt: skip
        up = _up(request, counts.period, base)
    return Timeline(heading, bars, up, _undated(result, base, bars))


def year_bars(result: Any, base: str) -> list[Bar]:
    """Matching letters per year (from the year facet), oldest first, gaps filled with zeros."""
    request: SearchRequest = result.request
    counts = {c.value: c.count for c in result.facets.get("year", []) if c.value.isdigit()}
    selected = set(request.filters.get("year", ()))
    years = sorted(y for y, n in counts.items() if n)
    if not years:
        return []
    first, last = int(years[0]), int(years[-1])
    if last - first <= MAX_HISTOGRAM_SPAN:
        years = [str(y) for y in range(first, last + 1)]

    def url(year: str) -> str:
        if year in selected and len(selected) == 1:
            return href(base, request.toggled("year", year))  # back to all years
        filters = {**request.filters, "year": (year,)}
        return href(base, request, filters=filters, page=1)

    return _bars([(y, counts.get(y, 0)) for y in years], str, url, selected)


def _bars(
    counts: list[tuple[str, int]],
    label: Callable[[str], str],
    url: Callable[[str], str],
    selected: set[str],
) -> list[Bar]:
    top = max((n for _p, n in counts), default=0)
    step = max(1, -(-len(counts) // MAX_HISTOGRAM_LABELS))
    bars = []
    for i, (period, count) in enumerate(counts):
        level = max(1, round(HISTOGRAM_LEVELS * count / top)) if count else 0
        chosen = period in selected
        link = url(period) if count or chosen else None
        bars.append(Bar(period, label(period), count, level, link, chosen, i % step == 0))
    return bars


def _short(period: str) -> str:
    """A month as its abbreviated name, a day as its number."""
    if len(period) == 7:
        return month_short(int(period[5:7]))
    return str(int(period[8:]))


def _in_period(request: SearchRequest, period: str) -> SearchRequest:
    """The request narrowed to one period: a year as the year facet, a month or a day as a
    from/to range of that period alone (the year facet it lies in is then implied)."""
    filters = {k: v for k, v in request.filters.items() if k != "year"}
    if len(period) == 4:
        return replace(
            request, filters={**filters, "year": (period,)}, date_from=None, date_to=None, page=1
        )
    return replace(request, filters=filters, date_from=period, date_to=period, page=1)


def _up(request: SearchRequest, period: str, base: str) -> Link:
    """The link one level up: from a year's months to all years, from a month's days to
    its year."""
    if len(period) == 4:
        filters = {k: v for k, v in request.filters.items() if k != "year"}
        up = href(base, request, filters=filters, date_from=None, date_to=None, page=1)
        return Link(_("All years"), up)
    year = period[:4]
    return Link(_("All of %(year)s", year=year), href(base, _in_period(request, year)))


def _undated(result: Any, base: str, bars: list[Bar]) -> Bar | None:
    request: SearchRequest = result.request
    count = result.undated
    if not count and not request.undated:
        return None
    if request.undated:
        url = href(base, request, undated=False, page=1)
    else:
        filters = {k: v for k, v in request.filters.items() if k != "year"}
        url = href(
            base, request, filters=filters, date_from=None, date_to=None, undated=True, page=1
        )
    top = max([count, *(b.count for b in bars)])
    level = max(1, round(HISTOGRAM_LEVELS * count / top)) if count else 0
    return Bar(UNDATED, _("Undated"), count, level, url, request.undated, True)


def date_hint(date_range: tuple[str | None, str | None]) -> str:
    """What the from/to fields take, and the archive's own first and last day."""
    first, last = date_range
    hint = _("A year, month or day: YYYY, YYYY-MM or YYYY-MM-DD.")
    if first and last:
        hint += " " + _("The letters date from %(first)s to %(last)s.", first=first, last=last)
    return hint


def date_view(result: Any, base: str, date_range: tuple[str | None, str | None]) -> dict[str, Any]:
    """What the search page's date section needs: the histogram and the fields' hint
    (``date_range``: the archive's first and last day)."""
    return {"timeline": timeline(result, base), "date_hint": date_hint(date_range)}
