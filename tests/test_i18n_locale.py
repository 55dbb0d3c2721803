"""Which language a page is in, and what is written the language's way: the switch and its
cookie, Accept-Language, a bad value of either (ignored, never an error), the JSON API (always
the same, whatever the language), counts and letter dates by locale, and plural forms."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.pagedom import Node, parse
from webapp.localdates import local_date, period_words
from webapp.uilanguage import COOKIE


def html_lang(client: FlaskClient, path: str = "/", **headers: str) -> str:
    page = parse(client.get(path, headers=headers).data)
    return next(n for n in page.iter() if n.tag == "html").attrs["lang"]


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
        ("ru-RU,ru;q=0.9,en;q=0.5", "ru"),
        ("de-DE,ru;q=0.7,en;q=0.3", "ru"),  # the best of those offered
        ("fr-FR,fr;q=0.9", "en"),  # none offered: English
        ("", "en"),
        ("*;q=0,,;;q=x", "en"),  # nonsense
    ],
)
def test_accept_language_picks_the_best_offered_language(
    client: FlaskClient, accept: str, language: str
) -> None:
    assert html_lang(client, **{"Accept-Language": accept}) == language


def test_the_switch_sets_a_cookie_and_goes_back_to_the_page(client: FlaskClient) -> None:
    response = client.get("/language?lang=kk&next=/search%3Fq%3Dstrike")
    assert (response.status_code, response.headers["Location"]) == (303, "/search?q=strike")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.value == "kk"
    assert "samesite=lax" in response.headers["Set-Cookie"].lower()
    # remembered, and above the browser's language
    assert html_lang(client, "/help", **{"Accept-Language": "ru"}) == "kk"


@pytest.mark.parametrize("value", ["xx", "", "EN", "ru-RU", "<script>", "kk\r\nSet-Cookie: a=b"])
def test_an_unknown_language_is_ignored_never_an_error(client: FlaskClient, value: str) -> None:
    response = client.get("/language", query_string={"lang": value, "next": "/help"})
    assert (response.status_code, response.headers["Location"]) == (303, "/help")
    assert client.get_cookie(COOKIE) is None
    client.set_cookie(COOKIE, value)  # a cookie of any value
    assert client.get("/").status_code == 200
    assert html_lang(client, **{"Accept-Language": "ru"}) == "ru"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x", ""]
)
def test_the_switch_goes_nowhere_but_this_site(client: FlaskClient, target: str) -> None:
    response = client.get("/language", query_string={"lang": "ru", "next": target})
    assert (response.status_code, response.headers["Location"]) == (303, "/search")


def test_every_page_links_each_language_to_itself(client: FlaskClient) -> None:
    client.set_cookie(COOKIE, "ru")
    page = parse(client.get("/search?q=strike&sort=newest").data)
    links = [
        (a.attrs["hreflang"], a.attrs["lang"], a.text(), a.attrs.get("aria-current"))
        for a in page.find_all(".language-switch a")
    ]
    assert links == [
        ("en", "en", "English", None),
        ("ru", "ru", "Русский", "true"),
        ("kk", "kk", "Қазақша", None),
    ]
    hrefs = [a.attrs["href"] for a in page.find_all(".language-switch a")]
    assert hrefs[0] == "/language?lang=en&next=/search?q%3Dstrike%26sort%3Dnewest"


def test_the_json_api_is_the_same_in_every_language(client: FlaskClient) -> None:
    def answers(language: str) -> list[object]:
        client.set_cookie(COOKIE, language)
        return [
            client.get("/api/search?q=strike").get_json(),
            client.get("/api/search?from=nonsense").get_json(),
            client.get("/api/letters/no-such-letter").get_json(),
        ]

    english = answers("en")
    assert english == answers("ru") == answers("kk")
    assert english[2] == {"error": "There is no letter with the id “no-such-letter”."}


def shown(client: FlaskClient, language: str, path: str, selector: str) -> list[str]:
    client.set_cookie(COOKIE, language)
    page: Node = parse(client.get(path).data)
    return [n.text() for n in page.find_all(selector)]


def test_counts_and_plurals_follow_the_language(client: FlaskClient) -> None:
    assert shown(client, "en", "/search?q=strike", ".result-count") == ["4 letters"]
    assert shown(client, "ru", "/search?q=strike", ".result-count") == ["4 письма"]
    assert shown(client, "kk", "/search?q=strike", ".result-count") == ["4 хат"]
    assert shown(client, "ru", "/search", ".result-count") == ["5 писем"]
    assert shown(client, "ru", "/search?type=press+release", ".result-count") == ["1 письмо"]


def test_facet_labels_of_the_interface_are_translated_and_data_is_not(
    client: FlaskClient,
) -> None:
    types = shown(client, "ru", "/search", "#facet-type .facet-label")
    languages = shown(client, "kk", "/search", "#facet-language .facet-label")
    senders = shown(client, "ru", "/search", "#facet-sender .facet-label")
    assert "Письмо" in types and "ағылшын тілі" in languages
    assert senders == shown(client, "en", "/search", "#facet-sender .facet-label")


def test_numbers_are_written_the_languages_way(app: Flask) -> None:
    from webapp.uilanguage import number

    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert number(1234567) == "1\xa0234\xa0567"
    with app.test_request_context(headers={"Accept-Language": "kk"}):
        assert number(1234) == "1\xa0234"
    with app.test_request_context():
        assert (number(1234), number(1234, grouped=True)) == ("1234", "1,234")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["1916-03-05", "1916-03", "1916", "1916-03-05 – 1916-04-02", "undated"]),
        ("ru", ["5 марта 1916\u202fг.", "март 1916\u202fг.", "1916",
                "5 марта 1916\u202fг. – 2 апреля 1916\u202fг.", "без даты"]),
        ("kk", ["1916\u202fж. 5 наурыз", "1916\u202fж. наурыз", "1916",
                "1916\u202fж. 5 наурыз – 1916\u202fж. 2 сәуір", "күні жоқ"]),
    ],
)  # fmt: skip
def test_letter_dates_read_in_the_language_whole_months_and_years_too(
    app: Flask, language: str, expected: list[str]
) -> None:
    with app.test_request_context(headers={"Accept-Language": language}):
        dates = [
            local_date("1916-03-05", "1916-03-05"),
            local_date("1916-03-01", "1916-03-31"),
            local_date("1916-01-01", "1916-12-31"),
            local_date("1916-03-05", "1916-04-02"),
            local_date(None, None),
        ]
    assert dates == expected


def test_the_histogram_names_months_in_the_language(client: FlaskClient, app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert period_words("2024-02") == "февраль 2024\u202fг."  # CLDR's narrow space
    bars = shown(client, "ru", "/search?year=2024", ".histogram .bar-year")
    assert bars[:3] == ["янв.", "февр.", "март"]


def test_pages_vary_by_language_and_the_api_does_not(client: FlaskClient) -> None:
    page = client.get("/search?q=strike")
    assert {"Accept-Language", "Cookie"} <= set(page.vary)
    assert "Accept-Language" not in client.get("/api/search?q=strike").vary
