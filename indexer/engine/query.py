"""Turning what a person typed into a Whoosh query that never fails.

All terms must match (in any of the searched fields, with field boosts); OR, NOT, ``-term``,
parentheses, ``field:term`` and ``term~`` work as in Whoosh's query language (operators only
in capitals: a lowercase "or" is a word), quoted phrases as :mod:`indexer.engine.phrases` says.
Plain multi-word queries also reward letters where the words stand together as a phrase.
A name with a particle (O'Brien, de Valera) is the whole name or the name without it.
Stop words are ignored beside other words; a query of stop words only ("to be or not to be")
searches them as written. A name before a colon that is no field only ranks
(:mod:`indexer.engine.fieldnames`), and the result names it. Input the parser rejects falls
back to plain terms, and the result says so.

Several of Whoosh's plugins fail on odd input with errors that are not parser errors (a ``~``
after nothing, a ``<`` first in a group or inside parentheses, ``NOT`` or ``ANDNOT`` without
an operand, a stored-only field such as ``doc:``); they are replaced here by versions without
those bugs, so that only :class:`QueryParserError` means "cannot parse".
Fuzzy terms are bounded (at most ``MAX_EDITS`` edits, words of at most ``MAX_FUZZY_CHARS``),
because the cost of finding their matches grows steeply with both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.fields import Schema
from whoosh.qparser.common import QueryParserError

from indexer.engine.concepts import ConceptTerms, expand, without_exact
from indexer.engine.fieldnames import FieldsPlugin, take_details, written_as
from indexer.engine.parser_plugins import FuzzyTermPlugin, GtLtPlugin, operators_plugin
from indexer.engine.particles import NameCores, join_spaced
from indexer.engine.phrases import EXACT_SEARCH_FIELDS, Near, PhrasePlugin, straight_quotes
from indexer.engine.schema import (
    EXACT_FIELDS,
    FIELD_LANGUAGE,
    SEARCH_FIELDS,
    Present,
    date_number,
    searched_fields,
)
from indexer.engine.stopwords import also_as_written
from indexer.letters.authority import Authorities
from indexer.letters.dates import first_day, last_day
from indexer.letters.text import PLAIN_WORD, WORD_PATTERN, translit_key
from indexer.request import MAX_QUERY_CHARS, parse_date_param

#: what people may type before a colon -> index field
FIELD_ALIASES = {
    "sender": ["from", "senders", "org"],
    "signatory": ["signed", "signatories", "by"],
    "recipient": ["to", "recipients"],
    "language": ["lang"],
    "subject": ["subjects", "keyword", "keywords", "topic"],
    "reference": ["ref"],
}
#: the fields people may name, as the help lists them
QUERY_FIELDS = (
    *("sender", "signatory", "recipient", "cc", "title", "place", "destination"),
    *("reference", "summary", "subject"),
    *("body", "type", "language", "mention", "date"),
)
PHRASE_BOOST = 1.0  # times the field's own boost
PHRASE_NAME_FIELDS = ("sender", "signatory", "recipient")
NAME_FUZZ_SHARE = 0.5  # of the exact key's boost
MAX_TERMS = 64
MAX_EDITS = 2  # a larger edit distance (``~9``) is searched as this one
MAX_FUZZY_CHARS = 40  # a longer word with ``~`` is searched exactly
_MINUS_RE = re.compile(r'(^|[\s(])-(?=[\w"(])')
_DATE_RE = re.compile(r"\bdate:(\d{4}(?:-\d{1,2}){0,2})(?:\.\.(\d{4}(?:-\d{1,2}){0,2}))?")
_OPERATOR_RE = re.compile(r'["():*?~^\[\]{}]|(^|\s)[-+]|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


@dataclass(frozen=True)
class ParsedQuery:
    query: query.Query | None  # None: empty query, list everything
    text: str
    fallback: bool = False  # the parser failed and plain terms were searched instead
    unknown_fields: tuple[str, ...] = ()  # ``name:`` typed for no field: a word that ranks
    also_searched: tuple[str, ...] = ()  # terms the concept thesaurus added

    def explain(self) -> str:
        return str(self.query) if self.query is not None else "(all letters)"

    def notes(self) -> list[str]:
        """What a person should know about how the query was read."""
        if not self.unknown_fields:
            return []
        typed = ", ".join(f"{name}:" for name in self.unknown_fields)
        verb = "is not a field" if len(self.unknown_fields) == 1 else "are not fields"
        fields = ", ".join(
            f"{f}: (also {', '.join(a + ':' for a in FIELD_ALIASES[f])})" if f in FIELD_ALIASES
            else f"{f}:"
            for f in QUERY_FIELDS
        )  # fmt: skip
        return [
            f"{typed} {verb}: the words after it were searched in every field, and letters "
            f"that also hold {typed.replace(':', '')} come first. The fields are {fields}."
        ]


def query_parser(schema: Schema, present: Present = None) -> qparser.QueryParser:
    """The project's Whoosh parser of what people type, over the searched (stemmed) fields:
    AND of the words, field aliases, fuzzy terms (at most two edits), comparisons."""
    return _fields_parser(schema, exact=False, present=present)


def _exact_parser(schema: Schema) -> qparser.QueryParser:
    """The parser of a query of stop words only, over the exact twins of the searched fields
    (``title:the`` then means the exact title)."""
    return _fields_parser(schema, exact=True)


def _fields_parser(schema: Schema, exact: bool, present: Present = None) -> qparser.QueryParser:
    fields = EXACT_SEARCH_FIELDS if exact else searched_fields(present)
    parser = qparser.MultifieldParser(
        list(fields), schema, fieldboosts=fields, group=qparser.AndGroup
    )
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(FieldsPlugin())
    parser.replace_plugin(operators_plugin())
    parser.remove_plugin_class(qparser.PhrasePlugin)
    parser.add_plugin(PhrasePlugin())
    aliases = FIELD_ALIASES
    if exact:
        aliases = {f: a for f, a in FIELD_ALIASES.items() if f not in EXACT_FIELDS}
        for field, twin in EXACT_FIELDS.items():
            aliases.setdefault(twin, []).extend([field, *FIELD_ALIASES.get(field, [])])
    parser.add_plugin(qparser.FieldAliasPlugin(aliases))
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


def parse_query(
    text: str,
    schema: Schema,
    authorities: Authorities | None = None,
    concepts: ConceptTerms | None = None,
    present: Present = None,
) -> ParsedQuery:
    """Parse a user query (``concepts``: engine/concepts.py; ``present``: the prose fields to
    search); never raises for any input string."""
    text = text.strip()[:MAX_QUERY_CHARS]
    rest, dates = _take_dates(straight_quotes(text))
    rest, details = take_details(rest)
    if not rest.strip() and not dates and not details:
        return ParsedQuery(None, text)
    rewritten = _MINUS_RE.sub(r"\1NOT ", rest)
    if authorities:
        rewritten = authorities.expand_query(rewritten)
    expansion = expand(join_spaced(rewritten), concepts)
    rewritten, rest = also_as_written(expansion.text, schema), without_exact(rest)
    fallback, exact = False, False
    unknown: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    parsed: query.Query | None = None
    ranking = written_as(details, EXACT_SEARCH_FIELDS, schema)  # addresses, times: they rank
    if rest.strip():
        parsed, exact, unknown = _syntax(rewritten, rest, schema, present)
        parsed, also = expansion.attach(
            parsed, lambda terms: query_parser(schema, present).parse(terms)
        )
        if parsed is None:
            parsed, exact = _plain_terms(rest, schema, present)
            fallback = True
        if parsed is None or parsed is query.NullQuery:
            return ParsedQuery(query.NullQuery, text, fallback, unknown)
        parsed = parsed.accept(lambda node: _bounded(node, schema))
        cores = NameCores(rest, schema)
        parsed = parsed.accept(cores)
        words = [*re.findall(PLAIN_WORD, join_spaced(rest)), *cores.cores()]
        names = {translit_key(w) for w in words if w[:1].isupper()}
        parsed = parsed.accept(lambda node: _loosen_names(node, names))
        phrase = _phrase_bonus(rest, schema, exact, present)
        if phrase is not None:
            parsed = query.AndMaybe(parsed, phrase)
        ranking += _names(unknown, schema)
    elif details and not dates:  # only addresses or times typed: they are what is searched
        parsed, ranking = (query.And(ranking) if ranking else query.NullQuery), []
    if dates:
        parsed = query.And([parsed, *dates]) if parsed is not None else query.And(dates)
    if ranking and parsed is not query.NullQuery:
        parsed = query.AndMaybe(parsed, query.Or(ranking))
    return ParsedQuery(parsed, text, fallback, unknown, also)


def _syntax(
    rewritten: str, rest: str, schema: Schema, present: Present
) -> tuple[query.Query | None, bool, tuple[str, ...]]:
    """The query in Whoosh's syntax (None when the parser cannot read it), whether it
    searches the exact fields (a query of stop words only), and the unknown field names."""
    unknown: tuple[str, ...] = ()
    for exact in (False, True):
        parser = _exact_parser(schema) if exact else query_parser(schema, present)
        try:
            parsed = parser.parse(rewritten)
        except QueryParserError:
            return None, False, unknown
        if not exact:
            unknown = tuple(next(p for p in parser.plugins if isinstance(p, FieldsPlugin)).unknown)
        if not _is_broken(parsed, rest):
            return parsed, exact, unknown
    return None, False, unknown


def _names(unknown: tuple[str, ...], schema: Schema) -> list[query.Query]:
    """The names typed before a colon that are no field, as words that rank letters."""
    parser = query_parser(schema)
    found = [parser.parse(name) for name in unknown]
    return [q for q in found if q is not query.NullQuery]


def _bounded(node: query.Query, schema: Schema) -> query.Query:
    """Limits on what a query may cost, and phrases only where the field keeps positions.

    A fuzzy term gets at most ``MAX_EDITS`` edits and, for an overlong word, none; a phrase on
    a field without positions (``mention:"a b"``), which Whoosh refuses while matching,
    becomes its words.
    """
    if isinstance(node, query.FuzzyTerm):
        if len(node.text) > MAX_FUZZY_CHARS:
            return query.Term(node.fieldname, node.text, boost=node.boost)
        if node.maxdist > MAX_EDITS:
            node = node.copy()
            node.maxdist = MAX_EDITS
    if isinstance(node, query.Phrase | Near) and node.field() in schema:
        field_format = schema[node.field()].format
        if not (field_format and field_format.supports("positions")):
            if isinstance(node, Near):
                return query.And(node.qs)
            words = [query.Term(node.fieldname, w, boost=node.boost) for w in node.words]
            return query.And(words)
    return node


def _take_dates(text: str) -> tuple[str, list[query.Query]]:
    """Pull ``date:2021``, ``date:2021-02`` and ``date:2021..2024-03`` out of the text."""
    dates: list[query.Query] = []

    def take(match: re.Match[str]) -> str:
        start, end = match.group(1), match.group(2) or match.group(1)
        try:
            low = date_number(first_day(parse_date_param("date", start) or ""))
            high = date_number(last_day(parse_date_param("date", end) or ""))
        except ValueError:
            return match.group(0)  # not a date after all: search it as words
        dates.append(overlap_query(low, high))
        return " "

    rest = _DATE_RE.sub(take, text)
    return rest, dates


def overlap_query(low: int | None, high: int | None) -> query.Query:
    """Letters whose date range [date_from, date_to] overlaps [low, high] (None: open)."""
    clauses: list[query.Query] = []
    if high is not None:
        clauses.append(query.NumericRange("date_from", None, high))
    if low is not None:
        clauses.append(query.NumericRange("date_to", low, None))
    return query.And(clauses) if len(clauses) != 1 else clauses[0]


def _loosen_names(node: query.Query, names: set[str]) -> query.Query:
    """A name's transliteration key also matches keys one edit away (Kushakbaev/Kushakpaev).

    Only for capitalised query words: fuzzy matching scans a field's vocabulary.
    """
    if (
        isinstance(node, query.Term)
        and node.fieldname == "translit"
        and 6 <= len(node.text) <= MAX_FUZZY_CHARS
        and node.text in names
    ):
        fuzzy = query.FuzzyTerm(
            "translit", node.text, boost=node.boost * NAME_FUZZ_SHARE, maxdist=1, prefixlength=2
        )
        return query.Or([node, fuzzy])
    return node


def _is_broken(q: query.Query | None, text: str) -> bool:
    """Whoosh turns what it cannot parse into nothing; words in the text mean that was wrong."""
    return (q is None or q is query.NullQuery) and re.search(r"\w", text) is not None


def _plain_terms(text: str, schema: Schema, present: Present) -> tuple[query.Query | None, bool]:
    """The words of ``text`` (in the exact fields if they are all stop words), and whether
    they are searched in the exact fields."""
    words = re.findall(WORD_PATTERN, text)[:MAX_TERMS]
    if not words:
        return None, False
    for exact, fields in ((False, searched_fields(present)), (True, EXACT_SEARCH_FIELDS)):
        parsed = qparser.MultifieldParser(
            list(fields), schema, fieldboosts=fields, group=qparser.AndGroup, plugins=[]
        ).parse(" ".join(words))
        if parsed is not query.NullQuery:
            return parsed, exact
    return None, False


def _phrase_bonus(text: str, schema: Schema, exact: bool, present: Present) -> query.Query | None:
    """For plain words (no operators), a bonus where they stand together as a phrase (as
    written, when the words are searched in the exact fields), in the fields they are words."""
    if _OPERATOR_RE.search(text):
        return None
    phrases = []
    boosts = EXACT_SEARCH_FIELDS if exact else SEARCH_FIELDS
    prose = [f for f in FIELD_LANGUAGE if f in searched_fields(present) or f == "summary"]
    fields = EXACT_SEARCH_FIELDS if exact else (*prose, *PHRASE_NAME_FIELDS)
    for field in fields:
        words = [t.text for t in schema[field].analyzer(text, mode="query")]
        if len(words) > MAX_TERMS:
            return None
        if len(words) >= 2:  # not in a field whose stop words leave one (Spanish "la union")
            phrases.append(query.Phrase(field, words, boost=boosts[field] * PHRASE_BOOST))
    return query.Or(phrases) if phrases else None
