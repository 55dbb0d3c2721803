"""Who wrote a TEI letter, to whom, where and when — from every common encoding.

- ``correspAction type="sent"`` / ``"received"``, each holding its persons and organisations;
- one ``correspAction`` holding both, told apart by ``persName/@type`` (or ``@role``):
  ``sender``/``author`` and ``addressee``/``recipient``;
- names that only point (``persName ref="#id"``) to a ``person`` or ``place`` elsewhere in the
  header (``particDesc``, ``settingDesc``);
- no ``correspDesc`` parties at all: ``particDesc`` persons with a sender or addressee role.

``@type`` on names is no standard TEI role, and editions use it differently: when the roles
come from it and the letter's title reads "A an/to/à B" the other way round, the title wins
(the notes say so). Roles from ``correspAction/@type`` are standard and kept as encoded.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from indexer.formats.xml_reader import XML_NS, text_of
from indexer.letters.text import fold_text

NAME_TAGS = ("persName", "orgName", "name", "rs")
SENT_ACTIONS = frozenset(["sent", "sending", "sender", "written"])
RECEIVED_ACTIONS = frozenset(["received", "receiving", "receiver", "addressed"])
SENDER_ROLES = frozenset(["sender", "author", "from", "writer", "sent"])
RECIPIENT_ROLES = frozenset(["addressee", "recipient", "receiver", "to", "received"])
_TITLE_ROLES = re.compile(
    r"^(?:(?:letter|brief|lettre|lettera|carta) (?:from|von|de|di) )?(?P<sender>.+?)"
    r" (?:an|to|à|a|al|aan|til|till) (?P<recipient>.+?)(?:,|$)",
    re.IGNORECASE,
)
_XML_ID = f"{{{XML_NS}}}id"


@dataclass
class Parties:
    """The correspondents ((kind, name), kind 'person' or 'org'), the sent action's elements."""

    senders: list[tuple[str, str]] = field(default_factory=list)
    recipients: list[tuple[str, str]] = field(default_factory=list)
    place: str = ""
    destination: str = ""  # the received action's place
    dates: list[ET.Element] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # name -> its @ref or @key


def identity_key(element: ET.Element | None) -> str:
    """A name's identity as the TEI gives it: ``@ref`` (an authority URI or a ``#id``; the
    first of several), else ``@key`` (one value, which may hold spaces)."""
    if element is None:
        return ""
    refs = (element.get("ref") or "").split()
    return refs[0] if refs else " ".join((element.get("key") or "").split())


def read_parties(header: ET.Element | None, title: str) -> Parties:
    """Senders, recipients, place and date elements of the letter the header describes."""
    parties = Parties()
    if header is None:
        return parties
    ids = {el.get(_XML_ID): el for el in header.iter() if el.get(_XML_ID)}
    corresp = header.find("profileDesc/correspDesc")
    if corresp is None:
        corresp = header.find(".//correspDesc")
    senders: dict[str, str] = {}
    recipients: dict[str, str] = {}
    typed = False  # a role came from a name's @type or @role
    for action in corresp.iter("correspAction") if corresp is not None else []:
        kind = (action.get("type") or "").lower()
        sent, received = kind in SENT_ACTIONS, kind in RECEIVED_ACTIONS
        for child in action:
            if child.tag in NAME_TAGS:
                role = (child.get("type") or child.get("role") or "").lower()
                name = text_of(child) or _pointed_name(child, ids)
                if not name:
                    continue
                typed = typed or role in SENDER_ROLES or role in RECIPIENT_ROLES
                if identity_key(child):
                    parties.keys.setdefault(name, identity_key(child))
                if role in SENDER_ROLES or (sent and role not in RECIPIENT_ROLES):
                    senders.setdefault(name, _kind(child, ids))
                elif role in RECIPIENT_ROLES or received:
                    recipients.setdefault(name, _kind(child, ids))
            elif sent and child.tag == "placeName" and not parties.place:
                parties.place = text_of(child) or _pointed_name(child, ids)
                if parties.place and identity_key(child):
                    parties.keys.setdefault(parties.place, identity_key(child))
            elif received and child.tag == "placeName" and not parties.destination:
                parties.destination = text_of(child) or _pointed_name(child, ids)
            elif sent and child.tag == "date":
                parties.dates.append(child)
    if not senders and not recipients:
        senders, recipients = _participants(header, parties.keys)
    parties.senders = [(kind, name) for name, kind in senders.items()]
    parties.recipients = [(kind, name) for name, kind in recipients.items()]
    if typed:
        _follow_title(parties, title)
    return parties


def _pointed_name(element: ET.Element, ids: dict[str | None, ET.Element]) -> str:
    """The name of the person, organisation or place a ``ref="#id"`` points to."""
    for ref in (element.get("ref") or element.get("sameAs") or "").split():
        target = ids.get(ref.lstrip("#")) if ref.startswith("#") else None
        if target is None:
            continue
        for tag in ("persName", "orgName", "placeName", "name"):
            name = text_of(target.find(tag))
            if name:
                return name
        return text_of(target)
    return ""


def _kind(element: ET.Element, ids: dict[str | None, ET.Element]) -> str:
    if element.tag == "persName" or element.get("type") == "person":
        return "person"
    if element.tag == "orgName":
        return "org"
    target = ids.get((element.get("ref") or "").lstrip("#"))
    return "person" if target is not None and target.tag in ("person", "persName") else "org"


def _participants(
    header: ET.Element, keys: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """``particDesc`` persons and organisations whose role makes them a sender or addressee
    (their keys, from the name or the person, go to ``keys``)."""
    senders: dict[str, str] = {}
    recipients: dict[str, str] = {}
    for element in header.iterfind("profileDesc/particDesc//*[@role]"):
        roles = set((element.get("role") or "").lower().split())
        named = [element.find(tag) for tag in ("persName", "orgName")]
        name = next((text_of(n) for n in named if n is not None), "") or text_of(element)
        kind = "org" if element.tag in ("org", "orgName") else "person"
        key = next((identity_key(n) for n in named if identity_key(n)), "")
        key = key or identity_key(element) or element.get("sameAs") or ""
        if name and key:
            keys.setdefault(name, key)
        if name and roles & SENDER_ROLES:
            senders.setdefault(name, kind)
        elif name and roles & RECIPIENT_ROLES:
            recipients.setdefault(name, kind)
    return senders, recipients


def title_roles(title: str) -> tuple[str, str] | None:
    """(sender, recipient) as a title such as "A an B, Ort, Datum" or "Letter from A to B"
    names them, if it does."""
    match = _TITLE_ROLES.match(title.strip())
    return (match.group("sender"), match.group("recipient")) if match else None


def same_name(name: str, text: str) -> bool:
    """Whether ``name`` and a part of a title name the same party (all words of one in the
    other, accents and case aside)."""
    words = {w for w in re.findall(r"\w+", fold_text(name)) if len(w) > 1}
    others = {w for w in re.findall(r"\w+", fold_text(text)) if len(w) > 1}
    return bool(words and others) and (words <= others or others <= words)


def _follow_title(parties: Parties, title: str) -> None:
    roles = title_roles(title)
    if roles is None:
        return
    sender, recipient = roles
    straight = any(same_name(n, sender) for _k, n in parties.senders) or any(
        same_name(n, recipient) for _k, n in parties.recipients
    )
    crossed = any(same_name(n, recipient) for _k, n in parties.senders) or any(
        same_name(n, sender) for _k, n in parties.recipients
    )
    if crossed and not straight:
        parties.senders, parties.recipients = parties.recipients, parties.senders
        parties.notes.append(
            "the TEI's sender and addressee contradict its title, so the title's are used"
        )
