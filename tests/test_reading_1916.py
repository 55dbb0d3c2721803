"""The reading tools on letters1916 (all 478 letters imported and indexed, tests/corpora.py):
near-identical letters grouped (the edition holds one letter twice), paragraphs shared by two
transcriptions of one letter, similar letters about the same subject, and a working set's CMIF
validating against the CMIF schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from indexer.archive import Archive, ArchiveSession
from indexer.request import SearchRequest
from tests.conftest import SHARED
from webapp import create_app

SCHEMA = SHARED / "corpora" / "tei-correspondence" / "schema" / "cmi-customization.rng"
ADAMS = "1916-05-13-john-adams-to-mary-adams"  # items 0447 and 0423 of the edition: one letter
PEARSE = "1916-02-17-patrick-henry-pearse-to-seamus-doyle"
MARTIN = ("1916-10-12-marie-helena-martin-to-mary-martin", "1916-10-12-marie-martin-to-mary-martin")
FRONGOCH = "1916-10-10-to-t-m-healy"  # the prisoners of Frongoch camp to an MP


@pytest.fixture(scope="module")
def session1916(letters1916_index: Path) -> Iterator[ArchiveSession]:
    with Archive(letters1916_index).session() as opened:
        yield opened


def test_the_letters_filed_twice_are_the_only_near_identical_ones(
    session1916: ArchiveSession,
) -> None:
    groups = set()
    for page in range(1, 6):
        result = session1916.search(SearchRequest(per_page=100, page=page))
        groups |= {
            frozenset({h.id, *(d.id for d in h.duplicates)}) for h in result.hits if h.duplicates
        }
    assert groups == {
        frozenset({ADAMS, f"{ADAMS}-2"}),
        frozenset({f"{PEARSE}-2", f"{PEARSE}-3"}),
    }
    found = session1916.search(SearchRequest(q="Adams", per_page=50))
    (hit,) = [h for h in found.hits if h.id in (ADAMS, f"{ADAMS}-2")]
    other = ({ADAMS, f"{ADAMS}-2"} - {hit.id}).pop()
    assert [(d.id, d.similarity) for d in hit.duplicates] == [(other, 1.0)]


def test_two_transcriptions_of_one_letter_share_their_paragraphs(
    session1916: ArchiveSession,
) -> None:
    shared = [
        (s.n, s.other_n) for s in session1916.shared_passages(MARTIN[0]) if s.other_id == MARTIN[1]
    ]
    assert len(shared) >= 10 and all(n == m for n, m in shared)  # the same ¶ in each


def test_similar_letters_of_a_frongoch_letter_are_about_the_camp(
    session1916: ArchiveSession,
) -> None:
    similar = session1916.similar(FRONGOCH, limit=5)
    assert len(similar) == 5 and FRONGOCH not in {s.id for s in similar}
    about = [s.id for s in similar if "frongoch" in session1916.letter(s.id).body.casefold()]
    assert len(about) >= 4, [s.title for s in similar]


def test_a_working_set_of_1916_letters_exports_cmif_that_validates(
    letters1916_index: Path, session1916: ArchiveSession
) -> None:
    from lxml import etree

    ids = [h.id for h in session1916.search(SearchRequest(q="Dublin", per_page=20)).hits]
    client = create_app({"TESTING": True, "INDEX_PATH": str(letters1916_index)}).test_client()
    payload = client.get("/set.cmif.xml?" + urlencode([("id", i) for i in ids])).data
    document = etree.fromstring(payload)
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(document), schema.error_log.last_error
    descs = document.findall(".//{http://www.tei-c.org/ns/1.0}correspDesc")
    assert len(descs) == len(ids) == 20
