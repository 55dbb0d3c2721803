"""Real servers and a real browser for tests: ``letters serve`` (waitress) in a subprocess, and
Debian's chromium driven by Playwright.

``running_server(index)`` starts ``letters serve`` on a free port through
:mod:`bench.server_process` (the same helper the bench tools use), waits until ``/`` answers,
yields the base URL and stops the process (terminate, then kill) at the end.
``conftest.py`` loads the fixtures as a plugin (modules do not import this one themselves, so
that pytest can rewrite its asserts): ``serve`` (``running_server``), one server on the session
index (``live_server``) and one chromium (``browser``) for the session.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from bench import server_process
from tests.pagedom import DESKTOP, watch

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 30.0


@contextmanager
def running_server(
    index_root: Path | str,
    threads: int = 4,
    workers: int = 1,
    on_start: Callable[[int], None] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """``letters serve`` on ``index_root`` (:mod:`bench.server_process`); yields its base URL."""
    with server_process.running_server(
        index_root, threads=threads, workers=workers, env=env, ready_path="/",
        start_timeout=START_TIMEOUT,
    ) as server:  # fmt: skip
        if on_start is not None:
            on_start(server.pid)
        yield server.base_url


# -- fixtures (a plugin of conftest.py) -----------------------------------------------------------


@pytest.fixture(scope="session")
def serve() -> Callable[..., AbstractContextManager[str]]:
    """``running_server``, for tests that serve an index of their own."""
    return running_server


@pytest.fixture(scope="session")
def live_server(index_root: Path) -> Iterator[str]:
    """The real app on waitress, serving the session's index of the five seed letters."""
    with running_server(index_root) as base:
        yield base


def launch_chromium(playwright: Any) -> Any:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Run `make chromium` (apt-get install chromium), then run the tests again.",
            pytrace=False,
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium for the whole session (each test opens its own context or page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop page in a context of its own; a script error, a console error (a CSP
    violation among them) or a dialog on it fails the test."""
    context = browser.new_context(viewport=DESKTOP)
    opened = context.new_page()
    problems = watch(opened)
    yield opened
    context.close()
    assert problems == []
