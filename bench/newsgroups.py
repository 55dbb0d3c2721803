"""Turn the 20 Newsgroups (bydate) messages into corpus letter files, deterministically.

Mapping (the messages have From, Subject and Organization headers, no Date):

- ``From`` → ``senders: [From]`` and ``signatories: [{name: From}]``, the header as written
  (``decay@cbnewsj.cb.att.com (dean.kaflowitz)``): the sender and signatory facets;
- ``Subject`` → ``title`` (``(no subject)`` when empty);
- the newsgroup → ``recipients: [{name: <newsgroup>}]``: the recipient facet;
- ``Organization`` → ``place`` (searchable text). The index has a fixed set of facets
  (sender, signatory, recipient, type, language, year) and no place facet, so the organisation
  is not a facet here; 781 messages have none and so have no ``place``;
- ``type: usenet post``, ``language: en``;
- ``date``: the messages carry no date, so a synthetic one is derived from the article number:
  1993-01-01 plus (number mod 365) days;
- ``id``: ``<date>-<newsgroup with dashes>-<number>`` (article numbers repeat across groups);
- ``summary`` and ``source`` name the newsgroup, split and article.

The body is kept as written, made safe for Markdown where Markdown would change the text:
``<`` becomes ``&lt;`` (otherwise ``<user@host>`` turns into an obfuscated mail link and
``<word>`` into dropped raw HTML) and a ``#`` that starts a line (after any ``>`` quote marks)
is escaped (``#12)`` is not a heading). Quotes (``>``) stay blockquotes and lists stay lists:
that is their meaning. Undecodable bytes are read as Latin-1. An empty body becomes
``(empty message)``.

``--scale N`` writes N variants of every message (variant 0 is the message itself): variant k
is dated k years later, its id ends in ``-v<k>`` and its sender's mailbox gets the suffix
``<k>`` (``decay3@cbnewsj.cb.att.com``), so the facets grow with the archive.

Usage: ``python -m bench.newsgroups OUT [--source DIR] [--scale N] [--every K]``; files go to
``OUT/letters/<newsgroup>/<id>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

SOURCE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "20news-bydate"
BASE_DATE = dt.date(1993, 1, 1)
CONVERTER_VERSION = 1  # bump when the output changes, so cached corpora are rebuilt

_HEADING_RE = re.compile(r"^((?:[ \t]*>)*[ \t]*)#", re.MULTILINE)
_MAILBOX_RE = re.compile(r"([^\s<>()@]+)@")


@dataclass(frozen=True)
class Message:
    """One Usenet message of the corpus: where it is and what it says."""

    split: str  # "train" or "test"
    group: str
    number: int
    headers: dict[str, str]
    body: str


def message_paths(source: Path) -> list[Path]:
    """Every message file under the corpus, in a stable order."""
    return sorted(p for p in source.rglob("*") if p.is_file() and p.name.isdigit())


def decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_message(path: Path) -> Message:
    """Headers (first occurrence of each, folded lines joined) and the body of one message."""
    text = decode(path.read_bytes())
    head, _sep, body = text.partition("\n\n")
    headers: dict[str, str] = {}
    last = None
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and last:
            headers[last] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon:
            continue
        last = name.strip().lower()
        if last in headers:
            last = None
            continue
        headers[last] = value.strip()
    split = path.parent.parent.name.rsplit("-", 1)[-1]
    return Message(split, path.parent.name, int(path.name), headers, body)


def markdown_safe(body: str) -> str:
    """The body as Markdown that renders to the same text (see the module docstring)."""
    lines = [line.rstrip() for line in body.split("\n")]
    text = "\n".join(lines).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = text.replace("<", "&lt;")
    text = _HEADING_RE.sub(lambda m: m.group(1) + "\\#", text)
    return text or "(empty message)"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def vary_sender(sender: str, variant: int) -> str:
    """The sender of variant k: the first mailbox gets the suffix k (no mailbox: " k")."""
    if variant == 0:
        return sender
    varied, count = _MAILBOX_RE.subn(lambda m: f"{m.group(1)}{variant}@", sender, count=1)
    return varied if count else f"{sender} {variant}"


def letter_text(message: Message, variant: int = 0) -> tuple[str, str]:
    """(id, file text) of one message as a letter; variant k > 0 is the k-th scaled copy."""
    date = BASE_DATE + dt.timedelta(days=message.number % 365)
    if variant:
        date = dt.date(date.year + variant, 1, 1) + dt.timedelta(days=message.number % 365)
    slug = re.sub(r"[^a-z0-9]+", "-", message.group.lower()).strip("-")
    letter_id = f"{date.isoformat()}-{slug}-{message.number}" + (f"-v{variant}" if variant else "")
    sender = vary_sender(_one_line(message.headers.get("from", "")) or "(unknown)", variant)
    meta: dict[str, object] = {
        "id": letter_id,
        "title": _one_line(message.headers.get("subject", "")) or "(no subject)",
        "type": "usenet post",
        "date": date.isoformat(),
    }
    organization = _one_line(message.headers.get("organization", ""))
    if organization:
        meta["place"] = organization
    meta |= {
        "language": "en",
        "senders": [sender],
        "signatories": [{"name": sender}],
        "recipients": [{"name": message.group}],
        "source": (
            f"20 Newsgroups (bydate), 20news-bydate-{message.split}/{message.group}/"
            f"{message.number}" + (f", scaled variant {variant}" if variant else "")
        ),
        "summary": f"Usenet post {message.number} to {message.group} ({message.split} split).",
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return letter_id, f"---\n{front}---\n\n{markdown_safe(message.body)}\n"


def convert(out: Path, source: Path = SOURCE, scale: int = 1, every: int = 1) -> Iterator[Path]:
    """Write the letters under ``out/letters``; yields each file written.

    ``every``: keep every k-th message only (1: all), for small samples of the same corpus.
    """
    if scale < 1 or every < 1:
        raise ValueError("scale and every must be at least 1")
    letters = out / "letters"
    for i, path in enumerate(message_paths(source)):
        if i % every:
            continue
        message = parse_message(path)
        folder = letters / message.group
        folder.mkdir(parents=True, exist_ok=True)
        for variant in range(scale):
            letter_id, text = letter_text(message, variant)
            target = folder / f"{letter_id}.md"
            target.write_text(text, encoding="utf-8")
            yield target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.newsgroups", description=__doc__)
    parser.add_argument("out", type=Path, help="corpus folder to write (letters/ inside)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="20news-bydate folder")
    parser.add_argument("--scale", type=int, default=1, help="variants of each message")
    parser.add_argument("--every", type=int, default=1, help="keep every k-th message")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"no 20news corpus at {args.source}", file=sys.stderr)
        return 1
    count = sum(1 for _ in convert(args.out, args.source, args.scale, args.every))
    print(f"wrote {count} letters to {args.out / 'letters'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
