"""How the numbers of a reference are written: the words of a text with the punctuation
between them, number lists ("Nos. 87, 98 and 144", "№ 87 и № 98"), codes (C87, C-98) and the
parts of an article ("402(1)", "paragraph 1", "ч. 1") — the grammar under
:mod:`indexer.letters.mentions`, whose heads, codes and laws come from the authority file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from indexer.letters.text import fold

#: words between a head and its numbers, or before each number: "Nos. 87", "Nr. 87"
MARKERS = frozenset({"no", "nos", "nr", "nrn", "number", "numbers", "nummer", "nummern"})
#: words joining the numbers of a list: "87 and 98", "87 и 98", "87 және 98", "87 jáne 98"
CONNECTORS = frozenset(
    {"and", "und", "et", "or", "oder", "ou", "и", "или", "либо"}
    | {"және", "мен", "бен", "пен", "немесе", "jane"}
)
#: words between a head and its issuer or a reference and its law: "Conventions of the ILO"
FILLERS = frozenset({"of", "the", "des", "der", "dem", "den", "du", "de", "la"})
#: parts of an article between it and its law: "Article 402, paragraph 1, of the Criminal Code"
SUBDIVISIONS = frozenset(
    {"paragraph", "paragraphs", "para", "part", "clause", "item", "subparagraph", "point"}
    | {"пункт", "пункта", "пункте", "часть", "части", "ч", "п", "пп", "подпункт", "подпункта"}
    | {"absatz", "abs", "ziffer", "satz", "тармақ", "тармағы", "бөлік", "бөлігі", "тармакша"}
)
POSSESSIVE = frozenset({"s"})  # "the Criminal Code's Article 402"
_LIST_PUNCTUATION = frozenset(",;/&")
_GAP_OK = frozenset(".,;:/&()[]№#§-")
SENTENCE_END = frozenset(".!?;")
NUMBER = re.compile(r"0*([0-9]{1,4})")
_WORD = re.compile(r"\w+")
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+")


class Token(NamedTuple):
    word: str  # folded
    gap: str  # the punctuation between the previous word and this one, without spaces
    start: int
    end: int
    capitals: bool = False  # written in capitals, as an acronym is (ILO, not Iao)


def tokenize(text: str) -> list[Token]:
    """Folded words with the punctuation before each: a list's commas and a "№" count.

    Addresses are no words here: head-cfa.harvard.edu names no ILO committee.
    """
    out: list[Token] = []
    previous = 0
    for m in _WORD.finditer(_ADDRESS.sub(lambda a: " " * len(a.group()), text)):
        gap = text[previous : m.start()]
        gap = "" if not gap or gap.isspace() else "".join(gap.split())
        word = m.group()
        out.append(Token(fold(word), gap, m.start(), m.end(), is_capitals(word)))
        previous = m.end()
    return out


def is_capitals(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def ends_sentence(tokens: Sequence[Token], j: int) -> bool:
    """A sentence ends before token ``j`` (not at the dot of "para. 1", "ч. 1")."""
    gap = set(tokens[j].gap)
    if "." in gap and j > 0 and tokens[j - 1].word in SUBDIVISIONS:
        gap.discard(".")
    return bool(SENTENCE_END & gap)


def within_article(token: Token) -> bool:
    """A word between an article and its law: "402(1)(a) of the", "402, paragraph 1, of"."""
    return (
        token.word in FILLERS
        or token.word in SUBDIVISIONS
        or NUMBER.fullmatch(token.word) is not None
        or (len(token.word) == 1 and "(" in token.gap)
    )


def code_number(word: str, codes: Sequence[str]) -> int | None:
    """The number of a code such as C87 or C098."""
    for code in codes:
        if word.startswith(code) and (m := NUMBER.fullmatch(word[len(code) :])):
            return int(m.group(1))
    return None


def spaced_code(tokens: Sequence[Token], i: int, codes: Sequence[str]) -> bool:
    """A code written apart from its number: "C-98" (not "C 29", a row of a table)."""
    return (
        i + 1 < len(tokens)
        and tokens[i].word in codes
        and tokens[i + 1].gap == "-"
        and NUMBER.fullmatch(tokens[i + 1].word) is not None
    )


def _number(token: Token, codes: Sequence[str]) -> int | None:
    if not set(token.gap) <= _GAP_OK:
        return None
    m = NUMBER.fullmatch(token.word)
    return int(m.group(1)) if m else code_number(token.word, codes)


def number_list(
    tokens: Sequence[Token], k: int, codes: Sequence[str] = ()
) -> tuple[list[int], int]:
    """The numbers of a list starting at ``k`` ("Nos. 87, 98 and 144") and where it ends."""
    numbers: list[int] = []
    end = j = k
    while j < len(tokens):
        m = j + 1 if tokens[j].word in MARKERS else j
        if spaced_code(tokens, m, codes):
            m += 1  # "C-98"
        number = _number(tokens[m], codes) if m < len(tokens) else None
        if number is None:
            break
        numbers.append(number)
        end = j = m + 1
        if j < len(tokens) and tokens[j].word in CONNECTORS and set(tokens[j].gap) <= _GAP_OK:
            j += 1
        elif j >= len(tokens) or not _LIST_PUNCTUATION & set(tokens[j].gap):
            break
    return numbers, end
