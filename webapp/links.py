"""The archive's links as the web app's routes make them (``url_for``)."""

from __future__ import annotations

from flask import url_for

from indexer.links import passage_suffix, query_suffix
from indexer.request import SearchRequest
from webapp.responses import base_url


class RouteLinks:
    """:class:`indexer.links.Links` from the ``pages.letter`` route. ``absolute`` addresses
    (feeds, downloads, citations) start with the archive's base URL (config ``BASE_URL``, else
    the request's root)."""

    def __init__(self, absolute: bool = False) -> None:
        self.absolute = absolute

    def _full(self, path: str) -> str:
        return base_url() + path if self.absolute else path

    def letter(self, letter_id: str) -> str:
        return self._full(url_for("pages.letter", letter_id=letter_id))

    def person(self, key: str) -> str:
        return self._full(url_for("people.person", key=key))

    def passage(self, letter_id: str, n: int, q: str = "") -> str:
        return self.letter(letter_id) + passage_suffix(n, q)

    def search(self, request: SearchRequest) -> str:
        return self._full(url_for("pages.search")) + query_suffix(request)
