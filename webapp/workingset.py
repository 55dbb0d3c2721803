"""The working set's page and downloads (``/set?id=…``): a reading list with a citation for
every letter, and the same letters as CSV, JSON, CMIF or CSL-JSON.

Routes (GET): ``/set``, ``/set.csv``, ``/set.json``, ``/set.cmif.xml``, ``/set.csl.json``, all
taking repeated ``id`` parameters. Unknown ids are listed on the page and in the JSON, not
errors; more than 500 ids or an overlong one answers 400.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for

from indexer.formats.citation import citation_csl, citation_text
from indexer.formats.csv_export import csv_text
from indexer.request import BadRequest
from indexer.workingset import WorkingSet, set_ids, working_set
from webapp.exports import CSL_TYPE, CSV_TYPE, JSON_TYPE, TEI_TYPE, clean, cmif_download
from webapp.links import RouteLinks
from webapp.responses import download
from webapp.session import get_session

bp = Blueprint("workingset", __name__)


def requested_set() -> WorkingSet:
    return working_set(get_session(), set_ids(request.args.getlist("id")))


def _name(extension: str) -> str:
    return f"working-set-{dt.date.today().isoformat()}.{extension}"


def _query(ids: list[str]) -> str:
    return urlencode([("id", i) for i in ids])


@bp.get("/set")
def page() -> tuple[str, int]:
    try:
        found = requested_set()
    except BadRequest as error:
        return render_template("workingset.html", error=str(error), rows=[], found=None), 400
    links = RouteLinks()
    absolute = RouteLinks(absolute=True)
    ids = found.ids
    rows = []
    metadata = get_session().records(ids)  # what citations read, one look per letter
    for hit, meta in zip(found.hits, metadata, strict=True):
        others = [i for i in ids if i != hit.id]
        rows.append(
            {
                "hit": hit,
                "url": links.letter(hit.id),
                "citation": citation_text(meta, absolute.letter(hit.id)),
                "remove_url": url_for("workingset.page") + (f"?{_query(others)}" if others else ""),
            }
        )
    query = _query(ids)
    downloads = {
        label: f"{url_for(endpoint)}?{query}"
        for label, endpoint in (
            ("CSV", "workingset.as_csv"),
            ("JSON", "workingset.as_json"),
            ("CMIF", "workingset.as_cmif"),
            ("CSL-JSON", "workingset.as_csl"),
        )
    }
    return render_template("workingset.html", found=found, rows=rows, downloads=downloads), 200


def _data() -> dict[str, Any]:
    return requested_set().to_json(RouteLinks(absolute=True))


@bp.get("/set.csv")
def as_csv() -> Response:
    return download(csv_text(_data()["hits"]).encode("utf-8"), CSV_TYPE, _name("csv"))


@bp.get("/set.json")
def as_json() -> Response:
    text = json.dumps(_data(), ensure_ascii=False, indent=2) + "\n"
    return download(text.encode("utf-8"), JSON_TYPE, _name("json"))


@bp.get("/set.cmif.xml")
def as_cmif() -> Response:
    """The set as CMIF, written as every CMIF export is (its licence and address included)."""
    letters = clean(get_session().records(requested_set().ids))
    return download(cmif_download(letters), TEI_TYPE, _name("cmif.xml"))


@bp.get("/set.csl.json")
def as_csl() -> Response:
    absolute = RouteLinks(absolute=True)
    metadata = get_session().records(requested_set().ids)
    items = [citation_csl(meta, absolute.letter(str(meta["id"]))) for meta in metadata]
    text = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    return download(text.encode("utf-8"), CSL_TYPE, _name("csl.json"))
