"""Prefix, wildcard, fuzzy and range terms turned into the index terms they stand for, capped.

Whoosh expands such terms itself while matching, with no limit on their number and no way to
stop. Here each one becomes an OR of at most ``MAX_EXPANSION`` index terms before matching,
and a whole query at most ``MAX_QUERY_EXPANSION``, shared fairly: each expanding term may take
what is left divided by the expanding terms still to come (a term with few matches leaves more
for the others), so the last word of ``th* wr* co*`` is expanded as well as the first, to its
most frequent index terms; and the walks through the vocabulary check the search's
:class:`~indexer.engine.budget.Budget` at every step, so that a term that would expand to much
of the vocabulary costs a bounded time.

Fuzzy terms are found by walking a Levenshtein automaton over the sorted vocabulary (as Whoosh
does), one automaton per distinct text: the same word in a dozen fields shares it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh import query as wq
from whoosh.automata import lev
from whoosh.automata.fsa import DFA
from whoosh.reading import IndexReader

from indexer.engine.budget import Budget
from indexer.engine.query import MAX_EDITS

MAX_EXPANSION = 200  # index terms one prefix, wildcard, fuzzy or range term may expand to
MAX_QUERY_EXPANSION = 1_000  # index terms all of a query's expanding terms may add up to
MIN_PREFIX = 2  # characters before a wildcard
CHECK_EVERY = 64  # vocabulary entries read between two looks at the clock


class Expander:
    """Expands the terms of one search; keeps the automata it built for the next terms."""

    def __init__(self, reader: IndexReader, budget: Budget) -> None:
        self.reader = reader
        self.budget = budget
        self.left = MAX_QUERY_EXPANSION
        self._to_come = 0  # expanding terms of the current query not yet expanded
        self._automata: dict[tuple[str, int, int], DFA] = {}

    def expand(self, q: wq.Query) -> wq.Query:
        """``q`` with every expanding term replaced by an OR of index terms (or nothing)."""
        self._to_come = sum(1 for leaf in q.leaves() if isinstance(leaf, wq.MultiTerm))
        return q.accept(self._visit)

    def _visit(self, node: wq.Query) -> wq.Query:
        if not isinstance(node, wq.MultiTerm):
            return node
        if isinstance(node, wq.Prefix | wq.Wildcard) and len(literal_prefix(node)) < MIN_PREFIX:
            self._to_come = max(self._to_come - 1, 0)
            return wq.NullQuery
        if node.fieldname not in self.reader.schema:
            self._to_come = max(self._to_come - 1, 0)
            return wq.NullQuery
        terms: list[wq.Query] = []
        self._to_come = max(self._to_come - 1, 0)
        limit = min(MAX_EXPANSION, self.left // (self._to_come + 1))
        if limit > 0 and not self.budget.spent():
            for text in self.texts(node):
                terms.append(wq.Term(node.fieldname, text, boost=node.boost))
                if len(terms) >= limit:
                    break
        self.left -= len(terms)
        return wq.Or(terms) if terms else wq.NullQuery

    def texts(self, node: wq.MultiTerm) -> Iterator[str]:
        """The index terms of one expanding term, until the budget is spent."""
        if isinstance(node, wq.FuzzyTerm):
            maxdist = min(int(node.maxdist), MAX_EDITS)  # the automaton grows steeply with it
            return self.within(node.fieldname, node.text, maxdist, node.prefixlength)
        if isinstance(node, wq.PatternQuery):
            return self._matching(node)
        return self._decoded(node)

    def within(self, fieldname: str, text: str, maxdist: int, prefix: int) -> Iterator[str]:
        """Terms of a field at most ``maxdist`` edits from ``text`` (sharing ``prefix`` chars),
        segment by segment (Whoosh's cursor over several segments cannot be moved)."""
        key = (text, maxdist, prefix)
        if key not in self._automata:
            self._automata[key] = lev.levenshtein_automaton(text, maxdist, prefix).to_dfa()
        dfa = self._automata[key]
        seen: set[str] = set()
        for leaf, _offset in self.reader.leaf_readers():
            cursor = leaf.cursor(fieldname)
            term = cursor.text()
            while term is not None and not self.budget.spent():
                match = dfa.next_valid_string(term)
                if match is None:
                    break
                cursor.find(match)
                term = cursor.text()
                if term == match:
                    if match not in seen:
                        seen.add(match)
                        yield match
                    term += "\0"

    def _matching(self, node: wq.PatternQuery) -> Iterator[str]:
        """Terms matching a prefix or wildcard pattern, the most frequent first: a capped
        ``th*`` should stand for "the", "this", "that", not for the alphabetically first."""
        pattern = None if isinstance(node, wq.Prefix) else re.compile(node._get_pattern())
        field = self.reader.schema[node.fieldname]
        found: list[tuple[int, str]] = []
        terms = self.reader.iter_prefix(node.fieldname, literal_prefix(node))
        for n, (raw, info) in enumerate(terms):
            if n % CHECK_EVERY == 0 and self.budget.spent():
                break
            text = field.from_bytes(raw)
            if pattern is None or pattern.match(text):
                found.append((-info.doc_frequency(), text))
        found.sort()
        for _df, text in found:
            yield text

    def _decoded(self, node: wq.MultiTerm) -> Iterator[str]:
        """Any other expanding term (a range of terms): Whoosh's own list, read term by term."""
        field = self.reader.schema[node.fieldname]
        for raw in node._btexts(self.reader):
            if self.budget.spent():
                return
            yield field.from_bytes(raw)


def literal_prefix(node: wq.PatternQuery) -> str:
    """The characters of a pattern before its first special one (all of a prefix)."""
    text = str(node.text)
    if isinstance(node, wq.Prefix):
        return text
    end = next((i for i, char in enumerate(text) if char in node.SPECIAL_CHARS), len(text))
    return text[:end]
