"""Text analysis shared by indexing, querying and snippet highlighting.

One definition of a "word" for all three, so that what the index matched is what the snippet
marks. Folding removes case, accents (also letters that do not decompose, such as ø or ß) and
typographic quotes; English stemming makes strike/strikes/striking one term.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import (
    Filter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.lang.porter import stem as porter_stem

#: Letters that Unicode does not decompose into base letter + accent.
_SPECIAL_FOLDS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ё": "е",
        "Ё": "е",
        "‘": "'",
        "’": "'",
        "‛": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
    }
)

#: A word: letters/digits, optionally joined by an apostrophe ("worker's" stays one token).
WORD_PATTERN = r"\w+(?:['’]\w+)*"


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Case-fold and strip accents so Høie, HOIE and hoie compare equal."""
    text = text.translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


class FoldFilter(Filter):
    """Whoosh filter applying :func:`fold`, and dropping an English possessive 's."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = fold(token.text)
            if text.endswith("'s"):
                text = text[:-2]
            token.text = text.replace("'", "")
            yield token


def text_analyzer():  # type: ignore[no-untyped-def]
    """Analyzer for prose fields: words, folded, English stop words removed, stemmed."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | FoldFilter()
        | StopFilter(minsize=1)
        | StemFilter(stemfn=porter_stem, cachesize=100_000)
    )


def name_analyzer():  # type: ignore[no-untyped-def]
    """Analyzer for names and identifiers: folded words, no stemming.

    Stop words go here too, so that "right to strike" does not require "to" in a name field.
    """
    return RegexTokenizer(WORD_PATTERN) | FoldFilter() | StopFilter(minsize=1)


def facet_analyzer():  # type: ignore[no-untyped-def]
    """Analyzer for facet fields: each line is one exact value (values may contain spaces)."""
    return RegexTokenizer(r"[^\n]+")
