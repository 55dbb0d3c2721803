"""What the place pages show, as plain data: the list of places (``/places``) and one place
(``/places/<key>``) with its letters by year, its senders and recipients, each a link to the
search that finds those letters. Templates only loop and print; every URL is built here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from indexer.letters.places import Place
from indexer.letters.text import fold
from indexer.request import LIST_PAGE_SIZE, ListRequest, SearchRequest
from webapp.searchview import HitView, LetterPath, Link, hits
from webapp.timeline import Bar, year_bars

TOP_CORRESPONDENTS = 20
LETTERS_SHOWN = 10  # a search page's first page

PlacePath = Callable[[str], str]


@dataclass(frozen=True)
class PlaceRow:
    name: str
    url: str
    other_names: list[str]
    written: int
    received: int
    written_url: str | None  # the search for the letters written there
    received_url: str | None


@dataclass(frozen=True)
class Counted:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class LetterSide:
    """The letters written (or received) at a place: how many, the search that lists them,
    per year, the first of them, and their senders and recipients."""

    total: int
    url: str
    years: list[Bar]
    letters: list[HitView]
    senders: list[Counted]
    recipients: list[Counted]


def search_url(base: str, request: SearchRequest) -> str:
    query = request.query_string()
    return f"{base}?{query}" if query else base


def side_request(place: Place, facet: str) -> SearchRequest:
    """The search for the letters written at a place (``facet`` "place") or received there
    ("destination"), by every name the letters give it, oldest first."""
    names = place.written if facet == "place" else place.received
    return SearchRequest(filters={facet: tuple(sorted(names))}, sort="oldest")


def place_row(place: Place, place_path: PlacePath, search_base: str) -> PlaceRow:
    def side(facet: str, count: int) -> str | None:
        return search_url(search_base, side_request(place, facet)) if count else None

    return PlaceRow(
        name=place.name,
        url=place_path(place.key),
        other_names=place.names[1:],
        written=place.letters_written,
        received=place.letters_received,
        written_url=side("place", place.letters_written),
        received_url=side("destination", place.letters_received),
    )


def places_list(
    places: Mapping[str, Place],
    request: ListRequest,
    base: str,
    place_path: PlacePath,
    search_base: str,
) -> dict[str, Any]:
    """Everything places.html needs: the places whose names contain the words asked for,
    most letters first or by name, one page of them."""
    wanted = fold(request.q).split()
    found = [p for p in places.values() if all(w in fold(" ".join(p.names)) for w in wanted)]
    if request.sort == "name":
        found.sort(key=lambda p: (fold(p.name), p.key))
    else:
        found.sort(key=lambda p: (-p.letters, fold(p.name), p.key))
    pages = max(1, -(-len(found) // LIST_PAGE_SIZE))
    first = (request.page - 1) * LIST_PAGE_SIZE
    rows = [place_row(p, place_path, search_base) for p in found[first : first + LIST_PAGE_SIZE]]

    def link(**changes: Any) -> str:
        query = request.query_string(**changes)
        return f"{base}?{query}" if query else base

    return {
        "request": request,
        "rows": rows,
        "total": len(found),
        "all_places": len(places),
        "sorts": [
            Link(label, link(sort=value, page=1), value == request.sort)
            for value, label in (("letters", _("Most letters")), ("name", _("Name")))
        ],
        "previous_url": link(page=request.page - 1) if request.page > 1 else None,
        "next_url": link(page=request.page + 1) if request.page < pages else None,
        "page": request.page,
        "pages": pages,
    }


def letter_side(result: Any, search_base: str, letter_path: LetterPath) -> LetterSide:
    """One side of a place page from the search for its letters."""
    request: SearchRequest = result.request

    def counted(facet: str) -> list[Counted]:
        return [
            Counted(c.label, c.count, search_url(search_base, request.toggled(facet, c.value)))
            for c in result.facets.get(facet, [])[:TOP_CORRESPONDENTS]
        ]

    return LetterSide(
        total=result.total,
        url=search_url(search_base, request),
        years=year_bars(result, search_base),
        letters=hits(result, letter_path)[:LETTERS_SHOWN],
        senders=counted("sender"),
        recipients=counted("recipient"),
    )


def place_page(
    place: Place,
    written: Any | None,
    received: Any | None,
    search_base: str,
    letter_path: LetterPath,
    places_url: str,
) -> dict[str, Any]:
    """Everything place.html needs (``written``/``received``: the searches for the letters
    written and received there, None where there are none)."""
    return {
        "place": place,
        "other_names": place.names[1:],
        "written": letter_side(written, search_base, letter_path) if written else None,
        "received": letter_side(received, search_base, letter_path) if received else None,
        "places_url": places_url,
    }
