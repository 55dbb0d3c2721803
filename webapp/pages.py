"""HTML pages: search (``/``, ``/search``), a letter (``/letters/<id>``) and ``/help``."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, render_template, request, url_for

from indexer.request import SearchRequest
from webapp import letterview, paramerrors, viewmodels
from webapp.highlight import marker_for
from webapp.session import get_session

bp = Blueprint("pages", __name__)

MAX_ID_CHARS = 300


def search_params() -> dict[str, list[str]]:
    """The query string as the library wants it: every parameter with all its values."""
    return request.args.to_dict(flat=False)


def letter_path(letter_id: str) -> str:
    return url_for("pages.letter", letter_id=letter_id)


def entity_namer(session: object) -> Callable[[str], str]:
    """Names of the entities a letter mentions, from the authority file when there is one."""
    authorities = getattr(session, "authorities", None)
    entities = getattr(authorities, "entities", None) or {}

    def name(entity_id: str) -> str:
        entity = entities.get(entity_id)
        return str(getattr(entity, "name", "") or entity_id)

    return name


@bp.get("/")
@bp.get("/search")
def search() -> tuple[str, int]:
    """The search; bad parameters are left out and shown by their fields, with status 400."""
    params = search_params()
    search_request, errors = SearchRequest.salvage(params)
    result = get_session().search(search_request)
    view = viewmodels.search_page(result, url_for("pages.search"), letter_path)
    view.update(paramerrors.problems_view(search_request, errors, params))
    return render_template("search.html", **view), 400 if errors else 200


@bp.get("/letters/<letter_id>")
def letter(letter_id: str) -> str:
    if len(letter_id) > MAX_ID_CHARS:
        abort(404, description="There is no letter with this id.")
    session = get_session()
    found = session.letter(letter_id)
    if found is None:
        abort(404, description=f"There is no letter with the id “{letter_id}”.")
    view = letterview.letter_page(
        found,
        session.neighbours(letter_id),
        search_params(),
        lambda q, language: marker_for(session, q, language),
        search_base=url_for("pages.search"),
        letter_path=letter_path,
        permanent_url=url_for("pages.letter", letter_id=letter_id, _external=True),
        entity_name=entity_namer(session),
    )
    return render_template("letter.html", **view)


@bp.get("/help")
def help_page() -> str:
    return render_template("help.html")
