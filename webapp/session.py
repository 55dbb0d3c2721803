"""One archive session (one index snapshot) per request, opened lazily and closed at teardown.

Modelled on the Flask tutorial's ``get_db`` / ``close_db``.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, g

from indexer.archive import (
    Archive,
    ArchiveSession,
    IndexMissing,
    IndexOutdated,
    IndexUnreadable,
    StoredLetter,
)

NO_INDEX = "The index has not been built yet: run `letters index`"
OUTDATED_INDEX = (
    "The index was built by another version of this program: run `letters index` to rebuild it"
)
MAX_ID_CHARS = 300  # longer ids are no letter's: answered 404 without a lookup
UNREADABLE_INDEX = "The index cannot be read right now: run `letters index` to rebuild it"


class IndexUnavailable(Exception):
    """The index cannot be opened; ``str()`` says what to do (without server paths)."""


def get_session() -> ArchiveSession:
    """The request's archive session; raises :class:`IndexUnavailable` without an index."""
    if "archive_session" not in g:
        archive: Archive = current_app.extensions["letters_archive"]
        try:
            g.archive_session = archive.session()
        except IndexMissing as exc:
            raise IndexUnavailable(NO_INDEX) from exc
        except IndexOutdated as exc:
            raise IndexUnavailable(OUTDATED_INDEX) from exc
        except IndexUnreadable as exc:  # e.g. a folder that vanished mid-swap
            current_app.logger.warning("cannot open the index: %s", exc)
            raise IndexUnavailable(UNREADABLE_INDEX) from exc
    return g.archive_session


def letter_or_404(letter_id: str) -> StoredLetter:
    """The letter with this id in the request's snapshot; a 404 that names it otherwise."""
    found = get_session().letter(letter_id) if len(letter_id) <= MAX_ID_CHARS else None
    if found is None:
        abort(404, description=f"There is no letter with the id “{letter_id[:MAX_ID_CHARS]}”.")
    return found


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("archive_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_session)
