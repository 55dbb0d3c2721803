"""The working set (``/set?id=…``): a reading list with citations, its downloads, and its
limits; the CMIF download validates like every CMIF export."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

import pytest

from indexer.formats.citation import citation_text
from indexer.request import BadRequest
from indexer.workingset import MAX_LETTERS, set_ids, working_set
from tests.conftest import IDS, SHARED
from tests.pagedom import get_page

SCHEMA = SHARED / "corpora" / "tei-correspondence" / "schema" / "cmi-customization.rng"
PICKED = [IDS["lo-2021"], "no-such-letter", IDS["ituc-2024"], IDS["lo-2021"]]


def query(ids: list[str]) -> str:
    return urlencode([("id", i) for i in ids])


def test_ids_keep_their_order_once_and_unknown_ones_are_named(session) -> None:  # type: ignore[no-untyped-def]
    found = working_set(session, set_ids(PICKED))
    assert found.ids == [IDS["lo-2021"], IDS["ituc-2024"]]
    assert found.missing == ["no-such-letter"]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ([f"x{i}" for i in range(MAX_LETTERS + 1)], f"at most {MAX_LETTERS} letters, not 501"),
        (["x" * 301], "an 'id' is too long"),
    ],
)
def test_too_many_or_too_long_ids_are_refused(ids: list[str], message: str) -> None:
    with pytest.raises(BadRequest, match=message):
        set_ids(ids)


def test_the_reading_list_cites_every_letter(client, session) -> None:  # type: ignore[no-untyped-def]
    page = get_page(client, "/set?" + query(PICKED))
    items = page.find_all(".reading-list li")
    assert [li.attrs["data-id"] for li in items] == [IDS["lo-2021"], IDS["ituc-2024"]]
    for li in items:
        letter = session.letter(li.attrs["data-id"])
        expected = citation_text(letter.metadata(), f"http://localhost/letters/{letter.id}")
        assert li.find(".cite-text").text() == expected
    remove = items[0].find(".set-remove").attrs["href"]
    assert remove == "/set?" + query([IDS["ituc-2024"]])
    assert "no-such-letter" in page.find(".notice").text()
    assert "empty" in get_page(client, "/set").find(".notice").text()
    assert client.get("/set?" + query(["x" * 301])).status_code == 400


def test_downloads_hold_the_set(client) -> None:  # type: ignore[no-untyped-def]
    ids = [IDS["ituc-2024"], IDS["press-2024"]]
    rows = list(csv.DictReader(io.StringIO(client.get("/set.csv?" + query(ids)).text)))
    assert [r["id"] for r in rows] == ids
    data = client.get("/set.json?" + query(ids)).get_json()
    assert (data["ids"], data["missing"], data["total"]) == (ids, [], 2)
    csl = json.loads(client.get("/set.csl.json?" + query(ids)).data)
    assert [item["id"] for item in csl] == ids
    cmif = client.get("/set.cmif.xml?" + query(ids)).text
    assert cmif.count("<correspDesc") == 2 and all(f"/letters/{i}" in cmif for i in ids)


@pytest.mark.skipif(not SCHEMA.is_file(), reason="../shared is absent")
def test_the_sets_cmif_validates_against_the_cmif_schema(client) -> None:  # type: ignore[no-untyped-def]
    from lxml import etree

    payload = client.get("/set.cmif.xml?" + query(list(IDS.values()))).data
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    document = etree.fromstring(payload)
    assert schema.validate(document), schema.error_log.last_error
    assert len(document.findall(".//{http://www.tei-c.org/ns/1.0}correspDesc")) == len(IDS)
