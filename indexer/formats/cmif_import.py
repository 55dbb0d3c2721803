"""``letters import`` of CMIF: each ``correspDesc`` of the file a record of one letter.

CMIF (correspSearch's Correspondence Metadata Interchange Format) lists letters by their
metadata only, each ``correspDesc`` pointing to the letter in its edition (``@ref``) and to the
edition's ``bibl`` (``@source``). A record becomes a corpus file without body text: senders
and recipients from the sent and received ``correspAction`` (with their ``@ref`` as identity
keys), place and date of sending, the edition's address as ``url``, and the edition's
bibliographic description in ``source``. Dates are read exactly as in a TEI letter
(:func:`indexer.formats.tei_dates.date_fields`): never more precise than the file says.

A TEI file is CMIF when a ``correspDesc`` carries ``@source`` (CMIF requires it), or when it
holds several ``correspDesc`` and no text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from indexer.formats.tei import ImportedLetter, date_value, describe, letter_id, summary_of
from indexer.formats.tei_dates import date_fields
from indexer.formats.tei_parties import NAME_TAGS
from indexer.formats.xml_reader import XML_NS, text_of

_XML_ID = f"{{{XML_NS}}}id"


def is_cmif(root: ET.Element) -> bool:
    """Whether a TEI document is a CMIF file rather than one letter."""
    corresps = root.findall("teiHeader/profileDesc/correspDesc")
    if any(c.get("source") for c in corresps):
        return True
    text = root.find("text")
    return len(corresps) > 1 and not (text is not None and text_of(text))


def key_of(element: ET.Element) -> str:
    """A name's ``@ref`` as its identity key. The archive writes a key that is no URI (such
    as "Heer Oswald") percent-encoded, as CMIF wants URIs; a relative one is read decoded."""
    refs = (element.get("ref") or element.get("key") or "").split()
    if not refs:
        return ""
    return refs[0] if "://" in refs[0] else unquote(refs[0])


def cmif_records(path: Path, root: ET.Element) -> list[tuple[dict[str, Any], list[str]]]:
    """(front-matter fields, notes on its date) of each letter the CMIF file lists."""
    bibls = {b.get(_XML_ID): text_of(b) for b in root.iter("bibl") if b.get(_XML_ID)}
    records = []
    for n, corresp in enumerate(root.iterfind("teiHeader/profileDesc/correspDesc"), 1):
        front: dict[str, Any] = {"senders": [], "signatories": [], "recipients": [], "keys": {}}
        notes: list[str] = []
        for action in corresp.iterfind("correspAction"):
            sent = (action.get("type") or "").lower() == "sent"
            if not sent and (action.get("type") or "").lower() != "received":
                continue
            _read_action(action, sent, front, notes)
        url = (corresp.get("ref") or "").split()
        edition = bibls.get((corresp.get("source") or "").lstrip("#"), "")
        where = url[0] if url else f"letter {n}"
        front["source"] = f"CMIF file {path.name}, {where}" + (f"; {edition}" if edition else "")
        if url:
            front["url"] = url[0]
        if corresp.get("key"):  # the letter's id in its edition, as correspContext names it
            front["edition_id"] = " ".join(corresp.get("key", "").split())
        records.append(({k: v for k, v in front.items() if v}, notes))
    return records


def _read_action(action: ET.Element, sent: bool, front: dict[str, Any], notes: list[str]) -> None:
    for child in action:
        name = text_of(child)
        if child.tag in NAME_TAGS and name:
            if key_of(child):
                front["keys"].setdefault(name, key_of(child))
            if not sent:
                front["recipients"].append({"name": name})
                continue
            front["senders"].append(name)
            if child.tag == "persName":
                front["signatories"].append({"name": name})
        elif sent and child.tag == "placeName" and name and "place" not in front:
            front["place"] = name
            if key_of(child):
                front["keys"].setdefault(name, key_of(child))
        elif sent and child.tag == "date" and not any(k in front for k in ("date", "date_from")):
            dates, problems = date_fields(child)
            front.update({name: date_value(value) for name, value in dates.items()})
            notes += problems


def read_cmif_letters(path: Path, root: ET.Element) -> list[ImportedLetter]:
    """Each letter a CMIF file lists, as a record without body text for the corpus."""
    letters = []
    for fields, problems in cmif_records(path, root):
        senders = [("person", name) for name in fields.get("senders", ())]
        recipients = [("person", p["name"]) for p in fields.get("recipients", ())]
        dates: dict[str, str] = {
            k: str(fields[k]) for k in ("date", "date_from", "date_to") if k in fields
        }
        place = str(fields.get("place", ""))
        front: dict[str, Any] = {
            "title": describe(senders, recipients, place, dates) or f"Letter in {path.name}",
            "type": "letter",
            **fields,
            "summary": summary_of(senders, recipients, dates),
        }
        notes = (
            f"Imported from the CMIF file {path.name} with 'letters import': a record of the "
            "letter's metadata; its text is in the edition the source names."
        )
        if problems:
            notes += " " + "; ".join(p[:1].upper() + p[1:] for p in problems) + "."
        front["notes"] = notes
        front["id"] = letter_id(front, path)
        missing = [n for n in ("date", "place", "senders", "recipients") if not front.get(n)]
        if "date_from" in front and "date" in missing:
            missing.remove("date")
        letters.append(ImportedLetter(front=front, body="", missing=missing))
    return letters
