"""The spellings of one index generation in compact arrays, searched for near spellings.

"Did you mean" needs the words one or two edits from a misspelling. Walking a Levenshtein
automaton over each text field's vocabulary (Whoosh's way) costs a second at 20,000 letters:
pure-Python automaton steps over a large vocabulary, once per field. Here the spellings of
every text field are read once per generation into one lexicon (each word with its largest
count of letters over the fields, and whether a name field holds it) with an index of each
word's letter pairs. A word within ``k`` edits keeps all but ``2k`` of the pairs of the
misspelling (three for a transposition), so counting shared pairs with numpy leaves a few
candidates, which are then checked exactly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader

from indexer.engine.budget import Budget
from indexer.engine.edits import first_letter_edits, transpositions, within_edits
from indexer.engine.gencache import cached
from indexer.engine.schema import FIELD_LANGUAGE, PROSE_FIELDS, present_prose_fields

#: the people, place and reference fields: their spellings are names (suggest.py ranks them)
NAME_FIELDS = ("sender", "signatory", "recipient", "cc", "place", "reference")
CHECK_EVERY = 256  # candidates checked between two looks at the clock


def searched_text_fields(reader: IndexReader) -> list[str]:
    """The text fields whose words a suggestion may use (a language without letters has no
    say)."""
    present = present_prose_fields(reader)
    return [f for f in (*FIELD_LANGUAGE, *NAME_FIELDS) if f in present or f not in PROSE_FIELDS]


def spelling_fields(reader: IndexReader) -> list[tuple[str, bool]]:
    """(field holding the words as written, whether it counts postings per letter): a
    stemmed field keeps its unstemmed words in a spelling field, whose count is the
    spelling's frequency (one posting per letter)."""
    schema, fields = reader.schema, []
    for field in searched_text_fields(reader):
        if field in schema:
            spelling = schema[field].spelling_fieldname(field)
            if spelling in schema:
                fields.append((spelling, spelling == field))
    return fields


def _pairs(word: str) -> set[str]:
    """The word's distinct letter pairs, its ends marked: ``^w``, ``wo``, ``or``, ``rd``, ``d$``."""
    padded = f"\x02{word}\x03"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


@dataclass(frozen=True)
class Lexicon:
    words: list[str]
    letters: np.ndarray  # the word's largest count of letters over the text fields
    lengths: np.ndarray
    names: frozenset[str]  # the words a name field holds
    pair_ids: dict[str, int]
    starts: np.ndarray  # pair id -> where its words begin in ``members`` (one more at the end)
    members: np.ndarray  # word numbers, grouped by pair

    def count(self, word: str) -> int:
        """The letters holding ``word`` as written (0: none)."""
        number = bisect_left(self.words, word)
        found = number < len(self.words) and self.words[number] == word
        return int(self.letters[number]) if found else 0

    def near(self, form: str, distance: int, budget: Budget) -> Iterator[tuple[str, int]]:
        """(spelling, letters) of the words near ``form``, as the suggestion has always
        looked for them: at ``distance`` 1, one edit after the first letter, any edit of
        the first letter (Latin or Cyrillic) or a transposition; at 2, at most two edits
        after the same first letter. ``form`` itself is left out."""
        slack = 3 if distance == 1 else 4  # pairs an edit can break: two; a transposition three
        wanted = _pairs(form)
        lists = [self._members(pair) for pair in wanted]
        every = np.concatenate([*lists, np.empty(0, np.int32)])
        shared = np.bincount(every, minlength=len(self.words))
        fit = (shared >= len(wanted) - slack) & (np.abs(self.lengths - len(form)) <= distance)
        accept = _within_one(form) if distance == 1 else _within_two(form)
        for n, number in enumerate(np.flatnonzero(fit)):
            if n % CHECK_EVERY == 0 and budget.spent():
                return
            word = self.words[number]
            if word != form and accept(word):
                yield word, int(self.letters[number])

    def _members(self, pair: str) -> np.ndarray:
        number = self.pair_ids.get(pair)
        if number is None:
            return np.empty(0, np.int32)
        return self.members[self.starts[number] : self.starts[number + 1]]


def _within_one(form: str) -> Callable[[str], bool]:
    variants = {*first_letter_edits(form), *transpositions(form)}
    head, tail = form[:1], form[1:]
    return lambda word: word in variants or (word[:1] == head and within_edits(tail, word[1:], 1))


def _within_two(form: str) -> Callable[[str], bool]:
    head, tail = form[:1], form[1:]
    return lambda word: word[:1] == head and within_edits(tail, word[1:], 2)


def lexicon(reader: IndexReader) -> Lexicon:
    """This generation's lexicon, built once (the warmer builds it in the background)."""
    return cached(reader, "lexicon", _build)


def _build(reader: IndexReader) -> Lexicon:
    counts: dict[str, int] = {}
    names: set[str] = set()
    for field, per_letter in spelling_fields(reader):
        totals: dict[str, int] = {}
        decode = reader.schema[field].from_bytes
        for leaf, _offset in reader.leaf_readers():
            for raw, info in leaf.iter_field(field):
                text = decode(raw)
                add = info.doc_frequency() if per_letter else info.weight()
                totals[text] = totals.get(text, 0) + int(add)
        for text, total in totals.items():
            if total > counts.get(text, 0):
                counts[text] = total
        if field in NAME_FIELDS:
            names.update(totals)
    words = sorted(counts)
    pair_ids: dict[str, int] = {}
    pair_of: list[int] = []
    word_of: list[int] = []
    for number, word in enumerate(words):
        for pair in _pairs(word):
            pair_of.append(pair_ids.setdefault(pair, len(pair_ids)))
            word_of.append(number)
    pairs = np.asarray(pair_of, dtype=np.int32)
    order = np.argsort(pairs, kind="stable")
    starts = np.searchsorted(pairs[order], np.arange(len(pair_ids) + 1)).astype(np.int64)
    return Lexicon(
        words=words,
        letters=np.asarray([counts[w] for w in words], dtype=np.int64),
        lengths=np.asarray([len(w) for w in words], dtype=np.int32),
        names=frozenset(names),
        pair_ids=pair_ids,
        starts=starts,
        members=np.asarray(word_of, dtype=np.int32)[order],
    )
