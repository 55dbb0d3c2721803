"""Serve the real web app on waitress for the load measure.

``python -m bench.serve INDEX CORPUS PORT``

Runs as its own process (so its memory is the server's alone) on 127.0.0.1 only, with the same
app and server settings as ``letters serve`` (8 threads). Exits with status 3 and a message
when the web app cannot be imported or created yet.
"""

from __future__ import annotations

import sys

THREADS = 8


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    index, corpus, port = args
    try:
        import waitress

        from webapp import create_app

        app = create_app({"INDEX_PATH": index, "CORPUS_PATH": corpus})
    except Exception as exc:  # the web app is being written by others: report, do not fail
        print(f"web app unavailable: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    waitress.serve(app, host="127.0.0.1", port=int(port), threads=THREADS, ident="bench")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
