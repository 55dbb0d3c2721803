"""CMIF in and out: the archive's export validates against the CMIF schema, states its
licence and re-imports to the same metadata; every CMIF and correspDesc example imports."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from indexer.archive import Archive
from indexer.cli.exports import export_command
from indexer.cli.importing import import_command
from indexer.formats.cmif import DEFAULT_LICENCE
from indexer.formats.importer import Importer, letter_files
from indexer.letters.corpus import walk_corpus
from indexer.letters.letter import Letter, load_letter
from webapp import create_app

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORRESPONDENCE = SHARED / "corpora" / "tei-correspondence"
SCHEMA = CORRESPONDENCE / "schema" / "cmi-customization.rng"
BASE = "https://letters.example.org"
TEI = "{http://www.tei-c.org/ns/1.0}"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    """(corpus, CMIF export, stored records by id) of the seeds and the letters1916 imports."""
    root = tmp_path_factory.mktemp("cmif")
    corpus = root / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    importer = Importer(corpus / "letters")
    for path in letter_files([SHARED / "seeds", SHARED / "corpora" / "letters1916" / "editions"]):
        importer.import_file(path)
    archive = Archive(root / "index")
    report = archive.rebuild(corpus)
    assert not report.errors, report.errors[:3]
    out = root / "export.cmif.xml"
    licence = "https://creativecommons.org/licenses/by-sa/4.0/"
    args = ["cmif", "--base-url", BASE, "--licence", licence, "--output", str(out)]
    result = CliRunner().invoke(export_command, args, env={"LETTERS_INDEX": str(root / "index")})
    assert result.exit_code == 0, result.output
    with archive.session() as session:
        files = walk_corpus(corpus).files
        records = {r["id"]: r for r in session.records(load_letter(f.location).id for f in files)}
    assert len(records) == len(files) >= 5 + 478
    return corpus, out, records


def test_the_export_validates_against_the_cmif_schema(exported) -> None:  # type: ignore[no-untyped-def]
    _corpus, out, records = exported
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    document = etree.parse(str(out))
    assert schema.validate(document), schema.error_log.last_error
    root = ET.parse(out).getroot()
    licence = root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}publicationStmt/{TEI}availability")
    assert licence is not None
    assert [(e.tag, e.get("target")) for e in licence] == [
        (f"{TEI}licence", "https://creativecommons.org/licenses/by-sa/4.0/")
    ]
    assert len(root.findall(f"{TEI}teiHeader/{TEI}profileDesc/{TEI}correspDesc")) == len(records)
    refs = [e.get("ref") for e in root.iter() if e.tag.endswith("Name") and e.get("ref")]
    assert len(refs) > 800  # the letters1916 keys travel as @ref


def _metadata(letter: Letter | dict[str, Any]) -> tuple[Any, ...]:
    data = letter if isinstance(letter, dict) else letter.metadata()
    named = {*data["senders"], *(p["name"] for p in data["recipients"]), data["place"]}
    return (
        data["senders"],
        [p["name"] for p in data["recipients"]],
        (data["date"], data["date_from"], data["date_to"]),
        data["place"],
        {name: key for name, key in data["keys"].items() if name in named},
    )


def test_the_export_re_imports_to_the_same_metadata(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _corpus, out, records = exported
    result = CliRunner().invoke(import_command, [str(out), "--into", str(tmp_path / "letters")])
    assert result.exit_code == 0, result.output
    assert f"1 file(s): {len(records)} letter(s) written" in result.output
    letters = [load_letter(f.location) for f in walk_corpus(tmp_path).files]
    by_origin = {letter.url.rsplit("/", 1)[-1]: letter for letter in letters}
    assert set(by_origin) == set(records)
    for letter_id, record in records.items():
        letter = by_origin[letter_id]
        assert not letter.transcribed and letter.body == ""
        assert _metadata(letter) == _metadata(record), letter_id
    assert sum(bool(letter.keys) for letter in letters) >= 470


def test_re_importing_the_export_into_its_own_corpus_adds_nothing(exported) -> None:  # type: ignore[no-untyped-def]
    corpus, out, records = exported
    result = Importer(corpus / "letters").import_file(out)
    assert result.written is None
    assert len(result.parts) == len(records)
    assert all(part.duplicate_of and not part.written for part in result.parts)


def _first(refs: str | None) -> str:
    """The first of the URIs of a ``@ref`` ('' if none)."""
    return (refs or "").split()[0] if (refs or "").split() else ""


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.mark.parametrize(
    "name",
    [
        "cmif-examples/example01_basic.xml",
        "cmif-examples/example02_cmi-with-printed-edition.xml",
        "cmif-examples/cmif-digital-edition.xml",
        "cmif-examples/cmif-printed-edition.xml",
    ],
)
def test_each_correspdesc_of_a_cmif_file_is_a_record(name: str, tmp_path: Path) -> None:
    source = CORRESPONDENCE / name
    profile = ET.parse(source).getroot().find(f"{TEI}teiHeader/{TEI}profileDesc")
    assert profile is not None
    corresps = profile.findall(f"{TEI}correspDesc")
    result = Importer(tmp_path).import_file(source)
    assert len(result.parts) == len(corresps) and all(p.written for p in result.parts)
    letters = [load_letter(p.written) for p in result.parts if p.written]
    assert [letter.url for letter in letters] == [_first(c.get("ref")) for c in corresps]
    assert [letter.edition_id for letter in letters] == [c.get("key", "") for c in corresps]
    names = (f"{TEI}persName", f"{TEI}orgName")
    for letter, corresp in zip(letters, corresps, strict=True):
        sent = corresp.find(f"{TEI}correspAction[@type='sent']")
        assert sent is not None
        assert letter.senders == [_text(e) for e in sent if e.tag in names and _text(e)]
        assert letter.passages == [] and not letter.transcribed
        keyed = {_text(e): _first(e.get("ref")) for e in corresp.iter() if e.tag in names}
        keyed = {name: key for name, key in keyed.items() if key}
        assert {k: v for k, v in letter.keys.items() if k in keyed} == keyed


def test_every_cmif_and_correspdesc_example_imports_and_indexes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        import_command, [str(CORRESPONDENCE), "--into", str(tmp_path / "corpus" / "letters")]
    )
    assert result.exit_code == 0, result.output
    expected = 3 + 3 + 1 + 1 + 11 + 1  # CMIF records, then correspDesc files (one holds two)
    assert f"15 file(s): {expected} letter(s) written" in result.output
    report = Archive(tmp_path / "index").rebuild(tmp_path / "corpus")
    assert not report.errors and len(report.added) == expected


def test_a_licence_that_is_no_web_address_is_refused(tmp_path: Path) -> None:
    args = ["cmif", "--licence", "CC BY", "--output", str(tmp_path / "x.xml")]
    result = CliRunner().invoke(export_command, args, env={"LETTERS_INDEX": str(tmp_path)})
    assert result.exit_code == 2
    assert "licence: 'CC BY' is not a web address" in result.output
    with pytest.raises(ValueError, match="licence: 'no' is not a web address"):
        create_app({"TESTING": True, "INDEX_PATH": str(tmp_path), "CMIF_LICENCE": "no"})


def test_the_web_export_states_the_configured_or_default_licence(index_root: Path) -> None:
    for configured, expected in (
        ("", DEFAULT_LICENCE),
        ("https://example.org/l", "https://example.org/l"),
    ):
        app = create_app(
            {"TESTING": True, "INDEX_PATH": str(index_root), "CMIF_LICENCE": configured}
        )
        root = ET.fromstring(app.test_client().get("/export.cmif.xml").data)
        assert root.find(f".//{TEI}availability/{TEI}licence").get("target") == expected
