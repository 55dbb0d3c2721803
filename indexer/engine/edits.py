"""Edits between spellings: the distance that ranks "did you mean" candidates, the cheap
one-edit variants looked up directly, and a suggestion written like the word it replaces."""

from __future__ import annotations

from collections.abc import Iterator

from indexer.letters.text import fold

_LATIN = "abcdefghijklmnopqrstuvwxyz"
_CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюя"


def first_letter_edits(form: str) -> Iterator[str]:
    """The word with its first letter left out, replaced, or another put before it."""
    alphabet = _CYRILLIC if "а" <= form[:1] <= "я" else _LATIN
    yield form[1:]
    for letter in alphabet:
        if letter != form[0]:
            yield letter + form[1:]
        yield letter + form


def transpositions(form: str) -> Iterator[str]:
    for i in range(len(form) - 1):
        if form[i] != form[i + 1]:
            yield form[:i] + form[i + 1] + form[i] + form[i + 2 :]


def edit_distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions and transpositions of
    neighbours (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def within_edits(a: str, b: str, k: int) -> bool:
    """Whether ``b`` is at most ``k`` insertions, deletions or substitutions from ``a``
    (Levenshtein, as Whoosh's fuzzy automata count; rows stop early past ``k``)."""
    if abs(len(a) - len(b)) > k:
        return False
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(row) > k:
            return False
        previous = row
    return previous[-1] <= k


def same_case(original: str, suggestion: str) -> str:
    """The suggestion written like the word it replaces: where the two agree letter for
    letter, the typed letter (its accent and case: Caitlínn -> Caitlín, McCarty ->
    McCarthy); a capital first letter if the word had one."""
    folded = [fold(char) for char in original]
    if any(len(char) != 1 for char in folded):
        aligned: dict[int, int] = {}
    else:
        aligned = _alignment("".join(folded), suggestion)
    chars = []
    for j, char in enumerate(suggestion):
        i = aligned.get(j)
        chars.append(original[i] if i is not None and (i > 0 or j == 0) else char)
    chars[0] = chars[0].upper() if original[:1].isupper() else chars[0].lower()
    return "".join(chars)


def _alignment(a: str, b: str) -> dict[int, int]:
    """Positions of ``b`` -> positions of ``a`` holding the same letter, along a cheapest
    edit path (insertions, deletions, substitutions)."""
    rows = [list(range(len(b) + 1))]
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (char != other)))
        rows.append(row)
    aligned, i, j = {}, len(a), len(b)
    while i > 0 and j > 0:
        if rows[i][j] == rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            if a[i - 1] == b[j - 1]:
                aligned[j - 1] = i - 1
            i, j = i - 1, j - 1
        elif rows[i][j] == rows[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return aligned
