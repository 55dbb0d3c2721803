"""Quoted phrases: exact words in order, or (with ``~N``) words near each other.

A stemmed field cannot say whether "right of strike" was written: stop words take no position
and "strikes" is "strike". So ``"…"`` searches each field's exact twin
(:data:`~indexer.engine.schema.EXACT_FIELDS`: folded words, stop words kept, nothing
stemmed), where only the words as written, one after the other, match. ``"…"~N`` is a
proximity search instead: the words as unquoted words match them (stemmed, stop words
ignored), each within N words of the others, in any order.

Both mean the letter's own words: an editorial summary that retells the letter ("after the
Easter Rising …") is searched only when named (``summary:"…"``), so that a phrase finds the
letters that write it. A phrase also finds the names of the letter's people and place; words
near each other are looked for in running text only (titles and bodies), since the names of
a place ("Frongoch Internment Camp") or the people of a letter are no sentence.
"""

from __future__ import annotations

import re

from whoosh import qparser, query
from whoosh.qparser import syntax
from whoosh.query.spans import SpanNear2

from indexer.engine.schema import EDITORIAL_FIELDS, EXACT_FIELDS, FIELD_LANGUAGE, SEARCH_FIELDS
from indexer.letters.text import PLAIN_WORD

#: typographic double quotes that mean the same as ``"`` in a query
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"'})

#: fields of running text, where words can be near each other
RUNNING_TEXT = frozenset(FIELD_LANGUAGE) - EDITORIAL_FIELDS

#: default fields of a query of stop words only, which only the exact twins hold
EXACT_SEARCH_FIELDS = {
    EXACT_FIELDS[field]: boost for field, boost in SEARCH_FIELDS.items() if field in EXACT_FIELDS
}


def straight_quotes(text: str) -> str:
    """“right to strike” and „Streikrecht“ are quoted phrases too."""
    return text.translate(_QUOTES)


class PhrasePlugin(qparser.PhrasePlugin):
    """Whoosh's ``"…"`` and ``"…"~N`` syntax, exact or near as the module says."""

    class PhraseNode(qparser.PhrasePlugin.PhraseNode):
        near = False  # typed with ~N
        field_typed = True  # the person named the field (``summary:"…"``)

        def query(self, parser: qparser.QueryParser) -> query.Query | None:
            fieldname = self.fieldname or parser.fieldname
            if fieldname not in parser.schema:
                return None
            if fieldname in EDITORIAL_FIELDS and not self.field_typed:
                return None  # the editors' words, not the letter's
            if self.near and fieldname not in RUNNING_TEXT and not self.field_typed:
                return None
            if self.near:
                return _near(parser, fieldname, self.text, self.slop, self.boost)
            if fieldname == "translit" and not _names_only(parser, self.text):
                return None  # a name's other scripts; other words only as written
            target = EXACT_FIELDS.get(fieldname, fieldname)
            words = [t.text for t in parser.schema[target].tokenize(self.text, mode="query")]
            if len(words) < 2:
                return query.Term(target, words[0], boost=self.boost) if words else None
            return query.Phrase(target, words, boost=self.boost)

    class PhraseTagger(qparser.RegexTagger):
        def create(self, parser: qparser.QueryParser, match: re.Match[str]) -> syntax.SyntaxNode:
            slop = match.group("slop")
            node = PhrasePlugin.PhraseNode(match.group("text"), match.start("text"), int(slop or 1))
            node.near = slop is not None
            return node

    def taggers(self, parser: qparser.QueryParser) -> list[tuple[qparser.Tagger, int]]:
        return [(self.PhraseTagger(self.expr), 0)]

    def filters(self, parser: qparser.QueryParser) -> list[tuple[object, int]]:
        # after field names are applied (100), before the default fields are (110)
        return [(self._mark_typed, 105)]

    def _mark_typed(self, parser: qparser.QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        for node in group:
            if isinstance(node, self.PhraseNode):
                node.field_typed = node.fieldname is not None
            elif isinstance(node, syntax.GroupNode):
                self._mark_typed(parser, node)
        return group


class Near(SpanNear2):
    """Whoosh's SpanNear2 of terms, without the NameError its size estimate raises; a unit
    that query rewriting leaves alone (its terms must stay terms to have spans)."""

    def apply(self, fn: object) -> Near:
        return Near(list(self.qs), slop=self.slop, ordered=self.ordered, mindist=self.mindist)

    @property
    def boost(self) -> float:
        """Its terms carry its weight (Whoosh multiplies a group's boost into its parts)."""
        return float(self.qs[0].boost) if self.qs else 1.0

    def with_boost(self, boost: float) -> Near:
        terms = [t.with_boost(boost) for t in self.qs]
        return Near(terms, slop=self.slop, ordered=self.ordered, mindist=self.mindist)

    def _and_query(self) -> query.And:
        return query.And(self.qs)

    def field(self) -> str:
        return str(self.qs[0].field())

    def __str__(self) -> str:
        return f'{self.field()}:"{" ".join(str(t.text) for t in self.qs)}"~{self.slop}'


def _near(
    parser: qparser.QueryParser, fieldname: str, text: str, slop: int, boost: float
) -> query.Query | None:
    """The words of ``text`` as this field analyses them, within ``slop`` words, any order."""
    words = [t.text for t in parser.schema[fieldname].tokenize(text, mode="query")]
    terms = [query.Term(fieldname, w, boost=boost) for w in dict.fromkeys(words)]
    if len(terms) < 2:
        return terms[0] if terms else None
    return Near(terms, slop=slop, ordered=False, mindist=1)


def _names_only(parser: qparser.QueryParser, text: str) -> bool:
    """Whether every word of ``text`` is capitalised and none is a stop word: then it is a
    name, which may be written in another script (Токаев, Tokayev)."""
    words = re.findall(PLAIN_WORD, text)
    keys = list(parser.schema["translit"].tokenize(text, mode="query"))
    return bool(words) and all(w[:1].isupper() for w in words) and len(keys) == len(words)
