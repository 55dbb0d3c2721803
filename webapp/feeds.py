"""Feeds: an Atom feed of any search and an OpenSearch description.

Routes (all GET):

- ``/feed.atom?<search parameters>``: the 50 newest letters of a search as Atom 1.0; an
  entry's ``updated`` is when the letter entered or last changed in the archive (what feed
  readers watch), its ``published`` the letter's own date
  (``sort``, ``page`` and ``per_page`` are checked like the search page's, then ignored).
- ``/opensearch.xml``: an OpenSearch 1.1 description (HTML search, Atom feed and JSON API).

XML is built with :mod:`xml.etree.ElementTree`, so every text is escaped; characters XML cannot
carry (control characters) are dropped. Absolute URLs start with ``BASE_URL`` from the config
when it is set, else the address of the request. Bad parameters are a 400 with the library's
message (the error page of :mod:`webapp.security`), an unknown letter a 404.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, current_app, url_for

from indexer.archive import FACETS
from indexer.request import SearchRequest
from indexer.results import SearchResult
from webapp.links import RouteLinks
from webapp.responses import absolute, search_request, xml_text
from webapp.session import get_session

bp = Blueprint("feeds", __name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
OPENSEARCH_TYPE = "application/opensearchdescription+xml; charset=utf-8"

FEED_ENTRIES = 50
SUMMARY_CHARS = 1000
UNDATED = "1970-01-01T00:00:00Z"  # Atom requires an <updated>; an undated letter has none

# -- helpers ------------------------------------------------------------------------------------


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def canonical(search: SearchRequest, **changes: object) -> str:
    """The query string of a search without page, page size and (unless changed) sort."""
    return search.query_string(**{"page": 1, "per_page": 10, "sort": "relevance", **changes})


def search_label(search: SearchRequest) -> str:
    """The query and filters in words: ``“strike” · sender: ITUC · from 2021``."""
    parts = [f"“{search.q}”"] if search.q else []
    for name in FACETS:
        values = search.filters.get(name, ())
        if values:
            parts.append(f"{name}: {' or '.join(values)}")
    if search.date_from:
        parts.append(f"from {search.date_from}")
    if search.date_to:
        parts.append(f"to {search.date_to}")
    return " · ".join(parts) or "all letters"


def _sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


@bp.app_template_global()
def search_links(search: SearchRequest) -> dict[str, str]:
    """Links to this search's feed and downloads, for search.html."""
    query = canonical(search, sort=search.sort)
    feed_query = canonical(search)
    return {
        "feed": with_query(url_for("feeds.feed"), feed_query),
        "csv": with_query(url_for("exports.export_csv"), query),
        "json": with_query(url_for("exports.export_json"), query),
        "cmif": with_query(url_for("exports.export_cmif"), query),
        "kwic": with_query(url_for("reading.kwic"), feed_query),
        "batch": with_query(url_for("reading.batch"), canonical(search, q="")),
    }


# -- Atom ---------------------------------------------------------------------------------------


def atom_time(day: str | None) -> str | None:
    return f"{day}T00:00:00Z" if day else None


def entry_summary(letter: Any) -> str:
    """The letter's summary, else its first passage (shortened)."""
    if letter is None:
        return ""
    record = letter.record
    text = str(record.get("summary") or "").strip()
    if not text:
        passages = record.get("passages") or []
        text = str(passages[0][2]).strip() if passages else ""
    text = " ".join(text.split())
    if len(text) > SUMMARY_CHARS:
        text = text[: SUMMARY_CHARS - 1].rstrip() + "…"
    return text


def build_feed(search: SearchRequest, result: SearchResult) -> ET.Element:
    session = get_session()
    site = str(current_app.config.get("SITE_NAME") or "Letters archive")
    root = ET.Element("feed", xmlns=ATOM_NS)  # unqualified children: see indexer.formats.cmif
    _sub(root, "title", f"{site}: {search_label(search)}")
    self_url = absolute(with_query(url_for("feeds.feed"), canonical(search)))
    html_url = absolute(with_query("/search", canonical(search, sort="newest")))
    _sub(root, "id", self_url)
    _sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=html_url)
    updated = _sub(root, "updated")
    _sub(_sub(root, "author"), "name", site)
    _sub(root, "generator", site)
    latest = None
    links = RouteLinks(absolute=True)
    for hit in result.hits:
        letter = session.letter(hit.id)
        # updated: when the letter entered (or last changed in) the archive, which is what a
        # feed reader looks at to tell new entries; published: the letter's own date
        written = atom_time(hit.date or hit.date_to) or atom_time(hit.date_from)
        arrived = str(letter.record.get("arrived") or "") if letter else ""
        when = arrived or written or UNDATED
        latest = max(latest or when, when)
        url = links.letter(hit.id)
        entry = _sub(root, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", hit.title or hit.id)
        _sub(entry, "updated", when)
        if written:
            _sub(entry, "published", written)
        for sender in hit.senders:
            _sub(_sub(entry, "author"), "name", sender)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        summary = entry_summary(letter)
        if summary:
            _sub(entry, "summary", summary, type="text")
    updated.text = latest or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return root


@bp.get("/feed.atom")
def feed() -> Response:
    search = search_request()
    newest = replace(search, sort="newest", page=1, per_page=FEED_ENTRIES, group=False)  # all
    result = get_session().search(newest)
    return Response(xml_bytes(build_feed(search, result)), content_type=ATOM_TYPE)


# -- OpenSearch ---------------------------------------------------------------------------------


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    site = str(current_app.config.get("SITE_NAME") or "Letters archive")
    root = ET.Element("OpenSearchDescription", xmlns=OPENSEARCH_NS)
    _sub(root, "ShortName", site[:16])
    _sub(root, "Description", f"Search the letters of the {site}")
    _sub(root, "InputEncoding", "UTF-8")
    _sub(root, "OutputEncoding", "UTF-8")
    _sub(root, "Url", type="text/html", method="get",
         template=absolute("/search?q={searchTerms}"))  # fmt: skip
    _sub(root, "Url", type="application/atom+xml", method="get",
         template=absolute(url_for("feeds.feed") + "?q={searchTerms}"))  # fmt: skip
    _sub(root, "Url", type="application/json", method="get",
         template=absolute(url_for("api.search") + "?q={searchTerms}"))  # fmt: skip
    _sub(root, "Url", type="application/opensearchdescription+xml", rel="self",
         template=absolute(url_for("feeds.opensearch")))  # fmt: skip
    return Response(xml_bytes(root), content_type=OPENSEARCH_TYPE)
