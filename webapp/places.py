"""Place pages: ``/places`` lists the places letters were written and received at, and
``/places/<key>`` shows one: its letters by year, its senders and recipients."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from indexer.letters.places import Place, gather_places, place_key
from indexer.letters.text import MAX_SLUG_CHARS as MAX_KEY_CHARS
from indexer.request import ListRequest
from webapp import placeview
from webapp.links import RouteLinks
from webapp.session import get_session

bp = Blueprint("places", __name__)


def archive_places() -> dict[str, Place]:
    """The places of the request's snapshot, by key."""
    session = get_session()
    return gather_places(session.facet_values("place"), session.facet_values("destination"))


def place_path(key: str) -> str:
    return url_for("places.place", key=key)


def place_url(name: str) -> str | None:
    """The page of the place a letter names (None: a name without letters or digits)."""
    key = place_key(name)
    return place_path(key) if key else None


@bp.get("/places")
def places() -> str:
    """Every place, most letters first (``sort=name``: by name), filtered by ``q``."""
    list_request = ListRequest.from_params(request.args.to_dict(flat=False))
    view = placeview.places_list(
        archive_places(),
        list_request,
        url_for("places.places"),
        place_path,
        url_for("pages.search"),
    )
    return render_template("places.html", **view)


@bp.get("/places/<key>")
def place(key: str) -> str | Response:
    """One place; another spelling of its key (``Dublin``) redirects to the key (``dublin``)."""
    wanted = place_key(key) if len(key) <= MAX_KEY_CHARS else ""
    found = archive_places().get(wanted) if wanted else None
    if found is None:
        abort(404, description=f"There is no place with the key “{key[:MAX_KEY_CHARS]}”.")
    if key != found.key:
        return redirect(place_path(found.key), code=301)
    session = get_session()
    written = placeview.side_request(found, "place") if found.written else None
    received = placeview.side_request(found, "destination") if found.received else None
    view = placeview.place_page(
        found,
        session.search(written) if written else None,
        session.search(received) if received else None,
        url_for("pages.search"),
        RouteLinks().letter,
        url_for("places.places"),
    )
    return render_template("place.html", **view)
