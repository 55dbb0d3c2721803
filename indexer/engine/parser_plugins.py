"""Whoosh query-parser plugins made safe for whatever people type: fuzzy terms, comparisons
and the operators (AND, OR, NOT, ANDNOT, ANDMAYBE in capitals) without the exceptions Whoosh
raises on odd input, and with the distance and edit limits of the archive."""

from __future__ import annotations

from whoosh import qparser, query
from whoosh.qparser import syntax


class FuzzyTermPlugin(qparser.FuzzyTermPlugin):
    """Whoosh's ``term~`` syntax, without its AttributeError when the term is no word at all
    (``~~~``), and with the distance and prefix applied to every part of a split word."""

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):
        def _fuzz(self, node: query.Query) -> query.Query:
            if isinstance(node, query.FuzzyTerm):
                node = node.copy()
                node.maxdist, node.prefixlength = self.maxdist, self.prefixlength
            return node

        def query(self, parser: qparser.QueryParser) -> query.Query | None:
            q = syntax.TextNode.query(self, parser)
            return None if q is None else q.accept(self._fuzz)


class GtLtPlugin(qparser.GtLtPlugin):
    """Whoosh's ``field:>value`` syntax, without its IndexError for a ``<`` first in a group
    and its NotImplementedError for one inside parentheses: a ``<`` or ``>`` that does not
    follow a field name is dropped (as Whoosh drops it elsewhere)."""

    def do_gtlt(self, parser: qparser.QueryParser, group: syntax.GroupNode) -> syntax.GroupNode:
        newgroup = group.empty_copy()
        i = 0
        while i < len(group):
            node = group[i]
            if isinstance(node, self.GtLtNode):
                after = group[i + 1] if i + 1 < len(group) else None
                fielded = len(newgroup) and isinstance(newgroup[-1], syntax.FieldnameNode)
                if fielded and after is not None and after.has_text:
                    newgroup.append(self.make_range(after, node.rel))
                    i += 1
            elif isinstance(node, syntax.GroupNode):
                newgroup.append(self.do_gtlt(parser, node))
            else:
                newgroup.append(node)
            i += 1
        return newgroup


class NotGroup(syntax.NotGroup):
    """Whoosh's NOT, without its IndexError when NOT has nothing to negate (``a NOT AND b``)."""

    def query(self, parser: qparser.QueryParser) -> query.Query | None:
        return super().query(parser) if self.nodes else None


class _BothSides(syntax.BinaryGroup):
    """Whoosh's binary operators fail an assertion when a side is missing (``ANDNOT ANDNOT
    x``); then whatever is there is searched, as if the operator were not."""

    def query(self, parser: qparser.QueryParser) -> query.Query | None:
        if len(self.nodes) == 2:
            return super().query(parser)
        return syntax.AndGroup(self.nodes).query(parser) if self.nodes else None


class AndNotGroup(_BothSides, syntax.AndNotGroup):
    pass


class AndMaybeGroup(_BothSides, syntax.AndMaybeGroup):
    pass


class RequireGroup(_BothSides, syntax.RequireGroup):
    pass


def operators_plugin() -> qparser.OperatorsPlugin:
    """Whoosh's operators with Whoosh's patterns and precedence, and the groups above."""
    tag = qparser.OperatorsPlugin.OpTagger
    return qparser.OperatorsPlugin(
        clean=True,
        ops=[
            (tag(r"(^|(?<=(\s|[()])))NOT(?=\s)", NotGroup, syntax.PrefixOperator, memo="not"), 0),
            (tag(r"(?<=\s)AND(?=\s)", syntax.AndGroup, memo="and"), 0),
            (tag(r"(?<=\s)OR(?=\s)", syntax.OrGroup, memo="or"), 0),
            (tag(r"(?<=\s)ANDNOT(?=\s)", AndNotGroup, memo="anot"), -5),
            (tag(r"(?<=\s)ANDMAYBE(?=\s)", AndMaybeGroup, memo="amaybe"), -5),
            (tag(r"(^|(?<=\s))REQUIRE(?=\s)", RequireGroup, memo="req"), 0),
        ],
    )
