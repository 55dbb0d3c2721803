"""Real servers and a real browser for tests: ``letters serve`` (waitress) in a subprocess, and
Debian's chromium driven by Playwright.

``running_server(index)`` starts ``python -m indexer.cli serve`` on a free port, waits until
``/`` answers, yields the base URL and stops the process (terminate, then kill) at the end.
Test modules load the fixtures with ``pytest_plugins = ["servers"]`` (and do not import this
module themselves, so that pytest can rewrite its asserts): ``serve`` (``running_server``), one
server on the session index (``live_server``) and one chromium (``browser``) for the session.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
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
STOP_TIMEOUT = 10.0


class ServerFailed(RuntimeError):
    """The server process exited or did not answer in time; the message has its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def repo_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess that imports this checkout's packages."""
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env.pop("LETTERS_INDEX", None)  # --index decides
    return env


def _answers(url: str) -> bool:
    """Whether ``letters serve`` answers at ``url`` (waitress names itself: ident="letters")."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200 and response.headers.get("Server") == "letters")
    except (urllib.error.URLError, OSError):
        return False


def _output(log: Any) -> str:
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-3000:]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


@contextmanager
def running_server(
    index_root: Path | str,
    threads: int = 4,
    workers: int = 1,
    on_start: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """``letters serve`` on ``index_root``; yields ``http://127.0.0.1:<port>``."""
    last_error = ""
    for _attempt in range(3):  # a free port can be taken between probing and binding
        port = free_port()
        command = [
            sys.executable, "-m", "indexer.cli", "serve", "--host", "127.0.0.1",
            "--port", str(port), "--threads", str(threads), "--workers", str(workers),
            "--index", str(index_root),
        ]  # fmt: skip
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                command, cwd=REPO, env=repo_env(), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + START_TIMEOUT
                while process.poll() is None and time.monotonic() < deadline:
                    if _answers(base + "/") and process.poll() is None:
                        break
                    time.sleep(0.1)
                else:
                    last_error = f"exit status {process.poll()}: {_output(log)}"
                    continue
                if on_start is not None:
                    on_start(process.pid)
                yield base
                return
            finally:
                _stop(process)
    raise ServerFailed(f"`letters serve` did not start: {last_error}")


# -- fixtures (load with pytest_plugins = ["servers"]) ------------------------------------------


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
