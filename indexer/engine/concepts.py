"""Cross-language concept search: a query word that is a concept's term also searches the
concept's other terms (``strike`` also searches забастовка, ереуіл, Streik …).

Terms and query words are compared as each language's prose analysis reads them (folded,
stop words dropped, stemmed), so ``strikes`` is the concept *strike* and ``Streiks`` is too.
The query text is rewritten, as the authority file's variants are (``(strike OR mention:…)``),
before it is parsed: ``strike`` becomes ``(strike OR (забастовка OR ереуіл …)^0.25)``. The added
terms weigh less, and the search ranks the letters that match the query as typed first.

Left alone: quoted phrases (exact), ``field:`` values, prefix, wildcard, fuzzy and boosted
words, and a word written ``exact:word`` (the prefix is dropped; neither concepts nor
authority variants expand it). At most ``MAX_CONCEPT_TERMS`` terms are added to one query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indexer.engine.analysis import prose_analyzer
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
class Expansion:
    """A query rewritten with its concepts' terms, and the terms it added (to show)."""

    text: str
    also_searched: tuple[str, ...] = ()


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
        """``text`` with each concept term among its plain words OR-ed with the concept's
        other terms (at lower weight), and ``exact:`` prefixes dropped."""
        pieces: list[str] = []
        run: list[re.Match[str]] = []  # plain words with only spaces between them
        gap = ""  # spaces after the run's last word: inside the run if a word follows
        added: list[str] = []
        for match in _PIECE.finditer(text):
            if match.group("word") is not None and self._plain(text, match):
                run.append(match)
                gap = ""
                continue
            if match.group("space") is not None and run:
                gap += match.group(0)
                continue
            if run:
                pieces.extend((self._run(text, run, added), gap))
                run, gap = [], ""
            exact = match.group("exact") is not None
            pieces.append(match.group("exactword") or "" if exact else match.group(0))
        if run:
            pieces.extend((self._run(text, run, added), gap))
        return Expansion("".join(pieces), tuple(dict.fromkeys(added)))

    def _plain(self, text: str, match: re.Match[str]) -> bool:
        """Whether a word is a plain search word (no operator, field name or syntax)."""
        word = match.group(0)
        if word in _OPERATORS or (match.start() > 0 and text[match.start() - 1] == ":"):
            return False
        return not _AFTER_WORD.match(text, match.end())

    def _run(self, text: str, run: list[re.Match[str]], added: list[str]) -> str:
        """The text of a run of plain words, its concept terms expanded (longest first)."""
        words = [m.group(0) for m in run]
        stems = {lang: [self._stems[lang](w) for w in words] for lang in self.languages}
        out: list[str] = []
        i = 0
        while i < len(run):
            found = self._concept_at(stems, i)
            if found is None or len(added) >= MAX_CONCEPT_TERMS:
                end = run[i + 1].start() if i + 1 < len(run) else run[i].end()
                out.append(text[run[i].start() : end])
                i += 1
                continue
            n, concept, typed = found
            terms = [t for t in self._others(concept, typed)][: MAX_CONCEPT_TERMS - len(added)]
            span = text[run[i].start() : run[i + n - 1].end()]
            added.extend(terms)
            out.append(_or(span, n, terms) if terms else span)
            if i + n < len(run):
                out.append(text[run[i + n - 1].end() : run[i + n].start()])
            i += n
        return "".join(out)

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


def _or(span: str, words: int, terms: list[str]) -> str:
    """``(span OR (t1 OR "t2 t3"~3 …)^boost)``: the typed words, or another term."""
    typed = f"({span})" if words > 1 else span
    alternatives = " OR ".join(_term_syntax(t) for t in terms)
    return f"({typed} OR ({alternatives})^{CONCEPT_BOOST})"


def _term_syntax(term: str) -> str:
    """A term as query syntax: a word, or words near each other (any inflection)."""
    words = [w if w not in _OPERATORS else w.lower() for w in re.findall(WORD_PATTERN, term)]
    if len(words) == 1:
        return words[0]
    return f'"{" ".join(words)}"~{len(words) + 1}'
