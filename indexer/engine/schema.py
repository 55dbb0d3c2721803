"""The Whoosh schema, and how a Letter becomes an index document.

Facet fields hold exact values one per line (``f_sender`` …); text fields are analysed for
search; ``doc`` stores the letter's metadata, passages and rendered HTML as JSON so a hit and
its letter page can be shown without opening the corpus file or parsing its Markdown again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.engine.analysis import (
    exact_analyzer,
    facet_analyzer,
    name_analyzer,
    prose_analyzer,
    translit_analyzer,
)
from indexer.letters.letter import Letter, Person
from indexer.letters.passages import Passage
from indexer.request import FACETS

#: facet name (as in URLs and JSON) -> index field
FACET_FIELDS = {name: f"f_{name}" for name in FACETS}

#: languages with their own stemmed prose fields; other languages go to the "_xx" fields
PROSE_LANGUAGES = ("en", "de", "ru")


def prose_field(name: str, language: str) -> str:
    """The field holding prose (``title``/``body``) of a letter in this language."""
    if language == "en":
        return name
    return f"{name}_{language if language in PROSE_LANGUAGES else 'xx'}"


def _prose_fields(name: str) -> list[str]:
    return [prose_field(name, lang) for lang in (*PROSE_LANGUAGES, "xx")]


#: text fields searched by default, with their boosts over the body
SEARCH_FIELDS = {
    **dict.fromkeys(_prose_fields("title"), 3.0),
    "sender": 3.0,
    "signatory": 3.0,
    "recipient": 3.0,
    "cc": 1.0,
    "place": 1.0,
    "destination": 0.5,
    "reference": 1.0,
    "summary": 1.5,
    **dict.fromkeys(_prose_fields("body"), 1.0),
    "translit": 0.25,
}

#: field -> language of its analysis (None: names, not stemmed)
FIELD_LANGUAGE = {
    **{prose_field(n, lang): lang for n in ("title", "body") for lang in (*PROSE_LANGUAGES, "xx")},
    "summary": "en",
}

#: Quoted phrases are exact: each searched text field has a folded-only twin (every word as
#: written, stop words kept, nothing stemmed), one for all the languages of a title or body.
EXACT_NAME_FIELDS = ("sender", "signatory", "recipient", "cc", "place", "destination", "reference")


def exact_field(name: str) -> str:
    return f"exact_{name}"


#: searched field -> its exact twin, which a quoted phrase searches instead
EXACT_FIELDS = {
    **{f: exact_field(n) for n in ("title", "body") for f in _prose_fields(n)},
    **{n: exact_field(n) for n in ("summary", *EXACT_NAME_FIELDS)},
}

NO_DATE = 0  # sort key of undated letters

#: Bump when fields or analysis change: an index of another version is rebuilt, not misread.
SCHEMA_VERSION = "15"


def build_schema() -> Schema:
    names = name_analyzer()
    facet = facet_analyzer()
    exact = exact_analyzer()
    # every prose field keeps its unstemmed words too, for "did you mean" (suggest.py)
    prose = {
        field: TEXT(analyzer=prose_analyzer(lang), spelling=True)
        for field, lang in FIELD_LANGUAGE.items()
    }
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        hash=ID(stored=True),
        sender=TEXT(analyzer=names),
        signatory=TEXT(analyzer=names),
        recipient=TEXT(analyzer=names),
        cc=TEXT(analyzer=names),
        place=TEXT(analyzer=names),
        destination=TEXT(analyzer=names),
        reference=TEXT(analyzer=names),
        translit=TEXT(analyzer=translit_analyzer()),
        language=TEXT(analyzer=names),
        type=TEXT(analyzer=names),
        mention=KEYWORD(lowercase=True),
        date_from=NUMERIC(int, bits=32, sortable=True),
        date_to=NUMERIC(int, bits=32, sortable=True),
        sort_date=NUMERIC(int, bits=32, sortable=True),
        doc=STORED(),
        **prose,
        **{field: TEXT(analyzer=exact) for field in sorted(set(EXACT_FIELDS.values()))},
        **{field: KEYWORD(analyzer=facet) for field in FACET_FIELDS.values()},
    )


def date_number(iso: str) -> int:
    """2021-02-09 -> 20210209: dates as sortable, range-searchable integers."""
    return int(iso[:10].replace("-", ""))


def date_iso(number: int) -> str:
    """20210209 -> 2021-02-09 (the inverse of :func:`date_number`)."""
    text = f"{number:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def _lines(values: Sequence[str]) -> str:
    return "\n".join(v.replace("\n", " ").strip() for v in values if v.strip())


def to_document(
    letter: Letter, mentions: Sequence[str] = (), arrived: str | None = None
) -> dict[str, Any]:
    """The fields of one index document for a letter (``mentions``: authority ids found;
    ``arrived``: when this content entered the archive)."""
    signatories = [p.name for p in letter.signatories]
    recipients = [p.name for p in letter.recipients]
    body = "\n\n".join(p.text for p in letter.passages)
    people = [*letter.senders, *(p.label() for p in letter.signatories)]
    people += [*(p.label() for p in letter.recipients), *letter.cc]
    document: dict[str, Any] = {
        "id": letter.id,
        "path": letter.path,
        "hash": letter.content_hash,
        prose_field("title", letter.language): letter.title,
        prose_field("body", letter.language): body,
        "sender": " \n".join(letter.senders),
        "signatory": " \n".join(p.label() for p in letter.signatories),
        "recipient": " \n".join(p.label() for p in letter.recipients),
        "cc": " \n".join(letter.cc),
        "place": letter.place,
        "destination": letter.destination,
        "reference": letter.reference,
        "summary": letter.summary,
        "translit": "\n".join([letter.title, letter.place, *people, body]),
        "language": letter.language,
        "type": letter.type,
        "mention": " ".join(mentions),
        "f_sender": _lines(letter.senders),
        "f_signatory": _lines(signatories),
        "f_recipient": _lines(recipients),
        "f_place": _lines([letter.place]),
        "f_destination": _lines([letter.destination]),
        "f_type": _lines([letter.type]),
        "f_language": _lines([letter.language]),
        "f_year": _lines([str(y) for y in letter.years]),
        "f_mention": _lines(mentions),
        "sort_date": date_number(letter.date_from) if letter.date_from else NO_DATE,
        "doc": json.dumps(stored_record(letter, mentions, arrived), ensure_ascii=False),
    }
    document[exact_field("title")] = letter.title
    document[exact_field("body")] = body
    for name in ("summary", *EXACT_NAME_FIELDS):
        document[exact_field(name)] = document[name]
    if letter.date_from and letter.date_to:
        document["date_from"] = date_number(letter.date_from)
        document["date_to"] = date_number(letter.date_to)
    return {k: v for k, v in document.items() if v != ""}


def stored_record(
    letter: Letter, mentions: Sequence[str] = (), arrived: str | None = None
) -> dict[str, Any]:
    record = letter.metadata()
    record["arrived"] = arrived
    record["mentions"] = list(mentions)
    record["passages"] = [[p.n, p.kind, p.text] for p in letter.passages]
    record["extracted"] = letter.extracted
    record["body"] = letter.body
    record["html"] = letter.html  # the page shows this: its anchors are the passages' numbers
    return record


def letter_from_record(record: dict[str, Any], content_hash: str = "") -> Letter:
    """Rebuild a Letter from its stored record (used to keep letters whose file broke)."""
    data = dict(record)
    passages = [Passage(n=n, kind=kind, text=text) for n, kind, text in data.pop("passages")]
    data.pop("extracted", None)
    data.pop("mentions", None)
    data.pop("arrived", None)
    body = data.pop("body", None)
    html = data.pop("html")
    data["signatories"] = [Person(**p) for p in data["signatories"]]
    data["recipients"] = [Person(**p) for p in data["recipients"]]
    if body is None:
        body = "\n\n".join(p.text for p in passages)
    return Letter(**data, body=body, passages=passages, html=html, content_hash=content_hash)
