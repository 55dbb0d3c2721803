"""The archive's correspondence metadata as CMIF, and reading CMIF back.

CMIF (the TEI "Correspondence Metadata Interchange Format" used by correspSearch) is a TEI
file with one ``profileDesc/correspDesc`` per letter::

    <correspDesc ref="BASE/letters/<id>" source="#archive">
      <correspAction type="sent">
        <orgName>IndustriALL Global Union</orgName>     (persName for a person)
        <placeName>Oslo</placeName>
        <date when="2024-01-10"/>                         (or notBefore/notAfter)
      </correspAction>
      <correspAction type="received">
        <persName>Kassym-Jomart Tokayev</persName>
      </correspAction>
    </correspDesc>

The sending party is ``senders``: a sender who also signs (a person) is a ``persName``, any
other sender an ``orgName``. Signatories who are not senders are not part of CMIF's sent action
and are left out. Addressees are ``persName`` unless the same name is exported as an
organisation elsewhere. A person's or place's identity key (``keys``, from the TEI's
``@ref``/``@key``) is its ``@ref``; CMIF wants URIs there, so a key that is none ("Heer Oswald")
is written percent-encoded and read back decoded. The file carries a licence
(``availability/licence/@target``; CC BY 4.0 unless configured, as correspSearch asks).
:func:`read_cmif` reads such a file back into the archive's metadata fields (dates normalised
exactly as the corpus loader does), so an export round-trips; ``letters import`` reads any
CMIF file as records of letters (:mod:`indexer.formats.cmif_import`).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from indexer.formats.cmif_import import key_of
from indexer.formats.tei import TEI_NS, XML_NS, iso_date, parse_xml
from indexer.letters.dates import first_day, last_day
from indexer.letters.letter import LetterError
from indexer.links import Links

SOURCE_ID = "archive"
DEFAULT_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
KNOWN_LICENCES = {
    DEFAULT_LICENCE: "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 Universal (public domain)",
    "https://creativecommons.org/licenses/by-sa/4.0/": "Creative Commons "
    "Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
}


def licence_url(value: str | None) -> str:
    """The licence address to state (the default when none is given); ValueError, naming the
    value, unless it is an http(s) address (CMIF's ``licence/@target`` is a URI)."""
    url = (value or "").strip() or DEFAULT_LICENCE
    if not url.startswith(("http://", "https://")) or any(c.isspace() for c in url):
        raise ValueError(f"licence: {value!r} is not a web address such as {DEFAULT_LICENCE}")
    return url


def _ref(key: str) -> dict[str, str]:
    """``ref`` for an identity key: as it is when a URI, percent-encoded otherwise."""
    if not key:
        return {}
    return {"ref": key if "://" in key else quote(key, safe="#/:@!$&'()*+,;=-._~")}


def _tag(name: str) -> str:
    # Elements are unqualified under a root carrying xmlns: ElementTree cannot combine a default
    # namespace with unqualified attributes (ref, type, when …) when it serialises.
    return name


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name), attrs)
    if text is not None:
        element.text = text
    return element


def _names(people: Iterable[Any] | None) -> list[str]:
    """Names from a list of strings or of ``{name, role}`` mappings."""
    names = []
    for person in people or ():
        name = person.get("name") if isinstance(person, Mapping) else person
        if name and str(name).strip():
            names.append(str(name).strip())
    return names


def date_attributes(letter: Mapping[str, Any]) -> dict[str, str]:
    """``when`` for a dated letter (or one whose range is a whole month or year), else
    ``notBefore``/``notAfter``; empty for an undated letter."""
    date, start, end = letter.get("date"), letter.get("date_from"), letter.get("date_to")
    if date:
        return {"when": str(date)}
    if not start and not end:
        return {}
    start, end = str(start or end), str(end or start)
    for partial in (start[:7], start[:4]):
        if first_day(partial) == start and last_day(partial) == end:
            return {"when": partial}
    return {"notBefore": start, "notAfter": end}


def build_cmif(
    letters: Iterable[Mapping[str, Any]],
    links: Links,
    home: str,
    title: str = "Letters archive: correspondence metadata",
    editor: str = "Letters archive",
    today: dt.date | None = None,
    licence: str | None = None,
    address: str | None = None,
) -> ET.ElementTree:
    """A CMIF document for letters given as metadata mappings (the index's stored records);
    each letter's ``ref`` comes from ``links``, the publisher's from ``home``; ``licence`` is
    the licence's address (default CC BY 4.0), ``address`` the file's own (CMIF's
    ``idno type="url"``; default: the archive's export of all letters)."""
    target = licence_url(licence)
    letters = list(letters)
    root = ET.Element(_tag("TEI"), xmlns=TEI_NS)
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", title)
    _sub(title_stmt, "editor", editor)
    publication = _sub(file_desc, "publicationStmt")
    publisher = _sub(publication, "publisher")
    _sub(publisher, "ref", editor, target=home or "/")
    _sub(publication, "idno", address or f"{home.rstrip('/')}/export.cmif.xml", type="url")
    _sub(publication, "date", when=(today or dt.date.today()).isoformat())
    availability = _sub(publication, "availability")
    words = KNOWN_LICENCES.get(target, target)
    _sub(
        availability, "licence", f"This file is licensed under the terms of {words}", target=target
    )
    source_desc = _sub(file_desc, "sourceDesc")
    bibl = _sub(source_desc, "bibl", editor, type="online")
    bibl.set(f"{{{XML_NS}}}id", SOURCE_ID)
    profile = _sub(header, "profileDesc")

    persons = {name for letter in letters for name in _names(letter.get("signatories"))}
    organisations = {
        name
        for letter in letters
        for name in _names(letter.get("senders"))
        if name not in _names(letter.get("signatories"))
    }
    for letter in letters:
        corresp = _sub(profile, "correspDesc", ref=links.letter(str(letter["id"])))
        corresp.set("source", f"#{SOURCE_ID}")
        sent = ET.Element("correspAction", type="sent")  # added when it holds something
        signers = set(_names(letter.get("signatories")))
        keys = letter.get("keys") or {}
        for name in _names(letter.get("senders")):
            _sub(
                sent, "persName" if name in signers else "orgName", name, **_ref(keys.get(name, ""))
            )
        if letter.get("place"):
            place = str(letter["place"])
            _sub(sent, "placeName", place, **_ref(keys.get(place, "")))
        dates = date_attributes(letter)
        if dates:
            _sub(sent, "date", **dates)
        if len(sent):
            corresp.append(sent)
        recipients = _names(letter.get("recipients"))
        if recipients or letter.get("destination"):
            received = _sub(corresp, "correspAction", type="received")
            for name in recipients:
                org = name in organisations and name not in persons
                tag = "orgName" if org else "persName"
                _sub(received, tag, name, **_ref(keys.get(name, "")))
            if letter.get("destination"):
                _sub(received, "placeName", str(letter["destination"]))
        if not len(corresp):  # CMIF wants some content: say that nothing is known
            _sub(corresp, "note", "Sender, addressee, place and date are not known.")
    text = _sub(root, "text")
    _sub(_sub(text, "body"), "p")
    ET.indent(root, space="  ")
    return ET.ElementTree(root)


def cmif_bytes(
    letters: Iterable[Mapping[str, Any]], links: Links, home: str, **options: Any
) -> bytes:
    """The CMIF document as UTF-8 XML with a declaration, TEI as the default namespace."""
    tree = build_cmif(letters, links, home, **options)
    root = tree.getroot()
    assert root is not None  # build_cmif always makes one
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def read_cmif(path: str | Path) -> list[dict[str, Any]]:
    """The letters of a CMIF file as metadata: id, url, senders, recipients, place and the
    date fields (``date`` for a single day; ``date_from``/``date_to`` always, as full days)."""
    path = Path(path)
    root = parse_xml(path)
    if root.tag != "TEI":
        raise LetterError(path, f"not a CMIF (TEI) document: the root element is <{root.tag}>")
    letters = []
    for corresp in root.iterfind("teiHeader/profileDesc/correspDesc"):
        ref = corresp.get("ref") or ""
        marker = ref.rfind("/letters/")
        letter: dict[str, Any] = {
            "id": unquote(ref[marker + len("/letters/") :]) if marker >= 0 else "",
            "url": ref,
            "senders": [],
            "recipients": [],
            "place": "",
            "date": None,
            "date_from": None,
            "date_to": None,
            "keys": {},
        }
        for action in corresp.findall("correspAction"):
            kind = action.get("type")
            for child in action:
                if key_of(child) and "".join(child.itertext()).strip():
                    name = " ".join("".join(child.itertext()).split())
                    letter["keys"].setdefault(name, key_of(child))
            names = [
                " ".join("".join(child.itertext()).split())
                for child in action
                if child.tag in ("persName", "orgName")
            ]
            if kind == "sent":
                letter["senders"].extend(n for n in names if n)
                place = action.find("placeName")
                if place is not None and not letter["place"]:
                    letter["place"] = " ".join("".join(place.itertext()).split())
                date = action.find("date")
                if date is not None:
                    letter.update(_read_date(path, date))
            elif kind == "received":
                letter["recipients"].extend(n for n in names if n)
        letters.append(letter)
    return letters


def _read_date(path: Path, element: ET.Element) -> dict[str, str | None]:
    when = element.get("when")
    if when:
        date = iso_date(when)
        if date is None:
            raise LetterError(path, f"date {when!r} is not an ISO date")
        return {
            "date": date if len(date) == 10 else None,
            "date_from": first_day(date),
            "date_to": last_day(date),
        }
    start = iso_date(element.get("notBefore") or element.get("from"))
    end = iso_date(element.get("notAfter") or element.get("to"))
    if not start and not end:
        return {}
    return {
        "date": None,
        "date_from": first_day(start or end or ""),
        "date_to": last_day(end or start or ""),
    }
