"""The lexicon finds the same near spellings as walking Levenshtein automata over every text
field's vocabulary (Whoosh's way, which it replaced), and holds every field's words."""

from __future__ import annotations

import random

from indexer.engine.budget import Budget
from indexer.engine.edits import first_letter_edits, transpositions
from indexer.engine.expansion import Expander
from indexer.engine.lexicon import NAME_FIELDS, lexicon, spelling_fields


def walked(reader, form: str, distance: int) -> set[str]:  # type: ignore[no-untyped-def]
    """The spellings near ``form`` as the suggestion found them before the lexicon."""
    expander = Expander(reader, Budget(60.0))
    variants = [*first_letter_edits(form), *transpositions(form)] if distance == 1 else []
    found: set[str] = set()
    for field, _per_letter in spelling_fields(reader):
        found.update(expander.within(field, form, distance, 1))
        found.update(v for v in variants if (field, v) in reader)
    return found - {form}


def misspellings(words: list[str], rng: random.Random) -> list[str]:
    """Words of the lexicon with one or two random edits, and some left as they are."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    forms = []
    for word in rng.sample(words, 120):
        form = word
        for _ in range(rng.choice((0, 1, 1, 2))):
            i = rng.randrange(len(form) + 1)
            edit = rng.choice(("insert", "delete", "replace", "swap"))
            if edit == "insert":
                form = form[:i] + rng.choice(letters) + form[i:]
            elif edit == "delete" and len(form) > 1:
                form = form[:i] + form[i + 1 :]
            elif edit == "replace" and i < len(form):
                form = form[:i] + rng.choice(letters) + form[i + 1 :]
            elif edit == "swap" and i + 1 < len(form):
                form = form[:i] + form[i + 1] + form[i] + form[i + 2 :]
        if len(form) >= 4:
            forms.append(form)
    return forms


def test_near_spellings_are_the_automata_walks(searcher) -> None:  # type: ignore[no-untyped-def]
    reader = searcher.reader()
    words = lexicon(reader).words
    forms = misspellings([w for w in words if len(w) >= 4], random.Random(18))
    assert len(forms) > 80
    for form in forms:
        for distance in (1, 2):
            expected = walked(reader, form, distance)
            near = list(lexicon(reader).near(form, distance, Budget(60.0)))
            assert len(near) == len(set(near)) and set(near) == expected, form


def test_the_words_are_those_of_every_text_field(searcher) -> None:  # type: ignore[no-untyped-def]
    reader = searcher.reader()
    expected: set[str] = set()
    for field, _per_letter in spelling_fields(reader):
        expected.update(reader.schema[field].from_bytes(raw) for raw in reader.lexicon(field))
    found = lexicon(reader)
    assert found.words == sorted(expected)
    assert found.lengths.tolist() == [len(w) for w in found.words]
    assert {"kazakhstan", "strike"} <= expected
    assert any(f in NAME_FIELDS for f, _per in spelling_fields(reader))


def test_a_spent_budget_stops_the_search(searcher) -> None:  # type: ignore[no-untyped-def]
    budget = Budget(60.0)
    budget.deadline = 0.0  # spent before the first look
    assert list(lexicon(searcher.reader()).near("strke", 1, budget)) == []
