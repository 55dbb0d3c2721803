"""``letters export`` (CMIF, CSV, JSON) and ``letters cite`` against real indexes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from indexer.cli.exports import cite_command, export_command
from indexer.engine.index import LetterIndex
from indexer.formats.citation import citation_csl, citation_text
from indexer.formats.cmif import build_cmif, cmif_bytes, read_cmif
from indexer.links import ArchiveLinks
from indexer.request import SearchRequest

BASE = "https://letters.example.org"
TEI = "{http://www.tei-c.org/ns/1.0}"
HOIE = "2024-01-10-industriall-right-to-strike-west-oil-software"
HOIE_TITLE = (
    "IndustriALL Global Union calls on President of the Republic of Kazakhstan to ensure the "
    "respect of fundamental workers' right to strike"
)
JOINT = "2021-02-02-ituc-industriall-fuel-energy-union-repression"
PRESS = "2024-01-19-ituc-sanctions-striking-workers-west-oil-software"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def tei_index(letters1916_index: Path) -> Path:
    """The index of all letters1916 TEI letters, imported into a fresh corpus (built once for
    the run: tests/corpora.py)."""
    return letters1916_index


def stored_records(index_root: Path) -> dict[str, dict[str, Any]]:
    """Every letter's stored metadata, read from the index directly."""
    with LetterIndex(index_root).searcher() as searcher:
        records = [json.loads(fields["doc"]) for fields in searcher.all_stored_fields()]
    return {r["id"]: r for r in records}


def export(runner: CliRunner, index_root: Path, *args: str) -> Any:
    result = runner.invoke(
        export_command, list(args), env={"LETTERS_INDEX": str(index_root)}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result


def assert_round_trip(cmif: Path, records: dict[str, dict[str, Any]]) -> None:
    letters = read_cmif(cmif)
    assert len(letters) == len(records)
    read = {letter["id"]: letter for letter in letters}
    assert set(read) == set(records)
    for letter_id, record in records.items():
        got = read[letter_id]
        assert got["url"] == f"{BASE}/letters/{letter_id}"
        assert got["senders"] == record["senders"], letter_id
        assert got["recipients"] == [r["name"] for r in record["recipients"]], letter_id
        assert got["place"] == record["place"], letter_id
        dates = (record["date"], record["date_from"], record["date_to"])
        assert (got["date"], got["date_from"], got["date_to"]) == dates, letter_id


# -- CMIF --------------------------------------------------------------------------------------


def test_cmif_of_the_seed_letters_is_well_formed_and_round_trips(
    runner: CliRunner, index_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cmif.xml"
    result = export(runner, index_root, "cmif", "--base-url", BASE + "/", "--output", str(out))
    assert "5 letter(s) exported" in result.output
    root = ET.parse(out).getroot()  # well-formed
    assert root.tag == f"{TEI}TEI"
    header = root.find(f"{TEI}teiHeader")
    assert header.find(f"{TEI}fileDesc/{TEI}titleStmt/{TEI}title").text
    corresps = header.findall(f"{TEI}profileDesc/{TEI}correspDesc")
    assert len(corresps) == 5
    by_ref = {c.get("ref"): c for c in corresps}
    hoie = by_ref[f"{BASE}/letters/{HOIE}"]
    sent, received = hoie.findall(f"{TEI}correspAction")
    assert sent.get("type") == "sent" and received.get("type") == "received"
    assert [(e.tag, e.text, e.attrib) for e in sent] == [
        (f"{TEI}orgName", "IndustriALL Global Union", {}),
        (f"{TEI}date", None, {"when": "2024-01-10"}),
    ]
    assert [(e.tag, e.text) for e in received] == [(f"{TEI}persName", "Kassym-Jomart Tokayev")]
    press = by_ref[f"{BASE}/letters/{PRESS}"]
    assert press.find(f"{TEI}correspAction/{TEI}date").attrib == {
        "notBefore": "2024-01-19",
        "notAfter": "2024-02-29",
    }
    assert len(press.findall(f"{TEI}correspAction")) == 1  # a press release has no addressee
    assert_round_trip(out, stored_records(index_root))

    stdout = export(runner, index_root, "cmif", "--base-url", BASE)
    assert ET.fromstring(stdout.stdout_bytes).tag == f"{TEI}TEI"


def test_cmif_of_all_tei_letters_round_trips(
    runner: CliRunner, tei_index: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cmif.xml"
    export(runner, tei_index, "cmif", "--base-url", BASE, "--output", str(out))
    ET.parse(out)
    records = stored_records(tei_index)
    assert len(records) == 478
    assert_round_trip(out, records)


def test_cmif_date_forms_and_kinds_of_parties(tmp_path: Path) -> None:
    letters = [
        {"id": "a", "date": None, "date_from": "1916-06-01", "date_to": "1916-06-30"},
        {"id": "b", "date": None, "date_from": "1916-01-01", "date_to": "1916-12-31"},
        {"id": "c", "date": None, "date_from": "1916-04-24", "date_to": "1916-05-12"},
        {"id": "d", "date": None, "date_from": None, "date_to": None},
        {
            "id": "e",
            "date": "1916-05-03",
            "date_from": "1916-05-03",
            "date_to": "1916-05-03",
            "senders": ["Union X", "Ann Smith"],
            "signatories": [{"name": "Ann Smith", "role": "Secretary"}],
            "recipients": [{"name": "Union X", "role": ""}, {"name": "Bob Jones", "role": ""}],
            "place": "Dublin",
        },
    ]
    root = build_cmif(letters, ArchiveLinks(BASE), BASE, today=dt.date(2026, 1, 2)).getroot()
    dates = {
        c.get("ref").rsplit("/", 1)[1]: c.find("correspAction/date")
        for c in root.iter("correspDesc")
    }
    assert dates["a"].attrib == {"when": "1916-06"}
    assert dates["b"].attrib == {"when": "1916"}
    assert dates["c"].attrib == {"notBefore": "1916-04-24", "notAfter": "1916-05-12"}
    assert dates["d"] is None
    assert dates["e"].attrib == {"when": "1916-05-03"}
    e = next(c for c in root.iter("correspDesc") if c.get("ref").endswith("/e"))
    assert [(x.tag, x.text) for x in e.iter() if x.tag in ("persName", "orgName")] == [
        ("orgName", "Union X"),
        ("persName", "Ann Smith"),
        ("orgName", "Union X"),
        ("persName", "Bob Jones"),
    ]
    path = tmp_path / "cmif.xml"
    path.write_bytes(cmif_bytes(letters, ArchiveLinks(BASE), BASE))
    read = {letter["id"]: letter for letter in read_cmif(path)}
    for letter in letters:
        got = read[letter["id"]]
        assert (got["date"], got["date_from"], got["date_to"]) == (
            letter["date"],
            letter["date_from"],
            letter["date_to"],
        )
    assert read["e"]["senders"] == ["Union X", "Ann Smith"]
    assert read["e"]["recipients"] == ["Union X", "Bob Jones"]
    assert read["e"]["place"] == "Dublin"


# -- CSV and JSON ------------------------------------------------------------------------------


def test_csv_has_one_row_per_hit(runner: CliRunner, index_root: Path, session: Any) -> None:
    result = export(runner, index_root, "csv", "right", "to", "strike", "--base-url", BASE)
    rows = list(csv.reader(io.StringIO(result.output, newline="")))
    header = "id title date date_from date_to senders recipients type language passages url"
    assert rows[0] == header.split()
    hits = session.search(
        SearchRequest.from_params({"q": ["right to strike"], "per_page": ["100"]})
    ).to_json(ArchiveLinks(BASE))["hits"]
    assert [row[0] for row in rows[1:]] == [hit["id"] for hit in hits]
    assert len(rows) == 1 + 4
    hoie = next(row for row in rows if row[0] == HOIE)
    passages = next(hit["passages"] for hit in hits if hit["id"] == HOIE)
    assert "8" in [str(p["n"]) for p in passages]
    assert hoie == [
        HOIE,
        HOIE_TITLE,
        "2024-01-10",
        "2024-01-10",
        "2024-01-10",
        "IndustriALL Global Union",
        "Kassym-Jomart Tokayev",
        "letter",
        "en",
        "; ".join(str(p["n"]) for p in passages),
        f"{BASE}/letters/{HOIE}",
    ]


def test_csv_lists_and_filters(runner: CliRunner, index_root: Path) -> None:
    result = export(runner, index_root, "csv", "--from", "2021", "--to", "2021")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.output, newline=""))}
    assert set(rows) == {JOINT, "2021-02-09-lo-norway-trade-union-rights-violations"}
    assert rows[JOINT]["senders"] == (
        "International Trade Union Confederation (ITUC); IndustriALL Global Union"
    )
    assert rows[JOINT]["passages"] == ""  # no query, no matched passages
    assert rows[JOINT]["url"] == f"http://127.0.0.1:8000/letters/{JOINT}"
    press = export(runner, index_root, "csv", "--type", "press release")
    rows = list(csv.DictReader(io.StringIO(press.output, newline="")))
    assert [(r["id"], r["date"], r["date_from"], r["date_to"], r["recipients"]) for r in rows] == [
        (PRESS, "", "2024-01-19", "2024-02-29", "")
    ]


def test_json_export_equals_the_search_json(
    runner: CliRunner, index_root: Path, session: Any
) -> None:
    result = export(
        runner, index_root, "json", "strike", "--sender", "IndustriALL Global Union",
        "--base-url", BASE,
    )  # fmt: skip
    expected = session.search(
        SearchRequest.from_params(
            {"q": ["strike"], "sender": ["IndustriALL Global Union"], "per_page": ["100"]}
            | {"group": ["0"]}  # an export lists every letter, near-duplicates too
        )
    ).to_json(ArchiveLinks(BASE))
    assert json.loads(result.output) == expected
    assert expected["total"] == 2


def test_json_export_holds_the_hits_of_all_pages(runner: CliRunner, tei_index: Path) -> None:
    result = export(runner, tei_index, "json", "--sort", "oldest")
    data = json.loads(result.output)
    assert data["total"] == 478
    assert len(data["hits"]) == len({hit["id"] for hit in data["hits"]}) == 478
    dated = [hit["date_from"] for hit in data["hits"] if hit["date_from"]]
    assert dated == sorted(dated)


def test_export_reports_bad_parameters_and_a_missing_index(
    runner: CliRunner, index_root: Path, tmp_path: Path
) -> None:
    env = {"LETTERS_INDEX": str(index_root)}
    bad = runner.invoke(export_command, ["csv", "--from", "2024-13"], env=env)
    assert bad.exit_code == 2
    assert "'from': '2024-13' is not a real date" in bad.output
    unknown = runner.invoke(export_command, ["pdf"], env=env)
    assert unknown.exit_code == 2
    missing = runner.invoke(export_command, ["csv"], env={"LETTERS_INDEX": str(tmp_path / "no")})
    assert missing.exit_code == 1
    assert "no index at" in missing.output


# -- citations ---------------------------------------------------------------------------------


def test_text_citations_of_a_letter_and_a_passage(runner: CliRunner, index_root: Path) -> None:
    env = {"LETTERS_INDEX": str(index_root)}
    letter = runner.invoke(cite_command, [HOIE, "--base-url", BASE], env=env)
    assert letter.exit_code == 0, letter.output
    assert letter.output == (
        f"IndustriALL Global Union, “{HOIE_TITLE}”, 10 January 2024. {BASE}/letters/{HOIE}\n"
    )
    passage = runner.invoke(cite_command, [HOIE, "--passage", "8", "--base-url", BASE], env=env)
    assert passage.output == (
        f"IndustriALL Global Union, “{HOIE_TITLE}”, 10 January 2024, ¶ 8. "
        f"{BASE}/letters/{HOIE}#p8\n"
    )


def test_csl_json_citations(runner: CliRunner, index_root: Path, session: Any) -> None:
    env = {"LETTERS_INDEX": str(index_root)}
    result = runner.invoke(
        cite_command,
        [HOIE, "--passage", "8", "--format", "csl-json", "--base-url", BASE],
        env=env,
    )
    assert result.exit_code == 0, result.output
    today = dt.date.today()
    assert json.loads(result.output) == [
        {
            "id": f"{HOIE}#p8",
            "type": "personal_communication",
            "title": HOIE_TITLE,
            "author": [{"literal": "IndustriALL Global Union"}],
            "recipient": [{"literal": "Kassym-Jomart Tokayev"}],
            "issued": {"date-parts": [[2024, 1, 10]]},
            "genre": "letter",
            "language": "en",
            "URL": f"{BASE}/letters/{HOIE}#p8",
            "accessed": {"date-parts": [[today.year, today.month, today.day]]},
        }
    ]
    press = session.letter(PRESS).metadata()
    assert citation_csl(press, f"{BASE}/letters/{PRESS}", accessed=dt.date(2026, 1, 2)) == {
        "id": PRESS,
        "type": "personal_communication",
        "title": press["title"],
        "author": [{"literal": "International Trade Union Confederation (ITUC)"}],
        "recipient": [],
        "issued": {"date-parts": [[2024, 1, 19], [2024, 2, 29]]},
        "genre": "press release",
        "language": "en",
        "URL": f"{BASE}/letters/{PRESS}",
        "accessed": {"date-parts": [[2026, 1, 2]]},
    }
    assert citation_text(press, f"{BASE}/letters/{PRESS}").startswith(
        f"International Trade Union Confederation (ITUC), “{press['title']}”, "
        "19 January 2024 – 29 February 2024. "
    )
    joint = session.letter(JOINT).metadata()
    assert citation_text(joint, f"{BASE}/letters/{JOINT}", 2).startswith(
        "International Trade Union Confederation (ITUC) and IndustriALL Global Union, “"
    )


def test_citation_dates_of_partial_and_missing_dates() -> None:
    month = {"id": "m", "title": "T", "date": None, "date_from": "1916-06-01"}
    month["date_to"] = "1916-06-30"
    assert citation_text(month, f"{BASE}/letters/m") == f"“T”, June 1916. {BASE}/letters/m"
    assert citation_csl(month, f"{BASE}/letters/m")["issued"] == {"date-parts": [[1916, 6]]}
    undated = {"id": "u", "title": "T", "senders": ["A", "B", "C"]}
    assert (
        citation_text(undated, f"{BASE}/letters/u") == f"A, B and C, “T”, undated. {BASE}/letters/u"
    )
    assert "issued" not in citation_csl(undated, f"{BASE}/letters/u")


def test_cite_reports_unknown_letters_and_passages(runner: CliRunner, index_root: Path) -> None:
    env = {"LETTERS_INDEX": str(index_root)}
    unknown = runner.invoke(cite_command, ["no-such-letter"], env=env)
    assert unknown.exit_code == 1
    assert "no letter with id 'no-such-letter'" in unknown.output
    passage = runner.invoke(cite_command, [HOIE, "--passage", "99"], env=env)
    assert passage.exit_code == 1
    assert f"{HOIE} has passages ¶1–¶12, not ¶99" in passage.output


def test_cmif_keys_travel_as_ref_and_come_back(tmp_path: Path) -> None:
    keys = {
        "Alfred Escher": "Escher (vom Glas) Alfred",  # no URI: written percent-encoded
        "Oswald Heer": "http://d-nb.info/gnd/118547798",
        "Zürich": "#place-0012",
    }
    letter = {
        "id": "k", "date": "1836-10-12", "date_from": "1836-10-12", "date_to": "1836-10-12",
        "senders": ["Alfred Escher"], "signatories": [{"name": "Alfred Escher", "role": ""}],
        "recipients": [{"name": "Oswald Heer", "role": ""}], "place": "Zürich", "keys": keys,
    }  # fmt: skip
    path = tmp_path / "cmif.xml"
    path.write_bytes(cmif_bytes([letter], ArchiveLinks(BASE), BASE))
    refs = [e.get("ref") for e in ET.parse(path).getroot().iter() if e.get("ref")]
    assert refs[1:] == ["Escher%20(vom%20Glas)%20Alfred", "#place-0012", keys["Oswald Heer"]]
    assert read_cmif(path)[0]["keys"] == keys
