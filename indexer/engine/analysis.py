"""Whoosh analyzers: how letters and queries become index terms, and snippets' term spans.

Words, folding and the transliteration key come from :mod:`indexer.letters.text`, so that what
the index matched is what a snippet marks:

- Identifiers and numbers are found whole (C087, 21/386-1, 840.100/NIMJ) and hyphenated names
  by the whole and by the parts (Hans-Christian, Nur-Sultan): the index holds the whole token
  and its parts at consecutive positions; a query for a compound is the phrase of its parts.
- Names with a particle by the whole and without it (O'Brien, OBrien: obrien and brien at one
  position; l'union: lunion and union); particles written apart (de Valera, O Brien) also give
  the joined whole (devalera, obrien) at the particle's position. A query for such a name asks
  for the whole or the core (:mod:`indexer.engine.particles`).
- Prose is stemmed by its language (Whoosh's Snowball stemmers for fourteen languages, a light
  Kazakh stemmer; others are folded only).
- Capitalised words are indexed under their transliteration key beside the text.
- Quoted phrases search a second copy of the text, folded only: every word as written, in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer, Token
from whoosh.lang import has_stopwords, stemmer_for_language, stopwords_for_language

from indexer.engine.kazakh import stem as kazakh_stem
from indexer.letters.text import (
    PLAIN_WORD,
    SPACED_PARTICLES,
    WORD_PATTERN,
    fold,
    name_keys,
    particle_core,
    starts_name,
    translit_key,
)

JOINERS = re.compile(r"[-‐‑/.]")  # what joins a compound's parts into its whole

#: Languages with a stemmer: Whoosh's Snowball stemmers and :mod:`indexer.engine.kazakh`;
#: other languages' prose is folded but not stemmed (Whoosh's Arabic stemmer fails on Python
#: 3.11, and it has none for Turkish).
SNOWBALL_LANGUAGES = (
    *("da", "de", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv"),
)
STEMMED_LANGUAGES = (*SNOWBALL_LANGUAGES, "kk")
#: other codes of a stemmed language (Norwegian Bokmål and Nynorsk: Norwegian)
LANGUAGE_ALIASES = {"nb": "no", "nn": "no"}


def stemmed_language(language: str | None) -> str | None:
    """The language whose stemmer analyses prose in ``language`` (None: folded only)."""
    language = LANGUAGE_ALIASES.get(language or "", language)
    return language if language in STEMMED_LANGUAGES else None


#: Kazakh stop words (Whoosh has none): conjunctions, particles, postpositions, pronouns
KAZAKH_STOPWORDS = frozenset(
    {
        "және", "мен", "бен", "пен", "да", "де", "та", "те", "ма", "ме", "ба", "бе", "па", "пе",
        "ғой", "қой", "ал", "бірақ", "немесе", "не", "әрі", "бұл", "осы", "сол", "ол", "біз", "сіз",
        "сен", "олар", "үшін", "туралы", "бойынша", "арқылы", "дейін", "кейін", "соң", "бері",
        "сияқты", "деп", "еді", "емес", "бар", "жоқ", "әр", "барлық", "өз",
    }
)  # fmt: skip


@lru_cache(maxsize=200_000)
def word_form(text: str) -> str:
    """Folded word without an English possessive 's or apostrophes (cached: snippets ask it
    of every word of every passage they look at)."""
    folded = fold(text)
    if folded.endswith("'s"):
        folded = folded[:-2]
    return folded.replace("'", "")


@lru_cache(maxsize=32)
def _stopwords(language: str | None) -> frozenset[str]:
    if language is None:
        return frozenset()
    words = set(stopwords_for_language(language)) if has_stopwords(language) else set()
    if language == "kk":
        words |= KAZAKH_STOPWORDS
    return frozenset(fold(w) for w in words | set(stopwords_for_language("en")))


@lru_cache(maxsize=32)
def _stemmer(language: str) -> Callable[[str], str]:
    stem = kazakh_stem if language == "kk" else stemmer_for_language(language)

    def safe(word: str) -> str:
        """Whoosh's Spanish stemmer indexes past the end of some short words ("ague"): such a
        word is kept as it is, rather than failing the letter or the query."""
        try:
            return stem(word)
        except IndexError:
            return word

    return lru_cache(maxsize=100_000)(safe)


class _LanguageFilter(Filter):
    """A filter that depends on one language only; equal filters analyse alike."""

    def __init__(self, language: str | None) -> None:
        self.language = language  # a plain value: Whoosh compares schemas by their filters

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.language == getattr(other, "language", None)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.language))


class WordFilter(_LanguageFilter):
    """Fold, drop stop words, keep compounds whole (with their parts when indexing).

    Positions are managed here: stop words take none (so "right to strike" is a phrase of two
    words, both in the index and in the query), and the parts of a compound take consecutive
    positions, so a query for the compound is a phrase of its parts (21/386-1 = "21 386 1").
    Indexing also keeps the whole compound, at its first part's position, a name's core beside
    its whole (O'Brien: brien beside obrien) and the joined form of particles written apart.
    """

    def __init__(self, language: str | None = "en") -> None:
        super().__init__(language)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stop = _stopwords(self.language)
        position = -1
        spaced = _Spaced()
        for token in tokens:
            original = token.text
            word = word_form(original)
            compound = JOINERS.search(word) is not None
            indexing = token.mode != "query"
            start = token.startchar if token.chars else 0
            joined = None
            if indexing and (spaced.words or word in SPACED_PARTICLES):
                joined = spaced.see(original, word, compound, position + 1, start)
            if not compound:
                if not word or word in stop:
                    continue
                position += 1
                token.pos = position
                token.text = word
                yield token
                core = _core_form(original) if indexing else ""
                if core and core not in stop and core != word:
                    yield _copy(token, core)
                if joined:
                    yield _joined(token, joined, spaced)
                continue
            if indexing:  # the whole, for wildcards and exact identifiers
                token.text = word
                token.pos = position + 1
                yield token
            for piece, same_position in _parts(token, original, start, stop, indexing):
                position += 0 if same_position else 1
                piece.pos = position
                yield piece


class _Spaced:
    """Particles written as words before a name (de Valera, van der Berg, O Brien)."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.pos = self.start = 0

    def see(self, original: str, word: str, compound: bool, pos: int, start: int) -> str | None:
        """The joined form when this word is a name after particles (devalera), else None."""
        if not compound and word in SPACED_PARTICLES:
            if not self.words:
                self.pos, self.start = pos, start
            self.words.append(word)
            return None
        joined = "".join(self.words) + word if self.words and starts_name(original) else None
        self.words = []
        return None if compound else joined


@lru_cache(maxsize=200_000)
def _core_form(original: str) -> str:
    """The index form of a word without its particle (O'Brien: brien), else ""."""
    core = particle_core(original)
    return word_form(core) if core else ""


def _copy(token: Token, text: str) -> Token:
    """Another term at the token's position, over its span (a name's core marks the name)."""
    piece = token.copy()
    piece.text = text
    return piece


def _joined(token: Token, joined: str, spaced: _Spaced) -> Token:
    piece = _copy(token, joined)
    piece.pos = spaced.pos
    if token.chars:
        piece.startchar = spaced.start
    return piece


class StemFilter(_LanguageFilter):
    """Stem words by language; compounds, identifiers and numbers stay as they are.

    Marked as morphological, so Whoosh can index the unstemmed words for spelling suggestions.
    """

    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stem = _stemmer(self.language)
        for token in tokens:
            if token.text.isalpha():
                token.text = stem(token.text)
            yield token


def _parts(
    token: Token, original: str, start: int, stop: frozenset[str], indexing: bool
) -> Iterator[tuple[Token, bool]]:
    """The words of a compound token (Hans-Christian: hans, christian), as separate tokens;
    when indexing, a part's core (O'Brien-Smith: brien) too, at its part's position."""
    for match in re.finditer(PLAIN_WORD, original):
        part = word_form(match.group(0))
        if not part or part in stop:
            continue
        piece = token.copy()
        piece.text = part
        if token.chars:
            piece.startchar = start + match.start()
            piece.endchar = start + match.end()
        yield piece, False
        core = _core_form(match.group(0)) if indexing else ""
        if core and core not in stop and core != part:
            yield _copy(piece, core), True


class TranslitFilter(Filter):
    """Replace each word by its cross-script key; when indexing, keep only capitalised words,
    each also under the keys of its Cyrillic forms without a case ending (Қазақстанның)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stop = _stopwords("en")
        extra = 0  # positions taken by the additional parts of compounds so far
        for token in tokens:
            querying = token.mode == "query"
            if not querying and not token.text[:1].isupper():
                continue
            base = token.pos + extra if token.positions else 0
            offset = 0
            for part in re.findall(PLAIN_WORD, token.text):
                if word_form(part) in stop:
                    continue
                key = translit_key(part)
                if querying or len(key) >= 3:  # a query keeps every word, for phrases
                    token.text = key
                    if token.positions:
                        token.pos = base + offset
                    offset += 1
                    yield token
                    for other in () if querying else name_keys(part)[1:]:  # Қазақстанның
                        yield _copy(token, other)
            extra += max(offset - 1, 0)


def prose_analyzer(language: str | None = "en"):
    """Analyzer for prose in one language: words, folded, stop words removed, stemmed."""
    analyzer = RegexTokenizer(WORD_PATTERN) | WordFilter(language)
    return analyzer | StemFilter(language) if language in STEMMED_LANGUAGES else analyzer


_TOKEN = re.compile(WORD_PATTERN)
_PROSE = {lang: prose_analyzer(lang) for lang in (*STEMMED_LANGUAGES, None)}


@lru_cache(maxsize=200_000)
def _word_terms(word: str, language: str | None) -> tuple[tuple[str, int, int], ...]:
    analyzer = _PROSE.get(language, _PROSE[None])
    return tuple((t.text, t.startchar, t.endchar) for t in analyzer(word, chars=True))


@lru_cache(maxsize=200_000)
def _token_analysis(
    original: str, language: str | None
) -> tuple[str, bool, tuple[tuple[str, int, int], ...]]:
    """A word as written: its folded form, whether it is a compound, its terms."""
    word = word_form(original)
    return word, JOINERS.search(word) is not None, _word_terms(original, language)


def term_spans(text: str, language: str | None) -> list[tuple[str, int, int]]:
    """What :func:`prose_analyzer` yields for ``text`` (term, start, end), an order of
    magnitude faster: analysis is word by word, so each distinct word is analysed once.

    Snippets analyse every passage of every hit; this is their hot path.
    """
    spans: list[tuple[str, int, int]] = []
    append = spans.append
    spaced = _Spaced()
    for match in _TOKEN.finditer(text):
        offset, original = match.start(), match.group()
        word, compound, terms = _token_analysis(original, language)
        joined = spaced.see(original, word, compound, 0, offset)
        for term, start, end in terms:
            append((term, offset + start, offset + end))
        if joined and terms:
            append((_word_terms(joined, language)[0][0], spaced.start, match.end()))
    return spans


def text_analyzer():
    """The English prose analyzer (titles, summaries, English bodies)."""
    return prose_analyzer("en")


def name_analyzer():
    """Analyzer for names and identifiers: folded words, no stemming.

    Stop words go here too, so that "right to strike" does not require "to" in a name field.
    """
    return RegexTokenizer(WORD_PATTERN) | WordFilter("en")


def exact_analyzer():
    """Analyzer for quoted phrases: folded words as written, nothing stemmed, no stop word
    dropped (the analysis of prose in a language without a stemmer)."""
    return RegexTokenizer(WORD_PATTERN) | WordFilter(None)


def exact_spans(text: str) -> list[tuple[str, int, int]]:
    """What :func:`exact_analyzer` yields for ``text`` (term, start, end), word by word."""
    return term_spans(text, None)


def translit_analyzer():
    return RegexTokenizer(WORD_PATTERN) | TranslitFilter()


def facet_analyzer():
    """Analyzer for facet fields: each line is one exact value (values may contain spaces)."""
    return RegexTokenizer(r"[^\n]+")
