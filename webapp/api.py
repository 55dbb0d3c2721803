"""The JSON API: ``/api/search`` (the documented result shape) and ``/api/letters/<id>``.

Errors are JSON too (see :mod:`webapp.security`): ``{"error": message}`` with 400, 404 or 503.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from webapp.links import RouteLinks
from webapp.responses import search_request
from webapp.session import get_session, letter_or_404

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    return jsonify(get_session().search(search_request()).to_json(RouteLinks()))


@bp.get("/letters/<letter_id>")
def letter(letter_id: str) -> Response:
    found = letter_or_404(letter_id)
    return jsonify(found.to_json())
