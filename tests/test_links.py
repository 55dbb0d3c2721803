"""The web app's routes and the CLI's links name the same addresses."""

from __future__ import annotations

import pytest
from flask import Flask

from indexer.links import ArchiveLinks
from indexer.request import SearchRequest
from webapp.links import RouteLinks

CASES = [
    ("2024-01-10-industriall-right-to-strike-west-oil-software", 8, "right to strike"),
    ("x", 1, ""),
    ("letter-1916-05", 12, 'Tokayev & "Article 402" #p3 ?q=x'),
    ("a-b", 3, "Токаев забастовка ереуіл"),
]


@pytest.mark.parametrize(("letter_id", "n", "q"), CASES)
def test_route_links_equal_archive_links(app: Flask, letter_id: str, n: int, q: str) -> None:
    with app.test_request_context("/"):
        assert RouteLinks().letter(letter_id) == ArchiveLinks().letter(letter_id)
        assert RouteLinks().passage(letter_id, n, q) == ArchiveLinks().passage(letter_id, n, q)
        absolute = RouteLinks(absolute=True)
        assert absolute.passage(letter_id, n, q) == ArchiveLinks("http://localhost/").passage(
            letter_id, n, q
        )
        search = SearchRequest(q=q, filters={"sender": (letter_id,)}, date_from="2021")
        assert RouteLinks().search(search) == ArchiveLinks().search(search)
        assert RouteLinks().search(SearchRequest()) == ArchiveLinks().search(SearchRequest())


def test_absolute_links_follow_the_configured_base_url(app: Flask) -> None:
    app.config["BASE_URL"] = "https://letters.example.org/archive/"
    try:
        with app.test_request_context("/"):
            assert RouteLinks(absolute=True).letter("x") == (
                "https://letters.example.org/archive/letters/x"
            )
    finally:
        app.config["BASE_URL"] = None


@pytest.mark.parametrize("key", ["ituc", "atle-hoie", "касым-жомарт-токаев", "a-b-c"])
def test_person_links_equal_archive_links(app: Flask, key: str) -> None:
    with app.test_request_context("/"):
        assert RouteLinks().person(key) == ArchiveLinks().person(key)
        assert RouteLinks(absolute=True).person(key) == ArchiveLinks("http://localhost").person(key)
