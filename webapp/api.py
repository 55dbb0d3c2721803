"""The JSON API: ``/api/search`` (the documented result shape), ``/api/letters/<id>`` and
``/api/letters/<id>/similar``.

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


@bp.get("/letters/<letter_id>/similar")
def similar(letter_id: str) -> Response:
    """Letters about the same things as this one (copies left out), most alike first."""
    letter_or_404(letter_id)
    links = RouteLinks()
    return jsonify(
        {
            "id": letter_id,
            "similar": [
                {
                    "id": s.id,
                    "title": s.title,
                    "date_from": s.date_from,
                    "date_to": s.date_to,
                    "score": round(s.score, 4),
                    "url": links.letter(s.id),
                }
                for s in get_session().similar(letter_id, limit=10)
            ],
        }
    )
