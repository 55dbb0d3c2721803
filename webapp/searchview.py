"""What the search page shows, as plain data: facet values with toggle URLs, chips, sort links,
pagination and hits (the date histogram: :mod:`webapp.timeline`). Templates only loop and
print; every URL is built here.

Facets live in the URL (Datasette style): each facet value carries its value, label, count,
whether it is selected, and the URL that toggles it, so every state is a plain link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask_babel import gettext as _
from markupsafe import Markup

from indexer.request import SearchRequest
from webapp.labels import FACET_NOUNS, FACET_TITLES, facet_label
from webapp.localdates import local_date
from webapp.uilanguage import counted, number

VISIBLE_FACET_VALUES = 8
SEARCHABLE_VALUES = 15  # a facet with more values gets a field to search them
PAGE_WINDOW = 2

LetterPath = Callable[[str], str]


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    excluded: bool = False  # left out of the search
    exclude_url: str = ""  # leaves it out, or takes it back in when left out


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    visible: list[FacetValue]
    more: list[FacetValue]
    selected: int

    @property
    def searchable(self) -> bool:
        """Whether the group has so many values that a person wants to search them."""
        return len(self.visible) + len(self.more) > SEARCHABLE_VALUES

    @property
    def noun(self) -> str:
        """What the group's values are, in the plural: "senders", "years"."""
        return str(FACET_NOUNS.get(self.name, self.title.lower()))


@dataclass(frozen=True)
class Chip:
    title: str
    label: str
    url: str


@dataclass(frozen=True)
class PassageView:
    n: int
    snippet: Markup
    url: str


@dataclass(frozen=True)
class DuplicateView:
    """A near-identical letter folded under a hit: its title, date, link and likeness."""

    title: str
    url: str
    date: str
    percent: int  # the likeness as people read it (93% alike)


@dataclass(frozen=True)
class HitView:
    id: str
    title: str
    url: str
    date: str
    date_iso: str | None
    senders: list[str]
    recipients: list[str]
    type: str
    passages: list[PassageView] = field(default_factory=list)
    transcribed: bool = True
    sender_links: list[tuple[str, str]] = field(default_factory=list)  # (name, person page)
    recipient_links: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[DuplicateView] = field(default_factory=list)  # folded under this hit


@dataclass(frozen=True)
class Pagination:
    previous: str | None
    next: str | None
    pages: list[Link | None]  # None: a gap (…)


class Addressable(Protocol):
    """A request that can be written as a query string (a search, a concordance)."""

    def query_string(self, **changes: Any) -> str: ...


def href(base: str, request: Addressable, **changes: Any) -> str:
    """``base`` with the request (and changes) as its query string."""
    query = request.query_string(**changes)
    return f"{base}?{query}" if query else base


def facet_groups(result: Any, base: str) -> list[FacetGroup]:
    request: SearchRequest = result.request
    groups = []
    for name, counts in result.facets.items():
        values = [
            FacetValue(
                value=c.value,
                label=value_label(name, c),
                count=c.count,
                selected=c.selected,
                url=href(base, request.toggled(name, c.value)),
                excluded=c.excluded,
                exclude_url=href(base, request.toggled_out(name, c.value)),
            )
            for c in counts
        ]
        visible = values[:VISIBLE_FACET_VALUES]
        rest = values[VISIBLE_FACET_VALUES:]
        visible += [v for v in rest if v.selected or v.excluded]  # chosen ones stay in view
        more = [v for v in rest if not (v.selected or v.excluded)]
        title = str(FACET_TITLES.get(name, name.title()))
        groups.append(FacetGroup(name, title, visible, more, sum(v.selected for v in values)))
    return groups


def value_label(facet: str, count: Any) -> str:
    """The library's label when an authority names the value, else ours (English, …)."""
    label = getattr(count, "label", "") or count.value
    return label if label != count.value else facet_label(facet, count.value)


def chips(result: Any, base: str, name_of: Callable[[str], str] = str) -> list[Chip]:
    """The active filters, each with the URL that removes it (``name_of``: a person key's
    name)."""
    request: SearchRequest = result.request
    labels = {
        (name, c.value): value_label(name, c) for name, counts in result.facets.items()
        for c in counts if c.selected or c.excluded
    }  # fmt: skip
    found = [
        Chip(str(FACET_TITLES.get(name, name.title())),
             labels.get((name, value)) or facet_label(name, value),
             href(base, request.toggled(name, value)))
        for name, values in request.filters.items()
        for value in values
    ]  # fmt: skip
    if request.between:
        found.append(
            Chip(
                _("Between") if len(request.between) > 1 else _("Naming"),
                _(" and ").join(map(name_of, request.between)),
                href(base, request, between=(), page=1),
            )
        )
    for title, name in ((_("Written by"), "writer"), (_("Addressed to"), "addressee")):
        if getattr(request, name):
            found.append(
                Chip(
                    title,
                    name_of(getattr(request, name)),
                    href(base, request, **{name: ""}, page=1),
                )
            )
    found += [
        Chip(str(FACET_TITLES.get(name, name.title())),
             _("not %(value)s", value=labels.get((name, value)) or facet_label(name, value)),
             href(base, request.toggled_out(name, value)))
        for name, values in request.exclude.items()
        for value in values
    ]  # fmt: skip
    if request.undated:
        found.append(Chip(_("Date"), _("undated"), href(base, request, undated=False, page=1)))
    if request.date_from:
        found.append(
            Chip(_("From"), request.date_from, href(base, request, date_from=None, page=1))
        )
    if request.date_to:
        found.append(Chip(_("To"), request.date_to, href(base, request, date_to=None, page=1)))
    return found


def clear_filters_url(request: SearchRequest, base: str) -> str:
    return href(base, request, filters={}, exclude={}, date_from=None, date_to=None,
                undated=False, page=1, between=(), writer="", addressee="")  # fmt: skip


def sort_links(request: SearchRequest, base: str) -> list[Link]:
    current = request.sort
    options = [
        ("relevance", _("Relevance")),
        ("newest", _("Newest first")),
        ("oldest", _("Oldest first")),
    ]
    if not request.q:  # browsing: relevance means newest first
        options = options[1:]
        current = "newest" if current == "relevance" else current
    return [
        Link(label, href(base, request, sort=value, page=1), value == current)
        for value, label in options
    ]


def pagination(result: Any, base: str) -> Pagination | None:
    request: SearchRequest = result.request
    last = result.pages
    if last <= 1 and request.page == 1:
        return None
    page = request.page
    wanted = {1, last, *range(page - PAGE_WINDOW, page + PAGE_WINDOW + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= last)
    pages: list[Link | None] = []
    for i, n in enumerate(numbers):
        if i and n - numbers[i - 1] > 1:
            pages.append(None)
        pages.append(Link(str(n), href(base, request, page=n), n == page))
    return Pagination(
        previous=href(base, request, page=min(page - 1, last)) if page > 1 else None,
        next=href(base, request, page=page + 1) if page < last else None,
        pages=pages,
    )


def hidden_fields(request: SearchRequest, *drop: str) -> list[tuple[str, str]]:
    """The request as hidden form inputs, without the parameters the form itself sets."""
    return [(k, v) for k, v in request.params(page=1) if k not in drop]


def hits(
    result: Any, letter_path: LetterPath, name_path: LetterPath | None = None
) -> list[HitView]:
    """Hits whose links carry the search (q, filters, sort, page) to the letter page; each
    name links to its person page (``name_path``: name -> address)."""
    request: SearchRequest = result.request
    context = request.query_string()
    views = []
    for hit in result.hits:
        url = letter_path(hit.id) + (f"?{context}" if context else "")
        recipients = [r.get("name", "") for r in hit.recipients]
        views.append(
            HitView(
                id=hit.id,
                title=hit.title,
                url=url,
                date=local_date(hit.date_from, hit.date_to),
                date_iso=hit.date,
                senders=list(hit.senders),
                recipients=recipients,
                type=facet_label("type", hit.type),
                passages=[
                    PassageView(p.n, Markup(p.snippet), f"{url}#p{p.n}")  # trusted library HTML
                    for p in hit.passages[:3]
                ],
                transcribed=hit.transcribed,
                sender_links=[(n, name_path(n)) for n in hit.senders] if name_path else [],
                recipient_links=[(n, name_path(n)) for n in recipients] if name_path else [],
                duplicates=[
                    DuplicateView(
                        d.title,
                        letter_path(d.id) + (f"?{context}" if context else ""),
                        local_date(d.date_from, d.date_to),
                        int(d.similarity * 100),
                    )
                    for d in hit.duplicates
                ],
            )
        )
    return views


def result_summary(result: Any) -> str:
    request: SearchRequest = result.request
    total = result.total
    whole = counted("%(num)s letter", "%(num)s letters", total)
    if not result.hits:
        return whole
    first = (request.page - 1) * request.per_page + 1
    last = first + sum(1 + len(hit.duplicates) for hit in result.hits) - 1  # folded ones too
    if first == 1 and last == total:
        return whole
    return counted(
        "%(first)s–%(last)s of %(num)s letter",
        "%(first)s–%(last)s of %(num)s letters",
        total,
        first=number(first),
        last=number(last),
    )


def search_page(
    result: Any,
    base: str,
    letter_path: LetterPath,
    name_path: LetterPath | None = None,
    name_of: Callable[[str], str] = str,
) -> dict[str, Any]:
    """Everything search.html needs but the dates (:func:`webapp.timeline.date_view`;
    ``name_path``: a name's person page; ``name_of``: a person key's name)."""
    request: SearchRequest = result.request
    return {
        "result": result,
        "request": request,
        "hits": hits(result, letter_path, name_path),
        "summary": result_summary(result),
        "facets": facet_groups(result, base),
        "chips": chips(result, base, name_of),
        "clear_url": clear_filters_url(request, base),
        "sorts": sort_links(request, base),
        "pagination": pagination(result, base),
        "suggestion_url": (
            href(base, request, q=result.suggestion, page=1) if result.suggestion else None
        ),
        "suggestion_letters": result.suggestion_total,
        "query_hidden": hidden_fields(request, "q", "concepts"),
        "concepts_off_url": href(base, request, concepts=False, page=1),
        "date_hidden": hidden_fields(request, "from", "to"),
        "first_page_url": href(base, request, page=1) if request.page > 1 else None,
        "ungroup_url": (
            href(base, request, group=False) if any(h.duplicates for h in result.hits) else None
        ),
    }
