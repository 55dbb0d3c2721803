"""What stands before a colon when it is no field: a word that ranks, not one that filters.

``foo:strike`` or ``Betreff:Gotthard`` means the letters about strikes or the Gotthard to the
person who typed it; requiring "foo" too would find nothing and say nothing. So the words
after an unknown name are searched as if the name were not there, the name itself only ranks
the letters that hold it first (and the result names the fields there are). Web addresses
(``http://…``) and times of day (``10:30``) are no field syntax at all: they rank the letters
that hold them, as written, without emptying a search that has other words.
"""

from __future__ import annotations

import re

from whoosh import qparser, query
from whoosh.fields import Schema
from whoosh.qparser import syntax

from indexer.letters.text import PLAIN_WORD

#: a web address, or a time of day (10:30, 9:05:00), wherever it stands in a query
_DETAIL_RE = re.compile(
    r"(?<![\w/])[A-Za-z][A-Za-z0-9+.-]*://[^\s\"()]*|(?<![\w:])\d{1,2}(?::\d\d){1,2}(?![\w:])"
)
MAX_DETAILS = 8  # addresses and times of one query that may rank it


class FieldsPlugin(qparser.FieldsPlugin):
    """Whoosh's ``field:value`` syntax, where a name that is no searchable field (``author:``,
    or a field that is only stored, ``doc:``, which Whoosh would fail on) is left out of the
    query and kept in ``unknown``, for the result to name and the search to rank with."""

    def __init__(self) -> None:
        super().__init__()
        self.unknown: dict[str, None] = {}

    def do_fieldnames(
        self, parser: qparser.QueryParser, group: syntax.GroupNode
    ) -> syntax.GroupNode:
        newgroup = group.empty_copy()
        for node in group:
            if isinstance(node, syntax.FieldnameNode):
                name = node.fieldname
                if name not in parser.schema or _stored_only(parser.schema, name):
                    if name[:1].isalpha():
                        self.unknown[name] = None
                        continue
                    node = syntax.to_word(node)  # digits (3:1): searched as they are
            newgroup.append(node)
        return super().do_fieldnames(parser, newgroup)


def _stored_only(schema: Schema, name: str) -> bool:
    return name in schema and schema[name].format is None


def take_details(text: str) -> tuple[str, list[str]]:
    """The text without its web addresses and times of day, and those (at most
    ``MAX_DETAILS``)."""
    details: list[str] = []

    def take(match: re.Match[str]) -> str:
        if len(details) >= MAX_DETAILS:
            return match.group(0)
        details.append(match.group(0))
        return " "

    return _DETAIL_RE.sub(take, text), details


def written_as(details: list[str], fields: dict[str, float], schema: Schema) -> list[query.Query]:
    """For each address or time, the letters holding its words as written, one after the
    other, in any of ``fields`` (the exact twins: every word kept, nothing stemmed)."""
    found = []
    for detail in details:
        words = " ".join(re.findall(PLAIN_WORD, detail))
        alternatives: list[query.Query] = []
        for field, boost in fields.items():
            terms = [t.text for t in schema[field].analyzer(words, mode="query")]
            if len(terms) > 1:
                alternatives.append(query.Phrase(field, terms, boost=boost))
            elif terms:
                alternatives.append(query.Term(field, terms[0], boost=boost))
        if alternatives:
            found.append(query.Or(alternatives))
    return found
