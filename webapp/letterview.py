"""What the letter page shows: metadata whose values link to facet searches, the rendered text,
citations, previous/next letters and the way back to the search that led here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from indexer.archive import FACETS, SharedPassage, SimilarLetter
from indexer.formats.citation import citation_text
from indexer.letters.dates import span
from indexer.request import SearchRequest
from webapp.labels import facet_label
from webapp.localdates import local_date
from webapp.render import AlsoIn, RenderedLetter, render_letter
from webapp.searchview import href


@dataclass(frozen=True)
class MetaValue:
    text: str
    url: str | None = None
    note: str = ""  # a role, shown after the name
    person_url: str | None = None  # the page of the person or organisation it names


@dataclass(frozen=True)
class MetaRow:
    label: str
    values: list[MetaValue]


@dataclass(frozen=True)
class Neighbour:
    rel: str  # "prev", "next" or "related"
    label: str
    title: str
    date: str
    url: str


def _facet_url(base: str, facet: str, value: str) -> str:
    return href(base, SearchRequest(filters={facet: (value,)}))


def _query_url(base: str, field: str, value: str) -> str:
    phrase = " ".join(value.replace('"', " ").split())
    return href(base, SearchRequest(q=f'{field}:"{phrase}"' if field else f'"{phrase}"'))


def _date_url(base: str, meta: dict[str, Any]) -> str | None:
    start, end = meta.get("date_from"), meta.get("date_to")
    if not start or not end:
        return None
    return href(base, SearchRequest(date_from=start, date_to=end))


def metadata_rows(
    meta: dict[str, Any],
    base: str,
    entity_name: Callable[[str], str] = str,
    person_path: Callable[[str], str] | None = None,
    place_page: Callable[[str], str | None] = lambda _name: None,
) -> list[MetaRow]:
    """The metadata panel, each value linking to the search for it (each name to its person
    page, a place to its page where ``place_page`` gives one)."""
    page = person_path or (lambda _name: None)  # type: ignore[return-value]

    keys = meta.get("keys") or {}

    def place(key: str, facet: str) -> list[MetaValue]:
        name = meta.get(key) or ""
        return [MetaValue(name, place_page(name) or _facet_url(base, facet, name))] if name else []

    def people(key: str, facet: str) -> list[MetaValue]:
        return [
            MetaValue(p.get("name", ""), _facet_url(base, facet, keys.get(p["name"], p["name"])),
                      p.get("role", "") or "", page(p.get("name", "")))
            for p in meta.get(key) or []
            if p.get("name")
        ]  # fmt: skip

    dates = local_date(*span(meta))
    rows = [
        MetaRow(_("Date"), [MetaValue(dates, _date_url(base, meta))]),
        MetaRow(_("Place"), place("place", "place")),
        MetaRow(_("Received at"), place("destination", "destination")),
        MetaRow(_("From"), [MetaValue(s, _facet_url(base, "sender", keys.get(s, s)), "", page(s))
                         for s in meta.get("senders") or []]),
        MetaRow(_("Signed by"), people("signatories", "signatory")),
        MetaRow(_("To"), people("recipients", "recipient")),
        MetaRow(_("CC"), [MetaValue(c, _query_url(base, "", c), "", page(c))
                       for c in meta.get("cc") or []]),
        MetaRow(_("Reference"), [MetaValue(meta["reference"],
                                        _query_url(base, "ref", meta["reference"]))]
                if meta.get("reference") else []),
        MetaRow(_("Subjects"), [MetaValue(s, _facet_url(base, "subject", s))
                             for s in meta.get("subjects") or []]),
        MetaRow(_("Source"), [MetaValue(meta["source"])] if meta.get("source") else []),
        MetaRow(_("In the edition"), [MetaValue(meta["url"], meta["url"])]
                if web_address(meta.get("url")) else []),
        MetaRow(_("Type"), [MetaValue(facet_label("type", meta["type"]),
                                   _facet_url(base, "type", meta["type"]))]
                if meta.get("type") else []),
        MetaRow(_("Language"), [MetaValue(facet_label("language", meta["language"]),
                                       _facet_url(base, "language", meta["language"]))]
                if meta.get("language") else []),
    ]  # fmt: skip
    if "mention" in FACETS:
        mentions = [MetaValue(entity_name(m), _facet_url(base, "mention", m), "", page(m))
                    for m in meta.get("mentions") or []]  # fmt: skip
        rows.append(MetaRow(_("Mentions"), sorted(mentions, key=lambda v: v.text.casefold())))
    return [row for row in rows if row.values]


def web_address(value: object) -> bool:
    """Whether a stored address may be a link (http or https only: never javascript:)."""
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _name_links(
    names: list[str], person_path: Callable[[str], str] | None
) -> list[tuple[str, str]]:
    return [(n, person_path(n)) for n in names if n] if person_path else []


def _context(args: dict[str, list[str]]) -> SearchRequest | None:
    """The search that led to this letter (carried in its URL), if it is a valid one."""
    if not args:
        return None
    try:
        return SearchRequest.from_params(args)
    except ValueError:  # BadRequest: a letter page shows anyway, without the context
        return None


def letter_page(
    letter: Any,
    neighbours: tuple[Any, Any],
    args: dict[str, list[str]],
    marker_for: Callable[[str, str | None, dict[int, str], bool], Any],
    search_base: str,
    letter_path: Callable[[str], str],
    permanent_url: str,
    entity_name: Callable[[str], str] = str,
    shared: Sequence[SharedPassage] = (),
    similar: Sequence[SimilarLetter] = (),
    correspondence: tuple[Any, Any] = (None, None),
    person_path: Callable[[str], str] | None = None,
    place_page: Callable[[str], str | None] = lambda _name: None,
) -> dict[str, Any]:
    """Everything letter.html needs (``correspondence``: the letters its correspContext
    names, those the archive holds)."""
    meta = letter.metadata()
    context = _context(args)
    context_qs = context.query_string() if context else ""
    q = context.q if context else ""
    concepts = context.concepts if context else True
    marker = marker_for(q, meta.get("language"), letter.passage_languages, concepts)
    rendered: RenderedLetter = render_letter(
        letter.html,
        marker,
        lambda n: citation_text(meta, permanent_url, n),
        lambda n: url_for("exports.cite_json", letter_id=letter.id, passage=n),
        also_in(shared, letter_path),
    )

    def neighbour_links(pair: tuple[Any, Any], labels: tuple[str, str]) -> list[Neighbour]:
        links = []
        for rel, label, other in zip(("prev", "next"), labels, pair, strict=True):
            if other is None:
                continue
            other_meta = other.metadata()
            links.append(
                Neighbour(
                    rel=rel,
                    label=label,
                    title=str(other_meta.get("title", other.id)),
                    date=local_date(*span(other_meta)),
                    url=letter_path(other.id) + (f"?{context_qs}" if context_qs else ""),
                )
            )
        return links

    links = neighbour_links(neighbours, (_("Previous letter"), _("Next letter")))
    in_correspondence = neighbour_links(
        correspondence, (_("Previous in the correspondence"), _("Next in the correspondence"))
    )
    return {
        "letter": letter,
        "meta": meta,
        "date": local_date(*span(meta)),
        "type": facet_label("type", meta.get("type") or "letter"),
        "recipients": [r.get("name", "") for r in meta.get("recipients") or []],
        "sender_links": _name_links(meta.get("senders") or [], person_path),
        "recipient_links": _name_links(
            [r.get("name", "") for r in meta.get("recipients") or []], person_path
        ),
        "rows": metadata_rows(meta, search_base, entity_name, person_path, place_page),
        "body": rendered,
        "q": q,
        "neighbours": links,
        "correspondence": in_correspondence,
        "transcribed": bool(letter.passages),
        "edition_url": meta["url"] if web_address(meta.get("url")) else "",
        "back_url": f"{search_base}?{context_qs}" if context_qs else search_base,
        "has_context": context is not None,
        "citation": citation_text(meta, permanent_url),
        "permanent_url": permanent_url,
        "passage_count": len(letter.passages),
        "similar": [
            Neighbour(
                "related",
                _("Similar letter"),
                s.title or s.id,
                local_date(s.date_from, s.date_to),
                letter_path(s.id),
            )
            for s in similar
        ],
        "shared_count": len({s.n for s in shared}),
    }


def also_in(
    shared: Sequence[SharedPassage], letter_path: Callable[[str], str]
) -> dict[int, list[AlsoIn]]:
    """For each passage that recurs elsewhere, the other letters' passages, most alike first."""
    places: dict[int, list[AlsoIn]] = {}
    for s in sorted(shared, key=lambda s: (s.n, -s.similarity)):
        url = f"{letter_path(s.other_id)}#p{s.other_n}"
        places.setdefault(s.n, []).append(
            AlsoIn(s.other_title or s.other_id, s.other_n, url, round(100 * s.similarity))
        )
    return places
