"""Serve the real web app on waitress for the load measure.

``python -m bench.serve INDEX CORPUS PORT [WORKERS]``

Runs as its own process (so its memory is the server's alone) on 127.0.0.1 only, with the same
app and server settings as ``letters serve`` (8 threads per process; WORKERS processes, as
``letters serve --workers``, default 1). Exits with status 3 and a message
when the web app cannot be imported or created yet.
"""

from __future__ import annotations

import sys

THREADS = 8


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    index, corpus, port = args[:3]
    workers = int(args[3]) if len(args) == 4 else 1
    try:
        from webapp import create_app
        from webapp.server import serve

        # fails here rather than in a worker (no warm-up thread in this parent process)
        create_app({"INDEX_PATH": index, "CORPUS_PATH": corpus, "WARM_SECONDS": 0})
    except Exception as exc:  # the web app is being written by others: report, do not fail
        print(f"web app unavailable: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    settings = {"INDEX_PATH": index, "CORPUS_PATH": corpus}
    return serve(lambda: create_app(settings), "127.0.0.1", int(port), THREADS, workers, "bench")


if __name__ == "__main__":
    raise SystemExit(main())
