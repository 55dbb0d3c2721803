"""Words that are stop words in some languages only: German "und", "war", "die".

Each prose field drops its language's stop words, so such a word is searched only in the
fields of the other languages: "und" alone would find no German letter, and "und Gotthard"
only the German letters whose names or summary say "und". So a plain word of this kind is
also searched as written (``(und OR "und")``: the exact twins keep every word), which finds
the letters of every language that write it; a word that every language drops ("the") is
left to the query's stop-word rules.
"""

from __future__ import annotations

import re

from whoosh.fields import Schema

from indexer.engine.schema import FIELD_LANGUAGE

#: a bare word: not in a field's name or value, not a prefix, wildcard, fuzzy or boosted term
_BARE = re.compile(r"(?<![\w:'’*?~^.\-/])\w+(?![\w:'’*?~^.\-/])")
_QUOTED = re.compile(r'("[^"]*"?)')
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO"})


def also_as_written(text: str, schema: Schema) -> str:
    """The query text with each bare word that only some languages drop also searched as
    written; quoted phrases, fields and operators stay as typed."""
    pieces = _QUOTED.split(text)
    known: dict[str, str] = {}  # each word looked at once

    def rewritten(match: re.Match[str]) -> str:
        word = match.group(0)
        if word not in known:
            plain = word in OPERATORS or not stop_word_somewhere(word, schema)
            known[word] = word if plain else f'({word} OR "{word}")'
        return known[word]

    for i in range(0, len(pieces), 2):  # the parts outside quotes
        pieces[i] = _BARE.sub(rewritten, pieces[i])
    return "".join(pieces)


def stop_word_somewhere(word: str, schema: Schema) -> bool:
    """Whether some prose fields drop the word and others keep it."""
    kept = [bool(list(schema[f].analyzer(word, mode="query"))) for f in FIELD_LANGUAGE]
    return any(kept) and not all(kept)
