"""``letters import`` of e-mail (.eml, .mbox), HTML, PDF and Word (.docx) letters."""

from __future__ import annotations

import datetime as dt
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest

from indexer.formats.importer import import_file
from indexer.letters.language import DETECTED
from indexer.letters.letter import LetterError, load_letter

BODY = (
    "Brussels, 12 March 2024\n\n"
    "Dear Minister,\n\n"
    "We write to you about the arrest of trade union leaders at the port, which we condemn.\n\n"
    "Yours sincerely,\n\n"
    "Jane Doe\n"
    "General Secretary, European Transport Workers' Federation\n"
)
ROLE = "General Secretary, European Transport Workers' Federation"


def _message(subject: str, body: str, message_id: str, html: bool = False) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Jane Doe <jane@etf.example>"
    message["To"] = "Minister Smith <minister@gov.example>, office@gov.example"
    message["Cc"] = "ILO <info@ilo.example>"
    message["Date"] = "Tue, 12 Mar 2024 23:30:00 -0500"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if html:
        message.set_content(
            "<html><body><p>" + body.replace("\n\n", "</p><p>") + "</p></body></html>",
            subtype="html",
        )
    else:
        message.set_content(body)
    return message


#: what the extraction finds in BODY (the same letter in every format)
#: the language no format states, detected from the English text and said so
ENGLISH = {"language": f"en ({DETECTED})"}
FOUND_IN_BODY = {
    **ENGLISH,
    "date": "2024-03-12",
    "place": "Brussels",
    "senders": ["European Transport Workers' Federation"],
    "signatories": [{"name": "Jane Doe", "role": ROLE}],
}


def _check(result, into: Path) -> None:
    assert result.written is not None and result.written.parent == into
    letter = load_letter(result.written)
    assert letter.id == result.written.stem
    assert letter.passages


# -- e-mail ------------------------------------------------------------------------------------


def test_eml(tmp_path: Path) -> None:
    eml, into = tmp_path / "letter.eml", tmp_path / "out"
    eml.write_bytes(bytes(_message("Re: arrests at the port", BODY, "<a1@etf.example>")))
    result = import_file(eml, into)
    assert result.found == {
        "title": "Re: arrests at the port",
        "date": "2024-03-12",
        "place": "Brussels",
        "senders": ["Jane Doe", "European Transport Workers' Federation"],
        "signatories": [{"name": "Jane Doe", "role": ROLE}],
        "recipients": [{"name": "Minister Smith"}, {"name": "office@gov.example"}],
        "cc": ["ILO"],
        **ENGLISH,
    }
    assert result.missing == []
    _check(result, into)
    letter = load_letter(result.written)
    assert letter.cc == ["ILO"] and letter.date_from == "2024-03-12"
    assert "Message-ID <a1@etf.example>" in letter.source
    again = import_file(eml, into)
    assert again.duplicate_of == result.written.name and again.written is None


def test_eml_html_body(tmp_path: Path) -> None:
    eml, into = tmp_path / "html.eml", tmp_path / "out"
    eml.write_bytes(bytes(_message("Arrests", BODY, "<h1@etf.example>", html=True)))
    result = import_file(eml, into)
    assert result.found["place"] == "Brussels"
    assert "<p>" not in result.written.read_text(encoding="utf-8")
    _check(result, into)


def test_mbox_two_messages(tmp_path: Path) -> None:
    path, into = tmp_path / "mail.mbox", tmp_path / "out"
    box = mailbox.mbox(str(path))
    box.add(_message("First letter", BODY, "<m1@etf.example>"))
    box.add(_message("Second letter", BODY.replace("port", "airport"), "<m2@etf.example>"))
    box.close()
    result = import_file(path, into)
    assert len(result.parts) == 2
    assert [p.found["title"] for p in result.parts] == ["First letter", "Second letter"]
    assert result.found == {
        "messages": "2 (2 new, 0 already there)",
        "files": [str(p.written) for p in result.parts],
    }
    for part in result.parts:
        _check(part, into)
    assert result.parts[0].written != result.parts[1].written
    again = import_file(path, into)
    assert again.written is None and again.duplicate_of
    assert all(p.duplicate_of for p in again.parts)
    assert len(list(into.iterdir())) == 2


# -- HTML --------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title>Letter on the port arrests</title>
<style>p { color: red }</style><script>alert("x")</script></head><body>
<h1>Open letter</h1>
<p>Brussels, 12 March 2024</p>
<p>Dear Minister,</p>
<p>We write to you about the arrest of trade union leaders at the port, which we condemn.</p>
<ul><li>Release them</li><li>Drop the charges</li></ul>
<p>Yours sincerely,</p>
<p>Jane Doe<br>General Secretary, European Transport Workers' Federation</p>
</body></html>"""


def test_html(tmp_path: Path) -> None:
    page, into = tmp_path / "letter.html", tmp_path / "out"
    page.write_text(HTML, encoding="utf-8")
    result = import_file(page, into)
    assert result.found == {"title": "Letter on the port arrests", **FOUND_IN_BODY}
    assert result.missing == ["recipients"]
    _check(result, into)
    text = result.written.read_text(encoding="utf-8")
    assert "# Open letter" in text and "- Release them" in text
    assert "alert" not in text and "color" not in text
    assert import_file(page, into).duplicate_of == result.written.name


# -- PDF ---------------------------------------------------------------------------------------


def _pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF whose text layer holds the lines (Helvetica)."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*" if line else "T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf(tmp_path: Path) -> None:
    pdf, into = tmp_path / "letter.pdf", tmp_path / "out"
    pdf.write_bytes(_pdf(BODY.split("\n")))
    result = import_file(pdf, into)
    assert result.found == FOUND_IN_BODY
    assert result.missing == ["recipients"]
    _check(result, into)
    assert "arrest of trade union leaders" in result.written.read_text(encoding="utf-8")
    assert import_file(pdf, into).duplicate_of == result.written.name


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(_pdf([]))
    with pytest.raises(LetterError, match=r"scan\.pdf: no text layer \(scanned image\?\)"):
        import_file(pdf, tmp_path / "out")


# -- Word --------------------------------------------------------------------------------------


def _docx(path: Path, paragraphs: list[str], **core: object) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Arrests at the port", level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    for name, value in core.items():
        setattr(document.core_properties, name, value)
    document.save(str(path))


def test_docx(tmp_path: Path) -> None:
    path, into = tmp_path / "letter.docx", tmp_path / "out"
    _docx(
        path,
        BODY.strip().split("\n\n"),
        title="Letter on the port arrests",
        author="ETF",
        created=dt.datetime(2024, 3, 1, 9, 0),
    )
    result = import_file(path, into)
    assert result.found == {
        "title": "Letter on the port arrests",
        "date": "2024-03-12",  # the text's date wins over the file's creation date
        "place": "Brussels",
        "senders": ["European Transport Workers' Federation"],  # the text names the sender
        "signatories": [{"name": "Jane Doe", "role": ROLE}],
        **ENGLISH,
    }
    _check(result, into)
    assert "# Arrests at the port" in result.written.read_text(encoding="utf-8")
    assert import_file(path, into).duplicate_of == result.written.name


def test_docx_properties_fill_gaps(tmp_path: Path) -> None:
    path, into = tmp_path / "note.docx", tmp_path / "out"
    _docx(
        path,
        ["We write to you about the arrest of trade union leaders at the port, which we condemn."],
        title="",
        author="ETF",
        created=dt.datetime(2024, 3, 1, 9, 0),
    )
    result = import_file(path, into)
    assert result.found == {"date": "2024-03-01", "senders": ["ETF"], **ENGLISH}
    assert result.missing == ["place", "signatories", "recipients"]
    _check(result, into)


# -- unreadable files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bad.eml", b"\x00\x01garbage", "binary file"),
        ("bad.eml", b"just some words\nwithout headers\n", "not an e-mail message"),
        ("bad.mbox", b"Subject: no From_ line\n\nbody\n", "not an mbox mailbox"),
        ("bad.html", b"no tags at all", "not an HTML document"),
        ("bad.html", b"<html><script>x()</script></html>", "no text to import"),
        ("bad.pdf", b"%PDF-1.4\nthis is not really a PDF", "not a readable PDF"),
        ("bad.pdf", b"hello", "not a PDF file"),
        ("bad.docx", b"PK\x03\x04 broken zip", "not a readable .docx file"),
        ("bad.docx", b"\xd0\xcf\x11\xe0 an old .doc", "not a .docx file"),
    ],
)
def test_unreadable(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path, into = tmp_path / name, tmp_path / "out"
    path.write_bytes(data)
    with pytest.raises(LetterError, match=reason) as caught:
        import_file(path, into)
    assert str(path) in str(caught.value)
    assert not into.exists() or not list(into.iterdir())


def test_corrupt_mbox_message_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.mbox"
    path.write_bytes(b"From x@y Tue Mar 12 10:00:00 2024\nX-Nothing: 1\n\n\n")
    with pytest.raises(LetterError, match=r"bad\.mbox: message 1: not an e-mail message"):
        import_file(path, tmp_path / "out")


def test_cli_imports_a_mailbox_and_names_a_bad_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import EXIT_PARTIAL, cli

    path, bad, into = tmp_path / "mail.mbox", tmp_path / "bad.pdf", tmp_path / "out"
    box = mailbox.mbox(str(path))
    box.add(_message("First letter", BODY, "<c1@etf.example>"))
    box.add(_message("Second letter", BODY.replace("port", "airport"), "<c2@etf.example>"))
    box.close()
    bad.write_bytes(b"%PDF-1.4\nbroken")
    result = CliRunner().invoke(cli, ["import", "--into", str(into), str(bad), str(path)])
    assert result.exit_code == EXIT_PARTIAL
    assert "found messages: 2 (2 new, 0 already there)" in result.output
    assert f"{bad}: not a readable PDF" in result.output
    assert len(list(into.glob("*.md"))) == 2
    again = CliRunner().invoke(cli, ["import", "--into", str(into), str(path)])
    assert again.exit_code == 0 and "already in the corpus" in again.output
