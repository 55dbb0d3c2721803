"""``letters serve`` in a subprocess on a free 127.0.0.1 port, for the bench tools and the tests.

:func:`running_server` starts it, waits until it answers as ``letters`` (waitress names itself
with ``ident="letters"``), yields a :class:`Server` and always stops it (terminate, then kill),
also on Ctrl+C. A port taken between probing and binding is retried on another.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

HOST = "127.0.0.1"  # the only address a server is started on or asked
REPO = Path(__file__).resolve().parent.parent
LETTERS = (sys.executable, "-m", "indexer.cli")  # the ``letters`` command of this checkout
READY_PATH = "/api/search?q=test"
START_TIMEOUT = 180.0
STOP_TIMEOUT = 10.0
PROBE_TIMEOUT = 30.0
POLL = 0.1
ATTEMPTS = 3


class ServerFailed(RuntimeError):
    """The server exited or did not answer in time; the message carries its output."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def repo_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a subprocess that imports this checkout (``--index`` decides)."""
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env.pop("LETTERS_INDEX", None)
    return env


def answers(port: int, path: str = READY_PATH, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether ``letters serve`` (``Server: letters``) answers ``path`` with a 200 on ``port``."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status == 200 and response.getheader("Server") == "letters"
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill; a second Ctrl+C does not interrupt this."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main else None
    try:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
        proc.wait()
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)


def _tail(log_file: IO[bytes], chars: int) -> str:
    log_file.flush()
    log_file.seek(0)
    text = log_file.read().decode("utf-8", "replace").strip()
    log_file.seek(0, os.SEEK_END)
    return text[-chars:] or "(no output)"


@dataclass(frozen=True)
class Server:
    """A running ``letters serve``: its port, its pid, its output so far."""

    port: int
    pid: int
    log_file: IO[bytes] = field(repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self, chars: int = 3000) -> str:
        return _tail(self.log_file, chars)


def serve_command(
    index: Path | str, port: int, corpus: Path | str | None, threads: int, workers: int
) -> list[str]:
    command = [
        *LETTERS, "serve", "--host", HOST, "--port", str(port), "--threads", str(threads),
        "--workers", str(workers), "--index", str(index),
    ]  # fmt: skip
    return command + (["--corpus", str(corpus)] if corpus is not None else [])


@contextlib.contextmanager
def running_server(
    index: Path | str,
    corpus: Path | str | None = None,
    threads: int = 4,
    workers: int = 1,
    env: Mapping[str, str] | None = None,
    ready_path: str = READY_PATH,
    start_timeout: float = START_TIMEOUT,
) -> Iterator[Server]:
    """``letters serve`` on 127.0.0.1 (a free port) until the block ends; ``env`` is added."""
    problem = ""
    for _attempt in range(ATTEMPTS):
        port = free_port()
        with tempfile.TemporaryFile() as log_file:
            proc = subprocess.Popen(
                serve_command(index, port, corpus, threads, workers), cwd=REPO,
                env=repo_env(env), stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                deadline = time.monotonic() + start_timeout
                while proc.poll() is None and time.monotonic() < deadline:
                    if answers(port, ready_path) and proc.poll() is None:
                        break
                    time.sleep(POLL)
                else:
                    problem = f"exit status {proc.poll()}: {_tail(log_file, 3000)}"
                    continue
                yield Server(port, proc.pid, log_file)
                return
            finally:
                stop(proc)
    raise ServerFailed(f"`letters serve` did not start: {problem}")
