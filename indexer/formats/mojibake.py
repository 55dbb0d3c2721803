"""Mojibake: UTF-8 text that was once decoded as Windows-1252 or Latin-1 (``â€“`` for ``–``).

Editions that passed through such a conversion carry it into their files; ftfy recognises the
telltale sequences and undoes the wrong decoding, leaving correct text (curly quotes, accents,
ligatures) as it is. Import repairs it and says so in the letter's notes; ``letters check``
warns about what remains in corpus files.
"""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad

MOJIBAKE_NOTE = (
    "Mojibake (UTF-8 text decoded with the wrong encoding, such as 'â€“') repaired with ftfy."
)

_WORDS = re.compile(r"\S+")


def has_mojibake(text: str) -> bool:
    """Whether the text shows sequences that are almost only ever mojibake."""
    return bool(text) and is_bad(text)


def repair_mojibake(text: str) -> tuple[str, bool]:
    """The text with mojibake undone (only the encoding is fixed) and whether anything changed."""
    if not has_mojibake(text):
        return text, False
    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


def mojibake_samples(text: str, limit: int = 3) -> list[str]:
    """A few words of the text that look like mojibake, to show in a warning."""
    found: list[str] = []
    for word in _WORDS.findall(text):
        if is_bad(word) and word not in found:
            found.append(word)
            if len(found) >= limit:
                break
    return found
