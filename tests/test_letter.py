"""Reading corpus files: the five seed letters' metadata, validation messages for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.letter import LetterError, Person, load_letter
from tests.conftest import CORPUS

TOKAYEV = Person("Kassym-Jomart Tokayev", "President of the Republic of Kazakhstan")
ITUC = "International Trade Union Confederation (ITUC)"
INDUSTRIALL = "IndustriALL Global Union"

EXPECTED = {
    "2024-01-10-industriall-right-to-strike-west-oil-software": {
        "type": "letter",
        "date": "2024-01-10",
        "date_from": "2024-01-10",
        "date_to": "2024-01-10",
        "place": "",
        "language": "en",
        "senders": [INDUSTRIALL],
        "signatories": [Person("Atle Høie", "General Secretary, IndustriALL Global Union")],
        "recipients": [TOKAYEV],
        "cc": [],
        "reference": "",
    },
    "2024-01-19-ituc-west-oil-software-striker-dismissals": {
        "type": "letter",
        "date": "2024-01-19",
        "date_from": "2024-01-19",
        "date_to": "2024-01-19",
        "place": "",
        "language": "en",
        "senders": [ITUC],
        "signatories": [Person("Luc Triangle", "General Secretary, ITUC")],
        "recipients": [TOKAYEV],
        "cc": ["Ministry of Labour and Social Protection of the Republic of Kazakhstan"],
        "reference": "HTUR/LEX",
    },
    "2024-01-19-ituc-sanctions-striking-workers-west-oil-software": {
        "type": "press release",
        "date": None,
        "date_from": "2024-01-19",
        "date_to": "2024-02-29",
        "place": "",
        "language": "en",
        "senders": [ITUC],
        "signatories": [],
        "recipients": [],
        "cc": [],
        "reference": "",
    },
    "2021-02-02-ituc-industriall-fuel-energy-union-repression": {
        "type": "letter",
        "date": "2021-02-02",
        "date_from": "2021-02-02",
        "date_to": "2021-02-02",
        "place": "Brussels and Geneva",
        "language": "en",
        "senders": [ITUC, INDUSTRIALL],
        "signatories": [
            Person("Sharan Burrow", "General Secretary, ITUC"),
            Person("Valter Sanches", "General Secretary, IndustriALL Global Union"),
        ],
        "recipients": [TOKAYEV],
        "cc": [],
        "reference": "",
    },
    "2021-02-09-lo-norway-trade-union-rights-violations": {
        "type": "letter",
        "date": "2021-02-09",
        "date_from": "2021-02-09",
        "date_to": "2021-02-09",
        "place": "Oslo",
        "language": "en",
        "senders": ["Norwegian Confederation of Trade Unions (LO Norway)"],
        "signatories": [Person("Hans-Christian Gabrielsen", "President, LO Norway")],
        "recipients": [TOKAYEV],
        "cc": [
            "The Embassy of the Republic of Kazakhstan",
            "The Norwegian Ministry of Foreign Affairs, Oslo",
            "The Royal Norwegian Embassy, Kazakhstan",
            ITUC,
            INDUSTRIALL,
        ],
        "reference": "Our ref. 21/386-1 840.100/NIMJ",
    },
}


@pytest.mark.parametrize("letter_id", sorted(EXPECTED))
def test_seed_letter_metadata(letter_id: str) -> None:
    letter = load_letter(CORPUS / "letters" / f"{letter_id}.md", root=CORPUS)
    got = {key: getattr(letter, key) for key in EXPECTED[letter_id]}
    assert got == EXPECTED[letter_id]
    assert letter.id == letter_id
    assert letter.path == f"letters/{letter_id}.md"
    assert letter.extracted == []  # curated front matter: nothing had to be extracted
    assert [p.n for p in letter.passages] == list(range(1, len(letter.passages) + 1))


def test_corpus_holds_exactly_the_five_seeds() -> None:
    assert sorted(p.stem for p in (CORPUS / "letters").glob("*.md")) == sorted(EXPECTED)


def test_uncertain_date_gives_years_of_its_range() -> None:
    letter = load_letter(
        CORPUS / "letters" / "2024-01-19-ituc-sanctions-striking-workers-west-oil-software.md"
    )
    assert letter.years == [2024]


def write(tmp_path: Path, content: str | bytes, name: str = "letter.md") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


GOOD_BODY = "Dear Sir,\n\nWe write about the strike.\n\nYours sincerely,\n\nA. Person\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty file"),
        ("   \n\n", "empty file"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        (b"---\nid: x\n---\nCaf\x81\x8d\x90 au lait\n",
         "not valid UTF-8 (byte 0x81 at line 4, offset 17) and not recognisably Windows-1251"),
        ("---\nid: x\ntitle: y\n\nno closing line\n", "front matter is not closed"),
        ("---\nid: [unclosed\n---\n" + GOOD_BODY, "front matter is not valid YAML at line"),
        ("---\n- a\n- b\n---\n" + GOOD_BODY, "front matter must be a mapping"),
        ("---\nsender: ITUC\n---\n" + GOOD_BODY, "unknown front-matter field(s): sender"),
        ("---\ntitle: [a, b]\n---\n" + GOOD_BODY, "field 'title' must be text, not a list"),
        ("---\nsenders: {a: b}\n---\n" + GOOD_BODY, "field 'senders' must be a list of names"),
        ("---\ndate: 2021-02-30\n---\n" + GOOD_BODY, "'2021-02-30' is not a real date"),
        ("---\ndate: 9 Feb 2021\n---\n" + GOOD_BODY, "is not a date (use YYYY-MM-DD)"),
        (
            "---\ndate_from: 2022-01-01\ndate_to: 2021-01-01\n---\n" + GOOD_BODY,
            "date_from 2022-01-01 is after date_to 2021-01-01",
        ),
        (
            "---\ndate: 2021-01-01\ndate_from: 2021-01-01\n---\n" + GOOD_BODY,
            "give either 'date' or 'date_from'/'date_to'",
        ),
        ("---\nid: Not A Slug\n---\n" + GOOD_BODY, "must be lowercase letters, digits"),
        ("---\ntitle: x\n---\n\n", "the letter has no body text"),
        (
            "---\nsignatories:\n  - name: A\n    rank: 1\n---\n" + GOOD_BODY,
            "'signatories' entries take name and role",
        ),
    ],
)
def test_bad_files_are_named_with_a_reason(
    tmp_path: Path, content: str | bytes, reason: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(LetterError) as caught:
        load_letter(path)
    assert caught.value.path == str(path)
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("date: 2021-02", ("2021-02-01", "2021-02-28", None)),
        ("date: 2020", ("2020-01-01", "2020-12-31", None)),
        ("date_from: 2021-01\ndate_to: 2021-03", ("2021-01-01", "2021-03-31", None)),
        ("date: '2024-01-10'", ("2024-01-10", "2024-01-10", "2024-01-10")),
    ],
)
def test_partial_dates_become_ranges(tmp_path: Path, front: str, expected: tuple) -> None:
    letter = load_letter(write(tmp_path, f"---\n{front}\n---\n{GOOD_BODY}"))
    assert (letter.date_from, letter.date_to, letter.date) == expected


def test_front_matter_wins_over_extraction(tmp_path: Path) -> None:
    text = (
        "---\ndate: 2020-05-05\n---\nOslo, 09.02.2021\n\nDear Mr. President,\n\nText.\n\n"
        "Yours sincerely\n\nHans Hansen\nPresident\n"
    )
    letter = load_letter(write(tmp_path, text))
    assert letter.date == "2020-05-05"
    assert "date" not in letter.extracted


def test_missing_fields_are_extracted_from_the_text(tmp_path: Path) -> None:
    text = "Oslo, 09.02.2021\n\nDear Mr. President,\n\nWe write about the strike.\n"
    letter = load_letter(write(tmp_path, text, "no-front-matter.md"))
    assert (letter.id, letter.date, letter.place) == ("no-front-matter", "2021-02-09", "Oslo")
    assert {"date", "place"} <= set(letter.extracted)


def test_windows_line_endings_and_bom_are_accepted(tmp_path: Path) -> None:
    text = "\ufeff---\r\ntitle: T\r\n---\r\nFirst.\r\n\r\nSecond.\r\n"
    letter = load_letter(write(tmp_path, text.encode("utf-8")))
    assert [p.text for p in letter.passages] == ["First.", "Second."]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("---\ntitle: Письмо\n---\nУважаемый господин Президент, профсоюз просит.\n", "cp1251"),
        ("---\ntitle: Brief\n---\nSehr geehrter Herr Präsident, wir fordern Gerechtigkeit für "
         "die Arbeiter – sofort.\n", "cp1252"),
        ("---\ntitle: Lettre\n---\nMonsieur le Président, les travailleurs ont été licenciés.\n",
         "cp1252"),
    ],
)
def test_legacy_windows_code_pages_are_decoded(tmp_path: Path, text: str, encoding: str) -> None:
    letter = load_letter(write(tmp_path, text.encode(encoding)))
    assert letter.encoding == encoding
    assert letter.passages[0].text == text.split("---\n")[2].strip()
