"""Cross-language concept search: a query word that is a concept's term also searches the
concept's other terms (``strike`` also searches забастовка, ереуіл, Streik …).

Terms and query words are compared as each language's prose analysis reads them (folded,
stop words dropped, stemmed), so ``strikes`` is the concept *strike* and ``Streiks`` is too.
The terms are found in the query text, as the authority file's variants are, and attached to
the parsed query: the part that searches ``strike`` becomes ``(strike OR забастовка^0.25 OR
ереуіл^0.25 …)``, the other terms parsed once per concept (a term of several words as those
words near each other). The added terms weigh less, and the search ranks the letters that match
the query as typed first (``search.py``).

Left alone: quoted phrases (exact), ``field:`` values, prefix, wildcard, fuzzy and boosted
words, and a word written ``exact:word`` (the prefix is dropped; neither concepts nor
authority variants expand it). At most ``MAX_CONCEPT_TERMS`` terms are added to one query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from whoosh.query import And, Or, Query

from indexer.engine.analysis import prose_analyzer
from indexer.engine.phrases import Near
from indexer.letters.concepts import Concept, Concepts
from indexer.letters.text import WORD_PATTERN

CONCEPT_BOOST = 0.25  # of a typed word's weight, for each term a concept adds
MAX_CONCEPT_TERMS = 40  # terms the concepts may add to one query
EXACT_PREFIX = "exact:"
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"})
#: what a query holds, in the order tried: a phrase, an ``exact:`` word, a word, other
_PIECE = re.compile(
    rf'(?P<phrase>"[^"]*"?(?:~\d*)?)'
    rf"|(?P<exact>(?<![\w:]){EXACT_PREFIX}(?P<exactword>{WORD_PATTERN})?)"
    rf"|(?P<word>{WORD_PATTERN})"
    rf"|(?P<space>\s+)"
    rf"|(?P<other>.)",
    re.DOTALL,
)
_AFTER_WORD = re.compile(r"[*?~^:]")  # a word followed by one of these is syntax, not a term

Key = tuple[str, ...]


@dataclass(frozen=True)
class Found:
    """A concept term typed at [start, end) of the query (``words`` words long), and the
    concept's other terms it also searches."""

    start: int
    end: int
    words: int
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Expansion:
    """A query's text as the parser reads it (``exact:`` dropped), its concept terms, and
    the terms they add (to show)."""

    text: str
    also_searched: tuple[str, ...] = ()
    found: tuple[Found, ...] = ()
    concepts: ConceptTerms | None = None

    def attach(
        self, q: Query | None, parse: Callable[[str], Query]
    ) -> tuple[Query | None, tuple[str, ...]]:
        """The parsed query with each concept term OR-ed with its other terms, and the terms
        added. ``parse`` reads query syntax (the project's parser)."""
        if q is None or not self.found or self.concepts is None:
            return q, ()
        concepts = self.concepts
        spans = [(f, concepts.alternatives(f.terms, parse)) for f in self.found]
        return _attached(q, spans), self.also_searched


def expand(text: str, concepts: ConceptTerms | None) -> Expansion:
    """What :meth:`ConceptTerms.expand` finds, or ``text`` without ``exact:`` (no concepts)."""
    return concepts.expand(text) if concepts else Expansion(without_exact(text))


Span = tuple[Found, Query]


def _attached(node: Query, spans: list[Span]) -> Query:
    """``node`` with the part that searches a concept term OR-ed with its alternatives.

    A word is an OR over the searched fields whose terms carry the word's place in the text;
    a term of several words is a run of such ORs among the children of an AND.
    """
    if node.is_leaf() or isinstance(node, Near):
        return node
    place = _place(node)
    for found, alternatives in spans:
        if found.words == 1 and place == (found.start, found.end):
            return Or([node, alternatives])
    if not isinstance(node, And):
        return node.apply(lambda child: _attached(child, spans))
    parts: list[Query | int] = []  # an int: where the words of that span go
    groups: dict[int, list[Query]] = {}
    for child in node.children():
        owner = _owner(child, spans)
        if owner is None:
            parts.append(_attached(child, spans))
            continue
        if owner not in groups:
            groups[owner] = []
            parts.append(owner)
        groups[owner].append(child)
    children = [
        part if not isinstance(part, int) else Or([_all(groups[part]), spans[part][1]])
        for part in parts
    ]
    return And(children, boost=node.boost)


def _owner(child: Query, spans: list[Span]) -> int | None:
    """The span of several words that ``child`` (one word of an AND) is part of."""
    place = _place(child)
    if place is None:
        return None
    for n, (found, _alternatives) in enumerate(spans):
        if found.words > 1 and found.start <= place[0] and place[1] <= found.end:
            return n
    return None


def _all(queries: list[Query]) -> Query:
    return queries[0] if len(queries) == 1 else And(queries)


def _place(node: Query) -> tuple[int, int] | None:
    """Where in the text the word ``node`` searches was typed (None: not one word)."""
    places = set(_places(node))
    if len(places) != 1:
        return None
    start, end = places.pop()
    return (start, end) if start is not None and end is not None else None


def _places(node: Query) -> Iterator[tuple[int | None, int | None]]:
    """The places of a query's parts: the parser marks each field's query of a word."""
    start = getattr(node, "startchar", None)
    if start is not None:
        yield start, getattr(node, "endchar", None)
    elif node.is_leaf() or isinstance(node, Near):
        yield None, None
    else:
        for child in node.children():
            yield from _places(child)


def without_exact(text: str) -> str:
    """The query without its ``exact:`` prefixes (the words themselves stay)."""
    return "".join(
        m.group("exactword") or "" if m.group("exact") is not None else m.group(0)
        for m in _PIECE.finditer(text)
    )


class ConceptTerms:
    """The terms of a thesaurus as each language analyses them, built once and then only read
    (by many threads)."""

    def __init__(self, concepts: Concepts) -> None:
        self.concepts = concepts
        self.languages = tuple(
            dict.fromkeys(lang for c in concepts.concepts for lang in c.languages())
        )
        analyzers = {lang: prose_analyzer(lang) for lang in self.languages}
        self._stems: dict[str, Callable[[str], Key]] = {
            lang: _stemmer(analyzers[lang]) for lang in self.languages
        }
        self._keys: dict[str, dict[Key, Concept]] = {lang: {} for lang in self.languages}
        self._longest = 1
        self._alternatives: dict[tuple[str, ...], Query] = {}
        for concept in concepts.concepts:
            for language, term in concept.all_terms():
                words = re.findall(WORD_PATTERN, term)
                key = self._key(language, words)
                if key:
                    self._keys[language].setdefault(key, concept)
                    self._longest = max(self._longest, len(words))

    def __bool__(self) -> bool:
        return bool(self.concepts)

    def _key(self, language: str, words: Sequence[str]) -> Key:
        stem = self._stems[language]
        return tuple(s for w in words for s in stem(w))

    def expand(self, text: str) -> Expansion:
        """``text`` without its ``exact:`` prefixes, and the concept terms among its plain
        words (longest first), with the other terms each adds."""
        runs: list[list[re.Match[str]]] = [[]]  # plain words with only spaces between them
        prefixes: list[int] = []  # where each ``exact:`` stood
        for match in _PIECE.finditer(text):
            if match.group("word") is not None and self._plain(text, match):
                runs[-1].append(match)
            elif match.group("space") is None and runs[-1]:
                runs.append([])
            if match.group("exact") is not None:
                prefixes.append(match.start())
        found: list[Found] = []
        added: list[str] = []
        for run in runs:
            for start, end, n, terms in self._in_run(run, MAX_CONCEPT_TERMS - len(added)):
                shift = len(EXACT_PREFIX) * sum(1 for p in prefixes if p < start)
                found.append(Found(start - shift, end - shift, n, terms))
                added.extend(terms)
        return Expansion(without_exact(text), tuple(dict.fromkeys(added)), tuple(found), self)

    def _plain(self, text: str, match: re.Match[str]) -> bool:
        """Whether a word is a plain search word (no operator, field name or syntax)."""
        word = match.group(0)
        if word in _OPERATORS or (match.start() > 0 and text[match.start() - 1] == ":"):
            return False
        return not _AFTER_WORD.match(text, match.end())

    def _in_run(
        self, run: list[re.Match[str]], room: int
    ) -> Iterator[tuple[int, int, int, tuple[str, ...]]]:
        """(start, end, words, other terms) of each concept term in a run of plain words,
        longest first, while there is ``room`` for more terms."""
        words = [m.group(0) for m in run]
        stems = {lang: [self._stems[lang](w) for w in words] for lang in self.languages}
        i = 0
        while i < len(run) and room > 0:
            found = self._concept_at(stems, i)
            if found is None:
                i += 1
                continue
            n, concept, typed = found
            terms = tuple(self._others(concept, typed)[:room])
            if terms:
                yield run[i].start(), run[i + n - 1].end(), n, terms
                room -= len(terms)
            i += n

    def alternatives(self, terms: tuple[str, ...], parse: Callable[[str], Query]) -> Query:
        """The query of a concept's other terms, at ``CONCEPT_BOOST`` (parsed once)."""
        cached = self._alternatives.get(terms)
        if cached is None:
            cached = Or([_alternative(term, parse) for term in terms])
            self._alternatives[terms] = cached
        return cached

    def _concept_at(
        self, stems: dict[str, list[Key]], i: int
    ) -> tuple[int, Concept, dict[str, Key]] | None:
        """The longest concept term starting at word ``i``: its length in words, the concept
        and, per language it matched in, the key that matched."""
        size = len(next(iter(stems.values()))) if stems else 0
        for n in range(min(self._longest, size - i), 0, -1):
            typed: dict[str, Key] = {}
            concept = None
            for lang in self.languages:
                window = stems[lang][i : i + n]
                if not window[0] or not window[-1]:
                    continue  # a term neither starts nor ends with a stop word
                key = tuple(s for part in window for s in part)
                match = self._keys[lang].get(key)
                if match is not None and (concept is None or match is concept):
                    concept, typed[lang] = match, key
            if concept is not None:
                return n, concept, typed
        return None

    def _others(self, concept: Concept, typed: dict[str, Key]) -> list[str]:
        """The concept's terms other than the one typed (other languages, and synonyms)."""
        others = (
            term
            for lang, term in concept.all_terms()
            if typed.get(lang) != self._key(lang, re.findall(WORD_PATTERN, term))
        )
        return list(dict.fromkeys(others))  # the same word in two languages once


def _stemmer(analyzer: Callable[..., object]) -> Callable[[str], Key]:
    cache: dict[str, Key] = {}

    def stem(word: str) -> Key:
        if word not in cache:
            if len(cache) > 50_000:
                cache.clear()
            tokens = analyzer(word, mode="query")
            cache[word] = tuple(t.text for t in tokens)  # type: ignore[attr-defined]
        return cache[word]

    return stem


class ConceptNear(Near):
    """A concept's term of several words near each other, which snippets mark whole (as a
    name of several words), not word by word."""

    term = ""

    def apply(self, fn: object) -> ConceptNear:
        return self._like(super().apply(fn))

    def with_boost(self, boost: float) -> ConceptNear:
        return self._like(super().with_boost(boost))

    def _like(self, near: Near) -> ConceptNear:
        same = ConceptNear(list(near.qs), slop=near.slop, ordered=near.ordered, mindist=1)
        same.term = self.term
        return same


def _alternative(term: str, parse: Callable[[str], Query]) -> Query:
    """One of a concept's terms as a query at ``CONCEPT_BOOST``."""

    def weaker(node: Query) -> Query:
        if isinstance(node, Near):
            near = ConceptNear(list(node.qs), slop=node.slop, ordered=False, mindist=1)
            near.term = term
            return near.with_boost(node.boost * CONCEPT_BOOST)
        if node.is_leaf():
            return node.with_boost(node.boost * CONCEPT_BOOST)
        return node

    return parse(_term_syntax(term)).accept(weaker)


def _term_syntax(term: str) -> str:
    """A term as query syntax: a word, or words near each other (any inflection)."""
    words = [w if w not in _OPERATORS else w.lower() for w in re.findall(WORD_PATTERN, term)]
    if len(words) == 1:
        return words[0]
    return f'"{" ".join(words)}"~{len(words) + 1}'
