"""People and their correspondence as plain data: a person's page, the list of people, the
network of who wrote to whom. The engine fills these (``indexer/engine/people.py``); the web
app, the CLI and the exports show them. Keys are :func:`indexer.letters.people.person_key`.

A letter's *writers* are its senders and signatories, its *addressees* its recipients: "A wrote
to B" counts the letters A sent or signed that B received.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

#: the roles a name has on a letter, as facets name them, in the order pages show them
ROLES = ("sender", "signatory", "recipient", "cc", "mention")
ROLE_TITLES = {
    "sender": "Sent",
    "signatory": "Signed",
    "recipient": "Received",
    "cc": "Copied to",
    "mention": "Mentioned in",
}
DIRECTORY_SORTS = ("letters", "name")


@dataclass(frozen=True)
class Correspondent:
    key: str
    name: str
    letters: int


@dataclass(frozen=True)
class NameUse:
    """One way letters write a person's name in one role, and in how many letters."""

    role: str
    value: str  # the facet value (an authority id for mentions, a TEI identity's key)
    letters: int
    name: str = ""  # the name as written, where the value is a key


@dataclass(frozen=True)
class PersonProfile:
    key: str
    name: str
    type: str  # the authority's entity type ("person", "organisation", …), else ""
    variants: tuple[str, ...]  # every other name: the authority's and the letters' own
    uses: tuple[NameUse, ...]
    counts: dict[str, int]  # role -> letters
    letters: int  # letters in any role
    years: tuple[tuple[str, int], ...]  # oldest first
    undated: int
    wrote_to: tuple[Correspondent, ...]
    received_from: tuple[Correspondent, ...]
    signed_with: tuple[Correspondent, ...]
    timed_out: bool = False

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(role for role in ROLES if self.counts.get(role))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["roles"] = list(self.roles)
        data["years"] = [{"year": y, "letters": n} for y, n in self.years]
        return data


@dataclass(frozen=True)
class PersonEntry:
    key: str
    name: str
    type: str
    roles: tuple[str, ...]
    letters: int


@dataclass(frozen=True)
class Directory:
    entries: tuple[PersonEntry, ...]
    total: int  # people matching the filter
    page: int
    per_page: int
    q: str = ""
    sort: str = "letters"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_json(self, person_url: Callable[[str], str]) -> dict[str, Any]:
        """As ``/api/people`` and ``letters people --json`` give it."""
        return {
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "people": [
                {"key": e.key, "name": e.name, "type": e.type, "roles": list(e.roles),
                 "letters": e.letters, "url": person_url(e.key)}
                for e in self.entries
            ],
        }  # fmt: skip


@dataclass(frozen=True)
class NetworkNode:
    key: str
    name: str
    letters: int  # matching letters they wrote or received
    sent: int
    received: int


@dataclass(frozen=True)
class NetworkEdge:
    source: str  # a writer's key
    target: str  # an addressee's key
    letters: int


@dataclass
class Network:
    letters: int  # matching letters
    nodes: list[NetworkNode] = field(default_factory=list)  # most letters first
    edges: list[NetworkEdge] = field(default_factory=list)  # most letters first
    timed_out: bool = False
    truncated: bool = False  # more people than a network holds: the busiest kept

    def to_json(self) -> dict[str, Any]:
        return {
            "letters": self.letters,
            "nodes": [asdict(n) for n in self.nodes],
            "edges": [asdict(e) for e in self.edges],
            "timed_out": self.timed_out,
            "truncated": self.truncated,
        }
