"""What the people pages show, as plain data: a person's names, counts by role with the facet
searches behind them, the timeline and correspondents (``/people/<key>``), and the searchable,
sortable list of everyone (``/people``). Every URL is built here; templates only print."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask_babel import gettext as _

from indexer.correspondents import (
    DIRECTORY_SORTS,
    Correspondent,
    Directory,
    PersonProfile,
)
from indexer.request import MAX_PAGE, MAX_QUERY_CHARS, BadRequest, SearchRequest
from webapp.labels import ROLE_NAMES, ROLE_TITLES
from webapp.searchview import href
from webapp.uilanguage import number

PEOPLE_PER_PAGE = 50
BAR_LEVELS = 20
DIRECTORY_PARAMS = ("q", "sort", "page")

PersonPath = Callable[[str], str]


@dataclass(frozen=True)
class Count:
    title: str
    letters: int
    url: str


@dataclass(frozen=True)
class YearBar:
    year: str
    letters: int
    level: int  # 1..BAR_LEVELS: the CSS class of its width
    url: str


@dataclass(frozen=True)
class CorrespondentView:
    name: str
    letters: int
    person_url: str
    letters_url: str | None  # this direction's letters (None: co-signed, no such search)
    between_url: str  # both directions


@dataclass(frozen=True)
class DirectoryRequest:
    q: str = ""
    sort: str = "letters"
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, Iterable[str]]) -> DirectoryRequest:
        """Validated like a search: BadRequest naming the parameter."""

        def one(name: str) -> str:
            values = [v for v in params.get(name, ()) if v is not None]
            return values[-1].strip() if values else ""

        unknown = sorted(set(params) - set(DIRECTORY_PARAMS))
        if unknown:
            raise BadRequest(
                f"unknown parameter '{unknown[0]}'; known parameters: q, sort, page", unknown[0]
            )
        q, sort, page = one("q"), one("sort") or "letters", one("page") or "1"
        if len(q) > MAX_QUERY_CHARS:
            raise BadRequest(f"'q' is too long (at most {MAX_QUERY_CHARS} characters)", "q")
        if sort not in DIRECTORY_SORTS:
            raise BadRequest(
                f"sort must be one of {', '.join(DIRECTORY_SORTS)}, not {sort!r}", "sort"
            )
        if not re.fullmatch(r"[0-9]{1,9}", page) or not 1 <= int(page) <= MAX_PAGE:
            raise BadRequest(f"'page' must be a whole number from 1 to {MAX_PAGE}", "page")
        return cls(q, sort, int(page))

    def url(self, base: str, **changes: Any) -> str:
        """This listing's address (with changes), defaults left out."""
        values = {"q": self.q, "sort": self.sort, "page": self.page, **changes}
        defaults = {"q": "", "sort": "letters", "page": 1}
        query = urlencode([(k, str(v)) for k, v in values.items() if v != defaults[k]])
        return f"{base}?{query}" if query else base


def _search(base: str, **fields: Any) -> str:
    return href(base, SearchRequest(**fields))


def role_counts(person: PersonProfile, search_base: str) -> list[Count]:
    """Letters per role, each with the facet search for every name the role uses."""
    counts = []
    for role in person.roles:
        values = tuple(u.value for u in person.uses if u.role == role)
        if role == "cc":
            names = " OR ".join(f'cc:"{" ".join(v.replace(chr(34), " ").split())}"' for v in values)
            url = _search(search_base, q=names)
        else:
            url = _search(search_base, filters={role: values})
        counts.append(Count(str(ROLE_TITLES[role]), person.counts[role], url))
    return counts


def timeline(person: PersonProfile, search_base: str) -> list[YearBar]:
    top = max((n for _y, n in person.years), default=0)
    return [
        YearBar(year, n, max(1, round(BAR_LEVELS * n / top)),
                _search(search_base, between=(person.key,), filters={"year": (year,)}))
        for year, n in person.years
    ]  # fmt: skip


def correspondents(
    person: PersonProfile,
    people: tuple[Correspondent, ...],
    direction: str,
    search_base: str,
    person_path: PersonPath,
) -> list[CorrespondentView]:
    """``direction``: "to" (the person wrote), "from" (they received) or "with" (co-signed)."""
    views = []
    for other in people:
        letters: str | None = None
        if direction == "to":
            letters = _search(search_base, writer=person.key, addressee=other.key)
        elif direction == "from":
            letters = _search(search_base, writer=other.key, addressee=person.key)
        between = _search(search_base, between=(person.key, other.key))
        views.append(
            CorrespondentView(other.name, other.letters, person_path(other.key), letters, between)
        )
    return views


def person_page(
    person: PersonProfile, search_base: str, network_base: str, person_path: PersonPath
) -> dict[str, Any]:
    """Everything person.html needs."""
    return {
        "person": person,
        "counts": role_counts(person, search_base),
        "all_url": _search(search_base, between=(person.key,)),
        "network_url": _search(network_base, between=(person.key,)),
        "uses": [
            (str(ROLE_TITLES[u.role]), _use_name(person, u), u.letters) for u in person.uses
        ],
        "timeline": timeline(person, search_base),
        "lists": [
            ("wrote-to", _("Wrote to"),
             correspondents(person, person.wrote_to, "to", search_base, person_path)),
            ("received-from", _("Received letters from"),
             correspondents(person, person.received_from, "from", search_base, person_path)),
            ("signed-with", _("Signed together with"),
             correspondents(person, person.signed_with, "with", search_base, person_path)),
        ],
    }  # fmt: skip


def directory_page(
    listing: Directory, request: DirectoryRequest, base: str, person_path: PersonPath
) -> dict[str, Any]:
    """Everything people.html needs."""
    first = (listing.page - 1) * listing.per_page + 1
    last = first + len(listing.entries) - 1
    return {
        "listing": listing,
        "form": request,
        "rows": [
            (e, person_path(e.key), ", ".join(str(ROLE_NAMES[r]) for r in e.roles))
            for e in listing.entries
        ],
        "summary": (
            _(
                "%(first)s–%(last)s of %(num)s",
                first=number(first),
                last=number(last),
                num=number(listing.total, grouped=True),
            )
            if listing.entries
            else number(listing.total, grouped=True)
        ),
        "sorts": [
            (label, request.url(base, sort=value, page=1), value == request.sort)
            for value, label in (("letters", _("Most letters")), ("name", _("Name")))
        ],
        "previous": request.url(base, page=listing.page - 1) if listing.page > 1 else None,
        "next": request.url(base, page=listing.page + 1) if listing.page < listing.pages else None,
    }


def _use_name(person: Any, use: Any) -> str:
    """How a use writes the person: a mention by the entity's name, else as written."""
    return str(person.name if use.role == "mention" else use.name or use.value)
