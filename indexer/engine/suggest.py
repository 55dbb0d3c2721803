"""'Did you mean': the query with its misspelt words replaced by the archive's own spellings.

Only plain words are replaced; everything else stays as typed: operators (OR, NOT, AND …),
``-word`` and the group after ``NOT``, ``field:value`` (also ``field:"…"`` and ``field:(…)``),
``date:…`` ranges, ``[a TO b]``, wildcards, ``word~N`` and ``^boost``; quotes and parentheses
are kept around corrected words. Short words (under ``MIN_CHARS``), acronyms in capitals and
words with digits are left alone.

A word's candidates are the spellings one edit away (a transposition counts as one) in the
words of every text field: titles, bodies and summaries in every language (unstemmed) and the
people, place and reference fields; two edits away (same first letter) when none is one
away. They are ranked by edit distance, then (for a word typed with a capital, a name) the
spellings of the people, place and reference fields first (Dufy: Duffy, not duty), then by
the number of letters holding them. Spellings are compared as written: a stem may be shared
by other words (represion and represent; McDowel and McDowell).

- A word no letter writes (a misspelling, even if its stem or the loose match of names finds
  letters for it) takes the best candidate (for a word without a capital, one its stem does
  not find already: not strike for strikes), else the closest word of an authority name. The
  suggestion is offered when it finds at least as many letters as the query (and one at
  least): Casment, which finds the half of the Casement letters that write the name in their
  text, suggests Casement; Tokaev, an authority's variant no letter writes, suggests the
  letters' Tokayev.
- A word some letters write is replaced only when typed with a capital (a name: real words
  such as poison/prison or easier/Easter are too alike), by a spelling one edit away, alike
  at both ends and written in ``KNOWN_RATIO`` times as many letters (Frangoch in one letter,
  Frongoch in many; Zürch, an old spelling, in 25 Escher letters, Zürich in 2,436); the
  suggestion is then offered only if it finds ``RATIO`` times as many letters.

The count of letters the suggestion finds comes with it, computed like the search (filters
included).

The near spellings come from the generation's lexicon (:mod:`indexer.engine.lexicon`: every
text field's words read once, with an index of their letter pairs), not from a walk through
each field's vocabulary. Bounded: at most ``MAX_WORDS`` words are looked up, the candidates'
check looks at the search's budget, and a suggestion not finished or counted in time is left
out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from whoosh.reading import IndexReader

from indexer.engine.budget import Budget
from indexer.engine.edits import edit_distance, same_case
from indexer.engine.lexicon import NAME_FIELDS, lexicon, searched_text_fields, spelling_fields
from indexer.engine.query import ParsedQuery
from indexer.engine.schema import FIELD_LANGUAGE
from indexer.letters.authority import Authorities
from indexer.letters.text import PLAIN_WORD, fold

RATIO = 2  # replacing a word the index holds: the corrected query finds this many times the letters
KNOWN_RATIO = 10  # … and the replacement is in this many times as many letters as the word
KNOWN_MIN_CHARS = 5  # … and both are at least this long, with the same first and last letter
MAX_WORDS = 10  # words of one query looked up; later ones stay as typed
MIN_CHARS = 4  # shorter words are not corrected
TWO_EDITS_FROM = 5  # words at least this long may be corrected by two edits
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO"})

#: a query as tokens: quoted phrases, ranges, parentheses, spaces and bare terms
_TOKENS = re.compile(r'"[^"]*"?|\[[^\]]*\]?|\{[^}]*\}?|[()]|\s+|[^\s()"\[{]+')
_WORD = re.compile(PLAIN_WORD)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


@dataclass(frozen=True)
class Correction:
    spelling: str  # in the case of the word it replaces
    known: bool  # the replaced word is in some letters (not only a misspelling)


@dataclass(frozen=True)
class Suggestion:
    text: str  # the corrected query
    total: int  # letters it finds (with the search's filters)


def suggest(
    reader: IndexReader,
    parsed: ParsedQuery,
    total: int,
    authorities: Authorities | None,
    budget: Budget,
    count: Callable[[str], int | None],
) -> Suggestion | None:
    """The corrected query and its count, when it finds enough letters (see above); None
    otherwise or when the budget ran out first. ``count`` gives the letters a query text
    finds (None: out of time)."""
    if parsed.query is None or budget.spent():
        return None
    speller = Speller(reader, authorities, budget)
    known_too = RATIO * max(total, 1) <= reader.doc_count()  # else no known word can do better
    pieces, changed, replaced_known, looked_up = [], False, False, 0
    for piece, plain in plain_words(parsed.text):
        if plain and looked_up < MAX_WORDS and correctable(piece):
            looked_up += 1
            corrected = speller.correct(piece, known_too)
            if budget.spent():
                return None
            if corrected is not None:
                piece, changed = corrected.spelling, True
                replaced_known = replaced_known or corrected.known
        pieces.append(piece)
    text = "".join(pieces)
    if not changed or fold(text) == fold(parsed.text):
        return None
    found = count(text)
    if found is None or found == 0 or found < (RATIO * total if replaced_known else total):
        return None
    return Suggestion(text, found)


def correctable(word: str) -> bool:
    return len(word) >= MIN_CHARS and not word.isupper() and not any(c.isdigit() for c in word)


def plain_words(text: str) -> Iterator[tuple[str, bool]]:
    """The query in pieces that join up to ``text``, each saying whether it is a plain word
    that may be replaced (everything else is query syntax, kept as typed)."""
    keep_next = False  # after ``field:`` or ``NOT``: the next term or group stays as typed
    kept_depth: int | None = None  # inside a group that stays as typed
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group(0)
        if token.isspace():
            yield token, False
            continue
        if token == "(":
            depth += 1
            if keep_next and kept_depth is None:
                kept_depth = depth
            keep_next = False
            yield token, False
            continue
        if token == ")":
            if kept_depth == depth:
                kept_depth = None
            depth = max(depth - 1, 0)
            yield token, False
            continue
        intact = keep_next or kept_depth is not None
        keep_next = token == "NOT" or (token.endswith(":") and not intact)
        if intact or _is_syntax(token):
            yield token, False
        elif token.startswith('"'):
            yield from _words(token)
        else:
            word, caret, boost = token.partition("^")
            yield from _words(word)
            if caret:
                yield caret + boost, False


def _is_syntax(token: str) -> bool:
    """Operators, ``-word``, ``field:…``, ranges, wildcards and fuzzy terms."""
    return (
        token in OPERATORS
        or token.startswith(("-", "[", "{"))
        or any(char in token for char in ":*?~")
    )


def _words(segment: str) -> Iterator[tuple[str, bool]]:
    """A bare term or a quoted phrase: its words (a possessive 's kept apart) and the rest."""
    cursor = 0
    for match in _WORD.finditer(segment):
        yield segment[cursor : match.start()], False
        word = match.group(0)
        possessive = _POSSESSIVE.search(word)
        if possessive:
            yield word[: possessive.start()], "'" not in word[: possessive.start()]
            yield possessive.group(0), False
        else:
            yield word, "'" not in word and "’" not in word
        cursor = match.end()
    yield segment[cursor:], False


class Speller:
    """Spellings of the index's text fields for one search, within its budget."""

    def __init__(self, reader: IndexReader, authorities: Authorities | None, budget: Budget):
        self.reader = reader
        self.authorities = authorities
        self.budget = budget
        self.size = reader.doc_count()
        self.searched = searched_text_fields(reader)
        self.fields = spelling_fields(reader)  # spelling field, counts postings per letter
        self.lexicon = lexicon(reader)

    def correct(self, word: str, known_too: bool = True) -> Correction | None:
        """The spelling that should replace ``word``, or None (``known_too``: also when the
        index holds the word)."""
        form = fold(word)
        letters = self.letters(form)
        if letters is None:
            return None
        name_typed = word[:1].isupper()  # a name: its spelling matters, not its stem
        if letters:  # spellings are compared as written (their stems may be shared)
            letters = self.written(form)  # 0: found only through a stem (represion, McDowel)
        possible = known_too and KNOWN_RATIO * letters <= self.size
        if letters and not (possible and name_typed and len(form) >= KNOWN_MIN_CHARS):
            return None
        ranked = self.candidates(form, two_edits=letters == 0, names_first=name_typed)
        if letters == 0 and not name_typed:  # a word's other forms are found already
            ranked = [c for c in ranked if not self.same_stem(form, c[2])]
        spelling = next(
            (s for _d, n, s in ranked if letters == 0 or _rarer(form, letters, s, n)), None
        )
        name = self.authorities.closest_word(word) if letters == 0 and self.authorities else None
        if spelling is None and name is not None and fold(name) == form:
            return None  # a word of an authority name that no letter spells otherwise
        if spelling is None and name is not None and edit_distance(fold(name), form) <= 2:
            spelling = name
        if spelling is None or fold(spelling) == form:
            return None
        return Correction(same_case(word, spelling), letters > 0)

    def written(self, form: str) -> int:
        """In how many letters the word stands as written (unstemmed; the largest count over
        the text fields)."""
        return max((self._letters(field, per, form) for field, per in self.fields), default=0)

    def same_stem(self, form: str, spelling: str) -> bool:
        """Whether the word finds the spelling's letters already: some prose field reads the
        two as one word (strikes and strike), and letters hold it there."""
        schema = self.reader.schema
        for field in (f for f in FIELD_LANGUAGE if f in schema):
            ours = [t.text for t in schema[field].analyzer(form, mode="query")]
            theirs = [t.text for t in schema[field].analyzer(spelling, mode="query")]
            if ours and ours == theirs and all(self.reader.doc_frequency(field, t) for t in ours):
                return True
        return False

    def letters(self, form: str) -> int | None:
        """In how many letters the index holds the word (as analysed for each field: stemmed
        or folded; the largest count); None for a stop word. Transliteration keys do not
        count: they are loose on purpose (Gifford and Giford share one)."""
        schema, best = self.reader.schema, 0
        for field in self.searched:
            if field not in schema:
                continue
            terms = [t.text for t in schema[field].analyzer(form, mode="query")]
            if not terms:
                return None
            for term in terms:
                best = max(best, self.reader.doc_frequency(field, term))
        return best

    def candidates(
        self, form: str, two_edits: bool = True, names_first: bool = False
    ) -> list[tuple[int, int, str]]:
        """(edits, letters, spelling) of the spellings near ``form``, best first: one edit
        away (transpositions too), else two (with the same first letter). ``names_first``:
        of those as near, the spellings of people's and places' names come first (Dufy:
        Duffy, not duty).

        The words come from the generation's lexicon (:mod:`indexer.engine.lexicon`).
        """
        near = list(self.lexicon.near(form, 1, self.budget))
        if not near and two_edits and len(form) >= TWO_EDITS_FROM:
            near = list(self.lexicon.near(form, 2, self.budget))
        found: dict[str, int] = {}
        names: set[str] = set()  # spellings of the name fields
        for field, per_letter in self.fields:
            counts = {s: self._letters(field, per_letter, s) for s in near}
            counts = {s: n for s, n in counts.items() if n}
            found.update({s: max(n, found.get(s, 0)) for s, n in counts.items()})
            if field in NAME_FIELDS:
                names.update(counts)
        ranked = [
            (edit_distance(form, s), names_first and s not in names, -n, s)
            for s, n in found.items()
        ]
        return [(d, -negative, s) for d, _other, negative, s in sorted(ranked)]

    def _letters(self, field: str, per_letter: bool, spelling: str) -> int:
        if per_letter:
            return int(self.reader.doc_frequency(field, spelling))
        return int(self.reader.frequency(field, spelling))  # a spelling field: one per letter


def _rarer(form: str, letters: int, spelling: str, spelling_letters: int) -> bool:
    """Whether a word the index holds is a rare misspelling of ``spelling`` (Casemnet in one
    letter, Casement in forty): much more frequent, and alike at both ends (which keeps
    reign/resign, pound/found and larger/large apart in most cases)."""
    return (
        spelling_letters >= KNOWN_RATIO * letters
        and len(spelling) >= KNOWN_MIN_CHARS
        and spelling[0] == form[0]
        and spelling[-1] == form[-1]
    )
