"""HTML pages: search (``/``, ``/search``), a letter (``/letters/<id>``) and ``/help``."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, render_template, request, url_for

from indexer.archive import ArchiveSession
from indexer.request import SearchRequest
from webapp import letterview, paramerrors, places, searchview, timeline, uilanguage
from webapp.highlight import marker_for
from webapp.links import RouteLinks
from webapp.session import get_session, letter_or_404

bp = Blueprint("pages", __name__)


def search_params() -> dict[str, list[str]]:
    """The query string as the library wants it: every parameter with all its values."""
    return request.args.to_dict(flat=False)


@bp.get("/")
@bp.get("/search")
def search() -> tuple[str, int]:
    """The search; bad parameters are left out and shown by their fields, with status 400."""
    params = search_params()
    search_request, errors = SearchRequest.salvage(params)
    session = get_session()
    result = session.search(search_request)
    base = url_for("pages.search")
    view = searchview.search_page(
        result, base, RouteLinks().letter, person_path(session), session.person_name
    )
    view.update(timeline.date_view(result, base, session.date_range()))
    view.update(paramerrors.problems_view(search_request, errors, params))
    return render_template("search.html", **view), 400 if errors else 200


def person_path(session: ArchiveSession) -> Callable[[str], str]:
    """A name as a letter writes it -> the address of its person page."""
    links = RouteLinks()
    return lambda name: links.person(session.person_key(name) or "unnamed")


@bp.get("/letters/<letter_id>")
def letter(letter_id: str) -> str:
    found = letter_or_404(letter_id)
    session = get_session()
    view = letterview.letter_page(
        found,
        session.neighbours(letter_id),
        search_params(),
        lambda q, language, languages, concepts: marker_for(
            session, q, language, languages, concepts
        ),
        search_base=url_for("pages.search"),
        letter_path=RouteLinks().letter,
        permanent_url=RouteLinks(absolute=True).letter(letter_id),
        entity_name=session.authorities.label,
        shared=session.shared_passages(letter_id),
        similar=session.similar(letter_id),
        correspondence=session.context(found),
        person_path=person_path(session),
        place_page=places.place_url,
    )
    return render_template("letter.html", **view)


@bp.get("/help")
def help_page() -> str:
    """The search help, translated whole: ``help.<lang>.html``, English ``help.html``."""
    language = uilanguage.current()
    return render_template(
        "help.html" if language == uilanguage.DEFAULT else f"help.{language}.html"
    )
