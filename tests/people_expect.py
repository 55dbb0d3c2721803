"""What the people pages and the network should show, worked out from the letters' stored
metadata (as ``/api/letters/<id>`` gives it) and the authority file, without the code under
test: the tests' independent reference."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.engine.index import LetterIndex
from indexer.letters.text import fold


def stored_letters(index_root: Path) -> list[dict[str, Any]]:
    """Every letter's metadata as the index stores it."""
    with LetterIndex(index_root).searcher() as searcher:
        return [json.loads(fields["doc"]) for fields in searcher.all_stored_fields()]


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", fold(text)))


class Keys:
    """A name's key: the authority id one of its forms names, else its folded words."""

    def __init__(self, corpus: Path) -> None:
        file = corpus / "authorities.yaml"
        entities = yaml.safe_load(file.read_text())["entities"] if file.is_file() else []
        self.ids: dict[tuple[str, ...], set[str]] = {}
        for entity in entities:
            for name in [entity["name"], *map(str, entity.get("variants") or [])]:
                self.ids.setdefault(_words(name), set()).add(entity["id"])

    def __call__(self, name: str) -> str:
        outer = re.sub(r"\s*\(([^()]*)\)\s*", " ", name).strip()
        forms = [name, outer, *re.findall(r"\(([^()]*)\)", name)]
        found = set()
        for form in forms:
            ids = self.ids.get(_words(form), set())
            if len(ids) == 1:
                found |= ids
        if len(found) == 1:
            return found.pop()
        return "-".join(re.findall(r"\w+", fold(name).replace("_", " ").replace("'", "")))


@dataclass
class Expected:
    """Per key: letters by role; the network's nodes and weighted edges."""

    roles: dict[str, Counter[str]] = field(default_factory=dict)  # key -> role -> letters
    letters: Counter[str] = field(default_factory=Counter)  # key -> letters in any role
    nodes: Counter[str] = field(default_factory=Counter)  # key -> letters written or received
    edges: Counter[tuple[str, str]] = field(default_factory=Counter)


def expected(letters: list[dict[str, Any]], keys: Keys) -> Expected:
    result = Expected()
    for letter in letters:
        parts = {
            "sender": {keys(s) for s in letter.get("senders") or []},
            "signatory": {keys(p["name"]) for p in letter.get("signatories") or []},
            "recipient": {keys(p["name"]) for p in letter.get("recipients") or []},
            "cc": {keys(c) for c in letter.get("cc") or []},
            "mention": set(letter.get("mentions") or []),
        }
        result.letters.update(set().union(*parts.values()))
        for role, found in parts.items():
            for key in found:
                result.roles.setdefault(key, Counter())[role] += 1
        writers = parts["sender"] | parts["signatory"]
        addressees = parts["recipient"]
        result.nodes.update(writers | addressees)
        result.edges.update((w, a) for w in writers for a in addressees if w != a)
    return result
