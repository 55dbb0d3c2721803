"""What the concordance page shows, as plain data: lines with their ¶ links, sort links that
say what they sort by, counts per letter and per year, pages. Every URL is built here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from indexer.concordance import ORDERS, Concordance, ConcordanceRequest
from webapp.links import RouteLinks
from webapp.searchview import href, pagination

ORDER_LABELS = {
    "date": _l("Date"),
    "left": _l("Left context"),
    "match": _l("Match"),
    "right": _l("Right context"),
}
#: what each order sorts by (:data:`indexer.concordance.ORDERS`), in the page's language
ORDER_HELP = {
    "date": _l("date, then letter and position"),
    "left": _l("the words just before the match, nearest first"),
    "match": _l("the matched words"),
    "right": _l("the words just after the match"),
}


@dataclass(frozen=True)
class OrderLink:
    label: str
    url: str
    current: bool
    help: str  # what the order sorts by


@dataclass(frozen=True)
class LineView:
    left: str
    match: str
    right: str
    title: str
    date: str
    n: int
    url: str


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    url: str | None


def kwic_page(
    found: Concordance, base: str, csv_base: str, search_base: str, links: RouteLinks
) -> dict[str, Any]:
    """The page of lines of ``found``; ``base`` is the page's own path."""
    wanted = found.request
    q = wanted.search.q
    marked = f"?{urlencode({'q': q})}" if q else ""  # the letter opens with the words marked
    return {
        "found": found,
        "wanted": wanted,
        "form": {"q": q, "context": wanted.context},
        "hidden": [(k, v) for k, v in wanted.params(page=1) if k not in ("q", "context", "order")],
        "orders": [
            OrderLink(
                str(ORDER_LABELS[o]),
                href(base, wanted, order=o, page=1),
                o == wanted.order,
                str(ORDER_HELP.get(o, h)),
            )
            for o, h in ORDERS.items()
        ],
        "lines": [
            LineView(
                line.left,
                line.match,
                line.right,
                line.title,
                line.date or _("undated"),
                line.n,
                links.passage(line.letter_id, line.n, q),
            )
            for line in found.page_lines()
        ],
        "per_letter": [
            Count(title or letter_id, n, links.letter(letter_id) + marked)
            for letter_id, title, n in found.per_letter
        ],
        "per_year": [
            Count(year or _("undated"), n, _year_url(base, wanted, year) if year else None)
            for year, n in found.per_year
        ],
        "pagination": pagination(found, base),
        "csv_url": href(csv_base, wanted, page=1),
        "search_url": href(search_base, wanted.search, page=1),
    }


def _year_url(base: str, wanted: ConcordanceRequest, year: str) -> str:
    """The concordance narrowed to one year (the search's year filter)."""
    search = replace(wanted.search, filters={**wanted.search.filters, "year": (year,)})
    return href(base, replace(wanted, search=search), page=1)
