"""Serving the app on waitress, in one process or in several that share one listening socket.

A search is pure-Python work, so one process uses one core whatever its number of threads
(the GIL). With ``workers`` > 1 the parent binds the socket, forks that many processes that
each build their own app (their own index handles and caches) and serve the socket with
waitress, and the kernel hands each new connection to one of them. The parent only watches:
SIGTERM or SIGINT stops every worker, and a worker that dies stops the others, so the server
never runs short-handed without anyone noticing.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import sys
import traceback
from collections.abc import Callable
from typing import Any

import waitress

BACKLOG = 1024
#: glibc's malloc arenas per process while serving: by default up to eight per core, and the
#: search threads' short-lived allocations left each one holding freed memory (at 190,000
#: letters a process under load peaked at 574 MB with the default, 511 MB with two)
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas before the server's threads start; False where the C library
    has no ``mallopt`` (not glibc: nothing changes there)."""
    try:  # the symbols already loaded into the process: no search for the library file
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas))


def serve(
    make_app: Callable[[], Any], host: str, port: int, threads: int, workers: int, ident: str
) -> int:
    """Serve until stopped; the exit status (0: stopped by a signal or Ctrl+C)."""
    limit_malloc_arenas()
    if workers <= 1:
        waitress.serve(make_app(), host=host, port=port, threads=threads, ident=ident)
        return 0
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=BACKLOG)
    children: set[int] = set()
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: never returns into the caller's code
            os._exit(_worker(make_app, listener, threads, ident))
        children.add(pid)
    listener.close()  # the workers hold it
    return _watch(children)


def _worker(make_app: Callable[[], Any], listener: socket.socket, threads: int, ident: str) -> int:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        waitress.serve(make_app(), sockets=[listener], threads=threads, ident=ident)
    except KeyboardInterrupt:
        return 0
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        return 1
    return 0


def _watch(children: set[int]) -> int:
    stopping = False

    def stop(_signum: int = 0, _frame: object = None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = 0
    while children:
        pid, code = os.wait()
        children.discard(pid)
        if not stopping:  # a worker died on its own: do not go on half-staffed
            print(f"worker {pid} exited ({code}); stopping the server", file=sys.stderr)
            status = 1
            stop()
    return status
