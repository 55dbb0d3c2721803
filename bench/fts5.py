"""The peer engine: SQLite FTS5 over the same letter files and the same text fields the
archive searches by default (``SEARCH_FIELDS`` in indexer/engine/schema.py): title, senders,
signatories, recipients, cc, place, destination, reference, summary, subjects and body.

One database file holds an FTS5 table (``porter unicode61 remove_diacritics 2``, ranked by
bm25 with each column weighted as ours weights its field) plus a plain table of facet values,
so the peer can answer the same requests: hits, hits with ``snippet()``, a sender/date filter,
facet counts over the whole archive, and the update of one letter. What it does not do: our
second analyses of the same text (the exact twins for phrases, the transliteration field),
and splitting prose by language.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from indexer.letters.dates import first_day, last_day

TOKENIZE = "porter unicode61 remove_diacritics 2"
#: the FTS5 columns with our boosts of the same fields (schema.SEARCH_FIELDS)
COLUMNS = {
    "title": 3.0,
    "senders": 3.0,
    "signatories": 3.0,
    "recipients": 3.0,
    "cc": 1.0,
    "place": 1.0,
    "destination": 0.5,
    "reference": 1.0,
    "summary": 1.5,
    "subjects": 1.5,
    "body": 1.0,
}
WEIGHTS = tuple(COLUMNS.values())
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_RE = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)[ \t]*\n", re.S)

SCHEMA = f"""
CREATE VIRTUAL TABLE letters USING fts5(
    {", ".join(COLUMNS)}, id UNINDEXED, date_from UNINDEXED, date_to UNINDEXED,
    tokenize='{TOKENIZE}'
);
CREATE TABLE paths(path TEXT PRIMARY KEY, doc INTEGER NOT NULL);
CREATE TABLE facets(doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
"""
FACET_INDEX = "CREATE INDEX facets_value ON facets(facet, value, doc)"
FACET_DOC_INDEX = "CREATE INDEX facets_doc ON facets(doc)"


def available() -> bool:
    """Whether this Python's SQLite has FTS5."""
    try:
        with sqlite3.connect(":memory:") as db:
            db.execute(f"CREATE VIRTUAL TABLE t USING fts5(a, tokenize='{TOKENIZE}')")
        return True
    except sqlite3.OperationalError:
        return False


@dataclass(frozen=True)
class PeerLetter:
    """What the peer indexes of a letter file."""

    id: str
    title: str
    senders: list[str]
    body: str
    date_from: str | None
    date_to: str | None
    facets: list[tuple[str, str]]
    fields: dict[str, str]  # every column's text (title, senders … body)


def read_letter(path: Path) -> PeerLetter:
    """Front matter (YAML) and body of a corpus file, with the facet values ours would show."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    match = _FRONT_RE.match(text)
    meta: dict[str, Any] = (yaml.load(match.group(1), Loader=_LOADER) or {}) if match else {}
    body = text[match.end() :] if match else text
    date, start, end = meta.get("date"), meta.get("date_from"), meta.get("date_to")
    if date:
        start = end = str(date)
    date_from = first_day(str(start or end)) if (start or end) else None
    date_to = last_day(str(end or start)) if (start or end) else None
    senders = [str(s) for s in meta.get("senders") or []]
    facets = [("sender", s) for s in senders]
    people: dict[str, list[str]] = {"signatories": [], "recipients": []}
    for facet, key in (("signatory", "signatories"), ("recipient", "recipients")):
        for person in meta.get(key) or []:
            name = person.get("name") if isinstance(person, dict) else person
            facets.append((facet, str(name)))
            people[key].append(str(name))
    facets.append(("type", str(meta.get("type") or "letter")))
    facets.append(("language", str(meta.get("language") or "")))
    if date_from and date_to:
        facets += [("year", str(y)) for y in range(int(date_from[:4]), int(date_to[:4]) + 1)]
    title = str(meta.get("title") or "")
    fields = {
        "title": title,
        "senders": "\n".join(senders),
        **{key: "\n".join(names) for key, names in people.items()},
        "cc": "\n".join(str(c) for c in meta.get("cc") or []),
        **{key: str(meta.get(key) or "") for key in ("place", "destination", "reference")},
        "summary": str(meta.get("summary") or ""),
        "subjects": "\n".join(str(s) for s in meta.get("subjects") or []),
        "body": body,
    }
    return PeerLetter(
        id=str(meta.get("id") or path.stem),
        title=title,
        senders=senders,
        body=body,
        date_from=date_from,
        date_to=date_to,
        facets=facets,
        fields=fields,
    )


def letter_files(corpus: Path) -> list[Path]:
    """The letter files of a corpus folder, as ours finds them (without hashing them)."""
    from indexer.letters.corpus import LETTER_SUFFIXES, NOT_LETTERS, letters_dir

    return [
        path
        for path in sorted(letters_dir(corpus).rglob("*"))
        if path.is_file()
        and path.suffix.lower() in LETTER_SUFFIXES
        and path.name.lower() not in NOT_LETTERS
        and not any(p.startswith(".") for p in path.relative_to(corpus).parts)
    ]


@dataclass
class Hit:
    id: str
    title: str
    score: float
    snippet: str = ""


class Fts5Index:
    """An FTS5 database of the letters; ``build`` once, then search, count and update."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        self.db.close()

    # -- writing -----------------------------------------------------------------------------

    def build(self, files: Sequence[Path], corpus: Path) -> int:
        """Index every file in one transaction (the database must be new); returns the count."""
        count = 0
        with self.db:
            self.db.executescript(SCHEMA)
            for path in files:
                self._insert(path, corpus)
                count += 1
            self.db.execute(FACET_INDEX)
            self.db.execute(FACET_DOC_INDEX)
        return count

    def _insert(self, path: Path, corpus: Path) -> int:
        letter = read_letter(path)
        columns = [*COLUMNS, "id", "date_from", "date_to"]
        cursor = self.db.execute(
            f"INSERT INTO letters({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            (
                *(letter.fields[c] for c in COLUMNS),
                letter.id,
                letter.date_from,
                letter.date_to,
            ),
        )
        doc = int(cursor.lastrowid or 0)
        self.db.executemany(
            "INSERT INTO facets(doc, facet, value) VALUES (?, ?, ?)",
            [(doc, facet, value) for facet, value in letter.facets],
        )
        self.db.execute(
            "INSERT OR REPLACE INTO paths(path, doc) VALUES (?, ?)",
            (str(path.relative_to(corpus)), doc),
        )
        return doc

    def update_file(self, path: Path, corpus: Path) -> None:
        """Re-index one changed letter file (delete its old row, insert the new one)."""
        relative = str(path.relative_to(corpus))
        with self.db:
            row = self.db.execute("SELECT doc FROM paths WHERE path = ?", (relative,)).fetchone()
            if row:
                self.db.execute("DELETE FROM letters WHERE rowid = ?", (row[0],))
                self.db.execute("DELETE FROM facets WHERE doc = ?", (row[0],))
            self._insert(path, corpus)

    # -- reading -----------------------------------------------------------------------------

    def search(
        self,
        match: str,
        limit: int = 10,
        snippets: bool = False,
        sender: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[Hit]:
        """The best ``limit`` hits by bm25; with ``snippets``, a marked body snippet each.

        ``sender`` and the ISO day range filter like ours (a date range matches by overlap).
        """
        snippet = ", snippet(letters, -1, '<mark>', '</mark>', '…', 32)" if snippets else ", ''"
        sql = [
            f"SELECT id, title, bm25(letters, {', '.join(map(str, WEIGHTS))}) AS score{snippet}",
            "FROM letters WHERE letters MATCH ?",
        ]
        args: list[Any] = [match]
        if sender is not None:
            sql.append("AND rowid IN (SELECT doc FROM facets WHERE facet = 'sender' AND value = ?)")
            args.append(sender)
        if date_to is not None:
            sql.append("AND date_from <= ?")
            args.append(date_to)
        if date_from is not None:
            sql.append("AND date_to >= ?")
            args.append(date_from)
        sql.append("ORDER BY score LIMIT ?")
        args.append(limit)
        rows = self.db.execute(" ".join(sql), args).fetchall()
        return [Hit(id=r[0], title=r[1], score=-float(r[2]), snippet=r[3]) for r in rows]

    def facet_counts(self) -> dict[str, list[tuple[str, int]]]:
        """Every facet's values with their letter counts over the whole archive."""
        counts: dict[str, list[tuple[str, int]]] = {}
        rows = self.db.execute(
            "SELECT facet, value, count(DISTINCT doc) FROM facets GROUP BY facet, value"
        )
        for facet, value, count in rows:
            counts.setdefault(facet, []).append((value, count))
        for values in counts.values():
            values.sort(key=lambda vc: (-vc[1], vc[0].casefold()))
        return counts

    def doc_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM paths").fetchone()[0])


def quote_term(word: str) -> str:
    """One FTS5 string (double quotes doubled)."""
    return '"' + word.replace('"', '""') + '"'
