"""Leaving a facet value out (``-sender=…``): the search, the counts, the "not" control beside
each value, the chips that say "not …", and the parameter's validation. On the seed letters,
with expectations from their stored records; and on letters1916 for the place facets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from indexer.request import BadRequest, SearchRequest
from tests.conftest import INDUSTRIALL, ITUC
from tests.pagedom import api, get_page, query_of


@pytest.fixture
def records(session) -> Iterator[dict[str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """Every seed letter's stored metadata by id."""
    hits = session.search(SearchRequest(per_page=100)).hits
    yield {h.id: session.letter(h.id).metadata() for h in hits}


def facet_values(record: dict[str, Any], facet: str) -> set[str]:
    """A record's values of a facet, as the index holds them."""
    if facet == "sender":
        return set(record["senders"])
    if facet == "recipient":
        return {r["name"] for r in record["recipients"]}
    if facet == "year":
        return {str(y) for y in range(int(record["date_from"][:4]), int(record["date_to"][:4]) + 1)}
    return {record[facet]} if record[facet] else set()


@pytest.mark.parametrize(
    ("facet", "value"),
    [
        ("sender", ITUC),
        ("sender", INDUSTRIALL),
        ("type", "letter"),
        ("year", "2024"),
        ("place", "Oslo"),
        ("recipient", "Kassym-Jomart Tokayev"),
    ],
)
def test_leaving_a_value_out_finds_the_other_letters(
    client: FlaskClient, records: dict[str, dict[str, Any]], facet: str, value: str
) -> None:
    expected = sorted(i for i, r in records.items() if value not in facet_values(r, facet))
    data = api(client, f"/api/search?-{facet}={value}&per_page=100")
    assert sorted(h["id"] for h in data["hits"]) == expected
    assert data["exclude"] == {facet: [value]}
    listed = {v["value"]: v for v in data["facets"][facet]}
    assert listed[value]["excluded"] is True and listed[value]["selected"] is False
    kept = sum(value in facet_values(r, facet) for r in records.values())
    assert listed[value]["count"] == kept  # what taking it back in would add
    for name in {"sender", "recipient", "type", "year", "place"} - {facet}:  # the letters left
        counts = {v["value"]: v["count"] for v in data["facets"][name]}
        for shown, count in counts.items():
            assert count == sum(shown in facet_values(records[i], name) for i in expected)


def test_the_not_control_and_the_chip(client: FlaskClient, records) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, "/search?q=strike")
    item = next(i for i in page.find_all("#facet-sender li.facet-item")
                if i.attrs["data-value"] == ITUC)  # fmt: skip
    control = item.find("a.facet-not")
    assert control.text().startswith("not") and ITUC in control.text()
    assert query_of(control.attrs["href"]) == {"q": ["strike"], "-sender": [ITUC]}
    left_out = get_page(client, control.attrs["href"])
    item = next(i for i in left_out.find_all("#facet-sender li.facet-item")
                if i.attrs["data-value"] == ITUC)  # fmt: skip
    assert "is-excluded" in item.classes
    assert item.find("a.facet-not").text().startswith("undo not")
    assert query_of(item.find("a.facet-not").attrs["href"]) == {"q": ["strike"]}
    # choosing the left-out value takes it in instead
    assert query_of(item.find("a.facet-link").attrs["href"]) == {"q": ["strike"], "sender": [ITUC]}
    chips = [(c.find(".chip-title").text(), c.find(".chip-label").text(), c.attrs["href"])
             for c in left_out.find_all("a.chip")]  # fmt: skip
    assert chips == [("Sender:", f"not {ITUC}", "/search?q=strike")]
    hits = [a.attrs["href"].split("?")[0].rsplit("/", 1)[1]
            for a in left_out.find_all(".hit-title a")]  # fmt: skip
    assert hits and all(ITUC not in records[h]["senders"] for h in hits)


def test_a_value_chosen_and_left_out_at_once_is_refused(client: FlaskClient) -> None:
    with pytest.raises(BadRequest) as caught:
        SearchRequest.from_params({"sender": [ITUC], "-sender": [ITUC]})
    assert (caught.value.param, caught.value.value) == ("-sender", ITUC)
    response = client.get(f"/api/search?sender={ITUC}&-sender={ITUC}")
    assert response.status_code == 400
    assert "'-sender'" in response.get_json()["error"]
    page = get_page(client, f"/search?sender={ITUC}&-sender={ITUC}&-sender={INDUSTRIALL}", 400)
    chips = [c.find(".chip-label").text() for c in page.find_all("a.chip")]
    assert chips == [ITUC, f"not {INDUSTRIALL}"]  # the rest of the search stands


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"-year": ["twenty"]}, "-year must be a four-digit year"),
        ({"-sender": ["x" * 301]}, "a '-sender' value is too long"),
        ({"-sender": [f"s{i}" for i in range(51)]}, "too many '-sender' values"),
        ({"-nothing": ["x"]}, "unknown parameter '-nothing'"),
    ],
)
def test_bad_left_out_values_name_their_parameter(
    params: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(BadRequest, match=message) as caught:
        SearchRequest.from_params(params)
    assert caught.value.param == next(iter(params))


def test_request_params_round_trip_with_left_out_values() -> None:
    params = {"q": ["a"], "sender": [ITUC], "-sender": [INDUSTRIALL], "-type": ["letter"],
              "undated": ["1"]}  # fmt: skip
    request = SearchRequest.from_params(params)
    assert request.params() == [
        ("q", "a"), ("sender", ITUC), ("-sender", INDUSTRIALL), ("-type", "letter"),
        ("undated", "1"),
    ]  # fmt: skip
    assert SearchRequest.from_params(query_of("?" + request.query_string())) == request
    assert request.toggled("sender", INDUSTRIALL).exclude == {"type": ("letter",)}
    assert request.toggled_out("sender", ITUC).filters == {}
