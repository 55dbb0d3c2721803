"""Which place a place name on a letter is: the one key of a place, and the places of an
archive gathered from the names its letters give for where they were written and received.

Editions write one place in several ways ("Dublin Castle, Dublin, Ireland" and the same with a
full stop; "Zürich" and "Zurich"). :func:`place_key` is the one place that decides which names
are one place: the folded words of the name, joined by hyphens, so that case, accents and
punctuation do not make two places. A key is its own key, so a key in an address finds the
place again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer.letters.text import slug


def place_key(name: str) -> str:
    """'Dublin Castle, Dublin, Ireland.' -> 'dublin-castle-dublin-ireland' (empty for a name
    without letters or digits): the slug of the name, as a person's key is."""
    return slug(name)


@dataclass
class Place:
    """One place: its key, the names letters give it with their letters, and how many letters
    were written and received there (a letter written and received in one place counts in
    both)."""

    key: str
    written: dict[str, int] = field(default_factory=dict)  # name -> letters written there
    received: dict[str, int] = field(default_factory=dict)  # name -> letters received there

    @property
    def name(self) -> str:
        """The name most letters give it (ties: the first alphabetically)."""
        totals: dict[str, int] = {}
        for names in (self.written, self.received):
            for name, count in names.items():
                totals[name] = totals.get(name, 0) + count
        return min(totals, key=lambda n: (-totals[n], n.casefold(), n))

    @property
    def names(self) -> list[str]:
        """Every name it is given, the usual one first."""
        others = sorted(set(self.written) | set(self.received), key=str.casefold)
        return [self.name, *(n for n in others if n != self.name)]

    @property
    def letters_written(self) -> int:
        return sum(self.written.values())

    @property
    def letters_received(self) -> int:
        return sum(self.received.values())

    @property
    def letters(self) -> int:
        return self.letters_written + self.letters_received


def gather_places(written: Mapping[str, int], received: Mapping[str, int]) -> dict[str, Place]:
    """The places of an archive by key, from the letters per place of writing (``written``)
    and per place of arrival (``received``); names without a key are left out."""
    places: dict[str, Place] = {}
    for names, side in ((written, "written"), (received, "received")):
        for name, count in names.items():
            key = place_key(name)
            if key and count:
                place = places.setdefault(key, Place(key))
                getattr(place, side)[name] = count
    return places
