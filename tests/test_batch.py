"""Batch search (``letters batch``, ``/batch``): every line searched as a single search would be,
with the same filters, bounded in time; on the seed letters and on 50 names of 1916."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import Archive, ArchiveSession
from indexer.batch import MAX_QUERIES, read_queries, run_batch
from indexer.cli.main import cli
from indexer.request import BadRequest, SearchRequest
from tests.pagedom import parse

QUERIES = ["Tokayev", "strike", '"right to strike"', "West Oil Software", "zzzyxq", "ITUC OR LO"]


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("Tokayev\n\n  strike  \n", "", ["Tokayev", "strike"]),
        ("Smith, John\nITUC\n", "names.txt", ["Smith, John", "ITUC"]),  # a comma is no CSV
        ("name,country\nTokayev,KZ\nITUC,\n", "", ["Tokayev", "ITUC"]),  # a query header
        ("id,query\n1,strike\n2,Article 402\n", "list.csv", ["strike", "Article 402"]),
        ("strike,x\nTokayev,y\n", "list.csv", ["strike", "Tokayev"]),  # no header: column 1
        ('"Smith, John",1\n', "list.csv", ["Smith, John"]),
        ("", "list.csv", []),
    ],
)
def test_queries_are_read_from_text_and_csv(text: str, filename: str, expected: list[str]) -> None:
    assert read_queries(text, filename) == expected


def test_too_many_queries_are_refused_with_the_numbers() -> None:
    with pytest.raises(BadRequest, match=f"at most {MAX_QUERIES:,} queries, this one 1,001"):
        read_queries("\n".join(f"q{i}" for i in range(MAX_QUERIES + 1)))


@pytest.mark.parametrize(
    "template",
    [SearchRequest(), SearchRequest(date_from="2024"), SearchRequest(filters={"year": ("2021",)})],
)
def test_each_line_counts_what_its_single_search_counts(
    session: ArchiveSession, template: SearchRequest
) -> None:
    batch = run_batch(session, QUERIES, template, first=2)
    assert [line.query for line in batch.lines] == QUERIES
    for line in batch.lines:
        alone = session.search(replace(template, q=line.query))
        assert line.result is not None
        assert (line.total, [h.id for h in line.result.hits]) == (
            alone.total,
            [h.id for h in alone.hits][:2],
        )
    assert batch.found == sum(1 for line in batch.lines if line.total)


@pytest.mark.parametrize("q", ["strike", "", "Kazakhstan OR Norway", "nosuchwordanywhere"])
def test_a_search_without_counts_finds_the_same_letters(session: ArchiveSession, q: str) -> None:
    """A batch line skips the facet and date counts (it shows only its total and first hits)."""
    full = session.search(SearchRequest(q=q))
    lean = session.search(SearchRequest(q=q, counts=False))
    assert (lean.total, lean.hits, lean.suggestion) == (full.total, full.hits, full.suggestion)
    assert (lean.facets, lean.date_counts) == ({}, None)
    assert full.facets["year"] if full.total else full.facets is not None


def test_lines_after_the_time_limit_are_marked_not_reached(session: ArchiveSession) -> None:
    ticks = iter([0.0, 0.0, 0.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0])
    batch = run_batch(session, QUERIES, SearchRequest(), seconds=10, clock=lambda: next(ticks))
    assert batch.timed_out
    assert [line.problem for line in batch.lines] == ["", ""] + ["not reached (time limit)"] * 4
    too_long = run_batch(session, ["strike", "x" * 1001], SearchRequest())
    assert too_long.lines[1].problem == "too long (1001 characters; at most 1000)"


def test_the_page_searches_every_line_and_links_each_search(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/batch", data={"queries": "\n".join(QUERIES), "from": "2024"})
    assert response.status_code == 200
    page = parse(response.text)
    rows = page.find_all("table.batch tbody tr")
    assert [r.find_all("td")[1].text() for r in rows] == QUERIES
    for row in rows:
        link = row.find("td a").attrs["href"]
        count = int(row.find(".batch-count").text())
        search = parse(client.get(link).text)
        assert "from=2024" in link
        assert search.find(".result-count").text().endswith(
            f"{count} letter{'' if count == 1 else 's'}"
        ) or (count == 0 and "No letters" in search.text())


def test_an_uploaded_csv_answers_as_csv_and_json(client, session: ArchiveSession) -> None:  # type: ignore[no-untyped-def]
    upload = b"name,note\nTokayev,president\nWest Oil Software,company\n"
    answers = {}
    for answer in ("csv", "json"):
        data = {"file": (io.BytesIO(upload), "names.csv"), "format": answer}
        response = client.post("/batch", data=data, content_type="multipart/form-data")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].endswith(f".{answer}")
        answers[answer] = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(answers["csv"])))
    as_json = json.loads(answers["json"])
    expected = [session.search(SearchRequest(q=q)).total for q in ("Tokayev", "West Oil Software")]
    assert [int(r["letters"]) for r in rows] == expected
    assert [line["total"] for line in as_json["lines"]] == expected
    assert rows[0]["search_url"] == "http://localhost/search?q=Tokayev"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"queries": "strike", "first": "11"}, "'first' must be between 1 and 10"),
        ({"queries": "strike", "format": "pdf"}, "format must be one of html, csv, json"),
        ({"queries": "strike", "from": "2024-13"}, "from"),
        ({"queries": "strike", "colour": "red"}, "unknown parameter 'colour'"),
        ({"queries": "\n".join(["x"] * 1001)}, "at most 1,000 queries"),
    ],
)
def test_bad_parts_answer_400_with_the_form_kept(client, data, message) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/batch", data=data)
    assert response.status_code == 400
    page = parse(response.text)
    assert message in page.find(".problems").text()
    assert page.find("textarea#queries").text() == " ".join(data["queries"].split())


def test_cli_prints_counts_and_csv(index_root: Path, tmp_path: Path, session) -> None:  # type: ignore[no-untyped-def]
    queries = tmp_path / "queries.txt"
    queries.write_text("\n".join(QUERIES), encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(cli, ["batch", str(queries), "--index", str(index_root)])
    assert shown.exit_code == 0, shown.output
    totals = [session.search(SearchRequest(q=q)).total for q in QUERIES]
    for query, total, line in zip(QUERIES, totals, shown.output.splitlines(), strict=False):
        assert query in line and line.endswith(f"{total} letter(s)")
    as_csv = runner.invoke(cli, ["batch", str(queries), "--index", str(index_root), "--csv"])
    assert [int(r["letters"]) for r in csv.DictReader(io.StringIO(as_csv.output))] == totals


@pytest.fixture(scope="module")
def session1916(letters1916_index: Path):  # type: ignore[no-untyped-def]
    """A session on every letters1916 letter, imported and indexed once (tests/corpora.py)."""
    with Archive(letters1916_index).session() as opened:
        yield opened


def test_fifty_names_of_1916_count_as_their_single_searches(session1916: ArchiveSession) -> None:
    everything = session1916.search(SearchRequest(per_page=1))
    names = [  # as written (a TEI identity's value is its key; its label is the name)
        count.label or count.value
        for facet in ("sender", "recipient")
        for count in everything.facets[facet]
        if count.value
    ]
    names = list(dict.fromkeys(names))[:50]
    assert len(names) == 50
    batch = run_batch(session1916, names, SearchRequest(), first=1)
    totals = [session1916.search(SearchRequest(q=name)).total for name in names]
    assert [line.total for line in batch.lines] == totals
    assert sum(1 for t in totals if t) >= 45  # names of the letters' own people are found
