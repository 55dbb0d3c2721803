"""Concept search on the search page, the API, the letter page and the CLI, over the seed
letters and the Russian and Kazakh test letters."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from indexer.cli.main import cli
from indexer.request import BadRequest, SearchRequest
from tests.mixedletters import RU_STRIKE, found
from tests.mixedletters import mixed_index as build_mixed_index
from tests.pagedom import get_page, hit_ids
from tests.test_concepts import STRIKE_TERMS
from webapp import create_app


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mixed_index(tmp_path_factory.mktemp("mixed-web"))


@pytest.fixture(scope="module")
def mixed_client(mixed_index: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX_PATH": str(mixed_index)}).test_client()


def test_the_search_page_says_what_was_also_searched_and_offers_to_turn_it_off(
    mixed_client: FlaskClient,
) -> None:
    page = get_page(mixed_client, "/search?q=strike")
    notice = page.find(".also-searched")
    assert notice.text().startswith(f"Also searched: {', '.join(STRIKE_TERMS)} — ")
    link = notice.find("a").attrs["href"]
    assert link == "/search?q=strike&concepts=0"
    box = page.find("form input#concepts")
    assert (box.attrs["type"], box.attrs["name"], box.attrs["value"]) == (
        "checkbox",
        "concepts",
        "0",
    )
    assert "checked" not in box.attrs
    off = get_page(mixed_client, link)
    assert off.find_all(".also-searched") == []
    assert "checked" in off.find("input#concepts").attrs
    assert set(hit_ids(off)) == {
        i
        for i, _lang in found(
            Path(mixed_client.application.config["INDEX_PATH"]), "strike", concepts=False
        )[0]
    }
    hidden = [n.attrs.get("name") for n in off.find_all("input") if n.attrs.get("type") == "hidden"]
    assert hidden.count("concepts") == 1  # the date form keeps it; the search form has the box


def test_a_bad_concepts_parameter_is_named(mixed_client: FlaskClient) -> None:
    page = get_page(mixed_client, "/search?q=strike&concepts=perhaps", status=400)
    assert "concepts must be 1 (on) or 0 (off), not 'perhaps'" in page.find(".problems").text()
    response = mixed_client.get("/api/search?q=strike&concepts=perhaps")
    assert response.status_code == 400
    assert response.get_json() == {"error": "concepts must be 1 (on) or 0 (off), not 'perhaps'"}


@pytest.mark.parametrize(
    ("value", "on"),
    [("1", True), ("on", True), ("", True), ("0", False), ("off", False), ("no", False)],
)
def test_the_concepts_parameter_reads_on_and_off(value: str, on: bool) -> None:
    request = SearchRequest.from_params({"q": ["strike"], "concepts": [value]})
    assert request.concepts is on
    assert request.params() == [("q", "strike")] + ([] if on else [("concepts", "0")])
    with pytest.raises(BadRequest):
        SearchRequest.from_params({"concepts": ["2"]})


def test_the_cli_says_what_was_also_searched_and_no_concepts_turns_it_off(
    mixed_index: Path,
) -> None:
    runner = CliRunner()
    on = runner.invoke(cli, ["search", "strike", "--index", str(mixed_index)])
    off = runner.invoke(cli, ["search", "strike", "--no-concepts", "--index", str(mixed_index)])
    assert on.exit_code == off.exit_code == 0
    assert f"also searched: {', '.join(STRIKE_TERMS)}" in on.output
    assert "6 letter(s)" in on.output and "4 letter(s)" in off.output
    assert "also searched" not in off.output


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("q=strike", {"забастовку", "забастовки"}),
        ("q=strike&concepts=0", set()),
        ("q=exact:strike", set()),
    ],
)
def test_the_russian_letter_page_marks_the_concept_terms_the_search_found(
    mixed_client: FlaskClient, query: str, marked: set[str]
) -> None:
    page = get_page(mixed_client, f"/letters/{RU_STRIKE}?{query}")
    assert {m.text().casefold() for m in page.find_all("section.letter-text mark")} == marked
