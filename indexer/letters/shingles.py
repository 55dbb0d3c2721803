"""Word shingles of a passage, for finding the same paragraph in other letters.

Joint letters, petitions and press releases quote one another: the same paragraph recurs,
sometimes with a word changed, or a press release quotes two sentences of a letter. A passage is
compared as the set of its overlapping runs of :data:`SHINGLE_WORDS` words (case and punctuation
ignored); two passages share text by how much of the shorter one's runs the
longer one holds (the overlap coefficient), so a quotation counts as fully as a copy. Short
passages (a salutation, "Yours sincerely") have too few words to say anything and get none.
"""

from __future__ import annotations

import re

SHINGLE_WORDS = 3
MIN_WORDS = 12  # shorter passages are greetings, dates and signatures, not shared text
_WORD = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    """A text's words as shingles see them: case-folded, punctuation dropped, accents kept
    (cheap, and rarely all that differs)."""
    return _WORD.findall(text.casefold())


def shingles(text: str) -> frozenset[str]:
    """The passage's word ``SHINGLE_WORDS``-grams, case-folded; none below ``MIN_WORDS`` words."""
    words = words_of(text)
    if len(words) < MIN_WORDS:
        return frozenset()
    return frozenset(
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared shingles over the shingles of the shorter passage (0 when either has none)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
