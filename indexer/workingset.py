"""A working set: letters a person picked from searches, to read, cite and export together.

Nothing is stored on the server (there are no accounts): the set travels as ``id`` parameters
(``/set?id=…&id=…``), and the pages keep it in the browser's local storage between searches.
:func:`working_set` turns the ids into the letters' hits, in the order picked, and names the ids
the archive no longer holds instead of failing — a set saved last month may outlive a letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from indexer.links import Links
from indexer.request import MAX_VALUE_CHARS, BadRequest
from indexer.results import Hit, hit_json

MAX_LETTERS = 500


class FindsLetters(Protocol):
    def hits(self, letter_ids: Iterable[str]) -> list[Hit | None]: ...


@dataclass
class WorkingSet:
    hits: list[Hit] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # ids the archive does not hold

    @property
    def ids(self) -> list[str]:
        return [hit.id for hit in self.hits]

    def to_json(self, links: Links) -> dict[str, Any]:
        return {
            "ids": self.ids,
            "missing": self.missing,
            "total": len(self.hits),
            "hits": [hit_json(hit, "", links) for hit in self.hits],
        }


def set_ids(values: Iterable[str]) -> list[str]:
    """The ``id`` parameters, in order, without repeats; too many or too long is an error."""
    ids = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(ids) > MAX_LETTERS:
        raise BadRequest(f"a working set holds at most {MAX_LETTERS} letters, not {len(ids)}", "id")
    for letter_id in ids:
        if len(letter_id) > MAX_VALUE_CHARS:
            raise BadRequest(f"an 'id' is too long (at most {MAX_VALUE_CHARS})", "id", letter_id)
    return ids


def working_set(session: FindsLetters, ids: list[str]) -> WorkingSet:
    found = WorkingSet()
    for letter_id, hit in zip(ids, session.hits(ids), strict=True):
        if hit is None:
            found.missing.append(letter_id)
        else:
            found.hits.append(hit)
    return found
