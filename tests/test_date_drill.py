"""The date histogram drills down (years → months of one year → days of one month), each bar a
link whose search finds exactly the letters the bar counts; undated letters have a bar and a
filter of their own (``undated=1``); the from/to fields show the format and the archive's own
range. On every letters1916 letter, imported as ``letters import`` does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from indexer.archive import Archive
from indexer.letters.dates import drill_period, parent, parts
from indexer.request import BadRequest, SearchRequest
from tests.pagedom import Node, api, get_page, query_of
from webapp import create_app


@pytest.fixture(scope="module")
def client(letters1916_index: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX_PATH": str(letters1916_index)}).test_client()


@pytest.fixture(scope="module")
def records(letters1916_index: Path) -> Iterator[list[dict]]:  # type: ignore[type-arg]
    """Every letter's stored metadata, read page by page through the facade."""
    with Archive(letters1916_index).session() as session:
        pages = session.search_all(SearchRequest())
        yield [
            session.letter(hit.id).metadata()  # type: ignore[union-attr]
            for page in pages
            for hit in page.hits
        ]


def bars(page: Node) -> list[tuple[str, int, str | None, bool]]:
    """The histogram's bars: (period, count, link, selected)."""
    shown = []
    for item in page.find_all(".histogram li"):
        bar = item.find(".bar")
        count = bar.find_all(".bar-count")
        shown.append(
            (
                item.attrs["data-from"],
                int(count[0].text()) if count else 0,
                bar.attrs.get("href") if bar.tag == "a" else None,
                "is-selected" in bar.classes,
            )
        )
    return shown


def total(client: FlaskClient, url: str) -> int:
    return int(api(client, "/api/search?" + urlsplit(url).query)["total"])


def touching(records: list[dict], first: str, last: str) -> int:  # type: ignore[type-arg]
    """Letters whose dates touch first..last (ISO days), counted from the records."""
    return sum(
        1 for r in records if r["date_from"] and r["date_from"] <= last and r["date_to"] >= first
    )


# -- the rules in indexer/letters/dates.py ---------------------------------------------------


@pytest.mark.parametrize(
    ("date_from", "date_to", "years", "period"),
    [
        (None, None, ("1916",), "1916"),
        ("1916", "1916", (), "1916"),
        ("1916-01", "1916-12", (), "1916"),
        ("1916-05", "1916-05", (), "1916-05"),
        ("1916-05-01", "1916-05-31", (), "1916-05"),
        ("1916-05-03", "1916-05-03", (), "1916-05-03"),
        ("1916-05", "1916-06", (), None),
        ("1916", None, (), None),
        (None, None, ("1915", "1916"), None),
        (None, None, (), None),
        (None, None, ("abcd",), None),  # a year facet value from a URL, no year
        (None, None, ("19160",), None),
        (None, None, ("0000",), "0000"),
    ],
)
def test_the_period_a_search_drills_into(
    date_from: str | None, date_to: str | None, years: tuple[str, ...], period: str | None
) -> None:
    assert drill_period(date_from, date_to, years) == period


@pytest.mark.parametrize(
    ("period", "first", "last", "count", "up"),
    [
        ("1916", "1916-01", "1916-12", 12, None),
        ("1916-02", "1916-02-01", "1916-02-29", 29, "1916"),
        ("1915-02", "1915-02-01", "1915-02-28", 28, "1915"),
        ("1916-05-03", "1916-05-01", "1916-05-31", 31, "1916-05"),
        ("1900-02", "1900-02-01", "1900-02-28", 28, "1900"),
        ("0000-02", "0000-02-01", "0000-02-29", 29, "0000"),  # years a URL may name
        ("9999-12", "9999-12-01", "9999-12-31", 31, "9999"),
    ],
)
def test_parts_of_a_period(period: str, first: str, last: str, count: int, up: str | None) -> None:
    found = parts(period)
    assert (found[0], found[-1], len(found)) == (first, last, count)
    assert parent(period) == up


@pytest.mark.parametrize(
    ("year", "status"),
    [("0000", 200), ("9999", 200), ("abcd", 400), ("19160", 400), ("1916-05", 400)],
)
def test_any_selected_year_is_answered(client: FlaskClient, year: str, status: int) -> None:
    """A year no letter has is counted (hypothesis found ``year=0000`` answering 500); what is
    no year is refused, naming the parameter."""
    for path in ("/", "/search", "/api/search"):
        response = client.get(path, query_string={"year": year})
        assert response.status_code == status, (path, year)
        if status == 400:
            assert "year" in response.get_data(as_text=True)


# -- the search page on letters1916 -------------------------------------------------------------


def test_all_years_then_one_year_shows_its_months(client: FlaskClient, records) -> None:  # type: ignore[no-untyped-def]
    years = bars(get_page(client, "/search"))
    assert [b[0] for b in years] == ["1915", "1916", "1917"]
    for period, count, link, _selected in years:
        assert count == touching(records, f"{period}-01-01", f"{period}-12-31")
        assert link == f"/search?year={period}"
    page = get_page(client, "/search?year=1916")
    months = bars(page)
    assert [b[0] for b in months] == [f"1916-{m:02d}" for m in range(1, 13)]
    assert page.find(".histogram").attrs["aria-label"] == "Matching letters per month of 1916"
    for period, count, link, selected in months:
        assert count == touching(records, f"{period}-01", f"{period}-31")
        assert not selected
        if count:
            assert link is not None and query_of(link) == {"from": [period], "to": [period]}
            assert total(client, link) == count
        else:
            assert link is None
    up = page.find(".histogram-up a")
    assert (up.text().lstrip("← "), up.attrs["href"]) == ("All years", "/search")


def test_one_month_shows_its_days_and_one_day_is_selected(client: FlaskClient, records) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, "/search?from=1916-05&to=1916-05")
    days = bars(page)
    assert [b[0] for b in days] == [f"1916-05-{d:02d}" for d in range(1, 32)]
    assert page.find(".histogram").attrs["aria-label"] == "Matching letters per day of May 1916"
    linked = [(p, n, link) for p, n, link, _s in days if n]
    assert len(linked) > 10
    for period, count, link in linked:
        assert count == touching(records, period, period)
        assert query_of(link) == {"from": [period], "to": [period]}
        assert total(client, link) == count
    assert sum(n for _p, n, _l in linked) >= total(client, "/search?from=1916-05&to=1916-05")
    day, _count, link = max(linked, key=lambda b: b[1])
    selected = get_page(client, link)
    chosen = [b for b in bars(selected) if b[3]]
    assert [b[0] for b in chosen] == [day]
    assert query_of(chosen[0][2]) == {"from": ["1916-05"], "to": ["1916-05"]}  # back to May
    assert [(p, n) for p, n, _l, _s in bars(selected)] == [(p, n) for p, n, _l, _s in days]
    up = selected.find(".histogram-up a")
    assert (up.text().lstrip("← "), up.attrs["href"]) == ("All of 1916", "/search?year=1916")


def test_the_month_and_day_counts_keep_the_query_and_facets(client: FlaskClient) -> None:
    url = "/search?q=war&year=1916"
    for _period, count, link, _selected in bars(get_page(client, url)):
        if link:
            assert query_of(link)["q"] == ["war"]
            assert total(client, link) == count


def test_the_undated_bar_and_filter(client: FlaskClient, records) -> None:  # type: ignore[no-untyped-def]
    undated = [r["id"] for r in records if not r["date_from"]]
    assert len(undated) > 5
    page = get_page(client, "/search?year=1916")
    bar = page.find(".undated-histogram a.bar")
    assert int(bar.find(".bar-count").text()) == len(undated)
    assert query_of(bar.attrs["href"]) == {"undated": ["1"]}  # the year does not apply to it
    data = api(client, "/api/search?undated=1&per_page=100")
    assert sorted(h["id"] for h in data["hits"]) == sorted(undated)
    assert data["undated"] is True and data["undated_count"] == len(undated)
    assert data["facets"]["year"] == []
    chosen = get_page(client, "/search?undated=1")
    assert "is-selected" in chosen.find(".undated-histogram a.bar").classes
    chips = [(c.find(".chip-label").text(), c.attrs["href"]) for c in chosen.find_all("a.chip")]
    assert chips == [("undated", "/search")]


def test_undated_cannot_be_combined_with_dates(client: FlaskClient) -> None:
    for params in ({"undated": ["1"], "from": ["1916"]}, {"undated": ["1"], "year": ["1916"]}):
        with pytest.raises(BadRequest) as caught:
            SearchRequest.from_params(params)
        assert caught.value.param == "undated"
    response = client.get("/api/search?undated=1&to=1916")
    assert response.status_code == 400
    assert "'undated'" in response.get_json()["error"]
    response = client.get("/api/search?undated=yes")
    assert response.status_code == 400
    assert (
        response.get_json()["error"]
        == "'undated' must be 1 (only letters without a date), not 'yes'"
    )
    page = get_page(client, "/search?undated=1&from=1916", status=400)
    assert "cannot be combined" in page.find(".problems").text()


def test_date_fields_show_the_format_and_the_archive_range(client: FlaskClient, records) -> None:  # type: ignore[no-untyped-def]
    first = min(r["date_from"] for r in records if r["date_from"])
    last = max(r["date_to"] for r in records if r["date_to"])
    page = get_page(client, "/search")
    assert [page.find(f"input#{n}").attrs["placeholder"] for n in ("from", "to")] == [
        "YYYY-MM-DD",
        "YYYY-MM-DD",
    ]
    assert page.find("#date-hint").text() == (
        "A year, month or day: YYYY, YYYY-MM or YYYY-MM-DD."
        f" The letters date from {first} to {last}."
    )
    assert page.find("input#from").attrs["aria-describedby"] == "date-hint"
