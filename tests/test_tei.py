"""TEI import: every letter of the shared letters1916 edition, and hand-written TEI snippets."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from indexer.cli.main import EXIT_PARTIAL, cli
from indexer.formats.importer import import_file
from indexer.formats.tei import read_tei
from indexer.letters.letter import LetterError, load_letter
from tests.conftest import SHARED

EDITIONS = SHARED / "corpora" / "letters1916" / "editions"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
TEI_OPEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0">'


# -- the expectation, read straight from the TEI (independent of indexer.formats.tei) ----------


def _norm(element: ET.Element | None) -> str:
    """The element's text as a reader sees it (the edition escapes some names twice:
    ``Blake &amp;amp; Kenny``, which the import reads as ``Blake & Kenny``)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).replace("&amp;", "&").split())


def _day_range(value: str) -> tuple[str, str] | None:
    """An ISO date (YYYY, YYYY-MM, YYYY-MM-DD, optionally with a time) as its first/last day."""
    match = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T[\d:]+)?", value.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    if day:
        iso = dt.date(year, month, day).isoformat()
        return iso, iso
    if month:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def expectation(path: Path) -> dict[str, object]:
    root = ET.parse(path).getroot()
    sent = root.find(".//tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']", NS)
    received = root.find(
        ".//tei:profileDesc/tei:correspDesc/tei:correspAction[@type='received']", NS
    )
    parties = [
        (child.tag.split("}")[1], _norm(child))
        for child in (sent if sent is not None else [])
        if child.tag in (f"{{{NS['tei']}}}persName", f"{{{NS['tei']}}}orgName")
    ]
    addressees = [
        _norm(child)
        for child in (received if received is not None else [])
        if child.tag in (f"{{{NS['tei']}}}persName", f"{{{NS['tei']}}}orgName")
    ]
    date = sent.find("tei:date", NS) if sent is not None else None
    span = None
    if date is not None:
        if date.get("when"):
            span = _day_range(date.get("when"))
        elif date.get("notBefore") or date.get("notAfter"):
            start = _day_range(date.get("notBefore") or date.get("notAfter"))
            end = _day_range(date.get("notAfter") or date.get("notBefore"))
            span = (start[0], end[1]) if start and end else None
        elif _norm(date):
            span = _day_range(_norm(date))
    return {
        "senders": [name for _tag, name in parties if name],
        "persons": [name for tag, name in parties if name and tag == "persName"],
        "recipients": [name for name in addressees if name],
        "span": span,
        "place": _norm(sent.find("tei:placeName", NS)) if sent is not None else "",
        "subjects": list(
            dict.fromkeys(
                _norm(item)
                for item in root.iterfind(".//tei:textClass//tei:item", NS)
                if _norm(item)
            )
        ),
        "keys": {
            _norm(child): child.get("key", "")
            for action in (sent, received)
            for child in (action if action is not None else [])
            if child.get("key")
            and not child.get("key", "").endswith("-None")
            and _norm(child)
            and (action is sent or not child.tag.endswith("placeName"))  # the letter's place
        },
    }


@pytest.mark.skipif(not EDITIONS.is_dir(), reason="../shared/corpora/letters1916 is absent")
def test_every_letters1916_letter_imports_with_its_metadata(tmp_path: Path) -> None:
    files = sorted(EDITIONS.glob("*.xml"))
    into = tmp_path / "letters"
    started = time.monotonic()
    results = [import_file(path, into) for path in files]
    written = [r.written for r in results if r.written]
    assert len(written) == len(files) == 478
    assert len({p.name for p in written}) == 478  # one file (and id) per letter

    kinds = ("sender", "addressee", "date", "place", "subjects", "keys")
    counts = {key: [0, 0] for key in kinds}  # [has it, matched]
    for path, result in zip(files, results, strict=True):
        letter = load_letter(result.written)
        assert letter.id == result.written.stem
        assert letter.passages, path
        want = expectation(path)
        checks = {
            "sender": (
                want["senders"],
                (letter.senders, [p.name for p in letter.signatories]),
                (want["senders"], want["persons"]),
            ),
            "addressee": (
                want["recipients"],
                [r.name for r in letter.recipients],
                want["recipients"],
            ),
            "date": (want["span"], (letter.date_from, letter.date_to), want["span"]),
            "place": (want["place"], letter.place, want["place"]),
            "subjects": (want["subjects"], letter.subjects, want["subjects"]),
            "keys": (want["keys"], {n: letter.key(n) for n in want["keys"]}, want["keys"]),
        }
        for key, (present, got, expected) in checks.items():
            if present:
                counts[key][0] += 1
                counts[key][1] += got == expected
                assert got == expected, f"{path.name}: {key} {got!r} != {expected!r}"
    again = [import_file(path, into) for path in files]
    assert all(r.duplicate_of and not r.written for r in again)
    assert len(list(into.glob("*.md"))) == 478
    elapsed = time.monotonic() - started
    rate = len(written) / elapsed
    print(f"\nletters1916: {len(written)} of {len(files)} TEI letters imported in {elapsed:.1f}s")
    print(f"  {rate:.0f} letters/s (the re-import included)")
    for key, (has, matched) in counts.items():
        print(f"  {key}: {has} letters have one in the TEI, {matched} imported equal")
    print(f"  re-import: {len(again)} recognised as already imported")


# -- snippets ----------------------------------------------------------------------------------


def tei(
    tmp_path: Path,
    corresp: str = "",
    body: str = "<p>Text.</p>",
    name: str = "letter.xml",
    lang: str = "",
) -> Path:
    path = tmp_path / name
    root = TEI_OPEN.replace(">", f' xml:lang="{lang}">') if lang else TEI_OPEN
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
{root}
  <teiHeader>
    <fileDesc>
      <titleStmt><title>A test letter</title></titleStmt>
      <publicationStmt><publisher>Test Edition</publisher>
        <idno type="URI">https://example.org/letters/1</idno></publicationStmt>
      <sourceDesc><p>Hand-written test data.</p></sourceDesc>
    </fileDesc>
    <profileDesc>{corresp}</profileDesc>
  </teiHeader>
  <text><body>{body}</body></text>
</TEI>
""",
        encoding="utf-8",
    )
    return path


def sent(date: str, names: str = "<persName>Karl Muster</persName>") -> str:
    return (
        f'<correspDesc><correspAction type="sent">{names}<placeName>Wien</placeName>{date}'
        '</correspAction><correspAction type="received"><persName>Anna Beispiel</persName>'
        "</correspAction></correspDesc>"
    )


def front_matter(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_when_gives_the_date_and_parties_map_to_fields(tmp_path: Path) -> None:
    names = "<persName>Karl  Muster</persName><orgName>Verein X</orgName><persName/>"
    path = tei(tmp_path, sent('<date when="1916-05-03"/>', names), lang="de-AT")
    letter = read_tei(path)
    assert letter.front["language"] == "de"
    assert letter.front["date"] == dt.date(1916, 5, 3)
    assert letter.front["senders"] == ["Karl Muster", "Verein X"]
    assert letter.front["signatories"] == [{"name": "Karl Muster"}]
    assert letter.front["recipients"] == [{"name": "Anna Beispiel"}]
    assert letter.front["place"] == "Wien"
    assert letter.front["title"] == "A test letter"
    assert letter.front["id"] == "1916-05-03-karl-muster-to-anna-beispiel"
    assert letter.source == (
        "TEI file letter.xml published by Test Edition, https://example.org/letters/1"
    )
    assert letter.missing == []
    result = import_file(path, tmp_path / "out")
    assert "date: 1916-05-03\n" in result.written.read_text(encoding="utf-8")
    loaded = load_letter(result.written)
    assert (loaded.date, loaded.date_from, loaded.date_to) == ("1916-05-03",) * 3
    assert loaded.extracted == []


@pytest.mark.parametrize(
    ("date", "span"),
    [
        ('<date when="1916-06"/>', ("1916-06-01", "1916-06-30")),
        ('<date when="1916"/>', ("1916-01-01", "1916-12-31")),
        ("<date>1916-03-25T00:00:00</date>", ("1916-03-25", "1916-03-25")),
        ('<date notBefore="1916-04-24" notAfter="1916-05-12"/>', ("1916-04-24", "1916-05-12")),
        ('<date notBefore="1916-04" notAfter="1916-05"/>', ("1916-04-01", "1916-05-31")),
        ('<date from="1916-02-01" to="1916-02-10"/>', ("1916-02-01", "1916-02-10")),
    ],
)
def test_dates_and_ranges(tmp_path: Path, date: str, span: tuple[str, str]) -> None:
    result = import_file(tei(tmp_path, sent(date)), tmp_path / "out")
    letter = load_letter(result.written)
    assert (letter.date_from, letter.date_to) == span
    if "notBefore" in date or "from=" in date:
        assert letter.date is None
        assert {"date_from", "date_to"} <= set(front_matter(result.written))


def test_an_unreadable_date_is_left_out_and_noted(tmp_path: Path) -> None:
    letter = read_tei(tei(tmp_path, sent("<date>-06</date>")))
    assert "date" not in letter.front
    assert "date" in letter.missing
    assert "The date '-06' is not an ISO date" in letter.front["notes"]
    reversed_range = sent('<date notBefore="1916-05-01" notAfter="1916-04-01"/>')
    letter = read_tei(tei(tmp_path, reversed_range, name="reversed.xml"))
    assert "date_from" not in letter.front
    assert "ends before it starts" in letter.front["notes"]


def test_missing_corresp_desc_imports_with_missing_fields(tmp_path: Path) -> None:
    path = tei(tmp_path, "", "<p>Dear friend,<lb/>all well here.</p>")
    letter = read_tei(path)
    for name in ("senders", "signatories", "recipients", "date", "place"):
        assert name not in letter.front
    assert letter.missing == ["date", "place", "senders", "recipients", "language"]
    assert letter.front["language"] == "en"  # not stated: detected, and the notes say so
    assert "the TEI names no language: it is detected from the text" in letter.front["notes"]
    assert letter.front["id"] == "letter"
    assert letter.front["summary"] == "Letter."
    result = import_file(path, tmp_path / "out")
    assert result.missing == ["date", "place", "senders", "recipients"]
    assert load_letter(result.written).title == "A test letter"


def test_text_escaped_twice_reads_as_written(tmp_path: Path) -> None:
    """Some editions escape names and notes twice (letters1916: ``Blake &amp;amp; Kenny``)."""
    corresp = """<correspDesc><correspAction type="sent">
      <persName>Blake &amp;amp; Kenny Solicitors</persName></correspAction></correspDesc>"""
    letter = read_tei(tei(tmp_path, corresp, "<p>R&amp;amp;C &amp;#233;t&amp;#xE9; &lt;b&gt;</p>"))
    assert letter.front["senders"] == ["Blake & Kenny Solicitors"]
    assert letter.body == "R&C été &lt;b>\n"


def test_body_paragraphs_line_breaks_notes_and_escaping(tmp_path: Path) -> None:
    body = """<div>
      <opener><dateline>Wien, 3. Mai 1916</dateline></opener>
      <p>Liebe   Anna,<lb/>ich schreibe
         dir<note>Eine <hi rend="italic">kurze</hi> Anmerkung.</note> heute.</p>
      <p>1. Punkt, *Sternchen*, <hi rend="underline">unter <lb/>strichen </hi>und [x]<lb/>
         # kein Titel<lb/>- keine Liste<lb/>&gt; kein Zitat<lb/>===<lb/>&lt;b&gt; &amp;amp;</p>
      <p>Seite<pb n="2"/>umbruch <del>gestrichen</del><choice><sic>Feler</sic>
         <corr>Fehler</corr></choice></p>
      <closer><salute>Dein</salute> <signed>Karl</signed></closer>
    </div>"""
    letter = read_tei(tei(tmp_path, "", body))
    assert letter.body == (
        "Wien, 3. Mai 1916\n\n"
        "Liebe Anna,  \nich schreibe dir[^1] heute.\n\n"
        "1\\. Punkt, \\*Sternchen\\*, *unter  \nstrichen* und \\[x\\]  \n"
        "\\# kein Titel  \n\\- keine Liste  \n\\> kein Zitat  \n&#61;==  \n&lt;b> &\n\n"
        "Seiteumbruch <del>gestrichen</del>Fehler\n\n"
        "Dein\n\nKarl\n\n"
        "[^1]: Eine *kurze* Anmerkung.\n"
    )
    result = import_file(tmp_path / "letter.xml", tmp_path / "out")
    passages = load_letter(result.written).passages
    assert [(p.kind, p.text) for p in passages] == [
        ("p", "Wien, 3. Mai 1916"),
        ("p", "Liebe Anna,\nich schreibe dir heute."),
        (
            "p",
            "1. Punkt, *Sternchen*, unter\nstrichen und [x]\n# kein Titel\n- keine Liste\n"
            "> kein Zitat\n===\n<b> &",  # &amp;amp; is an & escaped twice
        ),
        ("p", "Seiteumbruch gestrichenFehler"),
        ("p", "Dein"),
        ("p", "Karl"),
        ("footnote", "Eine kurze Anmerkung."),
    ]


def test_an_anonymous_block_is_split_at_page_breaks(tmp_path: Path) -> None:
    body = """<ab><pb n="1"/><lb/>Dear Sir,<lb/>first page
      <seg type="closer">Yours<lb/>J.</seg><pb n="2"/><lb/>Envelope<lb/></ab>"""
    letter = read_tei(tei(tmp_path, "", body))
    assert letter.body == "Dear Sir,  \nfirst page\n\nYours  \nJ.\n\nEnvelope\n"
    assert "split into paragraphs at its page breaks" in letter.front["notes"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (f"{TEI_OPEN}<teiHeader></TEI>", "not well-formed XML (mismatched tag) at line 1"),
        ("", "empty file"),
        ("<TEI><text><body><p>a &nbsp; b</p></body></text></TEI>", "undefined entity"),
        (
            '<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            f"{TEI_OPEN}<text><body><p>&b;</p></body></text></TEI>",
            "the DOCTYPE declares entities",
        ),
        (
            '<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f"{TEI_OPEN}<text><body><p>&xxe;</p></body></text></TEI>",
            "the DOCTYPE declares entities",
        ),
        (f"{TEI_OPEN}<teiHeader/></TEI>", "the TEI has no <text> element"),
        (f"{TEI_OPEN}<text><body><p> <lb/> </p></body></text></TEI>", "the TEI <text> is empty"),
        ("<html><body><p>Hi</p></body></html>", "not a TEI document (the root element is <html>)"),
        (
            f"{TEI_OPEN}<text><body>{'<hi>' * 5000}x{'</hi>' * 5000}</body></text></TEI>",
            "nested too deeply",
        ),
    ],
)
def test_unusable_xml_is_a_letter_error_naming_the_file(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LetterError) as caught:
        import_file(path, tmp_path / "out")
    assert str(caught.value).startswith(f"{path}: ")
    assert reason in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_plain_doctype_without_entities_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "doctype.xml"
    path.write_text(
        f'<!DOCTYPE TEI SYSTEM "tei_all.dtd">{TEI_OPEN}<text><body><p>Hi</p></body></text></TEI>',
        encoding="utf-8",
    )
    assert read_tei(path).body == "Hi\n"


def test_letters_import_cli_reads_tei_and_skips_a_second_import(tmp_path: Path) -> None:
    path = tei(tmp_path, sent('<date when="1916-05-03"/>'))
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI>", encoding="utf-8")
    into = tmp_path / "letters"
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(path), str(broken), "--into", str(into)])
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert f"{path} -> {into / '1916-05-03-karl-muster-to-anna-beispiel.md'}" in result.output
    assert "found senders: Karl Muster" in result.output
    assert "found recipients: Anna Beispiel" in result.output
    assert f"error: {broken}: not well-formed XML" in result.output
    again = runner.invoke(cli, ["import", str(path), "--into", str(into)])
    assert again.exit_code == 0, again.output
    assert "already in the corpus as 1916-05-03-karl-muster-to-anna-beispiel.md" in again.output
    assert len(list(into.glob("*.md"))) == 1
    check = runner.invoke(cli, ["check", "--corpus", str(tmp_path)])
    assert check.exit_code == 0, check.output
