"""Turning what a person typed into a Whoosh query that never fails.

All terms must match (in any of the searched fields, with field boosts); quoted phrases, OR,
NOT, ``-term``, parentheses, ``field:term`` and ``term~`` work as in Whoosh's query language.
Plain multi-word queries also reward letters where the words stand together as a phrase.
Input the parser cannot handle falls back to plain terms, and the result says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.fields import Schema

from indexer.analysis import WORD_PATTERN
from indexer.schema import SEARCH_FIELDS

#: what people may type before a colon -> index field
FIELD_ALIASES = {
    "sender": ["from", "senders", "org"],
    "signatory": ["signed", "signatories", "by"],
    "recipient": ["to", "recipients"],
    "language": ["lang"],
    "title": ["subject"],
    "reference": ["ref"],
}
PHRASE_BOOST = 2.0
MAX_TERMS = 64
_OPERATOR_RE = re.compile(r'["():*?~^\[\]{}]|(^|\s)[-+]|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


@dataclass(frozen=True)
class ParsedQuery:
    query: query.Query | None  # None: empty query, list everything
    text: str
    fallback: bool = False  # the parser failed and plain terms were searched instead

    def explain(self) -> str:
        return str(self.query) if self.query is not None else "(all letters)"


def _parser(schema: Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(SEARCH_FIELDS), schema, fieldboosts=SEARCH_FIELDS, group=qparser.AndGroup
    )
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def parse_query(text: str, schema: Schema) -> ParsedQuery:
    """Parse a user query; never raises for any input string."""
    text = text.strip()
    if not text:
        return ParsedQuery(None, text)
    try:
        parsed = _parser(schema).parse(text)
        if _is_broken(parsed, text):
            raise ValueError("unparseable")
        fallback = False
    except Exception:
        parsed = _plain_terms(text, schema)
        fallback = True
    if parsed is None or parsed is query.NullQuery:
        return ParsedQuery(query.NullQuery, text, fallback)
    phrase = _phrase_bonus(text, schema)
    if phrase is not None:
        parsed = query.AndMaybe(parsed, phrase)
    return ParsedQuery(parsed, text, fallback)


def _is_broken(q: query.Query | None, text: str) -> bool:
    """Whoosh turns what it cannot parse into nothing; words in the text mean that was wrong."""
    return (q is None or q is query.NullQuery) and re.search(r"\w", text) is not None


def _plain_terms(text: str, schema: Schema) -> query.Query | None:
    words = re.findall(WORD_PATTERN, text)[:MAX_TERMS]
    if not words:
        return None
    escaped = " ".join(words)
    return qparser.MultifieldParser(
        list(SEARCH_FIELDS),
        schema,
        fieldboosts=SEARCH_FIELDS,
        group=qparser.AndGroup,
        plugins=[],
    ).parse(escaped)


def _phrase_bonus(text: str, schema: Schema) -> query.Query | None:
    """For plain words (no operators), a boosted phrase over title and body."""
    if _OPERATOR_RE.search(text):
        return None
    analyzer = schema["body"].analyzer
    words = [t.text for t in analyzer(text)]
    if len(words) < 2 or len(words) > MAX_TERMS:
        return None
    return query.Or([query.Phrase("body", words), query.Phrase("title", words)], boost=PHRASE_BOOST)
