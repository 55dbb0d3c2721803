"""What one index generation holds, file by file: path -> id, content hash, mtime and size, and
when that content arrived in the archive.

An incremental update compares the corpus with this record instead of re-reading every letter.
It lives in SQLite beside the generation so that an update of one letter reads and writes a few
rows, not a record of the whole archive (a JSON file took half a second per update at 190,000
letters). Each write stores the Whoosh generation it belongs to: a record of another commit (a
process killed between the two commits) is not trusted, and the caller rebuilds it from the
index's stored fields.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import NamedTuple

FILENAME = "manifest.sqlite"


class Entry(NamedTuple):
    """What the index holds for one file. No mtime and size: compare the content next time."""

    id: str
    sha256: str
    mtime_ns: int | None
    size: int | None
    arrived: str | None = None  # when this content entered the archive (UTC, ISO 8601)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, id TEXT NOT NULL, hash TEXT NOT NULL, mtime_ns INTEGER, size INTEGER,
    arrived TEXT
);
CREATE INDEX IF NOT EXISTS files_by_id ON files (id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER);
"""
_CHUNK = 500  # paths per IN (...) query, below SQLite's variable limit


class Manifest:
    """The record of one generation folder (created on first write)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILENAME

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA synchronous=NORMAL")
            yield db

    def generation(self) -> int | None:
        """The Whoosh generation the record was written with (None: no record)."""
        if not self.path.is_file():
            return None
        try:
            with self._connect() as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        except sqlite3.DatabaseError:
            return None  # unreadable: treated like a missing record
        return int(row[0]) if row else None

    def entries(self, paths: Iterable[str] | None = None) -> dict[str, Entry]:
        """All entries, or those of ``paths`` (absent paths are left out)."""
        query = "SELECT path, id, hash, mtime_ns, size, arrived FROM files"
        with self._connect() as db:
            if paths is None:
                rows = db.execute(query).fetchall()
            else:
                wanted, rows = list(paths), []
                for i in range(0, len(wanted), _CHUNK):
                    chunk = wanted[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows += db.execute(f"{query} WHERE path IN ({marks})", chunk).fetchall()
        return {path: Entry(*entry) for path, *entry in rows}

    def path_of(self, letter_id: str, excluding: Iterable[str] = ()) -> str | None:
        """The file that holds ``letter_id`` (other than those ``excluding``), if any."""
        skip = set(excluding)
        with self._connect() as db:
            rows = db.execute("SELECT path FROM files WHERE id = ?", (letter_id,)).fetchall()
        return next((path for (path,) in rows if path not in skip), None)

    def write(
        self,
        generation: int,
        changed: Mapping[str, Entry],
        removed: Iterable[str] = (),
        replace_all: bool = False,
    ) -> None:
        """Record ``changed`` and drop ``removed`` (or replace everything), in one transaction."""
        with self._connect() as db:
            db.executescript(_SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            try:
                if replace_all:
                    db.execute("DELETE FROM files")
                db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in removed))
                db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                    ((path, *entry) for path, entry in changed.items()),
                )
                db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
