"""The authority file: people, organisations, places and conventions with all their names.

``corpus/authorities.yaml`` lists entities with variants, acronyms and translations (format in
corpus/README.md). Letters are tagged with the entities they mention (the "mention" facet), and a
query naming any variant also finds letters that use another one (ITUC = International Trade
Union Confederation = МКП; CITUK = KNPRK; C087 = Convention No. 87).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.letters.text import WORD_PATTERN, fold

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

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


def _words(text: str) -> tuple[str, ...]:
    """Folded words without punctuation: 'Convention No. 87' -> ('convention', 'no', '87')."""
    return tuple(fold(w) for w in re.findall(r"\w+", text))


@dataclass
class Authorities:
    entities: dict[str, Entity] = field(default_factory=dict)
    _by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    _vocabulary: dict[str, str] = field(default_factory=dict)  # folded word -> as written
    _by_name: dict[tuple[str, ...], set[str]] = field(default_factory=dict)  # whole names

    @classmethod
    def from_entries(cls, entries: Iterable[Entity]) -> Authorities:
        """All lookups built here, once: the object is then only read, by many threads."""
        authorities = cls()
        for entity in entries:
            authorities.entities[entity.id] = entity
            for name in entity.names:
                words = _words(name)
                if words:
                    authorities._by_name.setdefault(words, set()).add(entity.id)
                    authorities._by_first.setdefault(words[0], []).append((words, entity.id))
                for w in re.findall(r"\w+", name):
                    if len(w) >= 4 and not w.isdigit():
                        authorities._vocabulary.setdefault(fold(w), w)
        for options in authorities._by_first.values():
            options.sort(key=lambda option: -len(option[0]))  # longest name first
        return authorities

    def __bool__(self) -> bool:
        return bool(self.entities)

    def find(
        self, words: tuple[str, ...], overlapping: bool = False
    ) -> Iterator[tuple[int, int, str]]:
        """(start, end, entity id) of the longest name at each place in a word sequence.

        With ``overlapping``, names inside others count too ("ILO Convention 87" names both
        the ILO and Convention 87).
        """
        i = 0
        while i < len(words):
            for name, entity_id in self._by_first.get(words[i], ()):
                if words[i : i + len(name)] == name:
                    yield i, i + len(name), entity_id
                    if overlapping:
                        continue
                    i += len(name) - 1
                    break
            i += 1

    def mentions(self, texts: Iterable[str]) -> list[str]:
        """Ids of the entities named in these texts, sorted."""
        found: set[str] = set()
        for text in texts:
            found.update(e for _s, _e, e in self.find(_words(text), overlapping=True))
        return sorted(found)

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
        """Rewrite plain words that name an entity as ``(words OR mention:id)``.

        Only words outside quotes and not after ``field:`` are rewritten, so the user's own
        syntax keeps its meaning.
        """
        if not self.entities or '"' in text:
            return text
        tokens = [m for m in re.finditer(WORD_PATTERN, text) if not _fielded(text, m.start())]
        words = tuple(fold(" ".join(re.findall(r"\w+", m.group(0)))) for m in tokens)
        flat: list[tuple[str, int]] = []  # each word of each token, with its token index
        for index, word in enumerate(words):
            flat.extend((w, index) for w in word.split())
        pieces, cursor = [], 0
        for start, end, entity_id in self.find(tuple(w for w, _i in flat)):
            first, last = tokens[flat[start][1]], tokens[flat[end - 1][1]]
            if first.start() < cursor:
                continue
            span = text[first.start() : last.end()]
            inner = f'"{span}"' if end - start > 1 else span
            pieces.append(text[cursor : first.start()])
            pieces.append(f"({inner} OR mention:{entity_id})")
            cursor = last.end()
        pieces.append(text[cursor:])
        return "".join(pieces)


def _fielded(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] == ":"


def load_authorities(path: Path) -> Authorities:
    """Read an authority file; a missing file means no authorities."""
    if not path.is_file():
        return Authorities()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AuthorityError(f"{path}: cannot be read as YAML: {exc}") from exc
    entries = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise AuthorityError(f"{path}: expected a mapping with a list under 'entities'")
    return Authorities.from_entries(_entity(path, n, raw) for n, raw in enumerate(entries, 1))


def _entity(path: Path, n: int, raw: Any) -> Entity:
    where = f"{path}: entity {n}"
    if not isinstance(raw, dict):
        raise AuthorityError(f"{where}: expected a mapping with id, name, type, variants")
    unknown = set(raw) - {"id", "name", "type", "variants", "note"}
    if unknown:
        raise AuthorityError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    entity_id, name, kind = raw.get("id"), raw.get("name"), raw.get("type", "other")
    if not isinstance(entity_id, str) or not _ID.match(entity_id):
        raise AuthorityError(f"{where}: 'id' must be lowercase letters, digits and hyphens")
    if not isinstance(name, str) or not name.strip():
        raise AuthorityError(f"{where} ({entity_id}): 'name' is required")
    if kind not in ENTITY_TYPES:
        raise AuthorityError(f"{where} ({entity_id}): 'type' must be one of {ENTITY_TYPES}")
    variants = raw.get("variants") or []
    if not isinstance(variants, list) or not all(isinstance(v, str | int) for v in variants):
        raise AuthorityError(f"{where} ({entity_id}): 'variants' must be a list of names")
    return Entity(entity_id, name.strip(), kind, tuple(str(v).strip() for v in variants))


def to_json(authorities: Authorities) -> list[dict[str, Any]]:
    return [
        {"id": e.id, "name": e.name, "type": e.type, "variants": list(e.variants)}
        for e in authorities.entities.values()
    ]


def from_json(entries: list[dict[str, Any]]) -> Authorities:
    return Authorities.from_entries(
        Entity(e["id"], e["name"], e["type"], tuple(e["variants"])) for e in entries
    )
