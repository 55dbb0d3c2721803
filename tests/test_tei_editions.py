"""TEI as editions really encode it: roles, partial dates, broken words, choices, registers,
titles, languages and mojibake."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.formats.importer import Importer
from indexer.formats.tei import read_tei
from indexer.letters.letter import load_letter

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
CORRESP_EXAMPLES = SHARED / "tei-correspondence" / "correspDesc-examples"


def write(tmp_path: Path, header: str, text: str, titles: str = "", name: str = "l.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        f"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>{titles}
</titleStmt><publicationStmt><p>x</p></publicationStmt></fileDesc><profileDesc>{header}
</profileDesc></teiHeader><text>{text}</text></TEI>""",
        encoding="utf-8",
    )
    return path


ONE_ACTION = """<correspDesc><correspAction type="sent">
<persName type="addressee">Johann Blumer</persName><persName type="sender">Alfred Escher</persName>
<placeName>Glarus</placeName><date when="{when}">{text}</date></correspAction></correspDesc>"""
GERMAN = "<body><p>Ich habe deinen Brief erhalten und danke dir, es ist mir eine Freude.</p></body>"


def test_typed_names_in_one_action_give_a_sender_and_a_recipient(tmp_path: Path) -> None:
    header = ONE_ACTION.format(when="1847-05-14", text="14. Mai 1847")
    letter = read_tei(write(tmp_path, header, GERMAN))
    assert letter.front["senders"] == ["Alfred Escher"]
    assert letter.front["recipients"] == [{"name": "Johann Blumer"}]
    assert letter.front["title"] == "Alfred Escher to Johann Blumer, Glarus, 1847-05-14"


def test_typed_roles_that_contradict_the_title_follow_the_title(tmp_path: Path) -> None:
    header = ONE_ACTION.format(when="1847-05-14", text="14. Mai 1847")
    title = "<title>Johann Blumer an Alfred Escher, Glarus, 14. Mai 1847</title>"
    letter = read_tei(write(tmp_path, header, GERMAN, title))
    assert letter.front["senders"] == ["Johann Blumer"]
    assert letter.front["recipients"] == [{"name": "Alfred Escher"}]
    assert letter.front["title"] == "Johann Blumer an Alfred Escher, Glarus, 14. Mai 1847"
    assert "contradict its title" in letter.front["notes"]


@pytest.mark.parametrize(
    ("when", "text", "expected"),
    [
        ("1000-04-05", "05. April", None),  # the year is unknown
        ("0000-04-05", "05. April", None),
        ("1877-02-01", "[Februar 1877?]", "1877-02"),
        ("1845-01-01", "[1845]", "1845"),
        ("1847-05-14", "14. Mai 1847", "1847-05-14"),
    ],
)
def test_a_date_is_never_more_precise_than_the_edition_knows(
    tmp_path: Path, when: str, text: str, expected: str | None
) -> None:
    letter = read_tei(write(tmp_path, ONE_ACTION.format(when=when, text=text), GERMAN))
    date = letter.front.get("date")
    assert (str(date) if date else None) == expected
    if expected is None:
        assert "date" in letter.missing and "known year" in letter.front["notes"]
    if "?" in text:
        assert "is uncertain" in letter.front["notes"]


def test_uncertain_range_and_cert(tmp_path: Path) -> None:
    header = """<correspDesc><correspAction type="sent"><persName>A B</persName>
    <date notBefore="1855-03" notAfter="1855-05" cert="low"/></correspAction></correspDesc>"""
    letter = read_tei(write(tmp_path, header, GERMAN))
    assert (letter.front["date_from"], letter.front["date_to"]) == ("1855-03", "1855-05")
    assert "uncertain" in letter.front["notes"]


def test_the_body_is_the_letter_and_reads_one_way(tmp_path: Path) -> None:
    text = """<front><div type="dateline"><p>Glarus den 14. Mai</p></div>
    <div type="opener"><p>Mein theurer Freund!</p></div></front>
    <body><div><p>Ein<lb break="no"/>käufe
      <lb break="no"/>machen <choice><abbr>u.</abbr><expan>und</expan></choice>
      <choice><sic>Feler</sic><corr>Fehler</corr></choice>
      <choice><orig>seyn</orig><reg>sein</reg></choice>.</p></div><div><p>Zweiter</p></div>
      <listPerson><person><persName>Register Person</persName></person></listPerson>
    </body><back><div type="closer"><p>deinem</p></div><div type="signature"><p>J J Blumer</p>
    </div><div type="index"><p>Registereintrag</p></div>
    <listPlace><place><placeName>Registerort</placeName></place></listPlace>
    <postscript><p>PS: Gruss</p></postscript></back>"""
    letter = read_tei(write(tmp_path, "", text))
    assert letter.body.split("\n\n") == [
        "Glarus den 14. Mai",
        "Mein theurer Freund!",
        "Einkäufemachen und Fehler sein.",
        "Zweiter",
        "deinem",
        "J J Blumer",
        "PS: Gruss\n",
    ]
    assert "expanded, corrected or regularised" in letter.front["notes"]


def test_the_letters_own_title_not_the_series(tmp_path: Path) -> None:
    titles = '<title level="s">Briefedition X</title><title type="sub">Letters 1916</title>'
    header = ONE_ACTION.format(when="1847-05-14", text="14. Mai 1847")
    letter = read_tei(write(tmp_path, header, GERMAN, titles))
    assert letter.front["title"] == "Alfred Escher to Johann Blumer, Glarus, 1847-05-14"


def test_language_from_the_tei_else_detected_never_assumed(tmp_path: Path) -> None:
    stated = '<langUsage><language ident="fr">French</language></langUsage>'
    assert read_tei(write(tmp_path, stated, GERMAN, name="a.xml")).front["language"] == "fr"
    detected = read_tei(write(tmp_path, "", GERMAN, name="b.xml"))
    assert detected.front["language"] == "de"
    assert "detected from the text" in detected.front["notes"]
    italian = "<body><p>Ho ricevuto la sua lettera e la ringrazio per il suo aiuto.</p></body>"
    assert read_tei(write(tmp_path, "", italian, name="c.xml")).front["language"] == "it"


def test_mojibake_is_repaired_and_noted(tmp_path: Path) -> None:
    text = "<body><p>It was a success â€“ the â€œRisingâ€\x9d of St. Patrickâ€™s day.</p></body>"
    letter = read_tei(write(tmp_path, "", text))
    assert "success – the “Rising” of St. Patrick’s day." in letter.body
    assert "repaired with ftfy" in letter.front["notes"]


@pytest.mark.skipif(not CORRESP_EXAMPLES.is_dir(), reason="../shared/corpora is absent")
def test_every_corresp_desc_example_imports(tmp_path: Path) -> None:
    letters = {p.name: read_tei(p) for p in sorted(CORRESP_EXAMPLES.glob("*.xml"))}
    assert len(letters) == 11
    importer = Importer(tmp_path / "letters")
    for name, letter in letters.items():
        assert letter.front.get("senders") or letter.front.get("recipients"), name
        loaded = load_letter(importer.import_file(CORRESP_EXAMPLES / name).written or "")
        # a record without text is a letter without passages, not one with a placeholder
        assert loaded.transcribed == bool(letter.body.strip()), name
        assert "transcription" not in loaded.body, name
    pointing = letters["example13_correspDesc-pointing-to-participDesc.xml"].front
    assert pointing["senders"] == ["Bona Sforza"]
    assert pointing["recipients"] == [{"name": "Ioannes Dantiscus"}]


CONTEXT = """<textClass><keywords><list><item n="topic">Easter Rising</item>
<item>World War I</item></list></keywords><keywords scheme="x"><term>Easter Rising</term>
<term>Eisenbahn</term></keywords><classCode scheme="y">Politik</classCode></textClass>
<correspDesc><correspAction type="sent">
<persName key="Escher (vom Glas) Alfred">Alfred Escher</persName>
<placeName ref="http://www.geonames.org/2657896 #zh">Zürich</placeName></correspAction>
<correspAction type="received"><persName ref="#p-None">Johann Blumer</persName></correspAction>
<correspContext><ref type="previous-in-corresp" target="B0129"/>
<ref type="previous" target="B0132"/><ref type="next" target="#B0134"/></correspContext>
</correspDesc>"""


def test_subjects_keys_context_and_readings_are_kept(tmp_path: Path) -> None:
    text = """<body><p>Ich danke <choice><abbr>Hrn.</abbr><expan>Herrn</expan></choice> Heer und
    <choice><sic>Zürch</sic><corr>Zürich</corr></choice>.</p></body>"""
    path = write(tmp_path, CONTEXT, text)
    path.write_text(path.read_text().replace("<TEI ", '<TEI xml:id="K_0133" '), encoding="utf-8")
    front = read_tei(path).front
    assert front["subjects"] == ["Easter Rising", "World War I", "Eisenbahn", "Politik"]
    # a key that stands for no identity (…-None) is dropped when the letter is loaded
    assert front["keys"] == {
        "Alfred Escher": "Escher (vom Glas) Alfred",
        "Zürich": "http://www.geonames.org/2657896",
        "Johann Blumer": "#p-None",
    }
    assert (front["previous"], front["next"], front["edition_id"]) == ("B0132", "#B0134", "K_0133")
    assert front["readings"] == "Hrn. Zürch"
    corpus = tmp_path / "letters"
    loaded = load_letter(Importer(corpus).import_file(path).written or "")
    assert loaded.keys == {
        "Alfred Escher": "Escher (vom Glas) Alfred",
        "Zürich": "http://www.geonames.org/2657896",
    }
    assert "Herrn" in loaded.body and "Hrn." not in loaded.body
