"""Which words of a letter to mark for a query (``?q=`` on a letter page).

The words of the query are analysed with the index's own analyzers (folding, stop words,
English stemming), so "striking" marks strike, strikes and Striking, and "Hoie" marks Høie.
Terms after NOT or a leading minus are not marked; ``stri*`` marks words starting with "stri";
``term~`` (``~2``) marks words within one (two) edits. Field prefixes decide whether a word is
matched as prose (stemmed) or as a name (folded exact word), as the search does.

This mirrors what the search marks in snippets without opening the index (wildcards and fuzzy
terms are matched against the letter's words instead of the index's vocabulary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.analysis import WORD_PATTERN, fold, name_analyzer, text_analyzer

OPERATORS = {"AND", "OR", "ANDMAYBE", "TO"}
NEGATIONS = {"NOT", "ANDNOT"}
PROSE_FIELDS = {"title", "subject", "summary", "body"}
MAX_TERMS = 64
_TOKEN_RE = re.compile(
    r"""(?P<neg>-)?(?:(?P<field>\w+):)?
        (?:"(?P<phrase>[^"]*)"?|(?P<open>\()|(?P<close>\))|(?P<word>[^\s"()]+))""",
    re.VERBOSE,
)
_WORD_RE = re.compile(WORD_PATTERN)
_FUZZY_RE = re.compile(r"^(?P<stem>.+?)~(?P<dist>\d?)(?:/\d+)?$")


@dataclass(frozen=True)
class QueryTerms:
    """What to mark: stems of prose words, folded names, prefixes/patterns, fuzzy words."""

    stems: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    fuzzy: tuple[tuple[str, int], ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.stems or self.names or self.patterns or self.fuzzy)


def query_terms(q: str) -> QueryTerms:
    """The positive terms of a query as things to mark; never raises."""
    stems: set[str] = set()
    names: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    fuzzy: list[tuple[str, int]] = []
    negate_next = False
    skip_depth = 0  # > 0 while inside a negated group
    depth = 0
    for match in _TOKEN_RE.finditer(q[:1000]):
        if match.group("open") is not None:
            depth += 1
            if negate_next or match.group("neg"):
                skip_depth = skip_depth or depth
            negate_next = False
            continue
        if match.group("close") is not None:
            if skip_depth and depth <= skip_depth:
                skip_depth = 0
            depth = max(0, depth - 1)
            continue
        word = match.group("word")
        if word in OPERATORS and not match.group("field"):
            continue
        if word in NEGATIONS and not match.group("field"):
            negate_next = True
            continue
        negated = negate_next or bool(match.group("neg"))
        negate_next = False
        if negated or skip_depth:
            continue
        if len(stems) + len(names) + len(patterns) + len(fuzzy) > MAX_TERMS:
            break
        fieldname = (match.group("field") or "").lower()
        prose = not fieldname or fieldname in PROSE_FIELDS
        as_name = not fieldname or fieldname not in PROSE_FIELDS
        text = match.group("phrase") if match.group("phrase") is not None else word
        if word is not None and ("*" in word or "?" in word):
            pattern = _wildcard(word)
            if pattern is not None:
                patterns.append(pattern)
            continue
        fuzzy_match = _FUZZY_RE.match(word) if word else None
        if fuzzy_match:
            target = fold(fuzzy_match.group("stem"))
            if _WORD_RE.fullmatch(target):
                fuzzy.append((target, min(int(fuzzy_match.group("dist") or 1), 2)))
            continue
        text = re.sub(r"\^[\d.]*$", "", text)  # a boost, strike^2
        if prose:
            stems.update(_stems(text))
        if as_name:
            names.update(_names(text))
    return QueryTerms(frozenset(stems), frozenset(names), tuple(patterns), tuple(fuzzy))


def _wildcard(word: str) -> re.Pattern[str] | None:
    folded = fold(word)
    literal = re.sub(r"[^\w*?']", "", folded)
    if len(literal.replace("*", "").replace("?", "")) < 2:  # "*" alone would mark everything
        return None
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in literal)
    return re.compile(f"^{regex}$")


def _stems(text: str) -> set[str]:
    return {t.text for t in text_analyzer()(text)}


def _names(text: str) -> set[str]:
    return {t.text for t in name_analyzer()(text)}


@lru_cache(maxsize=4096)
def _surface(word: str) -> str:
    """A word folded as the index folds it (case, accents, possessive 's)."""
    text = fold(word)
    if text.endswith("'s"):
        text = text[:-2]
    return text.replace("'", "")


class Marker:
    """Finds the words to mark in texts; one per rendering (it holds its own analyzer)."""

    def __init__(self, terms: QueryTerms) -> None:
        self.terms = terms
        self._analyzer = text_analyzer() if terms else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the words in ``text`` to mark, in order."""
        if self._analyzer is None or not text.strip():
            return []
        terms = self.terms
        found = []
        for token in self._analyzer(text, positions=True, chars=True):
            start, end = token.startchar, token.endchar
            if token.text in terms.stems or _matches(text[start:end], token.text, terms):
                found.append((start, end))
        return found


def _matches(word: str, stem: str, terms: QueryTerms) -> bool:
    surface = _surface(word)
    if surface in terms.names:
        return True
    if any(p.match(surface) or p.match(stem) for p in terms.patterns):
        return True
    return any(_within(surface, t, d) or _within(stem, t, d) for t, d in terms.fuzzy)


def _within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of a and b is at most ``limit`` (small limits, early exit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit
