"""Reading XML letters safely: entity declarations refused, TEI namespaces dropped."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.parsers.expat import ExpatError, ParserCreate, errors

from indexer.letters.letter import LetterError, read_bytes

TEI_NS = "http://www.tei-c.org/ns/1.0"


XML_NS = "http://www.w3.org/XML/1998/namespace"


#: An entity reference left in parsed text: the file escaped its text twice (``&amp;amp;``, as
#: some editions export names), so a reader would see "Blake &amp; Kenny".
_DOUBLE_ESCAPED = re.compile(r"&(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


def _once_escaped(text: str) -> str:
    """Text as written: a twice-escaped entity reference read as its character."""
    if "&" not in text:
        return text
    return _DOUBLE_ESCAPED.sub(lambda m: html.unescape(m.group(0)), text)


class _Refused(Exception):
    """Raised from inside the XML parser for input we do not parse (entity declarations)."""


def parse_xml(path: str | Path) -> ET.Element:
    """Parse an XML file safely; any problem becomes a LetterError naming the file.

    TEI-namespace tags lose their namespace (``{…tei…}persName`` becomes ``persName``), so TEI
    with and without the namespace read the same.
    """
    path = Path(path)
    data = read_bytes(path)
    try:
        root = _parse_bytes(data)
    except _Refused as exc:
        raise LetterError(path, str(exc)) from None
    except ExpatError as exc:
        reason = errors.messages.get(exc.code, "syntax error") if exc.code else "syntax error"
        raise LetterError(
            path, f"not well-formed XML ({reason}) at line {exc.lineno}, column {exc.offset + 1}"
        ) from None
    prefix = f"{{{TEI_NS}}}"
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(prefix):
            element.tag = element.tag[len(prefix) :]
    return root


def _parse_bytes(data: bytes) -> ET.Element:
    """Expat into an ElementTree, refusing entity declarations and external entities."""
    builder = ET.TreeBuilder()
    parser = ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def name(raw: str) -> str:
        return "{" + raw if "}" in raw else raw

    def refuse_entities(*_args: object) -> None:
        raise _Refused(
            "the DOCTYPE declares entities, which are not accepted (risk of entity "
            "expansion attacks); remove the declarations"
        )

    def refuse_external(*_args: object) -> int:
        raise _Refused("the document refers to an external entity, which is not accepted")

    parser.StartElementHandler = lambda tag, attrs: builder.start(
        name(tag), {name(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = lambda data: builder.data(_once_escaped(data))
    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_external
    parser.Parse(data, True)
    return builder.close()


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def text_of(element: ET.Element | None) -> str:
    """The element's text content with whitespace normalised ('' for None)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def first_text(root: ET.Element | None, *paths: str) -> str:
    if root is None:
        return ""
    for path in paths:
        for element in root.iterfind(path):
            text = text_of(element)
            if text:
                return text
    return ""
