"""The Alfred Escher edition (5,019 TEI letters) imported and compared with its TEI.

The TEI is read here independently (lxml XPath). Its sender and addressee are the names of the
one ``correspAction``; which is which is taken from the letter's title ("A an B, Ort, Datum"),
because the edition's ``persName/@type`` values are the other way round. The date the edition
knows is the one in the file name, where ``00`` marks an unknown month or day and ``0000`` an
unknown year (its ``@when`` fills those in with ``01`` and ``1000``).

The default run imports a deterministic sample of every tenth letter (~500);
``LETTERS_FULL_EDITION=1`` (``make edition``) imports all of them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from indexer.formats.importer import Importer
from indexer.letters.dates import first_day, last_day
from indexer.letters.letter import load_letter
from indexer.letters.text import fold_text

etree = pytest.importorskip("lxml.etree")

LETTERS = Path(__file__).resolve().parents[1].parent / "shared/corpora/escher-briefe/letters"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
FULL = os.environ.get("LETTERS_FULL_EDITION") == "1"
REGISTERS = ("listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "standOff")


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold_text(text)) if len(w) > 1}


def same(name: str, part: str) -> bool:
    a, b = words(name), words(part)
    return bool(a and b) and (a <= b or b <= a)


def days(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def expected(path: Path) -> dict[str, Any]:
    tree = etree.parse(str(path))

    def text(node: object) -> str:
        return " ".join(str(node).split())

    title = text(tree.xpath("string(//t:titleStmt/t:title)", namespaces=NS))
    names = [text(n.xpath("string()")) for n in tree.xpath(
        "//t:correspAction/t:persName|//t:correspAction/t:orgName", namespaces=NS
    )]  # fmt: skip
    want: dict[str, Any] = {}
    match = re.match(r"(.+?) an (.+?)(?:,|$)", title)
    if match:
        senders = [n for n in names if same(n, match.group(1))]
        recipients = [n for n in names if same(n, match.group(2)) and n not in senders]
        if senders:
            want["sender"] = senders
        if recipients:
            want["addressee"] = recipients
    terms = [text(t.xpath("string()")) for t in tree.xpath("//t:textClass//t:term", namespaces=NS)]
    if terms:
        want["subjects"] = list(dict.fromkeys(t for t in terms if t))
    keyed = tree.xpath("//t:correspAction/t:persName[@key]", namespaces=NS)
    if keyed:
        want["keys"] = {text(n.xpath("string()")): " ".join(n.get("key").split()) for n in keyed}
    place = tree.xpath("//t:correspAction[@type='sent']/t:placeName", namespaces=NS)
    if place:
        want["place"] = text(place[0].xpath("string()"))
    named = re.findall(r"(\d{4})[-.](\d\d)[-.](\d\d)", path.name)
    assert named, path.name
    year, month, day = named[-1]
    known = "" if year == "0000" else year if month == "00" else f"{year}-{month}"
    known = f"{known}-{day}" if len(known) == 7 and day != "00" else known
    want["date"] = (first_day(known), last_day(known)) if known else (None, None)
    want["registers"] = [
        text(n.xpath("string()"))
        for tag in REGISTERS
        for n in tree.xpath(f"//t:text//t:{tag}", namespaces=NS)
    ]
    signature = tree.xpath("//t:back//t:div[@type='signature']", namespaces=NS)
    for other in tree.xpath("//t:choice/t:abbr|//t:choice/t:sic|//t:note", namespaces=NS):
        other.getparent().remove(other)  # the reading shown is the expansion or correction
    for lb in tree.xpath("//t:lb[not(@break='no')]", namespaces=NS):
        lb.tail = " " + (lb.tail or "")
    want["signature"] = text(signature[0].xpath("string()")) if signature else ""
    return want


@pytest.mark.skipif(not LETTERS.is_dir(), reason="../shared/corpora/escher-briefe is absent")
def test_the_escher_edition_imports_as_its_tei_says(tmp_path: Path) -> None:
    files = sorted(LETTERS.glob("*.xml"))
    assert len(files) == 5019
    sample = files if FULL else files[::10]
    importer = Importer(tmp_path / "letters")
    started = time.monotonic()
    results = [importer.import_file(path) for path in sample]
    elapsed = time.monotonic() - started
    assert all(r.written for r in results)

    counts = {k: [0, 0] for k in ("sender", "addressee", "date", "place", "subjects", "keys")}
    languages: Counter[str] = Counter()
    misses: dict[str, list[str]] = {k: [] for k in counts}
    for path, result in zip(sample, results, strict=True):
        assert result.written
        letter = load_letter(result.written)
        want = expected(path)
        got = {
            "sender": letter.senders,
            "addressee": [r.name for r in letter.recipients],
            "date": (letter.date_from, letter.date_to),
            "place": letter.place,
            "subjects": letter.subjects,
            "keys": {name: letter.key(name) for name in want.get("keys", {})},
        }
        for key in counts:
            if key in want and (key != "date" or want["date"][0]):
                counts[key][0] += 1
                counts[key][1] += got[key] == want[key]
                if got[key] != want[key]:
                    misses[key].append(f"{path.name}: {got[key]!r} != {want[key]!r}")
        languages[letter.language] += 1
        # never an invented date: undated when the edition knows no year, never more precise
        if not want["date"][0]:
            assert letter.date_from is None, path.name
        elif letter.date_from and letter.date_to:  # at most as precise as the edition knows
            assert days(letter.date_from, letter.date_to) >= days(*want["date"]), path.name
        for register in want["registers"]:
            assert register not in letter.body, path.name
        signed = re.findall(r"\w+", want["signature"])
        if signed:  # the back matter (closer, signature) is part of the letter's text
            assert signed[-1] in re.sub(r"</?del>", "", letter.body), path.name

    rate = len(sample) / elapsed
    print(
        f"\nescher-briefe: {len(sample)} of {len(files)} letters in {elapsed:.1f}s ({rate:.0f}/s)"
    )
    for key, (has, matched) in counts.items():
        print(f"  {key}: {has} letters have one in the TEI, {matched} imported equal")
        print("    " + "\n    ".join(misses[key][:3]))
    print(f"  language (none stated in the TEI, detected): {dict(languages.most_common())}")
    for key, (has, matched) in counts.items():
        assert matched >= 0.95 * has, (key, misses[key][:10])
    assert languages["de"] >= 0.8 * len(sample)
