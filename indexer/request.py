"""A search request, validated once for the CLI, the web pages and the JSON API alike.

Parameters arrive as strings from URLs and options; :meth:`SearchRequest.from_params` turns
them into a request or raises :class:`BadRequest` with a message that names the parameter (and
carries its name, so a form can show the message by its field). :meth:`SearchRequest.salvage`
keeps what is valid: the request without the bad parameters, and every error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from indexer.letters.dates import first_day, last_day, partial_date

#: the facets a search can filter by and count (URL parameters and JSON keys), in order
FACETS = (
    *("sender", "signatory", "recipient", "subject", "place", "destination"),
    *("type", "language", "year", "mention"),
)
EXCLUDE = "-"  # before a facet's name, the parameter of the values a search leaves out

#: filters by person key (or name): ``between`` one person (letters naming them in any role)
#: or two (letters one wrote to the other), by one ``writer``, to one ``addressee``
#: (indexer/correspondents.py says who writes and who receives)
PEOPLE_FILTERS = ("between", "writer", "addressee")
MAX_BETWEEN = 2

SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_CHARS = 1000
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_VALUES_PER_FACET = 50
MAX_VALUE_CHARS = 300


class BadRequest(ValueError):
    """A parameter a user sent is not acceptable; the message says which and why.

    ``param`` is the parameter's name and ``value`` the one bad value of a many-valued facet
    (None: the whole parameter), so callers can point at it or leave it out.
    """

    def __init__(self, message: str, param: str | None = None, value: str | None = None):
        super().__init__(message)
        self.param = param
        self.value = value


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # ``-sender=…``
    undated: bool = False  # only the letters without a date
    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    concepts: bool = True  # concept terms also search their other languages' terms
    group: bool = True  # near-duplicate hits folded under the first of them on the page
    between: tuple[str, ...] = ()  # one or two people
    writer: str = ""
    addressee: str = ""
    #: count facets and dates; off for a batch line, which shows only its total and first hits
    #: (not a URL parameter: every page of the app counts them)
    counts: bool = True

    @classmethod
    def from_params(cls, params: Mapping[str, Iterable[str]]) -> SearchRequest:
        """Build from multi-valued parameters (``{"sender": ["ITUC"], "q": ["strike"]}``)."""

        def one(name: str, default: str = "") -> str:
            return last_value(params.get(name, ()), default)

        known = {"q", "from", "to", "sort", "page", "per_page", "concepts", "undated", "group"}
        known |= set(FACETS)
        known |= set(PEOPLE_FILTERS) | {EXCLUDE + name for name in FACETS}
        unknown = sorted(set(params) - known)
        if unknown:
            raise BadRequest(
                f"unknown parameter '{unknown[0]}'; known parameters: {', '.join(sorted(known))}",
                unknown[0],
            )
        q = one("q")
        if len(q) > MAX_QUERY_CHARS:
            raise BadRequest(
                f"query is too long ({len(q)} characters; at most {MAX_QUERY_CHARS})", "q"
            )
        filters = _facet_values(params, "")
        exclude = _facet_values(params, EXCLUDE)
        for name, values in exclude.items():
            both = set(values) & set(filters.get(name, ()))
            if both:
                value = sorted(both)[0]
                raise BadRequest(
                    f"'{name}' value {value!r} is both chosen and left out ('{EXCLUDE}{name}')",
                    EXCLUDE + name,
                    value,
                )
        sort = one("sort", "relevance") or "relevance"
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {sort!r}", "sort")
        between = tuple(dict.fromkeys(v.strip() for v in params.get("between", ()) if v.strip()))
        if len(between) > MAX_BETWEEN:
            raise BadRequest(f"'between' takes one or two people, not {len(between)}", "between")
        for name, values in (("between", between), ("writer", (one("writer"),)),
                             ("addressee", (one("addressee"),))):  # fmt: skip
            if any(len(v) > MAX_VALUE_CHARS for v in values):
                raise BadRequest(f"a '{name}' value is too long (at most {MAX_VALUE_CHARS})", name)
        request = cls(
            q=q,
            filters=filters,
            exclude=exclude,
            undated=_undated_param(one("undated")),
            date_from=parse_date_param("from", one("from")),
            date_to=parse_date_param("to", one("to")),
            sort=sort,
            page=int_param("page", one("page"), 1, 1, MAX_PAGE),
            per_page=int_param("per_page", one("per_page"), 10, 1, MAX_PER_PAGE),
            concepts=_switch_param("concepts", one("concepts")),
            group=_switch_param("group", one("group")),
            between=between,
            writer=one("writer"),
            addressee=one("addressee"),
        )
        start, end = request.day_range()
        if start and end and start > end:
            raise BadRequest(
                f"'from' ({request.date_from}) is after 'to' ({request.date_to})", "from"
            )
        if request.undated and (start or end or "year" in filters):
            raise BadRequest(
                "'undated' finds the letters without a date: it cannot be combined with "
                "'from', 'to' or 'year'",
                "undated",
            )
        return request

    @classmethod
    def salvage(
        cls, params: Mapping[str, Iterable[str]]
    ) -> tuple[SearchRequest, tuple[BadRequest, ...]]:
        """The request without its bad parameters (or bad facet values), and the errors.

        For pages that keep a person's search when one part of it is wrong: each bad part is
        left out, the rest stands. A range whose 'from' is after its 'to' loses 'from'.
        """
        remaining = {name: [v for v in values if v is not None] for name, values in params.items()}
        errors: list[BadRequest] = []
        while True:
            try:
                return cls.from_params(remaining), tuple(errors)
            except BadRequest as error:
                name = error.param
                if name is None or name not in remaining:
                    raise  # an error that names no parameter cannot be left out
                errors.append(error)
                if error.value is None:
                    del remaining[name]
                else:
                    remaining[name] = [v for v in remaining[name] if v.strip() != error.value]

    def day_range(self) -> tuple[str | None, str | None]:
        """The filter as full days: from the first day of `from` to the last day of `to`."""
        return (
            first_day(self.date_from) if self.date_from else None,
            last_day(self.date_to) if self.date_to else None,
        )

    def params(self, **changes: object) -> list[tuple[str, str]]:
        """This request as URL parameters (with changes), in a stable order, defaults left out."""
        request = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        pairs: list[tuple[str, str]] = []
        if request.q:
            pairs.append(("q", request.q))
        for name in FACETS:
            pairs.extend((name, v) for v in request.filters.get(name, ()))
        pairs.extend(("between", v) for v in request.between)
        if request.writer:
            pairs.append(("writer", request.writer))
        if request.addressee:
            pairs.append(("addressee", request.addressee))
        for name in FACETS:
            pairs.extend((EXCLUDE + name, v) for v in request.exclude.get(name, ()))
        if request.undated:
            pairs.append(("undated", "1"))
        if request.date_from:
            pairs.append(("from", request.date_from))
        if request.date_to:
            pairs.append(("to", request.date_to))
        if request.sort != "relevance":
            pairs.append(("sort", request.sort))
        if request.page != 1:
            pairs.append(("page", str(request.page)))
        if request.per_page != 10:
            pairs.append(("per_page", str(request.per_page)))
        if not request.concepts:
            pairs.append(("concepts", "0"))
        if not request.group:
            pairs.append(("group", "0"))
        return pairs

    def by_people(self) -> bool:
        """Whether the request filters by person (``between``, ``writer``, ``addressee``)."""
        return bool(self.between or self.writer or self.addressee)

    def query_string(self, **changes: object) -> str:
        return urlencode(self.params(**changes))

    def toggled(self, facet: str, value: str) -> SearchRequest:
        """The request with one facet value added or removed (back to page 1); a value left
        out is no longer left out once chosen."""
        return replace(
            self,
            filters=_toggle(self.filters, facet, value),
            exclude=_without(self.exclude, facet, value),
            page=1,
        )

    def toggled_out(self, facet: str, value: str) -> SearchRequest:
        """The request with one facet value left out, or no longer left out (page 1)."""
        return replace(
            self,
            filters=_without(self.filters, facet, value),
            exclude=_toggle(self.exclude, facet, value),
            page=1,
        )


def _toggle(
    chosen: Mapping[str, tuple[str, ...]], facet: str, value: str
) -> dict[str, tuple[str, ...]]:
    values = list(chosen.get(facet, ()))
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    result = {k: v for k, v in chosen.items() if k != facet}
    if values:
        result[facet] = tuple(values)
    return result


def _without(
    chosen: Mapping[str, tuple[str, ...]], facet: str, value: str
) -> dict[str, tuple[str, ...]]:
    values = tuple(v for v in chosen.get(facet, ()) if v != value)
    result = {k: v for k, v in chosen.items() if k != facet}
    if values:
        result[facet] = values
    return result


def _facet_values(params: Mapping[str, Iterable[str]], prefix: str) -> dict[str, tuple[str, ...]]:
    """The values of each facet parameter (``sender``, or ``-sender`` with the prefix)."""
    found: dict[str, tuple[str, ...]] = {}
    for name in FACETS:
        param = prefix + name
        values = tuple(dict.fromkeys(v.strip() for v in params.get(param, ()) if v and v.strip()))
        if len(values) > MAX_VALUES_PER_FACET:
            raise BadRequest(f"too many '{param}' values (at most {MAX_VALUES_PER_FACET})", param)
        for value in values:
            if len(value) > MAX_VALUE_CHARS:
                raise BadRequest(
                    f"a '{param}' value is too long (at most {MAX_VALUE_CHARS})", param, value
                )
            if name == "year" and not re.fullmatch(r"[0-9]{4}", value):
                raise BadRequest(f"{param} must be a four-digit year such as 2024", param, value)
        if values:
            found[name] = values
    return found


def _undated_param(text: str) -> bool:
    if text in ("", "0"):
        return False
    if text == "1":
        return True
    raise BadRequest(f"'undated' must be 1 (only letters without a date), not {text!r}", "undated")


LIST_SORTS = ("letters", "name")
LIST_PAGE_SIZE = 100


@dataclass(frozen=True)
class ListRequest:
    """A list page's request (``/places``): the words its names must contain, its order
    (most letters first, or by name) and its page."""

    q: str = ""
    sort: str = "letters"
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, Iterable[str]]) -> ListRequest:
        unknown = sorted(set(params) - {"q", "sort", "page"})
        if unknown:
            raise BadRequest(
                f"unknown parameter '{unknown[0]}'; known parameters: page, q, sort", unknown[0]
            )

        def one(name: str) -> str:
            values = [v for v in params.get(name, ()) if v is not None]
            return values[-1].strip() if values else ""

        q = one("q")
        if len(q) > MAX_VALUE_CHARS:
            raise BadRequest(f"'q' is too long (at most {MAX_VALUE_CHARS} characters)", "q")
        sort = one("sort") or "letters"
        if sort not in LIST_SORTS:
            raise BadRequest(f"sort must be one of {', '.join(LIST_SORTS)}, not {sort!r}", "sort")
        return cls(q=q, sort=sort, page=int_param("page", one("page"), 1, 1, MAX_PAGE))

    def query_string(self, **changes: object) -> str:
        request = replace(self, **changes) if changes else self  # type: ignore[arg-type]
        pairs = [("q", request.q)] if request.q else []
        if request.sort != "letters":
            pairs.append(("sort", request.sort))
        if request.page != 1:
            pairs.append(("page", str(request.page)))
        return urlencode(pairs)


def last_value(values: Iterable[str | None], default: str = "") -> str:
    """A parameter's value as forms send it: the last one given, stripped."""
    given = [v for v in values if v is not None]
    return given[-1].strip() if given else default


_SWITCH = {"": True, "1": True, "on": True, "true": True, "yes": True}
_SWITCH.update({"0": False, "off": False, "false": False, "no": False})


def _switch_param(name: str, text: str) -> bool:
    """An on/off parameter: 1, on, true, yes or 0, off, false, no (absent: on)."""
    value = _SWITCH.get(text.lower())
    if value is None:
        raise BadRequest(f"{name} must be 1 (on) or 0 (off), not {text!r}", name)
    return value


def parse_date_param(name: str, text: str) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD, checked to be a real date."""
    if not text:
        return None
    try:
        return partial_date(text, f"'{name}'")
    except ValueError as exc:
        raise BadRequest(str(exc), name) from exc


def int_param(name: str, text: str, default: int, low: int, high: int) -> int:
    if not text:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise BadRequest(f"'{name}' must be a whole number, not {text!r}", name)
    value = int(text)
    if not low <= value <= high:
        raise BadRequest(f"'{name}' must be between {low} and {high}, not {value}", name)
    return value
