"""Downloads: every letter of a search as CSV, the search JSON or CMIF, and CSL-JSON citations.

Routes (all GET):

- ``/export.csv``, ``/export.json``, ``/export.cmif.xml`` ``?<search parameters>``: every letter
  of a search (all pages, at most :data:`MAX_EXPORT` letters) as an attachment named
  ``letters-<today>.<ext>`` (``page`` and ``per_page`` are checked like the search page's, then
  ignored; ``sort`` is kept).
- ``/letters/<id>/cite.json[?passage=N]``: a CSL-JSON citation (a list with one item) of the
  letter or of passage ¶N, with the permanent (passage) URL.

Absolute URLs and errors as in :mod:`webapp.feeds`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request

from indexer.formats.citation import citation_csl
from indexer.formats.cmif import cmif_bytes
from indexer.formats.csv_export import csv_text, results_json
from indexer.request import BadRequest
from webapp.links import RouteLinks
from webapp.responses import base_url, download, search_request, xml_text
from webapp.session import get_session, letter_or_404

bp = Blueprint("exports", __name__)

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
TEI_TYPE = "application/tei+xml; charset=utf-8"
CSL_TYPE = "application/vnd.citationstyles.csl+json; charset=utf-8"
EXPORT_PAGE_SIZE = 100
MAX_EXPORT = 10_000


# -- exports ------------------------------------------------------------------------------------


def export_data() -> dict[str, Any]:
    pages = get_session().search_all(search_request(), EXPORT_PAGE_SIZE, MAX_EXPORT)
    return results_json(pages, RouteLinks(absolute=True))


def export_name(extension: str) -> str:
    return f"letters-{dt.date.today().isoformat()}.{extension}"


@bp.get("/export.csv")
def export_csv() -> Response:
    hits = export_data()["hits"]
    return download(csv_text(hits).encode("utf-8"), CSV_TYPE, export_name("csv"))


@bp.get("/export.json")
def export_json() -> Response:
    text = json.dumps(export_data(), ensure_ascii=False, indent=2) + "\n"
    return download(text.encode("utf-8"), JSON_TYPE, export_name("json"))


@bp.get("/export.cmif.xml")
def export_cmif() -> Response:
    hits = export_data()["hits"]
    letters = clean(get_session().records(hit["id"] for hit in hits))
    return download(cmif_download(letters), TEI_TYPE, export_name("cmif.xml"))


def cmif_download(letters: list[dict[str, Any]]) -> bytes:
    """Letters as this archive's CMIF: its name, licence, and the address of this download."""
    site = str(current_app.config.get("SITE_NAME") or "Letters archive")
    licence = str(current_app.config["CMIF_LICENCE"])
    query = urlencode(list(request.args.items(multi=True)))
    address = xml_text(f"{base_url()}{request.path}" + (f"?{query}" if query else ""))
    return cmif_bytes(
        letters,
        RouteLinks(absolute=True),
        base_url(),
        editor=site,
        licence=licence,
        address=address,
    )


def clean(value: Any) -> Any:
    """Strings of JSON-like data without the characters XML cannot carry."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [clean(v) for v in value]
    return value


# -- citations ----------------------------------------------------------------------------------


def passage_param(letter: Any) -> int | None:
    unknown = sorted(set(request.args) - {"passage"})
    if unknown:
        raise BadRequest(f"unknown parameter '{unknown[0]}'; known parameters: passage")
    values = request.args.getlist("passage")
    if not values or not values[-1].strip():
        return None
    text = values[-1].strip()
    if not re.fullmatch(r"[0-9]{1,9}", text):
        raise BadRequest(f"'passage' must be a whole number, not {text!r}")
    n = int(text)
    if letter.passage(n) is None:
        raise BadRequest(f"this letter has passages ¶1–¶{len(letter.passages)}, not ¶{n}")
    return n


@bp.get("/letters/<letter_id>/cite.json")
def cite_json(letter_id: str) -> Response:
    letter = letter_or_404(letter_id)
    passage = passage_param(letter)
    item = citation_csl(letter.metadata(), RouteLinks(absolute=True).letter(letter.id), passage)
    text = json.dumps([item], ensure_ascii=False, indent=2) + "\n"
    safe = re.fullmatch(r"[A-Za-z0-9._-]{1,200}", letter.id)
    stem = letter.id if safe else "letter"
    name = f"{stem}-p{passage}.json" if passage is not None else f"{stem}.json"
    return download(text.encode("utf-8"), CSL_TYPE, name)
