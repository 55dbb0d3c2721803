"""The soak test's writer: the archive changes under the running server, as it would in use.

Every ``interval`` seconds one letter gets a new line with a word no other letter has, ``letters
index FILE`` indexes it, and the server is asked until it finds that word (the change must be
visible within :data:`VISIBLE_WITHIN` seconds). Once, at ``rebuild_at``, ``letters index
--rebuild`` builds a fresh index and swaps it in. Everything runs in one thread, one command at
a time, so the commands never wait for each other's write lock.
"""

from __future__ import annotations

import http.client
import json
import random
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench.background import Background, rounded
from bench.fts5 import letter_files
from bench.load_client import get
from bench.server_process import HOST, LETTERS, REPO, repo_env

VISIBLE_WITHIN = 15.0
COMMAND_TIMEOUT = 900.0


@dataclass
class Change:
    t: float  # seconds after the writer started
    kind: str  # "update" or "rebuild"
    seconds: float
    status: int  # the command's exit status
    file: str = ""
    visible_after_s: float | None = None  # update: until the server found the new word
    problem: str = ""

    def as_dict(self) -> dict[str, object]:
        return rounded(self, t=1, seconds=3, visible_after_s=3)


class Writer(Background):
    """Changes letters of ``corpus`` and re-indexes them while the server on ``port`` serves."""

    thread_name = "soak-writer"
    join_timeout = COMMAND_TIMEOUT

    def __init__(
        self, corpus: Path, index: Path, port: int, interval: float, rebuild_at: float, seed: int
    ) -> None:
        self.corpus, self.index, self.port = corpus, index, port
        self.interval, self.rebuild_at = interval, rebuild_at
        self.rng = random.Random(seed)
        self.files = letter_files(corpus)
        self.changes: list[Change] = []
        super().__init__()

    def _run(self) -> None:
        rebuilt = False
        k = 0
        while not self._stop.wait(self.interval):
            if not rebuilt and self._now() >= self.rebuild_at:
                rebuilt = True
                self.changes.append(self._rebuild())
            else:
                k += 1
                self.changes.append(self._update(k))

    def _letters(self, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
        command = [*LETTERS, "index", "--quiet", "--corpus", str(self.corpus)]
        command += ["--index", str(self.index), *args]
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=REPO, env=repo_env(), capture_output=True, text=True,
            timeout=COMMAND_TIMEOUT, check=False,
        )  # fmt: skip
        return time.perf_counter() - start, done

    def _rebuild(self) -> Change:
        t = self._now()
        seconds, done = self._letters("--rebuild")
        problem = "" if done.returncode == 0 else (done.stdout + done.stderr)[-500:]
        return Change(t, "rebuild", seconds, done.returncode, problem=problem)

    def _update(self, k: int) -> Change:
        t = self._now()
        path = self.rng.choice(self.files)
        word = f"soakedit{k}x{self.rng.randrange(10**6)}"
        with path.open("a", encoding="utf-8") as letter:
            letter.write(f"\nChanged by the soak test ({word}).\n")
        seconds, done = self._letters(str(path))
        change = Change(t, "update", seconds, done.returncode, str(path.relative_to(self.corpus)))
        if done.returncode != 0:
            change.problem = (done.stdout + done.stderr)[-500:]
            return change
        change.visible_after_s = self._visible(word)
        if change.visible_after_s is None:
            change.problem = f"the server did not find {word!r} within {VISIBLE_WITHIN:g} s"
        return change

    def _visible(self, word: str) -> float | None:
        """Seconds until ``/api/search?q=word`` finds a letter (None: not in time)."""
        start = time.perf_counter()
        target = "/api/search?" + urlencode({"q": word})
        while time.perf_counter() - start < VISIBLE_WITHIN:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=VISIBLE_WITHIN)
            try:
                status, body = get(conn, target)
            except (OSError, http.client.HTTPException):
                status, body = 0, b""
            finally:
                conn.close()
            if status == 200 and json.loads(body).get("total", 0) >= 1:
                return time.perf_counter() - start
            time.sleep(0.2)
        return None
