"""One archive session (one index snapshot) per request, opened lazily and closed at teardown.

Modelled on the Flask tutorial's ``get_db`` / ``close_db``.
"""

from __future__ import annotations

from flask import Flask, current_app, g

from indexer.archive import Archive, ArchiveSession
from indexer.index import IndexError_


class IndexUnavailable(Exception):
    """The index cannot be opened (usually: it has not been built yet)."""


def get_session() -> ArchiveSession:
    """The request's archive session; raises :class:`IndexUnavailable` without an index."""
    if "archive_session" not in g:
        archive: Archive = current_app.extensions["letters_archive"]
        try:
            g.archive_session = archive.session()
        except IndexError_ as exc:
            raise IndexUnavailable(str(exc)) from exc
        except OSError as exc:  # a folder that vanished or cannot be read
            raise IndexUnavailable(f"the index cannot be read: {exc.strerror or exc}") from exc
    return g.archive_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("archive_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_session)
