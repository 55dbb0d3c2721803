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
from whoosh.reading import IndexReader

from indexer.engine.analysis import (
    STEMMED_LANGUAGES,
    exact_analyzer,
    facet_analyzer,
    name_analyzer,
    prose_analyzer,
    stemmed_language,
    translit_analyzer,
)
from indexer.engine.gencache import cached
from indexer.engine.reuse import band_terms
from indexer.letters.letter import Letter, Person
from indexer.letters.passages import Passage
from indexer.request import FACETS

#: facet name (as in URLs and JSON) -> index field
FACET_FIELDS = {name: f"f_{name}" for name in FACETS}
#: the names copied in, one per line like a facet's values (for person pages, not a facet)
CC_FIELD = "f_cc"

#: languages with their own stemmed prose fields; other languages go to the "_xx" fields
PROSE_LANGUAGES = STEMMED_LANGUAGES


def prose_field(name: str, language: str) -> str:
    """The field holding prose (``title``/``body``) in this language (English: the plain
    name, so an English archive's fields and ranking stay as they were)."""
    stemmed = stemmed_language(language)
    if stemmed == "en":
        return name
    return f"{name}_{stemmed or 'xx'}"


def _prose_fields(name: str) -> list[str]:
    """English first, as before there were other languages."""
    others = [lang for lang in PROSE_LANGUAGES if lang != "en"]
    return [prose_field(name, lang) for lang in ("en", *others, "xx")]


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
    "subject": 1.5,
    **dict.fromkeys(_prose_fields("body"), 1.0),
    "translit": 0.25,
}

#: what the editors wrote about a letter, not its writer: a quoted phrase or a proximity
#: search means the letter's own words, so it looks here only when the field is named
EDITORIAL_FIELDS = frozenset({"summary", "subject"})  # the editors' words, not the letter's

#: field -> language of its analysis (None: names, not stemmed)
FIELD_LANGUAGE = {
    **{prose_field(n, lang): lang for n in ("title", "body") for lang in (*PROSE_LANGUAGES, "xx")},
    "summary": "en",
}
#: the title and body fields of every language
PROSE_FIELDS = frozenset(FIELD_LANGUAGE) - {"summary"}

#: the prose fields of an index that hold words (:func:`present_prose_fields`); None: all
Present = frozenset[str] | None


def searched_fields(present: Present) -> dict[str, float]:
    """The default fields with their boosts, without the prose fields that hold no words."""
    return {
        f: boost
        for f, boost in SEARCH_FIELDS.items()
        if present is None or f not in PROSE_FIELDS or f in present
    }


def present_prose_fields(reader: IndexReader) -> frozenset[str]:
    """The prose fields that hold words in this index generation: a query looks only in
    these, so each language without letters costs nothing (an English archive searches
    ``title`` and ``body`` alone, as before there were other languages)."""
    return cached(
        reader, "prose-fields", lambda r: frozenset(r.indexed_field_names()) & PROSE_FIELDS
    )


#: Quoted phrases are exact: each searched text field has a folded-only twin (every word as
#: written, stop words kept, nothing stemmed), one for all the languages of a title or body.
EXACT_NAME_FIELDS = (
    *("sender", "signatory", "recipient", "cc", "place", "destination", "reference", "subject"),
)


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

#: separates a facet line's value from its identity key (``name<KEY_MARK>key``)
KEY_MARK = "\x1f"


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
        subject=TEXT(analyzer=names),
        identity=KEYWORD(analyzer=facet),
        translit=TEXT(analyzer=translit_analyzer()),
        language=TEXT(analyzer=names),
        type=TEXT(analyzer=names),
        mention=KEYWORD(lowercase=True),
        reuse=KEYWORD(),  # MinHash bands of the passages: letters that may share one (reuse.py)
        date_from=NUMERIC(int, bits=32, sortable=True),
        date_to=NUMERIC(int, bits=32, sortable=True),
        sort_date=NUMERIC(int, bits=32, sortable=True),
        doc=STORED(),
        **prose,
        **{field: TEXT(analyzer=exact) for field in sorted(set(EXACT_FIELDS.values()))},
        **{field: KEYWORD(analyzer=facet) for field in (*FACET_FIELDS.values(), CC_FIELD)},
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


def _keyed(letter: Letter, names: Sequence[str]) -> str:
    """Facet lines of names, each with its identity key where the letter gives one, so that
    the facet counts one value per identity however the name is written."""
    lines = []
    for name in names:
        name = name.replace("\n", " ").replace(KEY_MARK, " ").strip()
        key = letter.key(name).replace("\n", " ").replace(KEY_MARK, " ").strip()
        if name:
            lines.append(f"{name}{KEY_MARK}{key}" if key else name)
    return "\n".join(lines)


def identities(letter: Letter) -> list[str]:
    """What other letters may call this one (correspContext): its edition id and address."""
    return [i for i in (letter.edition_id, letter.url) if i.strip()]


def to_document(
    letter: Letter, mentions: Sequence[str] = (), arrived: str | None = None
) -> dict[str, Any]:
    """The fields of one index document for a letter (``mentions``: authority ids found;
    ``arrived``: when this content entered the archive)."""
    signatories = [p.name for p in letter.signatories]
    recipients = [p.name for p in letter.recipients]
    body = "\n\n".join(p.text for p in letter.passages)
    bodies: dict[str, list[str]] = {}  # each passage goes to the body field of its language
    for passage in letter.passages:
        field = prose_field("body", passage.language or letter.language)
        bodies.setdefault(field, []).append(passage.text)
    if letter.readings:  # the readings a choice hides are searchable too
        bodies.setdefault(prose_field("body", letter.language), []).append(letter.readings)
    people = [*letter.senders, *(p.label() for p in letter.signatories)]
    people += [*(p.label() for p in letter.recipients), *letter.cc]
    document: dict[str, Any] = {
        "id": letter.id,
        "path": letter.path,
        "hash": letter.content_hash,
        prose_field("title", letter.language): letter.title,
        "sender": " \n".join(letter.senders),
        "signatory": " \n".join(p.label() for p in letter.signatories),
        "recipient": " \n".join(p.label() for p in letter.recipients),
        "cc": " \n".join(letter.cc),
        "place": letter.place,
        "destination": letter.destination,
        "reference": letter.reference,
        "summary": letter.summary,
        "subject": " \n".join(letter.subjects),
        "identity": _lines(identities(letter)),
        "translit": "\n".join([letter.title, letter.place, *people, body]),
        "language": letter.language,
        "type": letter.type,
        "mention": " ".join(mentions),
        "reuse": " ".join(band_terms(p.text for p in letter.passages)),
        "f_sender": _keyed(letter, letter.senders),
        "f_signatory": _keyed(letter, signatories),
        "f_recipient": _keyed(letter, recipients),
        "f_subject": _lines(letter.subjects),
        "f_place": _lines([letter.place]),
        "f_destination": _lines([letter.destination]),
        "f_type": _lines([letter.type]),
        "f_language": _lines([letter.language]),
        "f_year": _lines([str(y) for y in letter.years]),
        "f_mention": _lines(mentions),
        CC_FIELD: _lines(letter.cc),
        "sort_date": date_number(letter.date_from) if letter.date_from else NO_DATE,
        "doc": json.dumps(stored_record(letter, mentions, arrived), ensure_ascii=False),
    }
    document.update({field: "\n\n".join(texts) for field, texts in bodies.items()})
    document[exact_field("title")] = letter.title
    document[exact_field("body")] = f"{body}\n\n{letter.readings}" if letter.readings else body
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
    record["passage_languages"] = {str(p.n): p.language for p in letter.passages if p.language}
    record["extracted"] = letter.extracted
    record["body"] = letter.body
    record["transcribed"] = letter.transcribed
    record["html"] = letter.html  # the page shows this: its anchors are the passages' numbers
    return record


def passage_languages(record: dict[str, Any]) -> dict[int, str]:
    """¶ number -> language of the stored letter's passages not in the letter's language."""
    return {int(n): str(lang) for n, lang in (record.get("passage_languages") or {}).items()}


def letter_from_record(record: dict[str, Any], content_hash: str = "") -> Letter:
    """Rebuild a Letter from its stored record (used to keep letters whose file broke)."""
    data = dict(record)
    languages = data.pop("passage_languages", None) or {}
    passages = [
        Passage(n=n, kind=kind, text=text, language=languages.get(str(n), ""))
        for n, kind, text in data.pop("passages")
    ]
    data.pop("extracted", None)
    data.pop("mentions", None)
    data.pop("arrived", None)
    data.pop("transcribed", None)
    body = data.pop("body", None)
    html = data.pop("html")
    data["signatories"] = [Person(**p) for p in data["signatories"]]
    data["recipients"] = [Person(**p) for p in data["recipients"]]
    if body is None:
        body = "\n\n".join(p.text for p in passages)
    return Letter(**data, body=body, passages=passages, html=html, content_hash=content_hash)
