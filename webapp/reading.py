"""Pages for reading many letters at once: the concordance (``/kwic``, ``/kwic.csv``).

``/kwic`` takes the search page's parameters plus ``order`` (date, left, match, right),
``context`` (words each side, 1–20) and ``page``/``per_page`` of lines; a bad parameter answers
400 with the page and the message naming it. ``/kwic.csv`` downloads every line.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, render_template, request, url_for

from indexer.concordance import ConcordanceRequest, concordance
from indexer.formats.csv_export import concordance_csv
from indexer.request import BadRequest
from webapp import kwicview
from webapp.links import RouteLinks
from webapp.responses import download
from webapp.session import get_session

bp = Blueprint("reading", __name__)


def concordance_request() -> ConcordanceRequest:
    return ConcordanceRequest.from_params(request.args.to_dict(flat=False))


@bp.get("/kwic")
def kwic() -> tuple[str, int]:
    try:
        wanted = concordance_request()
    except BadRequest as error:
        return render_template("kwic.html", error=str(error), form=request.args), 400
    found = concordance(get_session(), wanted)
    view = kwicview.kwic_page(
        found,
        url_for("reading.kwic"),
        url_for("reading.kwic_csv"),
        url_for("pages.search"),
        RouteLinks(),
    )
    return render_template("kwic.html", **view), 200


@bp.get("/kwic.csv")
def kwic_csv() -> Response:
    wanted = concordance_request()
    found = concordance(get_session(), wanted)
    text = concordance_csv(found.lines, RouteLinks(absolute=True), wanted.search.q)
    name = f"concordance-{dt.date.today().isoformat()}.csv"
    return download(text.encode("utf-8"), "text/csv; charset=utf-8", name)
