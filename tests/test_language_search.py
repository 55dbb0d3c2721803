"""Searching an archive of letters in several languages and scripts: each letter and passage
stemmed in its language, names found in every script, and an English archive unchanged."""

from __future__ import annotations

import re
import shutil
from contextlib import closing
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.archive import Archive
from indexer.engine.index import LetterIndex
from indexer.engine.query import parse_query
from indexer.engine.schema import present_prose_fields
from indexer.formats.importer import import_file
from indexer.letters.language import DETECTED
from indexer.letters.letter import load_letter
from indexer.request import SearchRequest
from webapp import create_app

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

#: letters written for these tests, none stating its language
LETTERS = {
    "russian": """---
title: Обращение независимого профсоюза нефтяников
date: 2022-01-10
senders: [Независимый профсоюз нефтяников Мангистау]
recipients: [{name: Касым-Жомарт Токаев, role: Президент Республики Казахстан}]
---

Уважаемый Касым-Жомарт Кемелевич!

Мы, работники нефтяных месторождений Жанаозена, сообщаем, что с третьего января продолжается
забастовка. Рабочие требуют снижения цен на газ и повышения заработной платы.

Руководство компании уволило двенадцать участников забастовки, а председателю профсоюза грозит
уголовное преследование за организацию незаконной забастовки.

Просим Вас обеспечить право на свободу объединений для всех рабочих в Казахстане.
""",
    "kazakh": """---
title: Мұнайшылардың ашық хаты
date: 2022-01-12
senders: [Жаңаөзен мұнайшылары]
---

Құрметті Қасым-Жомарт Кемелұлы!

Біз, Жаңаөзен мұнайшылары, жалақыны уақытында төлемегені үшін ереуілге шықтық. Ереуілдер бір
айдан бері жалғасып келеді, бірақ жұмыс берушілер біздің талаптарымызды тыңдамайды.

Кәсіподақтың төрағасы қамауға алынды. Жұмысшылар оны босатуды және кәсіподақтарға қысым
көрсетуді тоқтатуды талап етеді.

Қазақстанның Президенті Тоқаевқа ашық хат жолдаймыз: жұмысшылардың құқықтарын қорғауыңызды
сұраймыз.
""",
    "mixed": """---
title: The Zhanaozen workers' appeal
date: 2022-01-14
senders: [European Transport Workers' Federation]
recipients: [{name: Kassym-Jomart Tokayev}]
---

Dear President Tokayev,

We write to you about the strike of the oil workers in Zhanaozen and the dismissal of their
leaders. The workers' appeal, which they asked us to pass on to you, reads:

> Мы требуем немедленно прекратить уголовное преследование председателя профсоюза и
> восстановить на работе всех уволенных рабочих.

Yours sincerely,
""",
    "norwegian": """---
title: Brev fra Norsk Tjenestemannslag
date: 2021-03-01
senders: [Norsk Tjenestemannslag]
---

Vi er dypt bekymret over at fagforeningens leder har blitt arrestert og at arbeiderne ikke har
fått lønn på flere måneder. Vi ber regjeringen respektere streikeretten og organisasjonsfriheten.
""",
    "spanish": """---
title: Carta de la Confederación Sindical
date: 2021-03-02
senders: [Confederación Sindical de Comisiones Obreras]
---

Nos preocupa profundamente la detención del presidente del sindicato independiente. Los
trabajadores del petróleo llevan meses sin cobrar sus salarios y han convocado una huelga.
""",
    "german": """---
title: Brief des Deutschen Gewerkschaftsbundes
date: 2021-03-03
senders: [Deutscher Gewerkschaftsbund]
---

Wir protestieren gegen die Entlassung der streikenden Arbeiter und fordern die sofortige
Auszahlung der ausstehenden Löhne. Die Gewerkschaft wurde vom Gericht aufgelöst, obwohl sie
alle gesetzlichen Anforderungen erfüllt hatte.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages") / "corpus"
    (root / "letters").mkdir(parents=True)
    shutil.copy(CORPUS / "authorities.yaml", root / "authorities.yaml")
    for name, text in LETTERS.items():
        (root / "letters" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def mixed_root(corpus: Path) -> Path:
    root = corpus.parent / "index"
    report = LetterIndex(root).rebuild(corpus)
    assert not report.errors, report.errors
    return root


def search(mixed_root: Path, q: str) -> set[str]:
    with Archive(mixed_root).session() as session:
        return {hit.id for hit in session.search(SearchRequest(q=q, per_page=100)).hits}


def test_each_letter_is_read_in_its_language(corpus: Path) -> None:
    languages = {
        name: load_letter(corpus / "letters" / f"{name}.md", corpus).language for name in LETTERS
    }
    assert languages == {
        "russian": "ru",
        "kazakh": "kk",
        "mixed": "en",
        "norwegian": "no",
        "spanish": "es",
        "german": "de",
    }
    assert "language" in load_letter(corpus / "letters" / "kazakh.md", corpus).extracted


def test_a_quoted_passage_in_another_language_is_stored_with_it(mixed_root: Path) -> None:
    with Archive(mixed_root).session() as session:
        letter = session.letter("mixed")
    assert letter is not None
    quoted = [n for n, _kind, text in letter.passages if text.startswith("Мы требуем")]
    assert letter.metadata()["passage_languages"] == {str(quoted[0]): "ru"}


@pytest.mark.parametrize(
    ("q", "found"),
    [
        # Russian, stemmed as Russian: in a Russian letter and in the English letter's quote
        ("забастовку", {"russian"}),
        ("преследования профсоюзов", {"russian", "mixed"}),
        ("рабочие", {"russian", "mixed"}),
        # Kazakh, by its suffixes
        ("ереуіл", {"kazakh"}),
        ("ереуілдер", {"kazakh"}),
        ("кәсіподақ", {"kazakh"}),
        ("жұмысшылар", {"kazakh"}),
        # other languages' stemmers
        ("fagforening", {"norwegian"}),
        ("huelgas sindicatos", {"spanish"}),
        ("Gewerkschaften", {"german"}),
        # English is stemmed as English, as before
        ("strikes dismissals", {"mixed"}),
        # names in every script and Kazakh alphabet, inflected or not
        ("Qazaqstan", {"russian", "kazakh"}),
        ("Kazakhstan", {"russian", "kazakh"}),
        ("Казахстан", {"russian", "kazakh"}),
        ("Tokayev", {"russian", "kazakh", "mixed"}),
        ("Toqaev", {"russian", "kazakh", "mixed"}),
        ("Тоқаев", {"russian", "kazakh", "mixed"}),
        ("Zhanaozen", {"russian", "kazakh", "mixed"}),
        ("Jañaözen", {"russian", "kazakh", "mixed"}),
        ("Jan'aozen", {"russian", "kazakh", "mixed"}),
        ("Жаңаөзен", {"russian", "kazakh", "mixed"}),
    ],
)
def test_letters_are_found_in_their_languages_and_scripts(
    mixed_root: Path, q: str, found: set[str]
) -> None:
    assert search(mixed_root, q) == found


def test_only_the_languages_of_the_letters_are_searched(mixed_root: Path) -> None:
    with LetterIndex(mixed_root).searcher() as searcher:
        present = present_prose_fields(searcher.reader())
        assert present == {
            *("title", "body", "title_ru", "body_ru", "title_kk", "body_kk"),
            *("title_no", "body_no", "title_es", "body_es", "title_de", "body_de"),
        }
        parsed = parse_query("strike", searcher.schema, None, present=present).query
    assert parsed is not None
    fields = {leaf.fieldname for leaf in parsed.leaves() if hasattr(leaf, "fieldname")}
    assert {f for f in fields if f.startswith(("title", "body"))} == present


def test_an_english_archive_searches_its_english_fields_only(snapshot) -> None:  # type: ignore[no-untyped-def]
    searcher = snapshot.searcher
    present = present_prose_fields(searcher.reader())
    assert present == {"title", "body"}
    for q in ("right to strike", "Tokayev dismissals", '"freedom of association"', "strik*"):
        narrow = parse_query(q, searcher.schema, snapshot.authorities, present=present).query
        every = parse_query(q, searcher.schema, snapshot.authorities).query
        fields = {leaf.fieldname for leaf in narrow.leaves() if hasattr(leaf, "fieldname")}
        assert not {f for f in fields if f.startswith(("title_", "body_"))}, q
        hits = [(h.docnum, h.score) for h in searcher.search(narrow, limit=None)]
        assert hits == [(h.docnum, h.score) for h in searcher.search(every, limit=None)], q


@pytest.fixture(scope="module")
def client(mixed_root: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX_PATH": str(mixed_root)}).test_client()


def test_snippets_and_the_letter_page_mark_each_passage_in_its_language(
    mixed_root: Path, client: FlaskClient
) -> None:
    with Archive(mixed_root).session() as session:
        hit = session.search(SearchRequest(q="преследования")).hits
    snippets = {h.id: [p.snippet for p in h.passages] for h in hit}
    assert "<mark>преследование</mark>" in snippets["mixed"][0]
    page = client.get("/letters/mixed?q=преследования").get_data(as_text=True)
    assert 'lang="ru"' in page
    assert re.search(r'<mark id="m\d+">(уголовное )?преследование</mark>', page)
    kazakh = client.get("/letters/kazakh?q=Qazaqstan").get_data(as_text=True)
    assert re.search(r'<mark id="m\d+">Қазақстанның</mark>', kazakh)
    passages = client.get("/api/letters/mixed").get_json()["passages"]
    assert [p["language"] for p in passages] == ["en", "en", "ru", "en"]


def test_import_detects_the_language_and_says_so(tmp_path: Path) -> None:
    sources = {
        "statement.txt": LETTERS["kazakh"].split("---\n", 2)[2],
        "brev.txt": LETTERS["norwegian"].split("---\n", 2)[2],
        "note.txt": "12.03.2021\n\nC087, C098.\n",
    }
    written = {}
    for name, text in sources.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = import_file(tmp_path / name, tmp_path / "out")
        assert result.written is not None
        written[name] = load_letter(result.written)
    assert {name: letter.language for name, letter in written.items()} == {
        "statement.txt": "kk",
        "brev.txt": "no",
        "note.txt": "",  # nothing to tell it by: no language, never a default
    }
    assert f"Language kk: {DETECTED}." in written["statement.txt"].notes
    assert "Language" not in written["note.txt"].notes


def test_a_kazakh_query_word_highlights_its_kazakh_stem(mixed_root: Path) -> None:
    with closing(LetterIndex(mixed_root).snapshot(5.0)) as snapshot:
        highlight = snapshot.highlight("ереуілдер")
    assert "ереуіл" in highlight.stems
