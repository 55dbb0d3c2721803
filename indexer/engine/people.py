"""Everyone the letters name, keyed once per index generation, from the facet tables.

Each value of the sender, signatory, recipient, cc and mention fields is given its person key
(:func:`indexer.letters.people.person_key`); values with one key are one party. A party's
letters in a role are the union of its values' postings, so a person's page, the filters
``between``/``writer``/``addressee`` and the network all count from the same tables, without
reading a stored letter. Loops over letters check the search's budget.
"""

from __future__ import annotations

import threading
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.reading import IndexReader

from indexer.correspondents import ROLES, Correspondent, NameUse, PersonEntry
from indexer.engine.budget import Budget
from indexer.engine.facets import FacetTable, facet_tables, table, value_postings
from indexer.engine.gencache import cached
from indexer.engine.schema import CC_FIELD
from indexer.letters.authority import Authorities
from indexer.letters.people import person_key
from indexer.letters.text import fold
from indexer.request import SearchRequest

WRITING = ("sender", "signatory")
CHECK_EVERY = 512  # letters between two looks at the budget
MAX_CORRESPONDENTS = 100  # per list of a person's page


def role_tables(reader: IndexReader) -> dict[str, FacetTable]:
    """The facet tables of the roles, with the cc names' table (not a facet) beside them."""
    tables = facet_tables(reader)

    def build_cc(r: IndexReader) -> FacetTable:
        return table(value_postings(r, "cc", CC_FIELD), r.doc_count_all())

    return {
        **{role: tables[role] for role in ROLES if role != "cc"},
        "cc": cached(reader, "cc", build_cc),
    }


@dataclass(frozen=True)
class KeyColumn:
    """Per letter, the numbers of its parties in some roles, compactly (like a FacetTable):
    ``first`` the first one (-1: none), ``more`` the others of the few letters with several."""

    first: array
    more: dict[int, tuple[int, ...]]

    def of(self, doc: int) -> tuple[int, ...]:
        first = self.first[doc]
        if first < 0:
            return ()
        more = self.more.get(doc)
        return (first, *more) if more else (first,)


class People:
    """The parties of one index generation (build with :func:`people_of`)."""

    def __init__(self, tables: dict[str, FacetTable], authorities: Authorities) -> None:
        self.tables = tables
        self.authorities = authorities
        self.keys: list[str] = []
        self.numbers: dict[str, int] = {}
        self.uses: list[dict[str, list[str]]] = []  # key number -> role -> values
        self.value_keys: dict[str, array] = {}  # role -> value number -> key number
        for role in ROLES:
            values = tables[role].values
            keys = array("i", [0]) * len(values)
            for number, value in enumerate(values):
                label = tables[role].label(value)  # a TEI identity: the value is its key
                if role == "mention":
                    key = value
                elif label:  # one TEI identity: keyed by its name, readable in addresses
                    key = person_key(label, authorities)
                else:
                    key = person_key(value, authorities)
                if not key:
                    key = "unnamed"
                keys[number] = self._number(key)
                self.uses[keys[number]].setdefault(role, []).append(value)
            self.value_keys[role] = keys
        self.letters = [len(self.documents(k, ROLES)) for k in range(len(self.keys))]
        self.names = [self._name(k) for k in range(len(self.keys))]
        self._columns: dict[tuple[str, ...], KeyColumn] = {}
        self._lock = threading.Lock()
        self._by_letters: list[int] | None = None
        self._by_name: list[int] | None = None
        self._search_texts: list[str] | None = None

    def _number(self, key: str) -> int:
        if key not in self.numbers:
            self.numbers[key] = len(self.keys)
            self.keys.append(key)
            self.uses.append({})
        return self.numbers[key]

    def _name(self, number: int) -> str:
        entity = self.authorities.entities.get(self.keys[number])
        if entity is not None:
            return entity.name
        used: Counter[str] = Counter()
        for r, vs in self.uses[number].items():
            for v in vs:
                used[self.shown(r, v)] += len(self.tables[r].postings.get(v, ()))
        return min(used, key=lambda v: (-used[v], v)) if used else self.keys[number]

    def shown(self, role: str, value: str) -> str:
        """A facet value as people read it: the name of a TEI identity, else the value."""
        return self.tables[role].label(value) or value

    # -- lookups -------------------------------------------------------------------------------

    def number(self, key_or_name: str) -> int | None:
        """The party a key or a name stands for (None: no letter names it)."""
        found = self.numbers.get(key_or_name)
        if found is None:
            found = self.numbers.get(person_key(key_or_name, self.authorities))
        return found

    def type(self, number: int) -> str:
        entity = self.authorities.entities.get(self.keys[number])
        return entity.type if entity else ""

    def entry(self, number: int) -> PersonEntry:
        roles = tuple(r for r in ROLES if r in self.uses[number])
        return PersonEntry(
            self.keys[number], self.names[number], self.type(number), roles, self.letters[number]
        )

    def variants(self, number: int) -> tuple[str, ...]:
        """Every name of the party but the one shown: the authority's, then the letters'."""
        entity = self.authorities.entities.get(self.keys[number])
        names = list(entity.names if entity else ())
        names += [
            self.shown(r, v) for r, vs in self.uses[number].items() if r != "mention" for v in vs
        ]
        return tuple(n for n in dict.fromkeys(names) if n != self.names[number])

    def name_uses(self, number: int) -> tuple[NameUse, ...]:
        return tuple(
            NameUse(
                role,
                value,
                len(self.tables[role].postings.get(value, ())),
                self.shown(role, value),
            )
            for role in ROLES
            for value in self.uses[number].get(role, ())
        )

    # -- letters -------------------------------------------------------------------------------

    def documents(self, number: int, roles: Iterable[str]) -> set[int]:
        """The letters in which the party has any of these roles."""
        docs: set[int] = set()
        for role in roles:
            for value in self.uses[number].get(role, ()):
                docs.update(self.tables[role].postings.get(value, ()))
        return docs

    def writers(self, doc: int) -> set[int]:
        return self.doc_keys(doc, WRITING)

    def addressees(self, doc: int) -> set[int]:
        return self.doc_keys(doc, ("recipient",))

    def doc_keys(self, doc: int, roles: Iterable[str]) -> set[int]:
        """The parties having any of these roles in one letter."""
        found: set[int] = set()
        for role in roles:
            column, keys = self.tables[role], self.value_keys[role]
            first = column.first[doc]
            if first >= 0:
                found.add(keys[first])
                found.update(keys[v] for v in column.more.get(doc, ()))
        return found

    def column(self, roles: tuple[str, ...]) -> KeyColumn:
        """The parties of every letter in these roles, built once (for networks)."""
        with self._lock:  # one build per generation, however many requests ask at once
            found = self._columns.get(roles)
            if found is None:
                found = self._columns[roles] = self._build_column(roles)
            return found

    def _build_column(self, roles: tuple[str, ...]) -> KeyColumn:
        size = len(self.tables[roles[0]].first)
        first = array("i", [-1]) * size
        more: dict[int, tuple[int, ...]] = {}
        candidates: set[int] = set()
        for role in roles:
            column = self.tables[role]
            candidates.update(d for d in range(size) if column.first[d] >= 0)
        for doc in candidates:
            keys = sorted(self.doc_keys(doc, roles))
            first[doc] = keys[0]
            if len(keys) > 1:
                more[doc] = tuple(keys[1:])
        return KeyColumn(first, more)

    def correspondents(
        self, docs: set[int], keys_of: str, without: int, budget: Budget
    ) -> tuple[Correspondent, ...]:
        """The parties (``keys_of``: "writers", "addressees" or a role) of these letters, with
        their number of letters, most first; ``without`` the party whose page this is."""
        roles = {"writers": WRITING, "addressees": ("recipient",)}.get(keys_of, (keys_of,))
        tally: Counter[int] = Counter()
        for i, doc in enumerate(docs):
            if i % CHECK_EVERY == 0 and budget.spent():
                break
            tally.update(self.doc_keys(doc, roles) - {without})
        ranked = sorted(tally.items(), key=lambda kn: (-kn[1], self.names[kn[0]].casefold()))
        return tuple(
            Correspondent(self.keys[k], self.names[k], n) for k, n in ranked[:MAX_CORRESPONDENTS]
        )

    def between(self, values: tuple[str, ...]) -> set[int]:
        """One party: the letters naming it in any role; two: those one wrote to the other."""
        numbers = [self.number(v) for v in values]
        if any(n is None for n in numbers):
            return set()
        if len(numbers) == 1:
            return self.documents(numbers[0], ROLES)  # type: ignore[arg-type]
        a, b = numbers[0], numbers[1]
        wrote_a, wrote_b = self.documents(a, WRITING), self.documents(b, WRITING)  # type: ignore[arg-type]
        got_a, got_b = self.documents(a, ("recipient",)), self.documents(b, ("recipient",))  # type: ignore[arg-type]
        return (wrote_a & got_b) | (wrote_b & got_a)

    def in_role(self, value: str, roles: tuple[str, ...]) -> set[int]:
        number = self.number(value)
        return set() if number is None else self.documents(number, roles)

    # -- the list of people ----------------------------------------------------------------------

    def ordered(self, sort: str) -> list[int]:
        if sort == "name":
            if self._by_name is None:
                self._by_name = sorted(
                    range(len(self.keys)), key=lambda k: (self.names[k].casefold(), self.keys[k])
                )
            return self._by_name
        if self._by_letters is None:
            self._by_letters = sorted(
                range(len(self.keys)),
                key=lambda k: (-self.letters[k], self.names[k].casefold(), self.keys[k]),
            )
        return self._by_letters

    def matching(self, q: str, sort: str) -> list[int]:
        """The parties one of whose names holds all words of ``q`` (folded), in order."""
        order = self.ordered(sort)
        words = fold(q).split()
        if not words:
            return order
        if self._search_texts is None:
            self._search_texts = [
                fold(" | ".join((self.names[k], self.keys[k], *self.variants(k))))
                for k in range(len(self.keys))
            ]
        texts = self._search_texts
        return [k for k in order if all(w in texts[k] for w in words)]


def people_filter(people: People, request: SearchRequest) -> set[int]:
    """The letters of a request's ``between``, ``writer`` and ``addressee`` (all of them)."""
    found: set[int] | None = None
    if request.between:
        found = people.between(request.between)
    for value, roles in ((request.writer, WRITING), (request.addressee, ("recipient",))):
        if value:
            docs = people.in_role(value, roles)
            found = docs if found is None else found & docs
    return found or set()


def people_of(reader: IndexReader, authorities: Authorities) -> People:
    """The parties of this reader's generation, built once and shared by all requests."""
    return cached(reader, "people", lambda r: People(role_tables(r), authorities))
