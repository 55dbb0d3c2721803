"""Metadata extraction: the five real seed letters, synthetic layouts, and junk input."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator

import pytest

from indexer.letters.extract import REQUIRED, Extraction, extract_metadata
from tests.conftest import SEEDS

TOKAYEV = {"name": "Kassym-Jomart Tokayev", "role": "President of the Republic of Kazakhstan"}
ITUC = "International Trade Union Confederation (ITUC)"

#: Whole expected ``Extraction.fields`` per seed; ``missing`` follows from it.
SEED_FIELDS: dict[str, dict[str, object]] = {
    "000_eece73a402d1066b.txt": {
        "date": "2024-01-10",
        "senders": ["IndustriALL Global Union"],
        "signatories": [{"name": "Atle Høie", "role": "General Secretary"}],
        "recipients": [TOKAYEV],
    },
    "001_4a3b33d44e9f3375.txt": {
        "date": "2024-01-19",
        "senders": [ITUC],
        # Akiko Gono (letterhead) is neither a signatory nor a recipient.
        "signatories": [{"name": "Luc Triangle", "role": "General Secretary"}],
        "recipients": [TOKAYEV],
    },
    # A press statement: 11 December 2023 and 13 January are events, not its date.
    "002_a7b960ebefcf50c2.txt": {},
    "003_307f62970771e793.txt": {
        "date": "2021-02-02",
        "place": "Brussels and Geneva",
        "senders": [ITUC, "IndustriALL Global Union"],
        "signatories": [
            {"name": "Sharan Burrow", "role": "General Secretary, ITUC"},
            {"name": "Valter Sanches", "role": "General Secretary, IndustriALL Global Union"},
        ],
        # The address block reads "President" / "Republic of Kazakhstan" on separate lines.
        "recipients": [{"name": "Kassym-Jomart Tokayev", "role": "President"}],
    },
    "004_210ffe222bb380f8.txt": {
        "date": "2021-02-09",
        "place": "Oslo",
        # "LO NORWAY" in the closing is the acronym of the full name, so it is merged.
        "senders": ["Norwegian Confederation of Trade Unions (LO Norway)"],
        "signatories": [{"name": "Hans-Christian Gabrielsen", "role": "President"}],
        "recipients": [{"name": "Kassym-Jomart Tokayev", "role": "President of Kazakhstan"}],
        "title": "Re: Concern about serious violation of trade union rights in Kazakhstan",
        "reference": "Our ref. 21/386-1 840.100/NIMJ",
    },
}


@pytest.fixture(autouse=True)
def _no_swallowed_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The never-raise guard logs; a test passing only thanks to it would hide a bug."""
    with caplog.at_level(logging.ERROR, logger="indexer.letters.extract"):
        yield
    assert not caplog.get_records("call"), caplog.text


@pytest.mark.parametrize(("name", "expected"), SEED_FIELDS.items(), ids=lambda v: str(v)[:3])
def test_seed_documents(name: str, expected: dict[str, object]) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent")
    result = extract_metadata((SEEDS / name).read_text(encoding="utf-8"))
    assert result.fields == expected
    assert result.missing == [f for f in REQUIRED if f not in expected]


BODY = (
    "Around 500 workers launched a strike on 11 December 2023, and the court ruled it illegal "
    "the same day; on 13 January 2024 seven of them were interrogated by the police."
)


def letter(heading: str, body: str = BODY) -> str:
    """A plain letter around ``heading`` (the lines above the recipient's address)."""
    return (
        f"{heading}\n\nMs Jane Roe\nMinister of Labour\n\nDear Minister,\n\n{body}\n\n"
        "Kind regards,\n\nJohn Smith\nGeneral Secretary\n"
    )


@pytest.mark.parametrize(
    ("heading", "date", "place"),
    [
        ("10 January 2024", "2024-01-10", None),
        ("2 February 2021", "2021-02-02", None),
        ("Oslo, 09.02.2021", "2021-02-09", "Oslo"),
        ("19.01.2024", "2024-01-19", None),
        ("January 19, 2024", "2024-01-19", None),
        ("2021-02-09", "2021-02-09", None),
        ("10 января 2024 г.", "2024-01-10", None),
        ("10. Januar 2024", "2024-01-10", None),
        ("Geneva, 3rd March 2022", "2022-03-03", "Geneva"),
        ("**Brussels, 5 May 2020**  ", "2020-05-05", "Brussels"),
        ("Brussels and Geneva\n2 February 2021", "2021-02-02", "Brussels and Geneva"),
        ("Date: 1 Sept. 2023", "2023-09-01", None),
        ("Monday, 10 January 2024", "2024-01-10", None),
        ("Oslo, 09.02.2021 Our ref. 21/386-1 Your ref.", "2021-02-09", "Oslo"),
    ],
)
def test_date_formats(heading: str, date: str, place: str | None) -> None:
    fields = extract_metadata(letter(heading)).fields
    assert fields["date"] == date
    assert fields.get("place") == place
    assert fields["recipients"] == [{"name": "Jane Roe", "role": "Minister of Labour"}]
    assert fields["signatories"] == [{"name": "John Smith", "role": "General Secretary"}]


@pytest.mark.parametrize(
    "text",
    [
        letter(""),
        letter("31.02.2024"),  # not a real day
        letter("Strike since 11 December 2023"),  # a heading that mentions a date
        letter("", body=f"The events:\n\n11 December 2023\n\n{BODY}"),  # after the salutation
        f"Kazakhstan: strikers sanctioned\n\n{BODY}\n\nOn 13 January, workers were dismissed.",
    ],
    ids=["no-date", "impossible", "in-heading-line", "in-body", "press-statement"],
)
def test_dates_in_the_body_are_not_the_letters_date(text: str) -> None:
    result = extract_metadata(text)
    assert "date" not in result.fields
    assert "date" in result.missing


@pytest.mark.parametrize(
    ("closing", "signatory", "senders"),
    [
        (
            "Yours faithfully,\n\nDr. Jane Doe, Executive Director, Acme Workers Union",
            {"name": "Jane Doe", "role": "Executive Director, Acme Workers Union"},
            ["Acme Workers Union"],
        ),
        (
            "Sincerely,\nMaria García\nPresident",
            {"name": "Maria García", "role": "President"},
            None,
        ),
        (
            "In solidarity,\n\nOle Hansen – Regional Secretary\n\nCC: Jane Roe, Minister",
            {"name": "Ole Hansen", "role": "Regional Secretary"},
            None,
        ),
        ("Kind regards,\n\nJohn Smith", {"name": "John Smith", "role": ""}, None),
    ],
)
def test_signature_forms(closing: str, signatory: dict[str, str], senders: list | None) -> None:
    fields = extract_metadata(f"Dear colleagues,\n\n{BODY}\n\n{closing}\n").fields
    assert fields["signatories"] == [signatory]
    assert fields.get("senders") == senders


def test_on_behalf_of_two_organisations_and_one_line_address() -> None:
    text = (
        "H.E. Mr Kassym-Jomart Tokayev President of the Republic of Kazakhstan Astana, Akorda\n\n"
        "Geneva, 10 January 2024\n\nMr President,\n\n"
        "On behalf of the Building and Wood Workers' International (BWI) and the ITUC, we write "
        "to express our concern about the Industry Trade Union of Fuel and Energy Workers.\n"
    )
    fields = extract_metadata(text).fields
    assert fields["senders"] == ["Building and Wood Workers' International (BWI)", "ITUC"]
    assert fields["recipients"] == [TOKAYEV]
    assert (fields["date"], fields["place"]) == ("2024-01-10", "Geneva")


def test_text_without_structure_finds_nothing() -> None:
    text = (
        "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n\n"
        "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip."
    )
    assert extract_metadata(text) == Extraction({}, list(REQUIRED))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t\n",
        "\x00\x01\ufffd",
        "*" * 5000,
        "[](" * 1000,
        "<sup>" * 1000,
        "Mr.\nDear\nYours sincerely,\n**\n",
        "Yours sincerely " + "**" * 50,
        "on behalf of " * 200,
        "x" * 200_000,
    ],
    ids=lambda t: repr(t[:12]),
)
def test_junk_never_raises(text: str) -> None:
    result = extract_metadata(text)
    assert result.fields == {}
    assert result.missing == list(REQUIRED)


def test_random_text_never_raises() -> None:
    rng = random.Random(20240110)
    pieces = [
        "Mr. ",
        "Dear ",
        "Yours sincerely,",
        "10 January 2024",
        "Oslo, ",
        "09.02.2021",
        "\n",
        "\n\n",
        "**",
        "[a](b)",
        "General Secretary",
        "on behalf of the ",
        "(",
        ")",
        " and ",
        "Union",
        ",",
        "Our ref.",
        "Re:",
        "Atle Høie",
        "of ",
        "the ",
        "Kind regards",
        "CC:",
        "ж",
    ]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
        result = extract_metadata(text)
        assert set(result.missing) <= set(REQUIRED)
        assert all(value for value in result.fields.values())
