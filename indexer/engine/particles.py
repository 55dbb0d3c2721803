"""Queries for names with particles: the whole name, or the name without its particle.

The index holds such a name by its whole and its core (O'Brien: obrien and brien; de Valera:
devalera beside de, valera). A query for ``O'Brien``, ``O’Brien``, ``OBrien``, ``O Brien`` or
``l'union`` asks for the whole or the core, the whole weighted higher: letters that write the
name as the query does rank first, and letters that write only the core (Brien) still match.
"""

from __future__ import annotations

import re

from whoosh import query
from whoosh.fields import Schema

from indexer.letters.text import particle_names, spaced_names

CORE_SHARE = 0.5  # a core's boost, as a share of the whole name's


def join_spaced(text: str) -> str:
    """Particles written apart, joined to their name by an apostrophe outside quotes
    (``de Valera``: ``de'Valera``), so that the parser reads the name as one word."""
    pieces = re.split(r'("[^"]*")', text)
    for i in range(0, len(pieces), 2):
        pieces[i] = _join(pieces[i])
    return "".join(pieces)


def _join(text: str) -> str:
    out, cursor = [], 0
    for match in spaced_names(text):
        out.append(text[cursor : match.start()])
        out.append("'".join(match.group().split()))
        cursor = match.end()
    out.append(text[cursor:])
    return "".join(out)


class NameCores:
    """Replaces a query's terms for names with particles by "the whole or the core"."""

    def __init__(self, text: str, schema: Schema) -> None:
        self.names = dict(particle_names(text))
        self.schema = schema

    def cores(self) -> list[str]:
        """The names without their particles, as written (Brien, Valera)."""
        return list(self.names.values())

    def __call__(self, node: query.Query) -> query.Query:
        if type(node) is not query.Term or not self.names:
            return node
        for whole, core in self.names.items():
            if self._term(node.fieldname, whole) == node.text:
                core_term = self._term(node.fieldname, core)
                if core_term and core_term != node.text:
                    boost = node.boost * CORE_SHARE
                    return query.Or([node, query.Term(node.fieldname, core_term, boost=boost)])
        return node

    def _term(self, field: str, word: str) -> str | None:
        """The one term a field's analyzer makes of a word (None: none or several)."""
        analyzer = getattr(self.schema[field], "analyzer", None) if field in self.schema else None
        if analyzer is None:
            return None
        terms = [t.text for t in analyzer(word, mode="query")]
        return terms[0] if len(terms) == 1 else None
