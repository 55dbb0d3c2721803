"""The authority file: people, organisations, places and conventions with all their names.

``corpus/authorities.yaml`` lists entities with variants, acronyms and translations (format in
corpus/README.md). Letters are tagged with the entities they mention (the "mention" facet), and a
query naming any variant also finds letters that use another one (ITUC = International Trade
Union Confederation = МКП; CITUK = KNPRK; C087 = Convention No. 87).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from indexer.letters.mentions import Recogniser, rewrite_query
from indexer.letters.text import fold
from indexer.letters.yamlfile import read_entries

AUTHORITY_FILE = "authorities.yaml"


def authority_file(corpus: Path) -> Path:
    """Where a corpus keeps its authority file (it may have none)."""
    return corpus / AUTHORITY_FILE


ENTITY_TYPES = ("person", "organisation", "place", "convention", "law", "other")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class AuthorityError(ValueError):
    """The authority file cannot be used; the message names the entry and the problem."""


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    variants: tuple[str, ...] = ()
    series: str | None = None  # numbered in this series: c087 is number 87 of ilo-convention
    number: int | None = None
    law: str | None = None  # an article's law (the entity of the law)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)

    @property
    def plain_names(self) -> tuple[str, ...]:
        """The names that are words as written (no ``*`` for inflected endings)."""
        return tuple(n for n in self.names if "*" not in n)


@dataclass(frozen=True)
class Series:
    """How references to numbered entities are written ("Conventions Nos. 87 and 98")."""

    id: str
    heads: tuple[str, ...]  # words before (or, glued, after) the numbers
    codes: tuple[str, ...] = ()  # letters glued to a number: C87
    issuers: tuple[str, ...] = ()  # entities named between head and number: "of the ILO"
    of_law: bool = False  # each number is an article of a law
    default_law: str | None = None  # the law of an article written without one
    law_words: tuple[str, ...] = ()  # words of laws the file does not list ("code")


def _words(text: str) -> tuple[str, ...]:
    """Folded words without punctuation: 'Convention No. 87' -> ('convention', 'no', '87')."""
    return tuple(fold(w) for w in re.findall(r"\w+", text))


@dataclass
class Authorities:
    entities: dict[str, Entity] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    recogniser: Recogniser = field(default_factory=lambda: Recogniser(()))
    _vocabulary: dict[str, str] = field(default_factory=dict)  # folded word -> as written
    _by_name: dict[tuple[str, ...], set[str]] = field(default_factory=dict)  # whole names

    @classmethod
    def from_entries(cls, entries: Iterable[Entity], series: Iterable[Series] = ()) -> Authorities:
        """All lookups built here, once: the object is then only read, by many threads."""
        authorities = cls()
        authorities.entities = {entity.id: entity for entity in entries}
        authorities.series = {s.id: s for s in series}
        authorities.recogniser = Recogniser(
            authorities.entities.values(), authorities.series.values()
        )
        for entity in authorities.entities.values():
            for name in entity.plain_names:  # whole names, for person pages (named())
                if _words(name):
                    authorities._by_name.setdefault(_words(name), set()).add(entity.id)
            for name in entity.names:  # words as written: "Kasachstan", not "Kasachstan*"
                for w, star in re.findall(r"(\w+)(\*?)", name):
                    if len(w) >= 4 and not w.isdigit() and not star:
                        authorities._vocabulary.setdefault(fold(w), w)
        return authorities

    def __bool__(self) -> bool:
        return bool(self.entities)

    def mentions(self, texts: Iterable[str]) -> list[str]:
        """Ids of the entities named in these texts, sorted (see indexer/letters/mentions.py)."""
        return self.recogniser.mentions(texts)

    def named(self, text: str) -> str | None:
        """The id of the one entity that has ``text`` as a whole name (any variant)."""
        ids = self._by_name.get(_words(text), set())
        return next(iter(ids)) if len(ids) == 1 else None

    def closest_word(self, word: str) -> str | None:
        """The word of an entity name spelled most like ``word`` (for "did you mean")."""
        close = difflib.get_close_matches(fold(word), list(self._vocabulary), n=1, cutoff=0.8)
        return self._vocabulary[close[0]] if close else None

    def label(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id)
        return entity.name if entity else entity_id

    def expand_query(self, text: str) -> str:
        """Rewrite plain words that name entities as ``(words OR mention:id)``."""
        return rewrite_query(self.recogniser, text) if self.entities else text


def load_authorities(path: Path) -> Authorities:
    """Read an authority file; a missing file means no authorities."""
    if not path.is_file():
        return Authorities()
    data, entries = read_entries(path, "entities", AuthorityError)
    raw_series = data.get("series", [])
    if raw_series is None:
        raw_series = []
    if not isinstance(raw_series, list):
        raise AuthorityError(f"{path}: 'series' must be a list")
    series = [_series(path, n, raw) for n, raw in enumerate(raw_series, 1)]
    entities = [_entity(path, n, raw) for n, raw in enumerate(entries, 1)]
    _check_references(path, entities, series)
    return Authorities.from_entries(entities, series)


def _names(where: str, key: str, value: Any, required: bool = False) -> tuple[str, ...]:
    """A list of names; ``*`` may end a word (of three letters or more) and nothing else."""
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise AuthorityError(f"{where}: '{key}' must be a list of names")
    names = tuple(str(v).strip() for v in value if str(v).strip())
    if required and not names:
        raise AuthorityError(f"{where}: '{key}' must name at least one word")
    for name in names:
        if re.search(r"(?<!\w)\*|\*\w|(?<!\w\w\w)\*", name):
            raise AuthorityError(
                f"{where}: '{name}' in '{key}': '*' may only end a word of three letters or more"
            )
    return names


def _entity(path: Path, n: int, raw: Any) -> Entity:
    where = f"{path}: entity {n}"
    if not isinstance(raw, dict):
        raise AuthorityError(f"{where}: expected a mapping with id, name, type, variants")
    unknown = set(raw) - {"id", "name", "type", "variants", "note", "series", "number", "law"}
    if unknown:
        raise AuthorityError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    entity_id, name, kind = raw.get("id"), raw.get("name"), raw.get("type", "other")
    if not isinstance(entity_id, str) or not _ID.match(entity_id):
        raise AuthorityError(f"{where}: 'id' must be lowercase letters, digits and hyphens")
    where = f"{where} ({entity_id})"
    if not isinstance(name, str) or not name.strip():
        raise AuthorityError(f"{where}: 'name' is required")
    if kind not in ENTITY_TYPES:
        raise AuthorityError(f"{where}: 'type' must be one of {ENTITY_TYPES}")
    _names(where, "name", [name])
    variants = _names(where, "variants", raw.get("variants") or [])
    series, number, law = raw.get("series"), raw.get("number"), raw.get("law")
    if (series is None) != (number is None):
        raise AuthorityError(f"{where}: 'series' and 'number' go together")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
        raise AuthorityError(f"{where}: 'number' must be a whole number")
    if number is not None and not 0 < number < 10_000:
        raise AuthorityError(f"{where}: 'number' must be between 1 and 9999")
    for key, value in (("series", series), ("law", law)):
        if value is not None and not isinstance(value, str):
            raise AuthorityError(f"{where}: '{key}' must be an id")
    return Entity(entity_id, name.strip(), kind, variants, series, number, law)


def _series(path: Path, n: int, raw: Any) -> Series:
    where = f"{path}: series {n}"
    if not isinstance(raw, dict):
        raise AuthorityError(f"{where}: expected a mapping with id and heads")
    keys = {"id", "heads", "codes", "issuers", "of_law", "default_law", "law_words", "note"}
    unknown = set(raw) - keys
    if unknown:
        raise AuthorityError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    series_id = raw.get("id")
    if not isinstance(series_id, str) or not _ID.match(series_id):
        raise AuthorityError(f"{where}: 'id' must be lowercase letters, digits and hyphens")
    where = f"{where} ({series_id})"
    of_law, default = raw.get("of_law", False), raw.get("default_law")
    if not isinstance(of_law, bool):
        raise AuthorityError(f"{where}: 'of_law' must be true or false")
    if default is not None and (not isinstance(default, str) or not of_law):
        raise AuthorityError(f"{where}: 'default_law' is the id of a law, for 'of_law: true'")
    return Series(
        series_id,
        _names(where, "heads", raw.get("heads"), required=True),
        _names(where, "codes", raw.get("codes") or []),
        _names(where, "issuers", raw.get("issuers") or []),
        of_law,
        default,
        _names(where, "law_words", raw.get("law_words") or []),
    )


def _check_references(path: Path, entities: list[Entity], series: list[Series]) -> None:
    """Ids used once; series, laws and issuers that exist; one entity per number."""
    by_id: dict[str, Entity] = {}
    for entity in entities:
        if entity.id in by_id:
            raise AuthorityError(f"{path}: entity id '{entity.id}' is used twice")
        by_id[entity.id] = entity
    by_series = {s.id: s for s in series}
    laws = {e.id for e in entities if e.type == "law" and e.series is None}
    for s in series:
        for issuer in s.issuers:
            if issuer not in by_id:
                raise AuthorityError(f"{path}: series {s.id}: no entity '{issuer}' (issuers)")
        if s.default_law is not None and s.default_law not in laws:
            raise AuthorityError(f"{path}: series {s.id}: no law '{s.default_law}' (default_law)")
    numbered: dict[tuple[str, str | None, int], str] = {}
    for e in entities:
        where = f"{path}: entity {e.id}"
        if e.series is None:
            if e.law is not None:
                raise AuthorityError(f"{where}: 'law' needs 'series' and 'number'")
            continue
        found = by_series.get(e.series)
        if found is None:
            raise AuthorityError(f"{where}: no series '{e.series}' under 'series'")
        s = found
        if s.of_law and e.law not in laws:
            raise AuthorityError(f"{where}: 'law' must be the id of a law (series {s.id})")
        if not s.of_law and e.law is not None:
            raise AuthorityError(f"{where}: series {s.id} numbers no articles of a law")
        key = (s.id, e.law, e.number or 0)
        if key in numbered:
            raise AuthorityError(f"{where}: the same number as entity {numbered[key]}")
        numbered[key] = e.id


def to_json(authorities: Authorities) -> dict[str, Any]:
    """The authorities a generation was built with, as JSON (read back by from_json)."""
    return {
        "entities": [
            {k: v for k, v in asdict(e).items() if v is not None}
            for e in authorities.entities.values()
        ],
        "series": [asdict(s) for s in authorities.series.values()],
    }


def from_json(data: dict[str, Any] | list[dict[str, Any]]) -> Authorities:
    """Authorities from to_json (or from a generation of before series: a list of entities)."""
    entries, series = (data, []) if isinstance(data, list) else (data["entities"], data["series"])
    return Authorities.from_entries(
        (
            Entity(
                e["id"], e["name"], e["type"], tuple(e["variants"]),
                e.get("series"), e.get("number"), e.get("law"),
            )
            for e in entries
        ),
        (
            Series(
                s["id"], tuple(s["heads"]), tuple(s["codes"]), tuple(s["issuers"]),
                s["of_law"], s["default_law"], tuple(s["law_words"]),
            )
            for s in series
        ),
    )  # fmt: skip
