"""'Did you mean': each query word the index does not know, replaced by its closest spelling."""

from __future__ import annotations

import re

from whoosh.fields import Schema
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.engine.query import ParsedQuery
from indexer.engine.schema import FIELD_LANGUAGE
from indexer.letters.authority import Authorities
from indexer.letters.text import WORD_PATTERN, fold

SUGGEST_BELOW = 3  # offer a suggestion when fewer letters than this match
NAME_FIELDS = ("sender", "signatory", "recipient", "cc", "place", "reference")


def suggest(
    searcher: Searcher,
    parsed: ParsedQuery,
    total: int,
    authorities: Authorities | None = None,
) -> str | None:
    """Replace each word the index does not know by its closest known spelling: from the
    index's vocabulary, else from the names in the authority file."""
    if parsed.query is None or total >= SUGGEST_BELOW:
        return None
    reader = searcher.reader()
    corrector = searcher.corrector("body")
    changed, pieces, cursor = False, [], 0
    for match in re.finditer(WORD_PATTERN, parsed.text):
        word = match.group(0)
        pieces.append(parsed.text[cursor : match.start()])
        cursor = match.end()
        replacement = word
        if not _known(reader, searcher.schema, word) and not word.isupper():
            options = corrector.suggest(fold(word), limit=1, maxdist=2)
            if options:
                replacement, changed = _same_case(word, options[0]), True
            elif authorities and (name := authorities.closest_word(word)):
                replacement, changed = name, True
        pieces.append(replacement)
    pieces.append(parsed.text[cursor:])
    return "".join(pieces) if changed else None


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
