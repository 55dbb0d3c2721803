"""The web app keeps answering while the index is rebuilt: a real waitress server on an index
of the corpus plus ~1,500 generated letters, a client thread searching continuously, and
``letters index --rebuild`` in another process after one new letter was added. Every answer
during the rebuild is a 200 with the old or the new total; afterwards the same server (not
restarted) finds the new letter."""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bench.stats import child_pids
from indexer.engine.index import LetterIndex
from tests.processes import alive

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
GENERATED = 1500
NEW_ID = "2025-06-01-probe-union-quokkaphrase-letter"
NEW_WORD = "quokkaphrase"  # occurs in no other letter
REBUILD_TIMEOUT = 600.0  # ends a hung rebuild; generous: two clients search all along
MAX_REQUESTS = 20_000
AFTER_REBUILD = 1.0  # seconds of requests after the rebuild finished

WORDS = [
    "strike", "wages", "workers", "union", "dismissal", "court", "police", "safety", "contract",
    "overtime", "negotiation", "factory", "miners", "teachers", "nurses", "solidarity", "protest",
    "rights", "freedom", "association", "inspection", "pension", "bargaining", "employer",
]  # fmt: skip
SENDERS = ["Generated Workers Union", "Federation of Generated Trades", "Generated Labour Council"]


def generated_letter(n: int, rng: random.Random) -> tuple[str, str]:
    """A small valid letter: (id, file text)."""
    day = f"20{22 + n % 3}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    letter_id = f"{day}-gen-letter-{n:04d}"
    paragraphs = "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30))).capitalize() + "."
        for _ in range(rng.randint(2, 5))
    )
    text = f"""---
id: {letter_id}
title: Generated letter {n} on {rng.choice(WORDS)} and {rng.choice(WORDS)}
type: letter
date: {day}
language: en
senders:
  - {SENDERS[n % len(SENDERS)]}
source: generated for tests/test_serving.py
summary: A generated letter about {rng.choice(WORDS)}.
---

{paragraphs}
"""
    return letter_id, text


NEW_LETTER = f"""---
id: {NEW_ID}
title: Probe union letter on the {NEW_WORD} dispute
type: letter
date: 2025-06-01
language: en
senders:
  - Probe Union
source: generated for tests/test_serving.py
summary: The letter added while the server is running.
---

The {NEW_WORD} dispute is new.
"""


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """(corpus, index root, letter count): the seed letters plus generated ones, indexed."""
    base = tmp_path_factory.mktemp("serving")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    rng = random.Random(20240110)
    for n in range(GENERATED):
        letter_id, text = generated_letter(n, rng)
        (corpus / "letters" / f"{letter_id}.md").write_text(text, encoding="utf-8")
    root = base / "index"
    report = LetterIndex(root).rebuild(corpus)
    assert not report.errors, report.errors
    return corpus, root, len(list((corpus / "letters").glob("*.md")))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


@dataclass
class Answer:
    at: float  # time.monotonic() when the answer arrived
    url: str
    status: int
    total: int | None  # from the JSON, or the count line of an HTML page
    error: str = ""


URLS = ["/api/search?per_page=1", "/search?q=", "/api/search?q=letter&per_page=1"]


class Client(threading.Thread):
    """Searches continuously (``urls`` in turn) until stopped."""

    def __init__(self, base: str, urls: list[str]) -> None:
        super().__init__(daemon=True)
        self.urls = urls
        self.netloc = urlsplit(base).netloc
        self.answers: list[Answer] = []
        self.stop = threading.Event()

    def run(self) -> None:
        urls = self.urls
        connection = http.client.HTTPConnection(self.netloc, timeout=10)
        try:
            for i in range(MAX_REQUESTS):
                if self.stop.is_set():
                    break
                url = urls[i % len(urls)]
                try:
                    connection.request("GET", url)
                    response = connection.getresponse()
                    body = response.read()
                    total = _total(url, response.status, body)
                    self.answers.append(Answer(time.monotonic(), url, response.status, total))
                except (OSError, http.client.HTTPException, ValueError) as exc:
                    self.answers.append(Answer(time.monotonic(), url, 0, None, repr(exc)))
                    connection.close()
                    connection = http.client.HTTPConnection(self.netloc, timeout=10)
        finally:
            connection.close()


def _total(url: str, status: int, body: bytes) -> int | None:
    if status != 200:
        return None
    if url.startswith("/api/"):
        return int(json.loads(body)["total"])
    text = body.decode("utf-8")
    count = text.split('<p class="result-count" role="status">', 1)[1].split("</p>", 1)[0]
    return int(count.split()[-2])  # "1–10 of 1506 letters"


def _get(base: str, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def get_json(base: str, path: str) -> tuple[int, Any]:
    status, body = _get(base, path)
    return status, json.loads(body)


@pytest.fixture
def client_threads() -> Iterator[list[Client]]:
    """Client threads started by the test; stopped and joined even if the test fails."""
    started: list[Client] = []
    yield started
    for client in started:
        client.stop.set()
        client.join(timeout=15)


def test_searches_keep_working_during_a_rebuild(
    big_corpus: tuple[Path, Path, int], serve: Any, client_threads: list[Client]
) -> None:
    corpus, root, count = big_corpus
    with serve(root) as base:
        assert get_json(base, "/api/search?per_page=1")[1]["total"] == count
        old = {url: _total(url, *_get(base, url)) for url in URLS}
        new = {url: total + 1 for url, total in old.items()}  # the new letter matches each
        assert get_json(base, f"/api/search?q={NEW_WORD}")[1]["total"] == 0
        (corpus / "letters" / f"{NEW_ID}.md").write_text(NEW_LETTER, encoding="utf-8")

        clients = [Client(base, URLS), Client(base, URLS[:1])]  # pages and API; API alone
        client_threads.extend(clients)
        for client in clients:
            client.start()
        while min(len(c.answers) for c in clients) < 3 and all(c.is_alive() for c in clients):
            time.sleep(0.01)

        started = time.monotonic()
        command = [sys.executable, "-m", "indexer.cli", "index", "--rebuild", "--quiet",
                   "--corpus", str(corpus), "--index", str(root)]  # fmt: skip
        rebuild = subprocess.run(
            command, cwd=REPO, env=_env(), capture_output=True, text=True,
            timeout=REBUILD_TIMEOUT, check=False,
        )  # fmt: skip
        finished = time.monotonic()
        assert rebuild.returncode == 0, rebuild.stderr[-2000:]

        time.sleep(AFTER_REBUILD)
        # and until each client has two answers after it (the second one asked after it too),
        # however slow the machine: counted, not guessed in seconds
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and any(
            c.is_alive() and sum(a.at > finished for a in c.answers) < 2 for c in clients
        ):
            time.sleep(0.05)
        for client in clients:
            client.stop.set()
            client.join(timeout=15)
            assert not client.is_alive()

        answers = sorted((a for c in clients for a in c.answers), key=lambda a: a.at)
        during = [a for a in answers if started <= a.at <= finished]
        bad = [a for a in answers if a.status != 200 or a.total not in {old[a.url], new[a.url]}]
        assert bad == [], bad[:5]
        assert len(during) >= 20, f"only {len(during)} answers in {finished - started:.1f} s"
        assert answers[0].total == old[answers[0].url]
        assert answers[-1].total == new[answers[-1].url]  # the same server sees the new index
        for client in clients:  # each client's requests are sequential: once new, always new
            switched = min(a.at for a in client.answers if a.total == new[a.url])
            assert all(a.total == new[a.url] for a in client.answers if a.at > switched)

        status, found = get_json(base, f"/api/search?q={NEW_WORD}")
        assert status == 200 and [h["id"] for h in found["hits"]] == [NEW_ID]
        status, letter = get_json(base, f"/api/letters/{NEW_ID}")
        assert status == 200 and letter["id"] == NEW_ID
        print(
            f"rebuild of {count + 1} letters took {finished - started:.1f} s; "
            f"{len(answers)} answers, {len(during)} during the rebuild"
        )


def test_worker_processes_share_the_port_and_stop_together(index_root: Path, serve) -> None:  # type: ignore[no-untyped-def]
    """``letters serve --workers 2``: two processes answer, and stopping the server (SIGTERM to
    the parent) stops both."""
    import urllib.request

    started: list[int] = []
    with serve(index_root, threads=2, workers=2, on_start=started.append) as base:
        workers = set(child_pids(started[0]))
        assert len(workers) == 2
        for _ in range(10):
            with urllib.request.urlopen(f"{base}/api/search?q=strike", timeout=10) as response:
                assert response.status == 200
                assert json.loads(response.read())["total"] == 4
    assert started and not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_a_worker_that_dies_stops_the_server(index_root: Path, serve) -> None:  # type: ignore[no-untyped-def]
    """No half-staffed server: when one worker is killed, the parent stops the other and exits
    (a supervisor such as systemd then restarts the whole server)."""
    import signal

    started: list[int] = []
    with serve(index_root, threads=2, workers=2, on_start=started.append):
        first, second = child_pids(started[0])
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while (alive(started[0]) or alive(second)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(second)
        assert not alive(started[0])
