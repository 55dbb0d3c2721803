"""A letter converted from another file format, before metadata extraction and writing.

The format readers (:mod:`indexer.formats.email_letters`, :mod:`~indexer.formats.html_letters`,
:mod:`~indexer.formats.pdf_letters`, :mod:`~indexer.formats.docx_letters`) turn a file into a
:class:`Converted`: the Markdown body, the metadata the format itself carries (e-mail headers,
document properties) and how to recognise the same letter when it is imported again. The
importer then runs :func:`indexer.letters.extract.extract_metadata` on the body for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_BLANK = re.compile(r"\n[ \t]*\n")


@dataclass
class Converted:
    """One letter read from a file of another format."""

    body: str  # Markdown, paragraphs separated by blank lines
    kind: str  # what the file was, for the notes: "e-mail", "HTML file", "PDF", …
    name: str  # the basis for the new id (a subject, a title or the file's stem)
    meta: dict[str, Any] = field(default_factory=dict)  # the format's own metadata: wins
    fallback: dict[str, Any] = field(default_factory=dict)  # used if the text does not say
    source: str = ""  # the front matter's ``source``
    identity: str | None = None  # a stable ``source`` that recognises a second import
    notes: list[str] = field(default_factory=list)  # what the conversion did, for the reviewer


def paragraphs_to_body(paragraphs: list[str]) -> str:
    """Markdown body from paragraphs: whitespace tidied, empty ones dropped."""
    cleaned = []
    for paragraph in paragraphs:
        lines = [
            " ".join(line.split()) + ("  " if line.endswith("  ") else "")
            for line in paragraph.split("\n")
        ]
        lines = [line for line in lines if line.strip()]
        if lines:
            lines[-1] = lines[-1].rstrip()
            cleaned.append("\n".join(lines))
    return "\n\n".join(cleaned) + "\n" if cleaned else ""


def text_to_paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs at blank lines (line breaks inside are kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n\n")
    return [p for p in _BLANK.split(text) if p.strip()]
