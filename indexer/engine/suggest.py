"""'Did you mean': each query word the index does not know, replaced by its closest spelling.

Cheap by construction: at most ``MAX_WORDS`` unknown words are looked up, each among the
spellings of the body that share its first letter, one edit away before two, and at most
``MAX_CANDIDATES`` of them; every step draws on the search's budget, and a suggestion not
finished in time is left out.
"""

from __future__ import annotations

import re

from whoosh.fields import Schema
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.engine.budget import Budget
from indexer.engine.expansion import Expander
from indexer.engine.query import MAX_EDITS, ParsedQuery
from indexer.engine.schema import FIELD_LANGUAGE
from indexer.letters.authority import Authorities
from indexer.letters.text import WORD_PATTERN, fold

SUGGEST_BELOW = 3  # offer a suggestion when fewer letters than this match
NAME_FIELDS = ("sender", "signatory", "recipient", "cc", "place", "reference")
SPELLING_FIELD = "body"  # whose words (as written, before stemming) make the suggestions
MAX_WORDS = 10  # unknown words of one query looked up; later ones stay as typed
MAX_CANDIDATES = 50  # spellings compared for one word at one edit distance


def suggest(
    searcher: Searcher,
    parsed: ParsedQuery,
    total: int,
    authorities: Authorities | None,
    budget: Budget,
) -> str | None:
    """Replace each word the index does not know by its closest known spelling: from the
    index's vocabulary, else from the names in the authority file. None when nothing
    changed or the budget ran out first."""
    if parsed.query is None or total >= SUGGEST_BELOW or budget.spent():
        return None
    reader = searcher.reader()
    expander = Expander(reader, budget)
    changed, pieces, cursor, looked_up = False, [], 0, 0
    for match in re.finditer(WORD_PATTERN, parsed.text):
        if budget.spent():
            return None
        word = match.group(0)
        pieces.append(parsed.text[cursor : match.start()])
        cursor = match.end()
        replacement = word
        unknown = looked_up < MAX_WORDS and not word.isupper()
        if unknown and not _known(reader, searcher.schema, word):
            looked_up += 1
            if spelling := _closest(expander, fold(word)):
                replacement, changed = _same_case(word, spelling), True
            elif authorities and (name := authorities.closest_word(word)):
                replacement, changed = name, True
        pieces.append(replacement)
    pieces.append(parsed.text[cursor:])
    return "".join(pieces) if changed and not budget.spent() else None


def _closest(expander: Expander, word: str) -> str | None:
    """The most frequent spelling one edit from ``word``, else two edits (same first letter)."""
    field = expander.reader.schema[SPELLING_FIELD].spelling_fieldname(SPELLING_FIELD)
    for distance in range(1, MAX_EDITS + 1):
        candidates = []
        for spelling in expander.within(field, word, distance, prefix=1):
            if spelling != word:
                candidates.append((-expander.reader.frequency(field, spelling), spelling))
            if len(candidates) >= MAX_CANDIDATES:
                break
        if candidates:
            return min(candidates)[1]
    return None


def _same_case(original: str, suggestion: str) -> str:
    if original.isupper():
        return suggestion.upper()
    return suggestion[:1].upper() + suggestion[1:] if original[:1].isupper() else suggestion


def _known(reader: IndexReader, schema: Schema, word: str) -> bool:
    """Whether any field of the index has this word (stemmed, folded or transliterated)."""
    if len(word) < 4 or word.isdigit():
        return True
    for field in (*FIELD_LANGUAGE, *NAME_FIELDS, "translit"):
        terms = [t.text for t in schema[field].analyzer(word, mode="query")]
        if not terms or any((field, term) in reader for term in terms):
            return True
    return False
