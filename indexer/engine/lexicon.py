"""The spellings of one index generation in compact arrays, searched for near spellings.

"Did you mean" needs the words one or two edits from a misspelling. Walking a Levenshtein
automaton over each text field's vocabulary (Whoosh's way) costs a second at 20,000 letters:
pure-Python automaton steps over a large vocabulary, once per field. Here the spellings of
every text field are read once per generation into one sorted word list with an index of
each word's letter pairs (numpy arrays; the counts of the few candidates are looked up in
the fields, as before). A word within ``k`` edits keeps all but ``2k`` of the pairs of the
misspelling (three for a transposition), so counting shared pairs with numpy leaves a few
candidates, which are then checked exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

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


PAIR_SHIFT = 21  # bits of a code point: a letter pair is one integer


def _pair_codes(word: str) -> set[int]:
    """The word's distinct letter pairs, its ends marked (``^w wo or rd d$``), as integers."""
    codes = [ord(char) for char in f"\x02{word}\x03"]
    return {(a << PAIR_SHIFT) | b for a, b in pairwise(codes)}


@dataclass(frozen=True)
class Lexicon:
    words: list[str]  # sorted
    lengths: np.ndarray
    pairs: np.ndarray  # the distinct letter pairs, sorted
    starts: np.ndarray  # pair number -> where its words begin in ``members`` (one more at the end)
    members: np.ndarray  # word numbers, grouped by pair

    def near(self, form: str, distance: int, budget: Budget) -> Iterator[str]:
        """The words near ``form``, as the suggestion has always looked for them: at
        ``distance`` 1, one edit after the first letter, any edit of the first letter (Latin
        or Cyrillic) or a transposition; at 2, at most two edits after the same first
        letter. ``form`` itself is left out."""
        slack = 3 if distance == 1 else 4  # pairs an edit can break: two; a transposition three
        wanted = _pair_codes(form)
        found = [self._members(code) for code in wanted]
        shared = np.bincount(
            np.concatenate([*found, np.empty(0, np.int32)]), minlength=len(self.words)
        )
        fit = (shared >= len(wanted) - slack) & (np.abs(self.lengths - len(form)) <= distance)
        accept = _within_one(form) if distance == 1 else _within_two(form)
        for n, number in enumerate(np.flatnonzero(fit)):
            if n % CHECK_EVERY == 0 and budget.spent():
                return
            word = self.words[number]
            if word != form and accept(word):
                yield word

    def _members(self, code: int) -> np.ndarray:
        number = int(np.searchsorted(self.pairs, code))
        if number == len(self.pairs) or self.pairs[number] != code:
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
    found: set[str] = set()
    for field, _per_letter in spelling_fields(reader):
        decode = reader.schema[field].from_bytes
        for leaf, _offset in reader.leaf_readers():
            found.update(decode(raw) for raw in leaf.lexicon(field))
    words = sorted(found)
    padded = [f"\x02{word}\x03" for word in words]
    lengths = np.fromiter(map(len, padded), np.int64, len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), np.uint32).astype(np.int64)
    pairs = (codes[:-1] << PAIR_SHIFT) | codes[1:]
    owners = np.repeat(np.arange(len(words), dtype=np.int32), lengths)[:-1]
    within = np.ones(len(pairs), bool)
    within[np.cumsum(lengths)[:-1] - 1] = False  # a word's last letter and the next one's first
    pairs, owners = pairs[within], owners[within]
    order = np.lexsort((owners, pairs))
    pairs, owners = pairs[order], owners[order]
    repeated = np.zeros(len(pairs), bool)
    repeated[1:] = (pairs[1:] == pairs[:-1]) & (owners[1:] == owners[:-1])
    pairs, owners = pairs[~repeated], owners[~repeated]
    distinct, starts = np.unique(pairs, return_index=True)
    return Lexicon(
        words=words,
        lengths=(lengths - 2).astype(np.int32),
        pairs=distinct,
        starts=np.append(starts, len(pairs)),
        members=owners,
    )
