"""People and the correspondence network: ``/people``, ``/people/<key>``, ``/network`` and its
exports ``/network.json`` and ``/network.gexf`` (the same parameters as ``/search``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from indexer.formats.gexf import network_gexf
from indexer.letters.text import MAX_SLUG_CHARS as MAX_KEY_CHARS
from indexer.request import BadRequest, SearchRequest
from webapp import networkview, paramerrors, peopleview
from webapp.links import RouteLinks
from webapp.responses import absolute, download, search_request
from webapp.session import get_session

bp = Blueprint("people", __name__)


@bp.app_template_global()
def network_link(search: SearchRequest) -> str:
    """The network of a search's letters, for search.html."""
    query = search.query_string(page=1, per_page=10)
    return url_for("people.network") + (f"?{query}" if query else "")


def _person_path(key: str) -> str:
    return url_for("people.person", key=key)


@bp.get("/people")
def people() -> tuple[str, int]:
    listing_request = peopleview.DirectoryRequest.from_params(request.args.to_dict(flat=False))
    listing = get_session().people(
        listing_request.q, listing_request.sort, listing_request.page, peopleview.PEOPLE_PER_PAGE
    )
    view = peopleview.directory_page(
        listing, listing_request, url_for("people.people"), _person_path
    )
    return render_template("people.html", **view), 200


@bp.get("/people/<key>")
def person(key: str) -> str:
    found = get_session().person(key) if len(key) <= MAX_KEY_CHARS * 3 else None
    if found is None:
        abort(404, description=f"No letter names anyone with the key “{key[:MAX_KEY_CHARS]}”.")
    view = peopleview.person_page(
        found, url_for("pages.search"), url_for("people.network"), _person_path
    )
    return render_template("person.html", **view)


@bp.get("/api/people")
def people_json() -> Response | tuple[Response, int]:
    """The list of people as JSON (the same parameters as ``/people``)."""
    listing_request = peopleview.DirectoryRequest.from_params(request.args.to_dict(flat=False))
    listing = get_session().people(
        listing_request.q, listing_request.sort, listing_request.page, peopleview.PEOPLE_PER_PAGE
    )
    return jsonify(listing.to_json(_person_path))


@bp.get("/api/people/<key>")
def person_json(key: str) -> Response:
    found = get_session().person(key) if len(key) <= MAX_KEY_CHARS * 3 else None
    if found is None:
        abort(404, description=f"No letter names anyone with the key “{key[:MAX_KEY_CHARS]}”.")
    return jsonify({**found.to_json(), "url": _person_path(found.key)})


@bp.get("/network")
def network() -> tuple[str, int]:
    """The network of a search; bad parameters are left out and named, with status 400."""
    params = request.args.to_dict(flat=False)
    network_request, errors = SearchRequest.salvage(params)
    found = get_session().network(network_request)
    view = networkview.network_page(
        found,
        network_request,
        url_for("pages.search"),
        (url_for("people.network_json"), url_for("people.network_gexf")),
        _person_path,
    )
    view.update(paramerrors.problems_view(network_request, errors, params))
    return render_template("network.html", **view), 400 if errors else 200


@bp.get("/network.json")
def network_json() -> Response | tuple[Response, int]:
    """The network as JSON; a bad parameter is a JSON error naming it (status 400)."""
    try:
        network_request = search_request()
    except BadRequest as exc:
        return jsonify({"error": str(exc)}), 400
    found = get_session().network(network_request)
    return jsonify(
        networkview.network_json(found, network_request, url_for("pages.search"), _person_path)
    )


@bp.get("/network.gexf", endpoint="network_gexf")
def network_gexf_file() -> Response:
    network_request = search_request()
    found = get_session().network(network_request)
    search_base = absolute(url_for("pages.search"))
    payload = network_gexf(
        found,
        RouteLinks(absolute=True).person,
        lambda a, b: networkview.edge_url(network_request, search_base, a, b),
        description=f"Letters archive network: {network_request.query_string() or 'all letters'}",
    )
    return download(payload, "application/gexf+xml", "network.gexf")
