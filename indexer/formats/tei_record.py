"""What a TEI header says about a letter beyond its correspondents: its subjects (``keywords``
and ``textClass`` terms), its neighbours in the correspondence (``correspContext``) and its
identity in the edition (``@xml:id``, the address an ``idno`` gives), so that another letter's
``correspContext`` can point to it and a record without text can link to the edition.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from indexer.formats.xml_reader import XML_NS, text_of

_XML_ID = f"{{{XML_NS}}}id"
_PREVIOUS = ("prev", "previous", "preceding")
_NEXT = ("next", "following", "subsequent")


def subjects(header: ET.Element | None) -> list[str]:
    """The terms of every ``keywords`` (``term``, or ``list/item``) and ``classCode`` in
    ``textClass``, in order, each once."""
    if header is None:
        return []
    found: list[str] = []
    for text_class in header.iter("textClass"):
        for keywords in text_class.iter("keywords"):
            found += [text_of(t) for t in keywords.iter() if t.tag in ("term", "item")]
        found += [text_of(code) for code in text_class.iter("classCode")]
    return list(dict.fromkeys(term for term in found if term))


def neighbours(corresp: ET.Element | None) -> tuple[str, str]:
    """(previous, next) letter as ``correspContext`` points to them: the ``@target`` (an id
    or an address) of the plain prev/next ``ref``, else of one in a narrower sequence
    ("previous-in-corresp")."""
    if corresp is None:
        return "", ""
    refs = [
        ((ref.get("type") or "").lower(), (ref.get("target") or "").split())
        for context in corresp.iter("correspContext")
        for ref in context.iter("ref")
    ]

    def pick(kinds: tuple[str, ...]) -> str:
        exact = [t[0] for kind, t in refs if t and kind in kinds]
        loose = [t[0] for kind, t in refs if t and kind.split("-")[0] in kinds]
        return (exact or loose or [""])[0]

    return pick(_PREVIOUS), pick(_NEXT)


def edition_id(root: ET.Element) -> str:
    """The letter's id in its edition: the TEI document's ``@xml:id``."""
    return (root.get(_XML_ID) or "").strip()


def edition_url(header: ET.Element | None) -> str:
    """The letter's address in its edition: the first web address among the ``idno`` of its
    publication statement, source and manuscript description."""
    if header is None:
        return ""
    for place in ("fileDesc/publicationStmt", "fileDesc/sourceDesc"):
        for element in header.iterfind(place):
            for idno in element.iter("idno"):
                text = text_of(idno)
                if text.startswith(("http://", "https://")):
                    return text
    return ""
