"""Pages for reading many letters at once: the concordance (``/kwic``, ``/kwic.csv``) and
batch search (``/batch``).

``/kwic`` takes the search page's parameters plus ``order`` (date, left, match, right),
``context`` (words each side, 1–20) and ``page``/``per_page`` of lines; a bad parameter answers
400 with the page and the message naming it. ``/kwic.csv`` downloads every line.

``/batch`` shows a form; POSTed (or with ``queries`` in the URL) it searches each line of
``queries`` (or of the uploaded ``file``, text or CSV) with the search filters given beside it
and answers as a page, or with ``format=csv``/``json`` as a download. POST only carries a list
too long for a URL; nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from indexer.batch import BATCH_SECONDS, DEFAULT_FIRST, MAX_FIRST, read_queries, run_batch
from indexer.concordance import ConcordanceRequest, concordance
from indexer.formats.csv_export import batch_csv, concordance_csv
from indexer.letters.encoding import decode
from indexer.request import BadRequest, SearchRequest, int_param, last_value
from webapp import batchview, kwicview
from webapp.links import RouteLinks
from webapp.responses import download
from webapp.session import get_session, letter_or_404

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


BATCH_FIELDS = ("queries", "file", "first", "format")
BATCH_FORMATS = ("html", "csv", "json")


@bp.route("/batch", methods=["GET", "POST"])
def batch() -> Any:
    params = {**request.args.to_dict(flat=False), **request.form.to_dict(flat=False)}
    own = {name: params.pop(name, []) for name in BATCH_FIELDS}
    upload = request.files.get("file")
    text = "\n".join(own["queries"])
    try:
        template = SearchRequest.from_params(params)
        first = int_param("first", last_value(own["first"]), DEFAULT_FIRST, 1, MAX_FIRST)
        answer = last_value(own["format"]) or "html"
        if answer not in BATCH_FORMATS:
            raise BadRequest(f"format must be one of {', '.join(BATCH_FORMATS)}", "format")
        filename = upload.filename or "" if upload else ""
        if upload and filename:
            text = (text + "\n" + decode(upload.read())[0]).strip()
        queries = read_queries(text, filename)
    except BadRequest as error:
        view = batchview.form_view(params, text, str(error))
        return render_template("batch.html", **view), 400
    if not queries:
        return render_template("batch.html", **batchview.form_view(params, text)), 200
    found = run_batch(get_session(), queries, template, first, current_app_seconds())
    data = found.to_json(RouteLinks(absolute=True))
    name = f"batch-{dt.date.today().isoformat()}"
    if answer == "csv":
        return download(batch_csv(data).encode("utf-8"), "text/csv; charset=utf-8", name + ".csv")
    if answer == "json":
        payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return download(payload, "application/json; charset=utf-8", name + ".json")
    view = batchview.form_view(params, text)
    view.update(batchview.results_view(found))
    return render_template("batch.html", **view), 200


def current_app_seconds() -> float:
    return float(current_app.config.get("BATCH_SECONDS", BATCH_SECONDS))


@bp.get("/letters/<letter_id>/reuse.json")
def letter_reuse(letter_id: str) -> Response:
    """This letter's paragraphs that recur in other letters, each with where and how much."""
    letter_or_404(letter_id)
    links = RouteLinks()
    shared = get_session().shared_passages(letter_id)
    return jsonify(
        {
            "id": letter_id,
            "shared": [
                {
                    "n": s.n,
                    "other_id": s.other_id,
                    "other_title": s.other_title,
                    "other_n": s.other_n,
                    "share": s.similarity,
                    "url": links.passage(s.other_id, s.other_n),
                }
                for s in shared
            ],
        }
    )
