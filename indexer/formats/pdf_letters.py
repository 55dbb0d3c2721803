"""Reading a PDF letter's text layer (``.pdf``) with :mod:`pypdf`.

The text of each page is taken in order and split into paragraphs at blank lines; a page break
ends a paragraph. A PDF without a text layer (a scanned image) cannot be imported: it needs
OCR first.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from indexer.formats.converted import Converted, paragraphs_to_body, text_to_paragraphs
from indexer.letters.letter import LetterError, read_bytes


def read_pdf(path: str | Path) -> Converted:
    """Read a PDF's text; raises LetterError (naming the file) when that is impossible."""
    from pypdf import PdfReader

    path = Path(path)
    data = read_bytes(path)
    if not data.lstrip()[:5] == b"%PDF-":
        raise LetterError(path, "not a PDF file (it does not start with %PDF-)")
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # pypdf logs every repaired xref offset: noise, not news
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LetterError(path, "the PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = ""
        if reader.metadata is not None:
            title = " ".join(str(reader.metadata.title or "").split())
    except LetterError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors for a damaged file
        raise LetterError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    finally:
        quiet.setLevel(level)
    paragraphs = [p for text in pages for p in text_to_paragraphs(text)]
    body = paragraphs_to_body(paragraphs)
    if not body:
        raise LetterError(path, "no text layer (scanned image?): run OCR on it first")
    return Converted(
        body=body,
        kind="PDF",
        name=path.stem,
        fallback={"title": title} if title else {},
        source=f"Imported from the PDF {path.name}",
        notes=[
            f"the text layer of {len(pages)} page(s), split into paragraphs at blank lines; "
            "check line breaks and hyphenation against the PDF"
        ],
    )
