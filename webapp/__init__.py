"""The Flask front end of the letters archive: faceted search pages, letter pages, a JSON API.

``create_app`` follows the Flask tutorial's factory: defaults, then ``test_config`` (tests and
``letters serve`` pass ``INDEX_PATH``), else the ``LETTERS_INDEX`` / ``LETTERS_CORPUS`` /
``LETTERS_SEARCH_SECONDS`` environment read at call time. ``SEARCH_SECONDS`` (default 5) is
the time limit of each search; ``RESULT_CACHE_MB`` (default 32, 0: off) the megabytes of
complete results each process keeps for repeated searches of the current index.
``flask --app webapp run`` finds the factory by name.

The web app never imports Whoosh; it reads the index only through :mod:`indexer.archive`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from indexer import config as letters_config
from indexer.archive import Archive


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_PATH=None,
        CORPUS_PATH=None,
        SITE_NAME="Letters archive",
        MAX_CONTENT_LENGTH=256 * 1024,  # only the batch form posts: a list of queries
        BATCH_SECONDS=60.0,
        SEARCH_SECONDS=5.0,
        RESULT_CACHE_MB=letters_config.RESULT_CACHE_MB,
        CMIF_LICENCE="",  # the licence exported CMIF states ('' : $LETTERS_CMIF_LICENCE, CC BY)
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    from_env = os.environ.get(letters_config.SEARCH_SECONDS_ENV)
    if from_env and "SEARCH_SECONDS" not in (test_config or {}):
        app.config["SEARCH_SECONDS"] = from_env
    # ValueError naming the bad value: a server with a broken limit should not start
    app.config["SEARCH_SECONDS"] = letters_config.search_seconds(app.config["SEARCH_SECONDS"])
    from indexer.formats.cmif import licence_url

    # ValueError naming the bad value, at start rather than at the first export
    app.config["CMIF_LICENCE"] = licence_url(
        letters_config.cmif_licence(app.config["CMIF_LICENCE"])
    )
    if not app.config["INDEX_PATH"]:
        app.config["INDEX_PATH"] = str(letters_config.index_path())
    if not app.config["CORPUS_PATH"]:
        app.config["CORPUS_PATH"] = str(letters_config.corpus_path())

    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented key order
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # ValueError naming the bad value: as the time limit, checked at start
    app.config["RESULT_CACHE_MB"] = letters_config.result_cache_megabytes(
        app.config["RESULT_CACHE_MB"]
    )
    archive = Archive(
        app.config["INDEX_PATH"],
        search_seconds=app.config["SEARCH_SECONDS"],
        result_cache=app.config["RESULT_CACHE_MB"],
    )
    app.extensions["letters_archive"] = archive
    # build each new index generation's shared tables in the background (off in tests)
    warm_seconds = app.config.get("WARM_SECONDS", 0 if app.testing else 5.0)
    if warm_seconds:
        from webapp import warmer

        app.extensions["letters_warmer"] = warmer.Warmer(archive, warm_seconds, app.logger)

    from webapp import (
        api,
        exports,
        feeds,
        i18n,
        pages,
        people,
        places,
        reading,
        security,
        session,
        workingset,
    )

    i18n.init_app(app)
    session.init_app(app)
    security.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(places.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(reading.bp)
    app.register_blueprint(workingset.bp)
    app.register_blueprint(people.bp)
    return app
