"""Reading a Word letter (``.docx``) with :mod:`docx` (python-docx).

The body is the document's paragraphs (Word headings as Markdown headings, line breaks inside a
paragraph kept), then the text of its tables, row by row. The core properties help where the
text is silent: the title, the author (as sender, when the text names none) and the creation
date (when the text has no date).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from indexer.formats.converted import Converted, paragraphs_to_body
from indexer.letters.letter import LetterError, read_bytes

_HEADING = re.compile(r"(?i)^heading\s*([1-6])$")


def read_docx(path: str | Path) -> Converted:
    """Read a .docx letter; raises LetterError (naming the file) when that is impossible."""
    import docx

    path = Path(path)
    data = read_bytes(path)
    if not data.startswith(b"PK"):
        raise LetterError(path, "not a .docx file (not a ZIP package; an old .doc? save as .docx)")
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [_paragraph(p) for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                paragraphs.append(" | ".join(dict.fromkeys(c for c in cells if c)))
        core = document.core_properties
        title, author, created = core.title, core.author, core.created
    except Exception as exc:  # python-docx/lxml/zipfile raise many kinds for a damaged file
        raise LetterError(
            path, f"not a readable .docx file ({type(exc).__name__}: {exc})"
        ) from None
    body = paragraphs_to_body(paragraphs)
    if not body:
        raise LetterError(path, "the document has no text to import")
    meta: dict[str, Any] = {}
    fallback: dict[str, Any] = {}
    title = " ".join((title or "").split())
    if title:
        meta["title"] = title
    author = " ".join((author or "").split())
    if author and author.lower() != "python-docx":
        fallback["senders"] = [author]
    if created is not None:
        fallback["date"] = created.date().isoformat()
    return Converted(
        body=body,
        kind="Word document",
        name=title or path.stem,
        meta=meta,
        fallback=fallback,
        source=f"Imported from the Word document {path.name}",
        notes=[
            "the document's paragraphs (and table rows) as Markdown paragraphs; the author "
            "and creation date of the file are used only where the text names no sender or "
            "date"
        ],
    )


def _paragraph(paragraph: Any) -> str:
    text = paragraph.text.replace("\r", "\n").replace("\t", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    style = getattr(getattr(paragraph, "style", None), "name", "") or ""
    match = _HEADING.match(style)
    if match or style.lower() == "title":
        return "#" * (int(match.group(1)) if match else 1) + " " + " ".join(lines)
    return "  \n".join(lines)
