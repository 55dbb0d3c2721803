"""Editions' metadata in the index: subjects as a facet, identity keys merging facet values,
records of letters without text, and the hidden readings of choices, on real TEI letters
(letters1916 and Escher samples) beside letters written here."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.archive import Archive
from indexer.cli.main import show_command
from indexer.formats.importer import Importer, letter_files
from indexer.letters.corpus import walk_corpus
from indexer.letters.letter import Letter, load_letter
from indexer.request import SearchRequest
from webapp import create_app

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
LETTERS1916 = SHARED / "letters1916" / "editions"
ESCHER = SHARED / "escher-briefe" / "letters"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpora is absent")

KEYED = """---
id: {id}
title: {title}
date: 1916-0{month}-01
senders: [{sender}]
recipients: [{{name: {recipient}}}]
keys: {{{sender}: "#chalmers", {recipient}: "#nathan"}}
subjects: [Easter Rising]
edition_id: ed-{n}
previous: "#ed-{before}"
next: ed-{after}
---
{body}
"""
RECORD = """---
id: record-only
title: A letter known from a calendar
date: 1917-03-02
senders: [Augustine Birrell]
recipients: [{name: Matthew Nathan}]
subjects: [Calendars]
url: https://edition.example.org/letters/17
---
"""


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, list[Letter]]:
    root = tmp_path_factory.mktemp("edition")
    corpus = root / "corpus" / "letters"
    importer = Importer(corpus)
    sources = sorted(LETTERS1916.glob("*.xml"))[::12] + sorted(ESCHER.glob("*.xml"))[::125]
    sources.append(next(ESCHER.glob("K_0133_*.xml")))
    for source in letter_files(sources):
        importer.import_file(source)
    pairs = [
        ("Sir Robert Chalmers", "Matthew Nathan"),
        ("Robert Chalmers", "Sir Matthew Nathan"),
        ("Robert Chalmers", "Matthew Nathan"),
    ]
    for n, (sender, recipient) in enumerate(pairs, 1):
        body = f"Letter number {n} about the rising."
        values = {"sender": sender, "recipient": recipient, "body": body}
        values.update({"n": n, "before": n - 1, "after": n + 1})
        text = KEYED.format(id=f"keyed-{n}", title=f"Keyed {n}", month=n, **values)
        (corpus / f"keyed-{n}.md").write_text(text, encoding="utf-8")
    (corpus / "record-only.md").write_text(RECORD, encoding="utf-8")
    archive = Archive(root / "index")
    report = archive.rebuild(root / "corpus")
    assert not report.errors, report.errors
    letters = [load_letter(f.location) for f in walk_corpus(root / "corpus").files]
    return archive, letters


def _facet(archive: Archive, name: str, **params: list[str]) -> dict[str, tuple[str, int]]:
    with archive.session() as session:
        result = session.search(SearchRequest.from_params({"per_page": ["1"], **params}))
    assert not result.timed_out
    return {c.value: (c.label, c.count) for c in result.facets[name]}


def _ids(archive: Archive, **params: list[str]) -> set[str]:
    with archive.session() as session:
        result = session.search(SearchRequest.from_params({"per_page": ["100"], **params}))
    return {hit.id for hit in result.hits}


def test_subjects_are_a_facet_counting_every_letter_with_the_term(edition) -> None:  # type: ignore[no-untyped-def]
    archive, letters = edition
    expected = Counter(term for letter in letters for term in letter.subjects)
    assert len(expected) > 10  # letters1916 topics and Escher keywords both arrived
    facet = _facet(archive, "subject")
    top = dict(expected.most_common(100))
    assert {value: count for value, (_label, count) in facet.items()} == top


@pytest.mark.parametrize("query", ['subject:"Easter Rising Ireland 1916"', "keyword:Entomologie"])
def test_subject_queries_find_the_letters_with_the_term(edition, query: str) -> None:  # type: ignore[no-untyped-def]
    archive, letters = edition
    term = query.split(":", 1)[1].strip('"')
    expected = {letter.id for letter in letters if term in letter.subjects}
    assert expected
    assert _ids(archive, q=[query]) >= expected


def test_names_with_one_key_are_one_facet_value_labelled_by_the_most_frequent(edition) -> None:  # type: ignore[no-untyped-def]
    archive, _letters = edition
    senders, recipients = _facet(archive, "sender"), _facet(archive, "recipient")
    assert senders["#chalmers"] == ("Robert Chalmers", 3)
    assert recipients["#nathan"] == ("Matthew Nathan", 3)
    assert "Sir Robert Chalmers" not in senders and "Robert Chalmers" not in senders
    keyed = {f"keyed-{n}" for n in (1, 2, 3)}
    # selected by its key or by any of its names, the identity is selected
    for value in ("#chalmers", "Sir Robert Chalmers", "Robert Chalmers"):
        assert _ids(archive, sender=[value]) == keyed, value
        selected = _facet(archive, "sender", sender=[value])
        assert selected["#chalmers"] == ("Robert Chalmers", 3)


def test_every_tei_key_counts_its_letters(edition) -> None:  # type: ignore[no-untyped-def]
    archive, letters = edition
    expected: Counter[str] = Counter()
    for letter in letters:
        expected.update({letter.key(s) or s for s in letter.senders})
    facet = _facet(archive, "sender")
    shown = {value: count for value, (_label, count) in facet.items()}
    assert shown == {v: n for v, n in expected.items() if v in shown}
    assert len(shown) == min(100, len(expected))


def test_a_record_without_text_is_indexed_counted_and_found(edition) -> None:  # type: ignore[no-untyped-def]
    archive, letters = edition
    record = next(letter for letter in letters if letter.id == "record-only")
    assert not record.transcribed and record.body == "" and record.passages == []
    assert _ids(archive, q=['sender:"Augustine Birrell"']) == {"record-only"}
    assert _ids(archive, subject=["Calendars"]) == {"record-only"}
    assert _facet(archive, "sender", q=["Birrell"])["Augustine Birrell"][1] == 1
    with archive.session() as session:
        result = session.search(SearchRequest(q="Birrell calendar", per_page=100))
        stored = session.letter("record-only")
    hit = next(h for h in result.hits if h.id == "record-only")
    assert hit.passages == []  # no text: no passages, no placeholder
    assert stored is not None and stored.record["transcribed"] is False
    assert stored.record["url"] == "https://edition.example.org/letters/17"


def test_the_hidden_reading_of_a_choice_is_searchable(edition) -> None:  # type: ignore[no-untyped-def]
    archive, letters = edition
    escher = next(letter for letter in letters if letter.edition_id == "K_0133")
    assert "Hrn." not in escher.body and "Herrn" in escher.body  # shown: the expansion
    assert "Hrn." in escher.readings.split()
    assert escher.id in _ids(archive, q=["Hrn"])
    assert escher.id in _ids(archive, q=["Herrn"])


@pytest.fixture(scope="module")
def edition_client(edition):  # type: ignore[no-untyped-def]
    archive, _letters = edition
    return create_app({"TESTING": True, "INDEX_PATH": str(archive.root)}).test_client()


def test_the_page_of_a_record_says_there_is_no_transcription(edition_client) -> None:  # type: ignore[no-untyped-def]
    page = edition_client.get("/letters/record-only")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "No transcription in the archive." in html
    assert 'href="https://edition.example.org/letters/17"' in html
    assert 'class="passage"' not in html
    assert edition_client.get("/api/letters/record-only").get_json()["transcribed"] is False


def test_the_letter_page_links_subjects_and_the_correspondence_the_archive_holds(
    edition_client,  # type: ignore[no-untyped-def]
) -> None:
    first = edition_client.get("/letters/keyed-1").get_data(as_text=True)
    middle = edition_client.get("/letters/keyed-2").get_data(as_text=True)
    last = edition_client.get("/letters/keyed-3").get_data(as_text=True)
    assert "/search?subject=Easter+Rising" in first
    assert "/search?sender=%23chalmers" in first  # the facet link names the identity
    context = 'aria-label="Previous and next letters in the correspondence"'
    assert context in middle
    assert 'href="/letters/keyed-1"' in middle and 'href="/letters/keyed-3"' in middle
    # keyed-1's previous (ed-0) and keyed-3's next (ed-4) are not in the archive
    assert "Previous in the correspondence" not in first and "Next in the correspondence" in first
    assert "Next in the correspondence" not in last and "Previous in the correspondence" in last


def test_a_record_is_marked_in_the_results_and_shown_by_the_cli(edition, edition_client) -> None:  # type: ignore[no-untyped-def]
    archive, _letters = edition
    page = edition_client.get("/search?q=sender:Birrell").get_data(as_text=True)
    assert page.count("no transcription in the archive") == 1
    letter = edition_client.get("/letters/record-only?q=Birrell").get_data(as_text=True)
    assert "do not occur in the text" not in letter  # there is no text to mark
    env = {"LETTERS_INDEX": str(archive.root)}
    shown = CliRunner().invoke(show_command, ["record-only"], env=env)
    assert shown.exit_code == 0, shown.output
    assert shown.output.endswith(
        "No transcription in the archive: a record of the letter. "
        "Text: https://edition.example.org/letters/17\n"
    )
    assert "¶" not in shown.output
