"""Security headers on every response, and error pages (HTML) or error objects (JSON API).

No user input may produce a 500: bad parameters are 400 with the library's message (the
search page shows its own, by the field; see :mod:`webapp.paramerrors`), unknown letters 404,
an index that is missing or cannot be opened 503. Anything else is a bug: Flask logs it with its
traceback and answers a generic 500 page without the stack trace.
"""

from __future__ import annotations

import re

from flask import (
    Flask,
    Response,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Response as BaseResponse

from indexer.request import BadRequest
from webapp.problemtext import problem_text
from webapp.session import IndexUnavailable

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

TITLES = {
    400: _l("Bad request"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    500: _l("Something went wrong"),
    503: _l("Search is not available yet"),
}


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(status: int, message: str) -> Response:
    if wants_json():
        response = jsonify({"error": message})
    else:
        title = str(TITLES.get(status, _("Error")))
        shown = problem_text(message) if status in (400, 404) else message  # API: English
        page = render_template("error.html", status=status, title=title, message=shown)
        response = make_response(page)
    response.status_code = status
    return response


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def handle_bad_request(exc: BadRequest) -> Response:
    return error_response(400, str(exc))


def handle_index_unavailable(exc: IndexUnavailable) -> Response:
    response = error_response(503, str(exc))
    response.headers["Retry-After"] = "60"
    return response


def handle_http_exception(exc: HTTPException) -> BaseResponse:
    """Every HTTP error, including the 500 Flask raises for an unhandled exception."""
    status = exc.code or 500
    if status < 400:  # redirects (e.g. a missing trailing slash) are not errors
        return exc.get_response()
    if status == 404:
        custom = exc.description and exc.description != NotFound.description
        message = str(exc.description) if custom else _("There is no page at this address.")
    elif status >= 500:
        message = _("The server could not answer this request. Please try again later.")
    else:
        message = exc.description or str(TITLES.get(status, _("Error")))
    response = error_response(status, message)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def code_spans(text: str) -> Markup:
    """Escape a message and show its `backticked` parts as code (a message already made safe,
    a translated one, is shown as it is)."""
    if isinstance(text, Markup):
        return text
    parts = re.split(r"`([^`]*)`", str(text))
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
        for i, part in enumerate(parts)
    )


def init_app(app: Flask) -> None:
    app.add_template_filter(code_spans)
    app.after_request(add_security_headers)
    app.register_error_handler(BadRequest, handle_bad_request)
    app.register_error_handler(IndexUnavailable, handle_index_unavailable)
    # Unhandled exceptions reach this as InternalServerError (logged by Flask with the
    # traceback); with TESTING or DEBUG they propagate instead, so bugs stay visible.
    app.register_error_handler(HTTPException, handle_http_exception)
