"""The archive's web addresses, as the CLI and the exports write them.

A letter is ``/letters/<id>``, a person ``/people/<key>``, a passage
``/letters/<id>?q=<query>#p<n>``, a search ``/search?<its parameters>``. The engine answers
with ids and ¶ numbers only; whoever shows a result builds its links: the web app from its own
routes (``url_for``, :mod:`webapp.links`), everything else with :class:`ArchiveLinks`. A test
holds the two to the same addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, urlencode

from indexer.request import SearchRequest


class Links(Protocol):
    def letter(self, letter_id: str) -> str: ...

    def passage(self, letter_id: str, n: int, q: str = "") -> str: ...

    def search(self, request: SearchRequest) -> str: ...

    def person(self, key: str) -> str: ...


@dataclass(frozen=True)
class ArchiveLinks:
    """Addresses under ``base_url`` (empty: paths from the archive's root)."""

    base_url: str = ""

    def letter(self, letter_id: str) -> str:
        return f"{self.base_url.rstrip('/')}/letters/{quote(letter_id)}"

    def passage(self, letter_id: str, n: int, q: str = "") -> str:
        return self.letter(letter_id) + passage_suffix(n, q)

    def search(self, request: SearchRequest) -> str:
        return f"{self.base_url.rstrip('/')}/search" + query_suffix(request)

    def person(self, key: str) -> str:
        return f"{self.base_url.rstrip('/')}/people/{quote(key)}"


def query_suffix(request: SearchRequest) -> str:
    """What follows the search page's address for this search ("" for all letters)."""
    query = request.query_string()
    return f"?{query}" if query else ""


def passage_suffix(n: int, q: str = "") -> str:
    """What follows a letter's address to open it at ¶ ``n`` with query ``q`` marked."""
    query = f"?{urlencode({'q': q})}" if q else ""
    return f"{query}#p{n}"
