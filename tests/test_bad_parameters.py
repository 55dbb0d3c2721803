"""Bad parameters: the search page keeps the search and names the problem by its field; the
API answers a JSON 400."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from indexer.request import BadRequest, SearchRequest
from tests.conftest import ITUC
from tests.pagedom import (
    Node,
    facets_in_json,
    facets_on,
    get_page,
    hit_ids,
    parse,
    search_json,
)

BAD = [
    {"page": ["abc"]},
    {"per_page": ["1000"]},
    {"from": ["2021-13"]},
    {"sort": ["bogus"]},
    {"colour": ["red"]},
    {"year": ["21"]},
    {"from": ["2024"], "to": ["2021"]},
    {"q": ["x" * 1001]},
]


@pytest.mark.parametrize("params", BAD)
def test_the_api_answers_bad_parameters_with_a_json_400(client, params) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadRequest) as caught:
        SearchRequest.from_params(params)
    response = client.get("/api/search?" + urlencode(params, doseq=True))
    assert response.status_code == 400
    assert response.get_json() == {"error": str(caught.value)}


def hidden_inputs(form: Node) -> list[tuple[str, str]]:
    return [(i.attrs["name"], i.attrs["value"]) for i in form.find_all("input")
            if i.attrs.get("type") == "hidden"]  # fmt: skip


def chip_labels(page: Node) -> list[tuple[str, str]]:
    return [(c.find(".chip-title").text(), c.find(".chip-label").text())
            for c in page.find_all("a.chip")]  # fmt: skip


#: a search with a query and two filters, which every bad parameter below is added to
KEPT = {"q": ["strike"], "sender": [ITUC], "type": ["letter"]}
PAGE_BAD = [
    # (bad parameters, what of them is still valid, the input the message belongs to)
    ({"from": ["2024"], "to": ["2023"]}, {"to": ["2023"]}, "from"),
    ({"from": ["2024-13"]}, {}, "from"),
    ({"to": ["21st May"]}, {}, "to"),
    ({"q": ["strike", "x" * 1001]}, {}, "q"),
    ({"page": ["abc"]}, {}, None),
    ({"per_page": ["100000"]}, {}, None),
    ({"sort": ["bogus"]}, {}, None),
    ({"year": ["2024", "24"]}, {"year": ["2024"]}, None),
    ({"colour": ["red"]}, {}, None),
]


@pytest.mark.parametrize(("bad", "valid", "field"), PAGE_BAD)
def test_a_bad_parameter_keeps_the_search_and_says_what_is_wrong_by_its_field(  # type: ignore[no-untyped-def]
    client, session, bad, valid, field
) -> None:
    params = {**KEPT, **bad}
    with pytest.raises(BadRequest) as caught:
        SearchRequest.from_params(params)
    message = str(caught.value)
    page = get_page(client, "/search?" + urlencode(params, doseq=True), status=400)
    without = {**KEPT, **valid} if field != "q" else {**KEPT, "q": [], **valid}
    good = get_page(client, "/search?" + urlencode(without, doseq=True))
    expected = search_json(session, without)

    # the search page with the results, facets and chips of the search without the bad part
    assert page.find("title").text().startswith("Error: ")
    assert hit_ids(page) == [h["id"] for h in expected["hits"]]
    assert facets_on(page) == facets_on(good) == facets_in_json(expected)
    assert chip_labels(page) == chip_labels(good)
    assert ("Sender:", ITUC) in chip_labels(page)
    assert hidden_inputs(page.find("form.search-form")) == hidden_inputs(
        good.find("form.search-form")
    )
    assert hidden_inputs(page.find("form.date-form")) == hidden_inputs(good.find("form.date-form"))
    assert page.find(".result-count").text() == good.find(".result-count").text()

    # the query text stays in the search box; a bad field shows what was typed, to correct it
    typed = {name: values[-1] for name, values in params.items() if name in ("q", "from", "to")}
    for name in ("q", "from", "to"):
        shown = page.find(f"input#{name}").attrs["value"]
        assert shown == typed.get(name, ""), name

    # one summary above the results, linking to the field when there is one
    (item,) = page.find_all(".problems li")
    assert item.text() == message
    links = item.find_all("a")
    assert [a.attrs["href"] for a in links] == ([f"#{field}"] if field else [])

    # the message by its field, announced with it; no other field is marked
    invalid = [i.attrs["id"] for i in page.find_all("input") if i.attrs.get("aria-invalid")]
    assert invalid == ([field] if field else [])
    assert [e.attrs["id"] for e in page.find_all(".field-error")] == (
        [f"{field}-error"] if field else []
    )
    if field:
        boxes = page.find_all("form.search-form" if field == "q" else "form.date-form .field")
        (box,) = [b for b in boxes if b.find_all(f"input#{field}")]
        assert box.find(f"#{field}-error").visible_text() == message
        assert page.find(f"input#{field}").attrs["aria-invalid"] == "true"
        described = page.find(f"input#{field}").attrs["aria-describedby"].split()
        assert described[0] == f"{field}-error"
        assert all(page.find_all(f"#{ref}") for ref in described)


def test_several_bad_parameters_are_all_named_and_all_left_out(client, session) -> None:  # type: ignore[no-untyped-def]
    params = {**KEPT, "from": ["2021-02-30"], "to": ["1999-1-1-1"], "sort": ["best"]}
    page = get_page(client, "/search?" + urlencode(params, doseq=True), status=400)
    assert [li.text() for li in page.find_all(".problems li")] == [
        "sort must be one of relevance, newest, oldest, not 'best'",
        "'from': '2021-02-30' is not a real date (day is out of range for month)",
        "'to' must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not '1999-1-1-1'",
    ]
    assert [i.attrs["id"] for i in page.find_all("input[aria-invalid]")] == ["from", "to"]
    assert hit_ids(page) == [h["id"] for h in search_json(session, KEPT)["hits"]]


def test_a_bad_parameter_is_echoed_escaped(client: FlaskClient) -> None:
    payload = '"><script>alert(1)</script>'
    response = client.get("/search?" + urlencode({"q": "strike", "from": payload}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    page = parse(html)
    assert page.find("input#from").attrs["value"] == payload
    assert payload in page.find("#from-error").text()
