"""What the blueprints that answer with documents rather than pages share (feeds, exports):
absolute addresses, the search in the query string, XML-safe text and downloads."""

from __future__ import annotations

import re

from flask import Response, current_app, request

from indexer.request import SearchRequest

# Characters XML 1.0 cannot carry: C0 controls except tab, newline, carriage return; surrogates;
# U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def base_url() -> str:
    """Where the archive is, for absolute links: config ``BASE_URL``, else the request's root."""
    return str(current_app.config.get("BASE_URL") or request.url_root).rstrip("/")


def absolute(path: str) -> str:
    """An app-relative path (``/letters/…``, ``/search?…``) as an absolute URL."""
    return base_url() + path


def search_request() -> SearchRequest:
    """The request's search parameters, validated exactly as the search page and the API do."""
    return SearchRequest.from_params(request.args.to_dict(flat=False))


def download(payload: bytes, mimetype: str, filename: str) -> Response:
    response = Response(payload, content_type=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response
